import SecretsCore
import SecretsCrypto

/// Verifying the audit trail's hash chain (DESIGN §7).
extension SecretStore {
    /// Checks the whole audit trail and names the first entry that is not what the store
    /// wrote. An empty trail is intact.
    ///
    /// Entries are read in sequence order from one snapshot. For each entry, in this order:
    /// 1. the sequence number is one more than the entry before, else the first number
    ///    skipped "is missing";
    /// 2. its columns decode and its hash is HMAC(key, previous hash ‖ canonical entry),
    ///    else it "was altered" (an edit of any field, of the hash itself, or a row given
    ///    another entry's contents), or "was inserted" when it lies beyond the newest entry
    ///    the head knows. The oldest entry must then be entry 1, or the entry after the
    ///    last one an authentic checkpoint says it pruned; else the first entry not
    ///    accounted for "is missing" (see `pruneAudit`);
    /// 3. its previous hash is the hash of the entry before (32 zero bytes for entry 1, the
    ///    checkpoint's hash for the oldest entry left after pruning), else it "does not
    ///    follow" that entry.
    ///
    /// Then the head record (`audit_head_seq`, `audit_head_hash`, `audit_head_mac` in
    /// `meta`) must verify under the key and name the last entry, so removing the newest
    /// entries shows as "entry N is missing". A wrong key makes entry 1 (or the oldest
    /// left) read as altered.
    ///
    /// What this cannot see: a whole store file, or its `meta` head rows together with the
    /// newest entries, put back from an earlier copy of the same store; that needs the head
    /// to be kept outside the file as well.
    ///
    /// - Throws: the mapped SQLite error; never for a damaged trail, which is the result.
    public func verifyAudit(key: SecureBytes) throws(SecretsError) -> AuditVerification {
        try withDatabase { (database) throws(SecretsError) -> AuditVerification in
            try database.readTransaction { () throws(SecretsError) -> AuditVerification in
                try Self.verifyAuditTrail(database, key: key, through: nil)
            }
        }
    }

    /// Verifies entries up to and including sequence `through` (all, and the head, when
    /// `nil`) inside the caller's transaction; see `verifyAudit`.
    static func verifyAuditTrail(
        _ database: Database, key: SecureBytes, through: UInt64?
    ) throws(SecretsError) -> AuditVerification {
        let head = try AuditHead.read(database)
        let trustedHead = head.flatMap { $0.isAuthentic(under: key) ? $0 : nil }
        let entryKey = database.preparedAuditKey(key)
        let anchors = try checkpointAnchors(database, key: entryKey)

        var checked = 0
        var previous: (sequence: UInt64, hash: [UInt8])?
        let broken = try database.withStatement(
            "SELECT \(AuditRow.columns) FROM audit ORDER BY seq"
        ) { (row) throws(SecretsError) -> (sequence: UInt64, reason: String)? in
            while try row.step() {
                let rawSequence = row.int64(at: 0)
                if let through, rawSequence > 0, UInt64(rawSequence) > through { break }
                checked += 1
                guard rawSequence > 0 else {
                    return (0, "an entry numbered \(rawSequence) was inserted")
                }
                let sequence = UInt64(rawSequence)
                let storedPreviousHash = row.blob(at: 15)

                // 1. Nothing missing before this entry.
                if let previous, sequence != previous.sequence + 1 {
                    return (previous.sequence + 1, "entry \(previous.sequence + 1) is missing")
                }

                // 2. The entry is what the key holder wrote at this position.
                guard let entry = AuditRow.decode(row), AuditChain.isAuthentic(entry, key: entryKey) else {
                    if let trustedHead, sequence > trustedHead.sequence {
                        return (sequence, "entry \(sequence) was inserted")
                    }
                    return (sequence, "entry \(sequence) was altered")
                }
                // The oldest entry, when it is not entry 1, must be where pruning stopped.
                // (Checked after its own hash, so with a wrong key it reads as altered.)
                if previous == nil, sequence > 1, !anchors.contains(where: { $0.lastSequence == sequence - 1 }) {
                    let pruned = anchors.map(\.lastSequence).filter { $0 < sequence - 1 }.max() ?? 0
                    return (pruned + 1, "entry \(pruned + 1) is missing")
                }

                // 3. It links to the entry before.
                if let previous {
                    guard AuditChain.same(entry.previousHash, previous.hash) else {
                        return (sequence, "entry \(sequence) does not follow entry \(previous.sequence)")
                    }
                } else if sequence == 1 {
                    guard AuditChain.same(entry.previousHash, AuditChain.genesisHash) else {
                        return (sequence, "entry 1 does not start the trail")
                    }
                } else {
                    guard anchors.contains(where: {
                        $0.lastSequence == sequence - 1 && AuditChain.same($0.lastHash, storedPreviousHash)
                    }) else {
                        return (sequence, "entry \(sequence) does not follow entry \(sequence - 1)")
                    }
                }
                previous = (sequence, entry.hash)
            }
            return nil
        }
        if let broken {
            return AuditVerification(entriesChecked: checked, firstBadSequence: broken.sequence, reason: broken.reason)
        }
        guard through == nil else { return AuditVerification(entriesChecked: checked) }

        // The head: nothing removed after the last entry read.
        let next = (previous?.sequence ?? 0) + 1
        switch (head, trustedHead, previous) {
        case (nil, _, nil):
            return AuditVerification(entriesChecked: checked)
        case (nil, _, .some):
            return AuditVerification(entriesChecked: checked, firstBadSequence: next,
                                     reason: "the audit trail's head record is missing (entries after \(next - 1) may have been removed)")
        case (.some, nil, _):
            return AuditVerification(entriesChecked: checked, firstBadSequence: next,
                                     reason: "the audit trail's head record was altered (entries after \(next - 1) may have been removed)")
        case (_, .some(let trusted), nil):
            return AuditVerification(entriesChecked: checked, firstBadSequence: trusted.sequence,
                                     reason: "entry \(trusted.sequence) is missing")
        case (_, .some(let trusted), .some(let last)):
            if trusted.sequence > last.sequence {
                return AuditVerification(entriesChecked: checked, firstBadSequence: next,
                                         reason: "entry \(next) is missing")
            }
            if trusted.sequence < last.sequence {
                return AuditVerification(entriesChecked: checked, firstBadSequence: trusted.sequence + 1,
                                         reason: "entry \(trusted.sequence + 1) is newer than the trail's head record (the head was rolled back)")
            }
            guard AuditChain.same(trusted.hash, last.hash) else {
                return AuditVerification(entriesChecked: checked, firstBadSequence: last.sequence,
                                         reason: "entry \(last.sequence) was altered")
            }
            return AuditVerification(entriesChecked: checked)
        }
    }

    /// Where the authentic checkpoints say pruning stopped: the sequence number and hash
    /// of the last entry each one removed. Checkpoints that do not verify under the key on
    /// their own are ignored, so nobody without the key can make one up.
    private static func checkpointAnchors(
        _ database: Database, key: HMACSHA256Key
    ) throws(SecretsError) -> [AuditCheckpoint] {
        try database.withStatement(
            "SELECT \(AuditRow.columns) FROM audit WHERE kind = 'checkpoint' ORDER BY seq"
        ) { (row) throws(SecretsError) -> [AuditCheckpoint] in
            var anchors: [AuditCheckpoint] = []
            while try row.step() {
                guard let entry = AuditRow.decode(row), entry.kind == .checkpoint,
                      AuditChain.isAuthentic(entry, key: key),
                      let checkpoint = entry.record.detail.flatMap(AuditCheckpoint.init(detail:)),
                      checkpoint.lastSequence < entry.sequence
                else { continue }
                anchors.append(checkpoint)
            }
            return anchors
        }
    }
}
