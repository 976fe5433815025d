import Foundation
import Logging
import SecretsCore
import SecretsCrypto
import SecretsProtocol
import SecretsStore

/// One `switch` over the request kinds, one `handle<Request>` each (as ssh-agent's
/// `process_<request>`). Handlers never put a value into a message or a log line.
final class RequestDispatcher: Sendable {
    let store: SecretStore
    let keyring: Keyring
    let logger: Logger
    let startedAt = Date()

    init(store: SecretStore, keyring: Keyring, logger: Logger) {
        self.store = store
        self.keyring = keyring
        self.logger = logger
    }

    /// The response to `request`; failures become `Error` replies.
    func respond(to request: SecretsAgent_V1_Request, in session: inout Session) -> SecretsAgent_V1_Response {
        var response = SecretsAgent_V1_Response()
        response.requestID = request.requestID
        do {
            response.result = try dispatch(request, in: &session)
        } catch let error as SecretsError {
            response.result = .error(error.wire)
            log(request, session, failure: error)
        } catch {
            let failure = SecretsError.internal("unexpected failure: \(type(of: error))")
            response.result = .error(failure.wire)
            log(request, session, failure: failure)
        }
        return response
    }

    private func dispatch(_ request: SecretsAgent_V1_Request, in session: inout Session) throws -> SecretsAgent_V1_Response.OneOf_Result {
        guard let op = request.op else { throw SecretsError.invalidArgument("request names no operation (update the client)") }
        if case .hello(let hello) = op {
            session.saidHello = true
            return .hello(handleHello(hello))
        }
        guard session.saidHello else {
            throw SecretsError.invalidArgument("the first request on a connection must be Hello (update the client)")
        }
        _ = try session.authorization.get()
        switch op {
        case .hello: preconditionFailure("handled above")
        case .status: return .status(handleStatus(session))
        case .unlock(let unlock): return .unlock(try handleUnlock(unlock, session))
        case .lock: return .lock(handleLock(session))
        case .put(let put): return .put(try handlePut(put, session))
        case .get(let get): return .get(try handleGet(get))
        case .list(let list): return .list(try handleList(list))
        case .delete(let delete): return .delete(try handleDelete(delete, session))
        case .history(let history): return .history(try handleHistory(history))
        }
    }

    private func handleHello(_ hello: SecretsAgent_V1_Hello) -> SecretsAgent_V1_HelloReply {
        var reply = SecretsAgent_V1_HelloReply()
        reply.agentVersion = ProtocolVersion.agentVersion
        reply.protocolVersion = ProtocolVersion.current
        reply.locked = keyring.isLocked
        return reply
    }

    private func handleStatus(_ session: Session) -> SecretsAgent_V1_StatusReply {
        var reply = SecretsAgent_V1_StatusReply()
        reply.locked = keyring.isLocked
        reply.agentVersion = ProtocolVersion.agentVersion
        reply.protocolVersion = ProtocolVersion.current
        reply.storePath = store.path
        reply.storeID = Hex.encode(store.storeID)
        reply.secretCount = UInt64((try? store.secretCount()) ?? 0)
        reply.agentPid = UInt32(getpid())
        reply.uptimeSeconds = UInt64(max(0, Date().timeIntervalSince(startedAt)))
        reply.cipher = store.cipher.rawValue
        reply.peerRole = (try? session.authorization.get().rawValue) ?? ""
        reply.peerUid = session.peer.uid
        reply.keyslotCount = UInt32((try? store.keyslots().count) ?? 0)
        return reply
    }

    private func handleUnlock(_ request: SecretsAgent_V1_UnlockRequest, _ session: Session) throws -> SecretsAgent_V1_UnlockReply {
        let secret = request.secret.withUnsafeBytes { SecureBytes(copying: $0) }
        let method: UnlockMethod
        switch request.kind {
        case .passphrase: method = .passphrase(secret)
        case .keyFile: method = .keyFile(secret)
        case .systemdCredential: method = .systemdCredential(secret)
        default: throw SecretsError.invalidArgument("unlock request names no keyslot kind (update the client)")
        }
        let unlocked = try Keyslots.unwrap(method, slots: try store.keyslots(), storeID: store.storeID)
        keyring.install(unlocked.masterKey)
        logger.notice("unlocked", metadata: ["agent.op": "unlock", "agent.peer.uid": "\(session.peer.uid)", "agent.keyslot": "\(unlocked.slotID)"])
        var reply = SecretsAgent_V1_UnlockReply()
        reply.keyslotID = UInt32(truncatingIfNeeded: unlocked.slotID)
        return reply
    }

    private func handleLock(_ session: Session) -> SecretsAgent_V1_LockReply {
        keyring.lock()
        logger.notice("locked", metadata: ["agent.op": "lock", "agent.peer.uid": "\(session.peer.uid)"])
        return SecretsAgent_V1_LockReply()
    }

    private func handlePut(_ request: SecretsAgent_V1_PutRequest, _ session: Session) throws -> SecretsAgent_V1_PutReply {
        let name = try SecretName(request.name)
        let environment = try Environment(request.environment)
        try SecretLimits.checkValueSize(request.value.count)
        let masterKey = try keyring.current().masterKey
        let mode: PutMode = switch request.mode {
        case .create: .create
        case .update: .update
        default: .upsert
        }
        let storeID = store.storeID
        let cipher = store.cipher
        let version = try store.put(
            name: name, environment: environment, mode: mode,
            expectedVersion: request.hasExpectedVersion ? request.expectedVersion : nil,
            createdByUID: session.peer.uid, nowUnixMs: Clock.nowUnixMs()
        ) { (version: UInt64) throws(SecretsError) -> SealedValue in
            let binding = ValueBinding(storeID: storeID, name: name.rawValue, environment: environment.rawValue, version: version)
            do {
                return try request.value.withUnsafeBytes { raw in
                    try ValueSealing.seal(raw, masterKey: masterKey, binding: binding, algorithm: cipher)
                }
            } catch {
                throw .internal("cannot seal the value: \((error as? CryptoError)?.message ?? "unknown error")")
            }
        }
        var reply = SecretsAgent_V1_PutReply()
        reply.version = version
        return reply
    }

    private func handleGet(_ request: SecretsAgent_V1_GetRequest) throws -> SecretsAgent_V1_GetReply {
        let name = try SecretName(request.name)
        let environment = try Environment(request.environment)
        let keys = try keyring.current()
        let stored = try store.version(name: name, environment: environment, version: request.version == 0 ? nil : request.version)
        let binding = ValueBinding(storeID: store.storeID, name: name.rawValue, environment: environment.rawValue, version: stored.version)
        var reply = SecretsAgent_V1_GetReply()
        reply.name = name.rawValue
        reply.environment = environment.rawValue
        reply.version = stored.version
        reply.masked = request.masked
        do {
            reply.value = try ValueSealing.open(stored.sealed, masterKey: keys.masterKey, binding: binding,
                                                keyCache: keys.valueKeys) { plaintext in
                request.masked ? Data(Masking.mask(plaintext).utf8) : Data(plaintext)
            }
        } catch {
            logger.error("integrity failure", metadata: ["agent.op": "get", "agent.secret": "\(name)", "agent.env": "\(environment)", "agent.version": "\(stored.version)"])
            throw SecretsError.integrityFailure("\(name) in \(environment) version \(stored.version) failed its integrity check: the stored ciphertext does not belong to this name, environment, version or store (restore it from a backup or set it again)")
        }
        return reply
    }

    private func handleList(_ request: SecretsAgent_V1_ListRequest) throws -> SecretsAgent_V1_ListReply {
        let environment = request.environment.isEmpty ? nil : try Environment(request.environment)
        _ = try keyring.current()
        var reply = SecretsAgent_V1_ListReply()
        reply.secrets = try store.list(environment: environment, prefix: request.prefix).map { meta in
            var m = SecretsAgent_V1_SecretMetadata()
            m.name = meta.name.rawValue
            m.environment = meta.environment.rawValue
            m.currentVersion = meta.currentVersion
            m.createdAtUnixMs = meta.createdAtUnixMs
            m.updatedAtUnixMs = meta.updatedAtUnixMs
            m.versionCount = UInt32(meta.versionCount)
            return m
        }
        return reply
    }

    private func handleDelete(_ request: SecretsAgent_V1_DeleteRequest, _ session: Session) throws -> SecretsAgent_V1_DeleteReply {
        let name = try SecretName(request.name)
        let environment = try Environment(request.environment)
        _ = try keyring.current()
        var reply = SecretsAgent_V1_DeleteReply()
        reply.versionsRemoved = UInt32(try store.delete(name: name, environment: environment))
        logger.info("deleted", metadata: ["agent.op": "delete", "agent.secret": "\(name)", "agent.env": "\(environment)", "agent.peer.uid": "\(session.peer.uid)"])
        return reply
    }

    private func handleHistory(_ request: SecretsAgent_V1_HistoryRequest) throws -> SecretsAgent_V1_HistoryReply {
        let name = try SecretName(request.name)
        let environment = try Environment(request.environment)
        _ = try keyring.current()
        var reply = SecretsAgent_V1_HistoryReply()
        reply.name = name.rawValue
        reply.environment = environment.rawValue
        reply.versions = try store.history(name: name, environment: environment).map { v in
            var info = SecretsAgent_V1_VersionInfo()
            info.version = v.version
            info.createdAtUnixMs = v.createdAtUnixMs
            info.createdByUid = v.createdByUID
            info.current = v.isCurrent
            return info
        }
        return reply
    }

    private func log(_ request: SecretsAgent_V1_Request, _ session: Session, failure: SecretsError) {
        logger.info("request failed", metadata: [
            "agent.request.id": "\(request.requestID)",
            "agent.peer.uid": "\(session.peer.uid)",
            "agent.peer.pid": "\(session.peer.pid)",
            "agent.error": "\(failure.code)",
        ])
    }
}
