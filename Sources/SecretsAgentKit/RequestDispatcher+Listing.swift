import SecretsCore
import SecretsCrypto
import SecretsProtocol
import SecretsStore

/// How much of a reply frame a listing fills before it ends the page and says where the
/// next one starts (list and audit queries: a store of 100,000 secrets lists ~10 MiB of
/// metadata, and a frame holds 1 MiB).
enum ReplyPage {
    /// The bytes a page's items may take; the rest of the frame is room for the envelope.
    static let byteBudget = SecretLimits.maxFrameBytes - 64 * 1024
    /// Rows read from the store for one page: more than a page of short names holds.
    static let storeRows = 8_192

    /// An upper bound of `metadata`'s encoded size in a ListReply: its two strings plus the
    /// most every other field, tag and length can take (10-byte varints, a generator's
    /// format, the repeated field's own tag and length).
    static func bound(_ metadata: SecretsAgent_V1_SecretMetadata) -> Int {
        metadata.name.utf8.count + metadata.environment.utf8.count + metadata.generator.format.utf8.count + 128
    }

    /// `entry`'s encoded size in an AuditQueryReply, its tag and length included.
    static func size(_ entry: SecretsAgent_V1_AuditEntry) -> Int {
        ((try? entry.serializedBytes() as [UInt8])?.count ?? byteBudget) + 6
    }
}

/// List and audit show: answered a page at a time.
extension RequestDispatcher {
    /// The secrets in the request's environment (all when empty) whose names start with its
    /// prefix, that the caller's grant lets it see, after the request's `after_*` secret.
    /// A page ends when the next secret would not fit `ReplyPage.byteBudget` or after
    /// `ReplyPage.storeRows` rows; `next_after_*` then name the last secret examined (shown
    /// or hidden), so every page makes progress.
    func handleList(_ request: SecretsAgent_V1_ListRequest, _ grant: Grant,
                    _ context: inout AuditContext) throws -> SecretsAgent_V1_ListReply {
        let environment = try listedEnvironment(request, grant, &context)
        let after = request.afterName.isEmpty ? nil : (environment: request.afterEnvironment, name: request.afterName)
        let rows = try store.list(environment: environment, prefix: request.prefix, after: after, limit: ReplyPage.storeRows)
        var reply = SecretsAgent_V1_ListReply()
        var bytes = 0
        var examined = 0
        for meta in rows {
            if grant.allows(environment: meta.environment) && grant.allows(name: meta.name) {
                let wire = Self.wire(meta)
                bytes += ReplyPage.bound(wire)
                if bytes > ReplyPage.byteBudget { break }
                reply.secrets.append(wire)
            }
            examined += 1
        }
        if examined < rows.count || rows.count == ReplyPage.storeRows, examined > 0 {
            reply.nextAfterEnvironment = rows[examined - 1].environment.rawValue
            reply.nextAfterName = rows[examined - 1].name.rawValue
        }
        context.detail = "\(reply.secrets.count) listed" + (reply.nextAfterName.isEmpty ? "" : ", more follow")
        return reply
    }

    /// Audit entries matching the request, oldest first, after its `after_sequence`. A page
    /// ends at the request's limit, when the next entry would not fit
    /// `ReplyPage.byteBudget`, or after `ReplyPage.storeRows` rows; `next_after_sequence`
    /// then names the last entry sent.
    func handleAuditQuery(_ request: SecretsAgent_V1_AuditQueryRequest, _ grant: Grant,
                          _ context: inout AuditContext) throws -> SecretsAgent_V1_AuditQueryReply {
        context.operation = "audit-query"
        context.name = request.name.isEmpty ? nil : request.name
        try grant.check(.auditQuery)
        let rows = request.limit == 0 ? ReplyPage.storeRows : min(Int(request.limit), ReplyPage.storeRows)
        let entries = try store.auditEntries(sinceUnixMs: request.sinceUnixMs == 0 ? nil : request.sinceUnixMs,
                                             name: request.name.isEmpty ? nil : request.name,
                                             limit: rows,
                                             afterSequence: request.afterSequence == 0 ? nil : request.afterSequence)
        var reply = SecretsAgent_V1_AuditQueryReply()
        var bytes = 0
        for entry in entries {
            let wire = AuditWire.entry(entry)
            bytes += ReplyPage.size(wire)
            if bytes > ReplyPage.byteBudget { break }
            reply.entries.append(wire)
        }
        let limitReached = request.limit != 0 && reply.entries.count == Int(request.limit)
        if !limitReached, reply.entries.count < entries.count || entries.count == ReplyPage.storeRows,
           let last = reply.entries.last {
            reply.nextAfterSequence = last.sequence
        }
        return reply
    }

    /// What every list checks first, whether the store or the upstream cache answers: the
    /// environment asked for (nil: all), that the caller's grant allows listing it, and
    /// that the agent is unlocked; names the operation for the audit entry.
    func listedEnvironment(_ request: SecretsAgent_V1_ListRequest, _ grant: Grant,
                           _ context: inout AuditContext) throws -> Environment? {
        context.operation = "list"
        context.environment = request.environment.isEmpty ? nil : request.environment
        let environment = request.environment.isEmpty ? nil : try Environment(request.environment)
        if let environment { try grant.check(.list, environment: environment) } else { try grant.check(.list) }
        _ = try keyring.current()
        return environment
    }

    private static func wire(_ meta: SecretMetadata) -> SecretsAgent_V1_SecretMetadata {
        var m = SecretsAgent_V1_SecretMetadata()
        m.name = meta.name.rawValue
        m.environment = meta.environment.rawValue
        m.currentVersion = meta.currentVersion
        m.createdAtUnixMs = meta.createdAtUnixMs
        m.updatedAtUnixMs = meta.updatedAtUnixMs
        m.versionCount = UInt32(meta.versionCount)
        m.rotateEverySeconds = meta.rotateEverySeconds ?? 0
        m.rotationDueUnixMs = meta.rotationDueUnixMs ?? 0
        let generator = meta.generator.flatMap(ValueGenerator.init(spec:))
        m.autoRotates = meta.rotateEverySeconds != nil && generator != nil
        if let generator {
            m.generator.bytes = UInt32(generator.byteCount)
            m.generator.format = generator.format.rawValue
        }
        return m
    }
}
