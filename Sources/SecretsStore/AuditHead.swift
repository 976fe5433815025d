import SecretsCore
import SecretsCrypto

/// The head an open transaction has moved but not yet written: the newest entry it
/// appended, and the key it was appended under (see `SecretStore.appendAuditEntry`).
struct PendingAuditHead {
    let sequence: UInt64
    let hash: [UInt8]
    let key: SecureBytes
}

/// The newest entry's sequence number and hash, kept in `meta` with a MAC under the audit
/// key, so removing the newest entries shows even though nothing follows them.
struct AuditHead {
    var sequence: UInt64
    var hash: [UInt8]
    var mac: [UInt8]

    private static let keys = ["audit_head_seq", "audit_head_hash", "audit_head_mac"]

    /// A head for `sequence` and `hash`, with its MAC.
    init(sequence: UInt64, hash: [UInt8], key: SecureBytes) {
        self.sequence = sequence
        self.hash = hash
        self.mac = AuditChain.headMAC(sequence: sequence, hash: hash, key: key)
    }

    private init(sequence: UInt64, hash: [UInt8], mac: [UInt8]) {
        self.sequence = sequence
        self.hash = hash
        self.mac = mac
    }

    /// Whether the MAC is right for the sequence number and hash under `key`.
    func isAuthentic(under key: SecureBytes) -> Bool {
        sequence > 0 && hash.count == AuditChain.hashByteCount
            && AuditChain.same(mac, AuditChain.headMAC(sequence: sequence, hash: hash, key: key))
    }

    /// The stored head; `nil` when none of its rows exist (nothing was ever appended). Rows
    /// that are missing or malformed read as values that fail `isAuthentic`.
    ///
    /// - Throws: the mapped SQLite error.
    static func read(_ database: Database) throws(SecretsError) -> AuditHead? {
        try database.flushAuditHead()  // what the open transaction appended comes first
        return try database.withStatement(
            "SELECT key, value FROM meta WHERE key IN ('audit_head_seq', 'audit_head_hash', 'audit_head_mac')",
            cached: true
        ) { (statement) throws(SecretsError) -> AuditHead? in
            var found = false
            var head = AuditHead(sequence: 0, hash: [], mac: [])
            while try statement.step() {
                found = true
                switch statement.text(at: 0) {
                case "audit_head_seq":
                    if statement.isInteger(at: 1) { head.sequence = UInt64(exactly: statement.int64(at: 1)) ?? 0 }
                case "audit_head_hash":
                    if statement.isBlob(at: 1) { head.hash = statement.blob(at: 1) }
                default:
                    if statement.isBlob(at: 1) { head.mac = statement.blob(at: 1) }
                }
            }
            return found ? head : nil
        }
    }

    /// Stores this head, replacing the old one.
    ///
    /// - Throws: `.internal` when the sequence number does not fit in 63 bits; the mapped
    ///   SQLite error.
    func write(_ database: Database) throws(SecretsError) {
        guard let sequence = Int64(exactly: sequence) else {
            throw .internal("audit sequence number \(self.sequence) is out of range")
        }
        for key in Self.keys {
            try database.withStatement(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", cached: true
            ) { (statement) throws(SecretsError) in
                try statement.bind(key, at: 1)
                switch key {
                case "audit_head_seq": try statement.bind(sequence, at: 2)
                case "audit_head_hash": try statement.bind(hash, at: 2)
                default: try statement.bind(mac, at: 2)
                }
                try statement.run()
            }
        }
    }
}
