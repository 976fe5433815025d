import SecretsCrypto

/// What a checkpoint entry says about the entries `SecretStore.pruneAudit` removed, kept in
/// the entry's `detail` as `pruned=N older_than_ms=T last_seq=S last_hash=HEX`.
///
/// The detail is inside the entry's HMAC, so only the key holder can write a checkpoint
/// that verification accepts; `last_seq` and `last_hash` are what lets the oldest entry
/// left after pruning (`last_seq + 1`) link back to something authentic.
struct AuditCheckpoint: Equatable {
    /// How many entries were removed.
    var prunedCount: Int
    /// Entries before this time (and before the first entry that was not) were removed.
    var olderThanUnixMs: Int64
    /// The sequence number of the last entry removed.
    var lastSequence: UInt64
    /// The hash of the last entry removed: the previous hash of the oldest entry left.
    var lastHash: [UInt8]

    /// The text stored in the checkpoint's `detail`.
    var detail: String {
        "pruned=\(prunedCount) older_than_ms=\(olderThanUnixMs) last_seq=\(lastSequence) last_hash=\(Hex.encode(lastHash))"
    }

    init(prunedCount: Int, olderThanUnixMs: Int64, lastSequence: UInt64, lastHash: [UInt8]) {
        self.prunedCount = prunedCount
        self.olderThanUnixMs = olderThanUnixMs
        self.lastSequence = lastSequence
        self.lastHash = lastHash
    }

    /// Parses a checkpoint's `detail`; `nil` unless it is exactly what `detail` writes.
    init?(detail: String) {
        var fields: [Substring: Substring] = [:]
        for pair in detail.split(separator: " ", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, fields[parts[0]] == nil else { return nil }
            fields[parts[0]] = parts[1]
        }
        guard fields.count == 4,
              let count = fields["pruned"].flatMap({ Int($0) }),
              let olderThan = fields["older_than_ms"].flatMap({ Int64($0) }),
              let last = fields["last_seq"].flatMap({ UInt64($0) }),
              let hash = fields["last_hash"].flatMap({ Hex.decode(String($0)) }),
              hash.count == AuditChain.hashByteCount
        else { return nil }
        self.init(prunedCount: count, olderThanUnixMs: olderThan, lastSequence: last, lastHash: hash)
        guard self.detail == detail else { return nil }
    }
}
