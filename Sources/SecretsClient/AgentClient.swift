import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SecretsCore
import SecretsProtocol

/// A blocking connection to a running agent: one function per request, all through one
/// request/reply routine (as OpenSSH's authfd.c). Not thread-safe; open one per thread.
public final class AgentClient {
    /// The socket this client is connected to.
    public let socketPath: String
    /// The agent's answer to Hello.
    public private(set) var hello = SecretsAgent_V1_HelloReply()
    private let socket: FramedSocket
    private(set) var nextRequestID: UInt64 = 1

    /// Connects to the agent at `socketPath` and says Hello.
    /// - Throws: `.unavailable` naming the path when no agent answers there (exit 6),
    ///   or the agent's refusal (e.g. `.permissionDenied`).
    public init(socketPath: String, clientName: String = "secrets-agent-client") throws(SecretsError) {
        self.socketPath = socketPath
        switch try UnixSocketAddress.connect(socketPath) {
        case .success(let fd):
            socket = FramedSocket(fd: fd)
        case .failure(let errno) where errno.code == EACCES || errno.code == EPERM:
            throw .permissionDenied("cannot connect to \(socketPath): \(errno) (the socket's mode keeps you out; ask the agent's owner for access)")
        case .failure(let errno):
            throw .unavailable("cannot connect to \(socketPath): \(errno) (start the agent: secrets-agent serve)")
        }
        var hello = SecretsAgent_V1_Hello()
        hello.protocolVersion = ProtocolVersion.current
        hello.client = clientName
        guard case .hello(let reply) = try call(.hello(hello)) else { throw unexpectedReply() }
        self.hello = reply
    }

    deinit { socket.close() }

    /// The agent's status.
    public func status() throws(SecretsError) -> SecretsAgent_V1_StatusReply {
        guard case .status(let reply) = try call(.status(SecretsAgent_V1_StatusRequest())) else { throw unexpectedReply() }
        return reply
    }

    /// Unlocks the agent with the contents of a passphrase, key file or credential.
    public func unlock(kind: SecretsAgent_V1_KeyslotKind, secret: UnsafeRawBufferPointer) throws(SecretsError) {
        var request = SecretsAgent_V1_UnlockRequest()
        request.kind = kind
        request.secret = Data(secret)
        defer { request.secret.resetBytes(in: 0..<request.secret.count) }
        guard case .unlock = try call(.unlock(request)) else { throw unexpectedReply() }
    }

    /// Locks the agent: it forgets the master key at once.
    public func lock() throws(SecretsError) {
        guard case .lock = try call(.lock(SecretsAgent_V1_LockRequest())) else { throw unexpectedReply() }
    }

    /// Stores a value. - Returns: the new version.
    /// - Throws: `.alreadyExists` (mode create), `.notFound` (mode update), `.conflict`
    ///   (expected version differs), `.invalidArgument`, `.locked`, `.permissionDenied`.
    /// With `options.generator`, `value` must be empty: the agent draws the value.
    public func put(name: String, environment: String, value: UnsafeRawBufferPointer, mode: SecretsAgent_V1_PutMode,
                    expectedVersion: UInt64? = nil, options: PutOptions = PutOptions()) throws(SecretsError) -> UInt64 {
        var request = SecretsAgent_V1_PutRequest()
        request.name = name
        request.environment = environment
        request.value = Data(value)
        request.mode = mode
        if let expectedVersion { request.expectedVersion = expectedVersion }
        if let generator = options.generator { request.generate = generator.wire }
        request.rotateEverySeconds = options.rotateEverySeconds ?? 0
        request.removeRotation = options.removeRotation
        defer { request.value.resetBytes(in: 0..<request.value.count) }
        guard case .put(let reply) = try call(.put(request)) else { throw unexpectedReply() }
        return reply.version
    }

    /// Reads a value (version 0: the current one) into locked memory the caller owns.
    /// - Throws: `.notFound`, `.locked`, `.permissionDenied`, `.integrityFailure`,
    ///   `.invalidArgument`, `.unavailable`.
    public func get(name: String, environment: String, version: UInt64 = 0, masked: Bool = false) throws(SecretsError) -> (value: SecretValue, version: UInt64) {
        try get(name: name, environment: environment, version: version, masked: masked) { bytes, version in
            (SecretValue(copying: bytes), version)
        }
    }

    /// Reads a value and lends its bytes and version to `body`, without allocating locked
    /// memory per call; the received copy is wiped when `body` returns. The pointer must
    /// not escape `body`. Throws as `get(name:environment:version:masked:)`.
    public func get<R>(name: String, environment: String, version: UInt64 = 0, masked: Bool = false,
                       _ body: (UnsafeRawBufferPointer, UInt64) -> R) throws(SecretsError) -> R {
        var request = SecretsAgent_V1_GetRequest()
        request.name = name
        request.environment = environment
        request.version = version
        request.masked = masked
        guard case .get(var reply) = try call(.get(request)) else { throw unexpectedReply() }
        defer { reply.value.resetBytes(in: 0..<reply.value.count) }
        return reply.value.withUnsafeBytes { body($0, reply.version) }
    }

    /// Metadata of the secrets in `environment` (nil: all) whose names start with `prefix`,
    /// by environment, then name. A listing larger than one reply comes in pages, asked
    /// for one after another on this connection.
    public func list(environment: String?, prefix: String = "") throws(SecretsError) -> [SecretsAgent_V1_SecretMetadata] {
        var request = SecretsAgent_V1_ListRequest()
        request.environment = environment ?? ""
        request.prefix = prefix
        var secrets: [SecretsAgent_V1_SecretMetadata] = []
        while true {
            guard case .list(let reply) = try call(.list(request)) else { throw unexpectedReply() }
            secrets += reply.secrets
            if reply.nextAfterName.isEmpty { return secrets }
            guard reply.nextAfterEnvironment != request.afterEnvironment || reply.nextAfterName != request.afterName else {
                throw .internal("the agent's list did not move past \(reply.nextAfterName) (upgrade the agent or the client to the same version)")
            }
            request.afterEnvironment = reply.nextAfterEnvironment
            request.afterName = reply.nextAfterName
        }
    }

    /// Deletes a secret and all its versions. - Returns: how many versions were removed.
    public func delete(name: String, environment: String) throws(SecretsError) -> UInt32 {
        var request = SecretsAgent_V1_DeleteRequest()
        request.name = name
        request.environment = environment
        guard case .delete(let reply) = try call(.delete(request)) else { throw unexpectedReply() }
        return reply.versionsRemoved
    }

    /// The versions kept for a secret, newest first.
    public func history(name: String, environment: String) throws(SecretsError) -> [SecretsAgent_V1_VersionInfo] {
        var request = SecretsAgent_V1_HistoryRequest()
        request.name = name
        request.environment = environment
        guard case .history(let reply) = try call(.history(request)) else { throw unexpectedReply() }
        return reply.versions
    }

    /// Audit entries, oldest first, from `sinceUnixMs` (nil: all) naming `name` (nil: any),
    /// at most `limit` (0: all); asked for a page at a time when they do not fit one reply.
    public func auditEntries(sinceUnixMs: Int64? = nil, name: String? = nil, limit: UInt32 = 0) throws(SecretsError) -> [SecretsAgent_V1_AuditEntry] {
        var request = SecretsAgent_V1_AuditQueryRequest()
        request.sinceUnixMs = sinceUnixMs ?? 0
        request.name = name ?? ""
        var entries: [SecretsAgent_V1_AuditEntry] = []
        while true {
            request.limit = limit == 0 ? 0 : limit - UInt32(entries.count)
            guard case .auditQuery(let reply) = try call(.auditQuery(request)) else { throw unexpectedReply() }
            entries += reply.entries
            if reply.nextAfterSequence == 0 || (limit != 0 && entries.count >= limit) { return entries }
            guard reply.nextAfterSequence > request.afterSequence else {
                throw .internal("the agent's audit query did not move past entry \(reply.nextAfterSequence) (upgrade the agent or the client to the same version)")
            }
            request.afterSequence = reply.nextAfterSequence
        }
    }

    /// Verifies the audit trail's hash chain.
    public func verifyAudit() throws(SecretsError) -> SecretsAgent_V1_AuditVerifyReply {
        guard case .auditVerify(let reply) = try call(.auditVerify(SecretsAgent_V1_AuditVerifyRequest())) else { throw unexpectedReply() }
        return reply
    }

    /// Adds a keyslot for the given method's secret. - Returns: its id.
    public func addKeyslot(kind: SecretsAgent_V1_KeyslotKind, secret: UnsafeRawBufferPointer) throws(SecretsError) -> Int64 {
        var request = SecretsAgent_V1_KeyslotAddRequest()
        request.kind = kind
        request.secret = Data(secret)
        defer { request.secret.resetBytes(in: 0..<request.secret.count) }
        guard case .keyslotAdd(let reply) = try call(.keyslotAdd(request)) else { throw unexpectedReply() }
        return reply.keyslotID
    }

    /// Removes a keyslot; the last one is refused.
    public func removeKeyslot(id: Int64) throws(SecretsError) {
        var request = SecretsAgent_V1_KeyslotRemoveRequest()
        request.keyslotID = id
        guard case .keyslotRemove = try call(.keyslotRemove(request)) else { throw unexpectedReply() }
    }

    /// The store's keyslots (metadata only).
    public func listKeyslots() throws(SecretsError) -> [SecretsAgent_V1_Keyslot] {
        guard case .keyslotList(let reply) = try call(.keyslotList(SecretsAgent_V1_KeyslotListRequest())) else { throw unexpectedReply() }
        return reply.keyslots
    }

    /// Reads the next frame of a Watch stream (see `watch`); `nil` when the agent closed it.
    func readStreamed() throws(SecretsError) -> SecretsAgent_V1_Response? {
        do {
            return try socket.readResponse()
        } catch {
            throw .unavailable("lost the connection to the agent at \(socketPath): \(error) (check that it is running: secrets-agent status)")
        }
    }

    /// The socket's file descriptor, for polling a Watch stream alongside other input.
    public var fileDescriptor: Int32 { socket.fd }

    /// Sends one request and waits for its response; agent errors are thrown.
    public func call(_ op: SecretsAgent_V1_Request.OneOf_Op) throws(SecretsError) -> SecretsAgent_V1_Response.OneOf_Result {
        var request = SecretsAgent_V1_Request()
        request.requestID = nextRequestID
        nextRequestID += 1
        request.op = op
        let response: SecretsAgent_V1_Response?
        do {
            try socket.writeRequest(request)
            response = try socket.readResponse()
        } catch {
            throw .unavailable("lost the connection to the agent at \(socketPath): \(error) (check that it is running: secrets-agent status)")
        }
        guard let response else {
            throw .unavailable("the agent at \(socketPath) closed the connection (check its log)")
        }
        if case .error(let error) = response.result { throw SecretsError(wire: error) }
        guard response.requestID == request.requestID, let result = response.result else { throw unexpectedReply() }
        return result
    }

    func unexpectedReply() -> SecretsError {
        .internal("the agent at \(socketPath) sent an unexpected reply (is it the same version as this client?)")
    }
}
