import Foundation
import SecretsCore
import SecretsCrypto
import SecretsProtocol
import SecretsStore

/// Operations that use a secret without handing it out whole (Derive, Verify), and
/// BatchGet, which hands out several in one round trip.
extension RequestDispatcher {
    static let deriveLengths = 16...64

    func handleDerive(_ request: SecretsAgent_V1_DeriveRequest, _ grant: Grant,
                      _ context: inout AuditContext) throws -> SecretsAgent_V1_DeriveReply {
        context.operation = "derive"
        let (name, environment) = try nameAndEnvironment(request.name, request.environment, &context)
        context.detail = "domain \(request.domain.prefix(255))"
        try grant.check(.getValue, name: name, environment: environment)
        guard !request.domain.isEmpty, request.domain.utf8.count <= 255 else {
            throw SecretsError.invalidArgument("derive needs a domain of 1 to 255 bytes naming what the key is for (e.g. --domain billing/webhook-signing)")
        }
        let length = request.length == 0 ? 32 : Int(request.length)
        guard Self.deriveLengths.contains(length) else {
            throw SecretsError.invalidArgument("a derived key is 16 to 64 bytes, not \(length)")
        }
        var reply = SecretsAgent_V1_DeriveReply()
        reply.key = try withCurrentValue(name, environment, &context) { plaintext in
            let key = HKDF.sha256(inputKeyMaterial: plaintext, salt: HKDF.deriveSalt, info: Array(request.domain.utf8),
                                  outputByteCount: length)
            return key.withUnsafeBytes { Data($0) }
        }
        reply.version = context.version ?? 0
        return reply
    }

    func handleVerify(_ request: SecretsAgent_V1_VerifyRequest, _ grant: Grant,
                      _ context: inout AuditContext) throws -> SecretsAgent_V1_VerifyReply {
        context.operation = "verify"
        let (name, environment) = try nameAndEnvironment(request.name, request.environment, &context)
        try grant.check(.getValue, name: name, environment: environment)
        var reply = SecretsAgent_V1_VerifyReply()
        reply.matches = try withCurrentValue(name, environment, &context) { plaintext in
            request.token.withUnsafeBytes { ConstantTime.equals($0, plaintext) }
        }
        context.detail = reply.matches ? "match" : "no match"
        return reply
    }

    /// All or nothing: one audit entry per item, each handed to the audit trail before any
    /// value is returned; the first failure is the reply (and is audited under that item's name).
    func handleBatchGet(_ request: SecretsAgent_V1_BatchGetRequest, _ session: Session, _ grant: Grant,
                        _ context: inout AuditContext) throws -> SecretsAgent_V1_BatchGetReply {
        guard !request.items.isEmpty, request.items.count <= 256 else {
            context.operation = "get"
            throw SecretsError.invalidArgument("a batch holds 1 to 256 gets, not \(request.items.count)")
        }
        var reply = SecretsAgent_V1_BatchGetReply()
        do {
            for item in request.items {
                var itemContext = AuditContext()
                itemContext.grant = grant
                do {
                    reply.items.append(try handleGet(item, grant, &itemContext))
                    itemContext.detail = "batch of \(request.items.count)"
                    try audit.record(itemContext.record(session.peer, outcome: .ok, nowUnixMs: Clock.nowUnixMs()), read: true)
                } catch {
                    context = itemContext
                    throw error
                }
            }
        } catch {
            for index in reply.items.indices { reply.items[index].value.resetBytes(in: 0..<reply.items[index].value.count) }
            throw error
        }
        context.operation = "get"
        context.committed = true  // every item has its own entry
        return reply
    }

    /// Opens the current version of a secret and lends its plaintext to `body`.
    private func withCurrentValue<R>(_ name: SecretName, _ environment: Environment, _ context: inout AuditContext,
                                     _ body: (UnsafeRawBufferPointer) -> R) throws -> R {
        if let upstream {
            let (result, provenance) = try withUpstreamValue(upstream, name, environment, version: nil, body)
            context.version = provenance.version
            return result
        }
        let keys = try keyring.current()
        let stored = try store.version(name: name, environment: environment, version: nil)
        context.version = stored.version
        let binding = ValueBinding(storeID: store.storeID, name: name.rawValue, environment: environment.rawValue, version: stored.version)
        do {
            return try ValueSealing.open(stored.sealed, masterKey: keys.masterKey, binding: binding, keyCache: keys.valueKeys, body)
        } catch {
            throw SecretsError.integrityFailure("\(name) in \(environment) version \(stored.version) failed its integrity check (restore it from a backup or set it again)")
        }
    }
}
