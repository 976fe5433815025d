import Foundation
import Logging
import SecretsCore
import SecretsCrypto
import SecretsProtocol
import SecretsStore

/// One `switch` over the request kinds, one `handle<Request>` each (as ssh-agent's
/// `process_<request>`). Every request is checked against the caller's grant in the agent,
/// and every operation of the role matrix leaves exactly one audit entry; a read whose
/// entry cannot be written is refused (fail closed). Handlers never put a value into a
/// message, a log line or an audit entry.
final class RequestDispatcher: Sendable {
    let store: SecretStore
    let keyring: Keyring
    let authorizer: any Authorizer
    let audit: AuditTrail
    let activity: ActivityClock
    let idleLockSeconds: Int
    let logger: Logger
    let changes: ChangeHub
    /// The upstream this agent fronts; nil in local-only mode, where no upstream code runs.
    let upstream: UpstreamFront?
    let startedAt = Date()

    init(store: SecretStore, keyring: Keyring, authorizer: any Authorizer, audit: AuditTrail,
         activity: ActivityClock = ActivityClock(), idleLockSeconds: Int = 0, changes: ChangeHub = ChangeHub(),
         upstream: UpstreamFront? = nil, logger: Logger) {
        self.changes = changes
        self.upstream = upstream
        self.store = store
        self.keyring = keyring
        self.authorizer = authorizer
        self.audit = audit
        self.activity = activity
        self.idleLockSeconds = idleLockSeconds
        self.logger = logger
    }

    /// The response to `request`; failures become `Error` replies.
    func respond(to request: SecretsAgent_V1_Request, in session: inout Session) -> SecretsAgent_V1_Response {
        var response = SecretsAgent_V1_Response()
        response.requestID = request.requestID
        var context = AuditContext()
        do {
            response.result = try dispatch(request, in: &session, context: &context)
            if context.operation != nil, !context.committed {
                try audit.record(context.record(session.peer, outcome: .ok, nowUnixMs: Clock.nowUnixMs()),
                                 read: context.isRead)
            }
        } catch {
            let failure = (error as? SecretsError) ?? .internal("unexpected failure: \(type(of: error))")
            response.result = .error(failure.wire)
            if context.operation != nil {
                let outcome: AuditOutcome = failure.code == .permissionDenied ? .denied : .error
                // A refused or failed request changed nothing, so its entry may follow the reply.
                try? audit.record(context.record(session.peer, outcome: outcome, error: failure, nowUnixMs: Clock.nowUnixMs()),
                                  read: true)
            }
            log(request, session, failure: failure)
        }
        return response
    }

    private func dispatch(_ request: SecretsAgent_V1_Request, in session: inout Session,
                          context: inout AuditContext) throws -> SecretsAgent_V1_Response.OneOf_Result {
        guard let op = request.op else { throw SecretsError.invalidArgument("request names no operation (update the client)") }
        if case .hello(let hello) = op {
            session.saidHello = true
            return .hello(handleHello(hello))
        }
        guard session.saidHello else {
            throw SecretsError.invalidArgument("the first request on a connection must be Hello (update the client)")
        }
        let grant = try authorizer.grant(for: session.peer).get()
        context.grant = grant
        if case .status = op {} else { activity.touch() }
        if case .batchPut = op {} else { session.pendingBatch = nil }  // a held batch ends with its last part
        if let upstream, let result = try dispatchUpstream(upstream, op, session, grant, &context) { return result }
        switch op {
        case .hello: preconditionFailure("handled above")
        case .status: return .status(try handleStatus(session, grant))
        case .unlock(let unlock): return .unlock(try handleUnlock(unlock, grant, &context))
        case .lock: return .lock(try handleLock(grant, &context))
        case .put(let put): return .put(try handlePut(put, session, grant, &context))
        case .get(let get): return .get(try handleGet(get, grant, &context))
        case .list(let list): return .list(try handleList(list, grant, &context))
        case .delete(let delete): return .delete(try handleDelete(delete, session, grant, &context))
        case .history(let history): return .history(try handleHistory(history, grant, &context))
        case .auditQuery(let query): return .auditQuery(try handleAuditQuery(query, grant, &context))
        case .auditVerify: return .auditVerify(try handleAuditVerify(grant, &context))
        case .keyslotAdd(let add): return .keyslotAdd(try handleKeyslotAdd(add, grant, &context))
        case .keyslotRemove(let remove): return .keyslotRemove(try handleKeyslotRemove(remove, grant, &context))
        case .keyslotList: return .keyslotList(try handleKeyslotList(grant, &context))
        case .batchGet(let batch): return .batchGet(try handleBatchGet(batch, session, grant, &context))
        case .rotate(let rotate): return .rotate(try handleRotate(rotate, session, grant, &context))
        case .watch(let watch): return .watch(try handleWatch(watch, request.requestID, &session, grant, &context))
        case .derive(let derive): return .derive(try handleDerive(derive, grant, &context))
        case .verify(let verify): return .verify(try handleVerify(verify, grant, &context))
        case .batchPut(let batch): return .batchPut(try handleBatchPut(batch, &session, grant, &context))
        }
    }

    private func handleHello(_ hello: SecretsAgent_V1_Hello) -> SecretsAgent_V1_HelloReply {
        var reply = SecretsAgent_V1_HelloReply()
        reply.agentVersion = ProtocolVersion.agentVersion
        reply.protocolVersion = ProtocolVersion.current
        reply.locked = keyring.isLocked
        return reply
    }

    private func handleStatus(_ session: Session, _ grant: Grant) throws -> SecretsAgent_V1_StatusReply {
        try grant.check(.status)
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
        reply.peerRole = grant.role.rawValue
        reply.peerUid = session.peer.credentials.uid
        reply.peerRule = grant.scope
        reply.keyslotCount = UInt32((try? store.keyslots().count) ?? 0)
        reply.lockedMemoryBytes = LockedMemory.bytes()
        reply.memoryLocked = KeyArena.shared.isLocked && reply.lockedMemoryBytes > 0
        reply.idleLockSeconds = UInt32(clamping: idleLockSeconds)
        reply.rotationOverdue = UInt32((try? store.dueForRotation(nowUnixMs: Clock.nowUnixMs()).count) ?? 0)
        reply.watchers = UInt32(changes.watcherCount)
        if let policy = authorizer.policySummary {
            reply.policySource = policy.source
            reply.policyRuleCount = UInt32(policy.rules)
        }
        if let upstream { upstreamStatus(upstream, into: &reply) }
        return reply
    }

    private func handleUnlock(_ request: SecretsAgent_V1_UnlockRequest, _ grant: Grant,
                              _ context: inout AuditContext) throws -> SecretsAgent_V1_UnlockReply {
        context.operation = "unlock"
        try grant.check(.unlock)
        let method = try unlockMethod(request.kind, request.secret)
        try UnlockBackoff.check(store, nowUnixMs: Clock.nowUnixMs())
        let slots = try store.keyslots()
        let result = Result { () throws(SecretsError) in try Keyslots.unwrap(method, slots: slots, storeID: store.storeID) }
        if case .failure(let failure) = result, failure.code == .permissionDenied {
            let failures = try store.recordUnlockFailure(nowUnixMs: Clock.nowUnixMs())
            context.detail = "failure \(failures.count) in a row"
        }
        let unlocked = try result.get()
        try store.resetUnlockFailures()
        try audit.install(masterKey: unlocked.masterKey)
        keyring.install(unlocked.masterKey)
        context.detail = "keyslot \(unlocked.slotID)"
        var reply = SecretsAgent_V1_UnlockReply()
        reply.keyslotID = UInt32(truncatingIfNeeded: unlocked.slotID)
        return reply
    }

    private func handleLock(_ grant: Grant, _ context: inout AuditContext) throws -> SecretsAgent_V1_LockReply {
        context.operation = "lock"
        try grant.check(.lock)
        keyring.lock()
        return SecretsAgent_V1_LockReply()
    }

    private func handlePut(_ request: SecretsAgent_V1_PutRequest, _ session: Session, _ grant: Grant,
                           _ context: inout AuditContext) throws -> SecretsAgent_V1_PutReply {
        context.operation = "put"
        let (name, environment) = try nameAndEnvironment(request.name, request.environment, &context)
        try grant.check(.put, name: name, environment: environment)
        let mode: PutMode = switch request.mode {
        case .create: .create
        case .update: .update
        default: .upsert
        }
        let rotation: SecretPolicyChange.Rotation = if request.removeRotation {
            .clear
        } else if request.rotateEverySeconds > 0 {
            .every(request.rotateEverySeconds)
        } else {
            .keep
        }
        let generator = request.hasGenerate ? try ValueGenerator(wire: request.generate) : nil
        if generator != nil, !request.value.isEmpty {
            throw SecretsError.invalidArgument("a put carries either a value or a generator, not both (update the client)")
        }
        let value: SecureBytes = generator?.generate() ?? request.value.withUnsafeBytes { SecureBytes(copying: $0) }
        var reply = SecretsAgent_V1_PutReply()
        reply.version = try writeVersion(
            name: name, environment: environment, value: value, mode: mode,
            expectedVersion: request.hasExpectedVersion ? request.expectedVersion : nil,
            policy: SecretPolicyChange(rotation: rotation, generator: generator?.spec),
            change: .changePut, session.peer, &context)
        return reply
    }

    /// Seals `value` as the next version of a secret, commits it with its audit entry and
    /// tells the watchers. Shared by Put, Rotate and the agent's own rotation.
    func writeVersion(
        name: SecretName, environment: Environment, value: SecureBytes, mode: PutMode, expectedVersion: UInt64?,
        policy: SecretPolicyChange, change: SecretsAgent_V1_ChangeKind, _ peer: PeerIdentity,
        _ context: inout AuditContext
    ) throws -> UInt64 {
        try SecretLimits.checkValueSize(value.count)
        let masterKey = try keyring.current().masterKey
        let storeID = store.storeID
        let cipher = store.cipher
        let now = Clock.nowUnixMs()
        let entry = audit.attach(context.record(peer, outcome: .ok, nowUnixMs: now))
        let version = try store.put(
            name: name, environment: environment, mode: mode, expectedVersion: expectedVersion, policy: policy,
            createdByUID: peer.credentials.uid, nowUnixMs: now, audit: entry
        ) { (version: UInt64) throws(SecretsError) -> SealedValue in
            let binding = ValueBinding(storeID: storeID, name: name.rawValue, environment: environment.rawValue, version: version)
            do {
                return try value.withUnsafeBytes { raw in
                    try ValueSealing.seal(raw, masterKey: masterKey, binding: binding, algorithm: cipher)
                }
            } catch {
                throw .internal("cannot seal the value: \((error as? CryptoError)?.message ?? "unknown error")")
            }
        }
        context.version = version
        context.committed = entry != nil
        changes.publish(change, name: name, environment: environment, version: version, atUnixMs: now)
        return version
    }

    func handleGet(_ request: SecretsAgent_V1_GetRequest, _ grant: Grant,
                           _ context: inout AuditContext) throws -> SecretsAgent_V1_GetReply {
        if let upstream { return try handleUpstreamGet(upstream, request, grant, &context) }
        context.operation = request.masked ? "get-masked" : "get"
        let (name, environment) = try nameAndEnvironment(request.name, request.environment, &context)
        try grant.check(request.masked ? .getMasked : .getValue, name: name, environment: environment)
        let keys = try keyring.current()
        let stored = try store.version(name: name, environment: environment, version: request.version == 0 ? nil : request.version)
        context.version = stored.version
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

    private func handleDelete(_ request: SecretsAgent_V1_DeleteRequest, _ session: Session, _ grant: Grant,
                              _ context: inout AuditContext) throws -> SecretsAgent_V1_DeleteReply {
        context.operation = "delete"
        let (name, environment) = try nameAndEnvironment(request.name, request.environment, &context)
        try grant.check(.delete, name: name, environment: environment)
        _ = try keyring.current()
        let entry = audit.attach(context.record(session.peer, outcome: .ok, nowUnixMs: Clock.nowUnixMs()))
        var reply = SecretsAgent_V1_DeleteReply()
        reply.versionsRemoved = UInt32(try store.delete(name: name, environment: environment, audit: entry))
        context.committed = entry != nil
        changes.publish(.changeDelete, name: name, environment: environment, version: 0, atUnixMs: Clock.nowUnixMs())
        return reply
    }

    private func handleHistory(_ request: SecretsAgent_V1_HistoryRequest, _ grant: Grant,
                               _ context: inout AuditContext) throws -> SecretsAgent_V1_HistoryReply {
        context.operation = "history"
        let (name, environment) = try nameAndEnvironment(request.name, request.environment, &context)
        try grant.check(.history, name: name, environment: environment)
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

    private func handleAuditVerify(_ grant: Grant, _ context: inout AuditContext) throws -> SecretsAgent_V1_AuditVerifyReply {
        context.operation = "audit-verify"
        try grant.check(.auditVerify)
        guard let key = audit.currentKey else { throw SecretsError.locked }
        let verification = try store.verifyAudit(key: key)
        context.detail = verification.isIntact ? "intact" : "broken at \(verification.firstBadSequence ?? 0)"
        var reply = SecretsAgent_V1_AuditVerifyReply()
        reply.intact = verification.isIntact
        reply.entriesChecked = UInt64(verification.entriesChecked)
        if let bad = verification.firstBadSequence { reply.firstBadSequence = bad }
        reply.reason = verification.reason ?? ""
        return reply
    }

    private func handleKeyslotAdd(_ request: SecretsAgent_V1_KeyslotAddRequest, _ grant: Grant,
                                  _ context: inout AuditContext) throws -> SecretsAgent_V1_KeyslotAddReply {
        context.operation = "keyslot-add"
        try grant.check(.keyslots)
        let masterKey = try keyring.current().masterKey
        let method = try unlockMethod(request.kind, request.secret)
        let record = try Keyslots.record(for: method, masterKey: masterKey, storeID: store.storeID,
                                         argon2: .moderate, nowUnixMs: Clock.nowUnixMs())
        var reply = SecretsAgent_V1_KeyslotAddReply()
        reply.keyslotID = try store.addKeyslot(record)
        context.detail = "keyslot \(reply.keyslotID) (\(method.slotKind))"
        return reply
    }

    private func handleKeyslotRemove(_ request: SecretsAgent_V1_KeyslotRemoveRequest, _ grant: Grant,
                                     _ context: inout AuditContext) throws -> SecretsAgent_V1_KeyslotRemoveReply {
        context.operation = "keyslot-remove"
        context.detail = "keyslot \(request.keyslotID)"
        try grant.check(.keyslots)
        _ = try keyring.current()
        try store.removeKeyslot(id: request.keyslotID)
        return SecretsAgent_V1_KeyslotRemoveReply()
    }

    private func handleKeyslotList(_ grant: Grant, _ context: inout AuditContext) throws -> SecretsAgent_V1_KeyslotListReply {
        context.operation = "keyslot-list"
        try grant.check(.keyslots)
        var reply = SecretsAgent_V1_KeyslotListReply()
        reply.keyslots = try store.keyslots().map { slot in
            var wire = SecretsAgent_V1_Keyslot()
            wire.id = slot.id
            wire.kind = switch slot.kind {
            case "passphrase": .passphrase
            case "key-file": .keyFile
            case "systemd-credential": .systemdCredential
            default: .unspecified
            }
            wire.createdAtUnixMs = slot.createdAtUnixMs
            wire.argon2OpsLimit = slot.argon2OpsLimit ?? 0
            wire.argon2MemLimitBytes = slot.argon2MemLimitBytes ?? 0
            return wire
        }
        return reply
    }

    /// The unlock method a request names, with its secret copied into locked memory.
    private func unlockMethod(_ kind: SecretsAgent_V1_KeyslotKind, _ secret: Data) throws -> UnlockMethod {
        let bytes = secret.withUnsafeBytes { SecureBytes(copying: $0) }
        switch kind {
        case .passphrase: return .passphrase(bytes)
        case .keyFile: return .keyFile(bytes)
        case .systemdCredential: return .systemdCredential(bytes)
        default: throw SecretsError.invalidArgument("request names no keyslot kind (update the client)")
        }
    }

    /// Validates a name and environment, noting them for the audit entry first.
    func nameAndEnvironment(_ rawName: String, _ rawEnvironment: String,
                                    _ context: inout AuditContext) throws -> (SecretName, Environment) {
        context.name = String(rawName.prefix(255))
        context.environment = String(rawEnvironment.prefix(32))
        return (try SecretName(rawName), try Environment(rawEnvironment))
    }

    private func log(_ request: SecretsAgent_V1_Request, _ session: Session, failure: SecretsError) {
        logger.info("request failed", metadata: [
            "agent.request.id": "\(request.requestID)",
            "agent.peer.uid": "\(session.peer.credentials.uid)",
            "agent.peer.pid": "\(session.peer.credentials.pid)",
            "agent.error": "\(failure.code)",
        ])
    }
}
