import SecretsCrypto

/// The audit trail's hash chain (DESIGN §7): how an entry is encoded, hashed and linked.
///
/// `hash(n) = HMAC-SHA256(audit key, hash(n-1) ‖ canonical(n))`, with 32 zero bytes before
/// entry 1. `canonical` is an unambiguous encoding of every field of the entry, in this
/// fixed order (integers big-endian; `str` = 4-byte length ‖ UTF-8; `opt(x)` = 0x00 when
/// absent, 0x01 ‖ x when present):
///
///     str("secrets-agent/v1/audit-entry")
///     u64 sequence · str(kind) · i64 timeUnixMs
///     opt(u32 peerUID) · opt(u32 peerGID) · opt(i32 peerPID) · opt(str exe) · opt(str role)
///     str(operation) · opt(str name) · opt(str environment) · opt(u64 version)
///     str(outcome) · opt(str errorCode) · opt(str detail)
///
/// The sequence number and kind are inside the HMAC, so an entry moved to another position
/// or turned from an event into a checkpoint no longer verifies. The head record in `meta`
/// carries its own MAC over a different domain, so it can never pass for an entry.
enum AuditChain {
    /// The length of every hash and MAC.
    static let hashByteCount = HMACSHA256.byteCount
    /// What entry 1 names as its previous hash.
    static let genesisHash = [UInt8](repeating: 0, count: hashByteCount)

    private static let entryDomain = "secrets-agent/v1/audit-entry"
    private static let headDomain = "secrets-agent/v1/audit-head"

    /// The canonical encoding of an entry's fields, its sequence number and kind.
    static func canonical(sequence: UInt64, kind: AuditEntry.Kind, record: AuditRecord) -> [UInt8] {
        var out: [UInt8] = []
        appendCanonical(sequence: sequence, kind: kind, record: record, to: &out)
        return out
    }

    /// Appends the canonical encoding to `out`, reserving room for all of it at once.
    private static func appendCanonical(sequence: UInt64, kind: AuditEntry.Kind, record: AuditRecord,
                                        to out: inout [UInt8]) {
        // 4 + 28 domain, 8 seq, 4 + 10 kind, 8 time, 3 x 5 ids, 9 version, 4-byte lengths
        // and presence bytes for 8 strings: 130, plus the strings themselves.
        let stringBytes = (record.exe?.utf8.count ?? 0) + (record.role?.utf8.count ?? 0) + record.operation.utf8.count
            + (record.name?.utf8.count ?? 0) + (record.environment?.utf8.count ?? 0) + record.outcome.rawValue.utf8.count
            + (record.errorCode?.utf8.count ?? 0) + (record.detail?.utf8.count ?? 0)
        out.reserveCapacity(out.count + 130 + stringBytes)
        out.appendString(entryDomain)
        out.appendInteger(sequence)
        out.appendString(kind.rawValue)
        out.appendInteger(record.timeUnixMs)
        out.appendOptional(record.peerUID) { $0.appendInteger($1) }
        out.appendOptional(record.peerGID) { $0.appendInteger($1) }
        out.appendOptional(record.peerPID) { $0.appendInteger($1) }
        out.appendOptional(record.exe) { $0.appendString($1) }
        out.appendOptional(record.role) { $0.appendString($1) }
        out.appendString(record.operation)
        out.appendOptional(record.name) { $0.appendString($1) }
        out.appendOptional(record.environment) { $0.appendString($1) }
        out.appendOptional(record.version) { $0.appendInteger($1) }
        out.appendString(record.outcome.rawValue)
        out.appendOptional(record.errorCode) { $0.appendString($1) }
        out.appendOptional(record.detail) { $0.appendString($1) }
    }

    /// The hash of an entry that follows one whose hash is `previousHash`, under the audit
    /// key prepared once for many entries (`Database.preparedAuditKey`).
    static func hash(
        previousHash: [UInt8], sequence: UInt64, kind: AuditEntry.Kind, record: AuditRecord, key: HMACSHA256Key
    ) -> [UInt8] {
        var message = previousHash
        appendCanonical(sequence: sequence, kind: kind, record: record, to: &message)
        return message.withUnsafeBytes(key.authenticate)
    }

    /// Whether `entry.hash` is what the key gives for its fields and its own `previousHash`.
    /// Says nothing about whether `previousHash` is really the hash of the entry before.
    static func isAuthentic(_ entry: AuditEntry, key: HMACSHA256Key) -> Bool {
        guard entry.previousHash.count == hashByteCount else { return false }
        let expected = hash(previousHash: entry.previousHash, sequence: entry.sequence, kind: entry.kind,
                            record: entry.record, key: key)
        return same(expected, entry.hash)
    }

    /// The MAC of the head record: HMAC(key, str("secrets-agent/v1/audit-head") ‖ u64 seq ‖ hash).
    static func headMAC(sequence: UInt64, hash: [UInt8], key: SecureBytes) -> [UInt8] {
        var message: [UInt8] = []
        message.appendString(headDomain)
        message.appendInteger(sequence)
        message.append(contentsOf: hash)
        return message.withUnsafeBytes { HMACSHA256.authenticate($0, key: key) }
    }

    /// Compares two hashes or MACs without an early exit.
    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { left in b.withUnsafeBytes { right in ConstantTime.equals(left, right) } }
    }
}

extension [UInt8] {
    fileprivate mutating func appendInteger(_ value: some FixedWidthInteger) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    fileprivate mutating func appendString(_ text: String) {
        let utf8 = text.utf8
        precondition(utf8.count <= Int(UInt32.max), "audit field longer than 4 GiB")
        appendInteger(UInt32(utf8.count))
        append(contentsOf: utf8)
    }

    fileprivate mutating func appendOptional<T>(_ value: T?, _ appendValue: (inout [UInt8], T) -> Void) {
        guard let value else {
            append(0)
            return
        }
        append(1)
        appendValue(&self, value)
    }
}
