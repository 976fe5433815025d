import SecretsCore
import SecretsCrypto

/// The audit trail (DESIGN §7): appending, querying and pruning. Verification is in
/// `SecretStore+AuditVerify.swift`.
///
/// Entries form a hash chain under the audit key (see `AuditChain`); the SQL triggers of
/// migration 2 refuse UPDATE and DELETE, except the DELETE of `pruneAudit`. The newest
/// entry's sequence number and hash are also kept in `meta` (`audit_head_seq`,
/// `audit_head_hash`) with `audit_head_mac` = HMAC(key, seq ‖ hash), updated in the same
/// transaction as every append, so removing the newest entries is detected too.
extension SecretStore {
    /// Appends an event to the audit trail and returns its sequence number.
    ///
    /// In one `BEGIN IMMEDIATE` transaction: read the head, check its MAC, insert the entry
    /// chained after it, move the head. The entry follows the head, not merely the last row
    /// present, so an entry removed before this append stays missing instead of being
    /// quietly reused.
    ///
    /// Fail closed: when this throws, nothing was written and the caller must refuse the
    /// operation it wanted to audit.
    ///
    /// - Throws: `.integrityFailure` when the head record was altered or removed while
    ///   entries exist, or `key` is not the key the trail was written with (the trail is
    ///   then not extended: run `verifyAudit`); `.invalidArgument` when `record.version`
    ///   exceeds `Int64.max`; `.resourceExhausted` when the disk is full; `.unavailable`
    ///   when the store is read-only, busy or closed; `.internal` otherwise.
    @discardableResult
    public func appendAudit(_ record: AuditRecord, key: SecureBytes) throws(SecretsError) -> UInt64 {
        var sequence: UInt64 = 0
        try write { (database) throws(SecretsError) in
            sequence = try Self.appendAuditEntry(database, kind: .event, record: record, key: key).sequence
        }
        return sequence
    }

    /// Appends an event to the audit trail without waiting for it to be durable: the
    /// agent's group commit writes it within a few milliseconds, with whatever else is
    /// queued, and calls `onFailure` (on the writer's thread; it must not write to the
    /// store itself) if it cannot. For the entries of reads, whose reply can go out before
    /// the fsync (see `AuditTrail.record`). Where there is no group commit, or too much is
    /// queued, this is `appendAudit` and a failure is thrown instead.
    public func appendAuditDeferred(_ record: AuditRecord, key: SecureBytes,
                                    onFailure: @escaping @Sendable (SecretsError) -> Void) throws(SecretsError) {
        try writeDeferred({ (database) throws(SecretsError) in
            try Self.appendAuditEntry(database, kind: .event, record: record, key: key)
        }, onFailure: onFailure)
    }

    /// Audit entries, ordered by sequence number (oldest first).
    ///
    /// - Parameters:
    ///   - sinceUnixMs: only entries at or after this time; `nil` for all.
    ///   - name: only entries naming exactly this secret; `nil` for all.
    ///   - limit: at most this many, the oldest that match; `nil` for no limit.
    ///   - afterSequence: only entries after this one (a page's last); `nil` from the start.
    /// - Throws: `.invalidArgument` for a negative `limit`; `.integrityFailure` when a
    ///   matching row is damaged (run `verifyAudit`); the mapped SQLite error.
    public func auditEntries(
        sinceUnixMs: Int64? = nil, name: String? = nil, limit: Int? = nil, afterSequence: UInt64? = nil
    ) throws(SecretsError) -> [AuditEntry] {
        if let limit, limit < 0 {
            throw .invalidArgument("audit query limit \(limit) is negative (give 0 or more, or none for all)")
        }
        // Only fixed text goes into the SQL; the values are bound.
        var conditions: [String] = []
        if sinceUnixMs != nil { conditions.append("time_ms >= ?1") }
        if name != nil { conditions.append("name = ?2") }
        if afterSequence != nil { conditions.append("seq > ?4") }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT \(AuditRow.columns) FROM audit \(filter) ORDER BY seq LIMIT ?3"
        return try withDatabase { (database) throws(SecretsError) -> [AuditEntry] in
            try database.withStatement(sql) { (statement) throws(SecretsError) -> [AuditEntry] in
                if let sinceUnixMs { try statement.bind(sinceUnixMs, at: 1) }
                if let name { try statement.bind(name, at: 2) }
                try statement.bind(limit.map(Int64.init) ?? -1, at: 3)
                if let afterSequence { try statement.bind(Int64(clamping: afterSequence), at: 4) }
                var entries: [AuditEntry] = []
                while try statement.step() {
                    guard let entry = AuditRow.decode(statement) else {
                        throw .integrityFailure("audit entry \(statement.int64(at: 0)) is damaged (run: secrets-agent audit verify)")
                    }
                    entries.append(entry)
                }
                return entries
            }
        }
    }

    /// Removes the audit entries older than `olderThanUnixMs` and leaves a checkpoint entry
    /// in their place; returns how many were removed (0 writes nothing).
    ///
    /// Only a run of the oldest entries is removed: every entry before the first one at or
    /// after the cutoff, and never the newest entry, so what is left is always one
    /// unbroken stretch of the chain. In one transaction: verify the part to be removed
    /// and its link to the first entry kept; set `audit_pruning` to 1 (the DELETE trigger
    /// lets rows go only then); delete; append a checkpoint whose `detail` is
    /// `pruned=N older_than_ms=T last_seq=S last_hash=HEX` (`AuditCheckpoint`), naming the
    /// sequence number and hash of the last entry removed; set `audit_pruning` back to 0.
    ///
    /// Why verification still holds, and why removing the oldest entries by hand does not:
    /// the oldest entry left, `S + 1`, names entry `S`'s hash as its previous hash. Verify
    /// accepts that only when a checkpoint that itself verifies under the key names
    /// exactly `S` and that hash (otherwise only entry 1 with 32 zero bytes starts a
    /// trail). The checkpoint's detail is inside its HMAC, so whoever lacks the key can
    /// neither write one nor move an existing one's boundary; deleting entries past a
    /// real boundary leaves a gap that no checkpoint explains, and deleting the
    /// checkpoint leaves a gap where it was.
    ///
    /// A part that does not verify is not removed: pruning must not erase the evidence.
    ///
    /// - Throws: `.integrityFailure` when the entries to remove, or their link to the
    ///   first entry kept, do not verify, or the head does not verify under `key`; the
    ///   mapped SQLite error. Nothing is removed then.
    @discardableResult
    public func pruneAudit(olderThanUnixMs: Int64, key: SecureBytes, nowUnixMs: Int64) throws(SecretsError) -> Int {
        try withDatabase { (database) throws(SecretsError) -> Int in
            try database.immediateTransaction { () throws(SecretsError) -> Int in
                // The last entry to remove: just before the first that is recent enough,
                // and never the newest.
                let boundary = try database.withStatement(
                    """
                    SELECT min(coalesce((SELECT min(seq) FROM audit WHERE time_ms >= ?1), max(seq)), max(seq)) - 1
                    FROM audit
                    """
                ) { (statement) throws(SecretsError) -> Int64? in
                    try statement.bind(olderThanUnixMs, at: 1)
                    return try statement.step() ? statement.optionalInt64(at: 0) : nil
                }
                guard let boundary, boundary >= 1 else { return 0 }
                let count = try database.withStatement(
                    "SELECT count(*) FROM audit WHERE seq <= ?1"
                ) { (statement) throws(SecretsError) -> Int in
                    try statement.bind(boundary, at: 1)
                    return try statement.step() ? Int(statement.int64(at: 0)) : 0
                }
                guard count > 0 else { return 0 }

                let check = try Self.verifyAuditTrail(database, key: key, through: UInt64(boundary) + 1)
                if let bad = check.firstBadSequence {
                    throw .integrityFailure("refusing to prune the audit trail: \(check.reason ?? "entry \(bad) does not verify") (keep this store for investigation; pruning would remove the evidence)")
                }
                let lastHash = try database.withStatement(
                    "SELECT hash FROM audit WHERE seq = ?1"
                ) { (statement) throws(SecretsError) -> [UInt8] in
                    try statement.bind(boundary, at: 1)
                    return try statement.step() ? statement.blob(at: 0) : []
                }
                let checkpoint = AuditCheckpoint(prunedCount: count, olderThanUnixMs: olderThanUnixMs,
                                                 lastSequence: UInt64(boundary), lastHash: lastHash)

                try Self.setAuditPruning(database, true)
                try database.withStatement("DELETE FROM audit WHERE seq <= ?1") { (statement) throws(SecretsError) in
                    try statement.bind(boundary, at: 1)
                    try statement.run()
                }
                try Self.appendAuditEntry(
                    database, kind: .checkpoint,
                    record: AuditRecord(timeUnixMs: nowUnixMs, operation: "audit-prune", outcome: .ok,
                                        detail: checkpoint.detail),
                    key: key)
                try Self.setAuditPruning(database, false)
                return count
            }
        }
    }

    // MARK: - Internals

    /// Appends one entry inside the caller's transaction; see `appendAudit`.
    ///
    /// When the head is authentic but rows beyond it exist (inserted by someone without
    /// the key), the new entry takes the next free sequence number but still chains to the
    /// head, so those rows keep failing verification.
    ///
    /// Inside a transaction, the head is read and its MAC checked at the first entry only,
    /// and written once before `COMMIT` (`Database.pendingAuditHead`): nothing else can
    /// write between the entries of one transaction (the connection holds the write lock),
    /// so this chains exactly as reading and writing it around every entry did, and a group
    /// commit of 1,000 read entries no longer costs 1,000 head reads, MAC checks and
    /// three-row head writes.
    @discardableResult
    static func appendAuditEntry(
        _ database: Database, kind: AuditEntry.Kind, record: AuditRecord, key: SecureBytes
    ) throws(SecretsError) -> AuditEntry {
        if let pending = database.pendingAuditHead, pending.key === key {
            return try appendAuditEntry(database, kind: kind, record: record, key: key,
                                        after: pending.sequence, previousHash: pending.hash)
        }
        let lastRow = try database.withStatement("SELECT max(seq) FROM audit", cached: true) { (statement) throws(SecretsError) -> Int64? in
            try statement.step() ? statement.optionalInt64(at: 0) : nil
        }
        let previousSequence: UInt64
        let previousHash: [UInt8]
        if let head = try AuditHead.read(database) {
            guard head.isAuthentic(under: key) else {
                throw .integrityFailure("the audit trail's head record does not verify: it was altered, or this is not the trail's audit key; refusing to extend it (run: secrets-agent audit verify)")
            }
            previousSequence = max(head.sequence, lastRow.map { UInt64(clamping: $0) } ?? 0)
            previousHash = head.hash
        } else {
            guard lastRow == nil else {
                throw .integrityFailure("the audit trail has entries but its head record is missing; refusing to extend it (run: secrets-agent audit verify)")
            }
            previousSequence = 0
            previousHash = AuditChain.genesisHash
        }
        return try appendAuditEntry(database, kind: kind, record: record, key: key,
                                    after: previousSequence, previousHash: previousHash)
    }

    /// Inserts the entry that follows `previousSequence` and `previousHash`, and moves the
    /// head: pending until `COMMIT` inside a transaction, written at once outside one.
    private static func appendAuditEntry(
        _ database: Database, kind: AuditEntry.Kind, record: AuditRecord, key: SecureBytes,
        after previousSequence: UInt64, previousHash: [UInt8]
    ) throws(SecretsError) -> AuditEntry {
        let sequence = previousSequence + 1
        let entry = AuditEntry(
            sequence: sequence, kind: kind, record: record, previousHash: previousHash,
            hash: AuditChain.hash(previousHash: previousHash, sequence: sequence, kind: kind, record: record,
                                  key: database.preparedAuditKey(key)))
        try AuditRow.insert(entry, into: database)
        database.pendingAuditHead = PendingAuditHead(sequence: sequence, hash: entry.hash, key: key)
        if !database.isInTransaction { try database.flushAuditHead() }
        return entry
    }

    /// Sets the `audit_pruning` flag the DELETE trigger reads.
    private static func setAuditPruning(_ database: Database, _ pruning: Bool) throws(SecretsError) {
        try database.withStatement(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_pruning', ?1)"
        ) { (statement) throws(SecretsError) in
            try statement.bind(Int64(pruning ? 1 : 0), at: 1)
            try statement.run()
        }
    }
}
