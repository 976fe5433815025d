import SecretsCore
import SecretsCrypto

/// Audit entries and the trail's head as SQL rows: the one place that knows the columns.
///
/// Reading is strict: a row whose columns hold anything `insert` would not have written
/// (a wrong type, an out-of-range integer, invalid UTF-8, an unknown kind or outcome, a
/// hash that is not 32 bytes) is not decoded at all, so a tampered row can never read
/// back as the same entry and pass verification.
enum AuditRow {
    /// The columns, in the order `decode` reads them.
    static let columns = """
        seq, kind, time_ms, peer_uid, peer_gid, peer_pid, exe, role, operation, name, environment, \
        version, outcome, error_code, detail, prev_hash, hash
        """

    /// Built once: it is the key of the connection's statement cache, looked up per entry.
    private static let insertSQL =
        "INSERT INTO audit (\(columns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"

    /// The entry in the statement's current row, or `nil` when the row is malformed.
    static func decode(_ row: Statement) -> AuditEntry? {
        guard row.isInteger(at: 0), let sequence = UInt64(exactly: row.int64(at: 0)), sequence > 0,
              let kind = text(row, 1).flatMap(AuditEntry.Kind.init(rawValue:)),
              row.isInteger(at: 2),
              let peerUID = optionalInteger(row, 3, as: UInt32.self),
              let peerGID = optionalInteger(row, 4, as: UInt32.self),
              let peerPID = optionalInteger(row, 5, as: Int32.self),
              let exe = optionalText(row, 6),
              let role = optionalText(row, 7),
              let operation = text(row, 8),
              let name = optionalText(row, 9),
              let environment = optionalText(row, 10),
              let version = optionalInteger(row, 11, as: UInt64.self),
              let outcome = text(row, 12).flatMap(AuditOutcome.init(rawValue:)),
              let errorCode = optionalText(row, 13),
              let detail = optionalText(row, 14),
              let previousHash = hash(row, 15),
              let hash = hash(row, 16)
        else { return nil }
        let record = AuditRecord(
            timeUnixMs: row.int64(at: 2), peerUID: peerUID, peerGID: peerGID, peerPID: peerPID, exe: exe,
            role: role, operation: operation, name: name, environment: environment, version: version,
            outcome: outcome, errorCode: errorCode, detail: detail)
        return AuditEntry(sequence: sequence, kind: kind, record: record, previousHash: previousHash, hash: hash)
    }

    /// Inserts `entry` as a new row.
    ///
    /// - Throws: `.invalidArgument` when its sequence or version does not fit in 63 bits;
    ///   the mapped SQLite error.
    static func insert(_ entry: AuditEntry, into database: Database) throws(SecretsError) {
        guard let sequence = Int64(exactly: entry.sequence) else {
            throw .internal("audit sequence number \(entry.sequence) is out of range")
        }
        var version: Int64?
        if let raw = entry.record.version {
            guard let exact = Int64(exactly: raw) else {
                throw .invalidArgument("audit version \(raw) is out of range (at most \(Int64.max))")
            }
            version = exact
        }
        let record = entry.record
        // The ten text and blob columns are laid end to end in one buffer and bound without
        // copies: SQLite would otherwise allocate a copy of each, ten mallocs per entry.
        let texts = [entry.kind.rawValue, record.exe, record.role, record.operation, record.name,
                     record.environment, record.outcome.rawValue, record.errorCode, record.detail]
        var buffer: [UInt8] = []
        buffer.reserveCapacity(texts.reduce(2 * AuditChain.hashByteCount) { $0 + ($1?.utf8.count ?? 0) })
        for text in texts { if let text { buffer.append(contentsOf: text.utf8) } }
        buffer.append(contentsOf: entry.previousHash)
        buffer.append(contentsOf: entry.hash)
        try database.withStatement(insertSQL, cached: true) { (statement) throws(SecretsError) in
            let failure = buffer.withUnsafeBytes { raw -> SecretsError? in
                var offset = 0
                func bindNext(_ count: Int?, at index: Int32, asText: Bool = true) throws(SecretsError) {
                    guard let count else { return try statement.bind(nil as Int64?, at: index) }
                    try statement.bindUnowned(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + count]),
                                              at: index, asText: asText)
                    offset += count
                }
                do throws(SecretsError) {
                    for (text, column) in zip(texts, Self.textColumns) { try bindNext(text?.utf8.count, at: column) }
                    try bindNext(entry.previousHash.count, at: 16, asText: false)
                    try bindNext(entry.hash.count, at: 17, asText: false)
                    try statement.bind(sequence, at: 1)
                    try statement.bind(record.timeUnixMs, at: 3)
                    try statement.bind(record.peerUID.map(Int64.init), at: 4)
                    try statement.bind(record.peerGID.map(Int64.init), at: 5)
                    try statement.bind(record.peerPID.map(Int64.init), at: 6)
                    try statement.bind(version, at: 12)
                    try statement.run()  // while the buffer lives; `reset` then clears the bindings
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
        }
    }

    /// The columns of `insertSQL` holding kind, exe, role, operation, name, environment,
    /// outcome, error code and detail, in that order.
    private static let textColumns: [Int32] = [2, 7, 8, 9, 10, 11, 13, 14, 15]

    // MARK: - Columns

    /// Non-NULL text that is valid UTF-8.
    private static func text(_ row: Statement, _ index: Int32) -> String? {
        guard row.isText(at: index) else { return nil }
        return String(validating: row.blob(at: index), as: UTF8.self)
    }

    /// `.some(nil)` for NULL, `.some(text)` for valid text, `nil` for anything else.
    private static func optionalText(_ row: Statement, _ index: Int32) -> String?? {
        if row.isNull(at: index) { return .some(nil) }
        return text(row, index).map { .some($0) }
    }

    /// `.some(nil)` for NULL, `.some(value)` for an integer that fits `T`, `nil` otherwise.
    private static func optionalInteger<T: FixedWidthInteger>(_ row: Statement, _ index: Int32, as: T.Type) -> T?? {
        if row.isNull(at: index) { return .some(nil) }
        guard row.isInteger(at: index), let value = T(exactly: row.int64(at: index)) else { return nil }
        return .some(value)
    }

    /// A 32-byte blob.
    private static func hash(_ row: Statement, _ index: Int32) -> [UInt8]? {
        guard row.isBlob(at: index) else { return nil }
        let bytes = row.blob(at: index)
        return bytes.count == AuditChain.hashByteCount ? bytes : nil
    }
}
