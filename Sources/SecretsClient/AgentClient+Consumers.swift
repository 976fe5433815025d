import Foundation
import SecretsCore
import SecretsCrypto
import SecretsProtocol

/// Requests consumers make: several values at once, rotation, change streams, and using a
/// secret without taking it (derive, verify).
extension AgentClient {
    /// One item of `batchGet`.
    public struct BatchItem: Sendable {
        public var name: String
        public var environment: String
        public init(name: String, environment: String) {
            self.name = name
            self.environment = environment
        }
    }

    /// Reads several current values in one round trip, all or nothing, into locked memory.
    /// - Throws: the first item's failure (`.notFound`, `.permissionDenied`, …), naming it.
    public func batchGet(_ items: [BatchItem]) throws(SecretsError) -> [(value: SecretValue, version: UInt64)] {
        var request = SecretsAgent_V1_BatchGetRequest()
        request.items = items.map { item in
            var get = SecretsAgent_V1_GetRequest()
            get.name = item.name
            get.environment = item.environment
            return get
        }
        guard case .batchGet(var reply) = try call(.batchGet(request)) else { throw unexpectedReply() }
        defer {
            for index in reply.items.indices { reply.items[index].value.resetBytes(in: 0..<reply.items[index].value.count) }
        }
        return reply.items.map { item in
            (item.value.withUnsafeBytes { SecretValue(copying: $0) }, item.version)
        }
    }

    /// Stores a new version of an existing secret: `value`, or one drawn by `generator`, or
    /// (both absent) one drawn like the secret's first generated value.
    /// - Returns: the new version.
    public func rotate(name: String, environment: String, value: UnsafeRawBufferPointer? = nil,
                       generator: ValueGenerator? = nil, expectedVersion: UInt64? = nil,
                       rotateEverySeconds: UInt64? = nil) throws(SecretsError) -> UInt64 {
        var request = SecretsAgent_V1_RotateRequest()
        request.name = name
        request.environment = environment
        if let value { request.value = Data(value) }
        if let generator { request.generate = generator.wire }
        if let expectedVersion { request.expectedVersion = expectedVersion }
        request.rotateEverySeconds = rotateEverySeconds ?? 0
        defer { request.value.resetBytes(in: 0..<request.value.count) }
        guard case .rotate(let reply) = try call(.rotate(request)) else { throw unexpectedReply() }
        return reply.version
    }

    /// An HKDF-SHA256 subkey of a secret for `domain` (16 to 64 bytes), in locked memory;
    /// equal to `SecretKey.derive(fromToken:domain:)` over the same value.
    public func derive(name: String, environment: String, domain: String, length: Int = 32) throws(SecretsError) -> (key: SecretValue, version: UInt64) {
        var request = SecretsAgent_V1_DeriveRequest()
        request.name = name
        request.environment = environment
        request.domain = domain
        request.length = UInt32(clamping: length)
        guard case .derive(var reply) = try call(.derive(request)) else { throw unexpectedReply() }
        defer { reply.key.resetBytes(in: 0..<reply.key.count) }
        return (reply.key.withUnsafeBytes { SecretValue(copying: $0) }, reply.version)
    }

    /// Whether `token` equals the secret's current value (compared in constant time by the
    /// agent; nothing else is revealed).
    public func verify(name: String, environment: String, token: UnsafeRawBufferPointer) throws(SecretsError) -> Bool {
        var request = SecretsAgent_V1_VerifyRequest()
        request.name = name
        request.environment = environment
        request.token = Data(token)
        defer { request.token.resetBytes(in: 0..<request.token.count) }
        guard case .verify(let reply) = try call(.verify(request)) else { throw unexpectedReply() }
        return reply.matches
    }

    /// Turns this connection into a stream of change events for `names` (empty: all you
    /// may list) in `environment` (nil: all). Read them with `nextChange()`; nothing else
    /// can be sent on this connection afterwards.
    public func watch(names: [String] = [], environment: String? = nil) throws(SecretsError) {
        var request = SecretsAgent_V1_WatchRequest()
        request.names = names
        request.environment = environment ?? ""
        guard case .watch = try call(.watch(request)) else { throw unexpectedReply() }
    }

    /// Blocks until the next change event; `nil` when the agent closed the stream.
    /// - Throws: `.resourceExhausted` when the agent cut this watcher off for falling
    ///   behind; `.unavailable` when the connection broke.
    public func nextChange() throws(SecretsError) -> SecretsAgent_V1_ChangeEvent? {
        guard let response = try readStreamed() else { return nil }
        switch response.result {
        case .change(let event): return event
        case .error(let error): throw SecretsError(wire: error)
        default: throw unexpectedReply()
        }
    }
}
