internal import CSQLite
import SecretsCore

/// One prepared SQLite statement: bind parameters (1-based), step, read columns (0-based),
/// reset for reuse, finalize. Used only under `SecretStore`'s lock, like its `Database`.
final class Statement {
    private var handle: OpaquePointer?
    private let database: OpaquePointer
    private let path: String

    init(handle: OpaquePointer, database: OpaquePointer, path: String) {
        self.handle = handle
        self.database = database
        self.path = path
    }

    deinit { finalize() }

    /// `SQLITE_TRANSIENT`: SQLite copies bound bytes before the bind call returns. The C
    /// macro is a cast of -1 that Swift cannot import.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    }

    private var live: OpaquePointer {
        guard let handle else { preconditionFailure("statement used after finalize") }
        return handle
    }

    // MARK: - Binding

    /// Binds an integer, or NULL for `nil`.
    func bind(_ value: Int64?, at index: Int32) throws(SecretsError) {
        if let value {
            try check(sqlite3_bind_int64(live, index, value))
        } else {
            try check(sqlite3_bind_null(live, index))
        }
    }

    /// Binds UTF-8 text, or NULL for `nil`.
    func bind(_ text: String?, at index: Int32) throws(SecretsError) {
        guard let text else {
            try check(sqlite3_bind_null(live, index))
            return
        }
        var copy = text
        let rc = copy.withUTF8 { bytes in
            sqlite3_bind_text(live, index, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                              Int32(bytes.count), Statement.transient)
        }
        try check(rc)
    }

    /// Binds a blob. An empty array binds a zero-length blob, not NULL.
    func bind(_ bytes: [UInt8], at index: Int32) throws(SecretsError) {
        let rc = bytes.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.baseAddress, raw.count > 0 else {
                return sqlite3_bind_zeroblob(live, index, 0)
            }
            return sqlite3_bind_blob(live, index, base, Int32(raw.count), Statement.transient)
        }
        try check(rc)
    }

    /// Binds `bytes` as UTF-8 text (`asText`) or a blob without copying them: SQLite reads
    /// them when the statement runs, so they must stay valid and unchanged until `reset()`
    /// (which clears the bindings). For hot inserts, where a copy per field is a `malloc`
    /// per field. Zero bytes bind an empty text or blob, never NULL.
    func bindUnowned(_ bytes: UnsafeRawBufferPointer, at index: Int32, asText: Bool) throws(SecretsError) {
        // SQLite takes a null pointer for NULL, so an empty value points at a static byte.
        let base = bytes.baseAddress.flatMap { bytes.count > 0 ? $0 : nil } ?? Statement.emptyBytes
        let rc = asText
            ? sqlite3_bind_text(live, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
            : sqlite3_bind_blob(live, index, base, Int32(bytes.count), nil)
        try check(rc)
    }

    /// Where an empty unowned binding points (`SQLITE_STATIC` needs a non-null pointer).
    nonisolated(unsafe) private static let emptyBytes = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1))

    // MARK: - Stepping

    /// Advances the statement.
    ///
    /// - Returns: `true` when a row is available, `false` when the statement is done.
    /// - Throws: the mapped SQLite error (see `Database.error`).
    func step() throws(SecretsError) -> Bool {
        let rc = sqlite3_step(live)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw Database.error(rc, detail: String(cString: sqlite3_errmsg(database)), path: path)
        }
    }

    /// Steps a statement that returns no rows (INSERT, UPDATE, DELETE).
    ///
    /// - Throws: the mapped SQLite error.
    func run() throws(SecretsError) {
        _ = try step()
    }

    // MARK: - Columns

    /// Whether column `index` of the current row is NULL.
    func isNull(at index: Int32) -> Bool {
        sqlite3_column_type(live, index) == SQLITE_NULL
    }

    /// Whether column `index` of the current row holds an integer (not NULL, text, a real
    /// or a blob). For reading rows whose every byte matters, such as audit entries.
    func isInteger(at index: Int32) -> Bool {
        sqlite3_column_type(live, index) == SQLITE_INTEGER
    }

    /// Whether column `index` of the current row holds text.
    func isText(at index: Int32) -> Bool {
        sqlite3_column_type(live, index) == SQLITE_TEXT
    }

    /// Whether column `index` of the current row holds a blob.
    func isBlob(at index: Int32) -> Bool {
        sqlite3_column_type(live, index) == SQLITE_BLOB
    }

    /// Column `index` as an integer (0 for NULL).
    func int64(at index: Int32) -> Int64 {
        sqlite3_column_int64(live, index)
    }

    /// Column `index` as an integer, `nil` for NULL.
    func optionalInt64(at index: Int32) -> Int64? {
        isNull(at: index) ? nil : int64(at: index)
    }

    /// Column `index` as UTF-8 text ("" for NULL).
    func text(at index: Int32) -> String {
        guard let pointer = sqlite3_column_text(live, index) else { return "" }
        let count = Int(sqlite3_column_bytes(live, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Column `index` as bytes (empty for NULL or a zero-length blob).
    func blob(at index: Int32) -> [UInt8] {
        guard let pointer = sqlite3_column_blob(live, index) else { return [] }
        let count = Int(sqlite3_column_bytes(live, index))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    // MARK: - Lifecycle

    /// Makes the statement ready to run again and clears its bindings. An error from the
    /// last step was already reported by `step()`, so the result is ignored here.
    func reset() {
        guard let handle else { return }
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Releases the statement; safe to call twice.
    func finalize() {
        guard let handle else { return }
        sqlite3_finalize(handle)
        self.handle = nil
    }

    private func check(_ rc: Int32) throws(SecretsError) {
        guard rc != SQLITE_OK else { return }
        throw Database.error(rc, detail: String(cString: sqlite3_errmsg(database)), path: path)
    }
}
