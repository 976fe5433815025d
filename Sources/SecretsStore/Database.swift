internal import CSQLite
import SecretsCore
import SecretsCrypto

/// One SQLite connection: open, configure, exec, prepare (with a statement cache for the hot
/// paths) and an immediate-transaction helper.
///
/// Not thread-safe on purpose: it is opened with `SQLITE_OPEN_NOMUTEX` and `SecretStore`
/// serializes every use behind its own `Mutex`. The connection closes when the value is
/// released (`sqlite3_close_v2`, so a statement still alive cannot make it fail).
final class Database {
    /// Milliseconds a writer waits for another connection's lock before giving up.
    static let busyTimeoutMs: Int32 = 5000

    let path: String
    let handle: OpaquePointer
    private var cache: [String: Statement] = [:]
    /// The audit head as the open transaction has moved it, written once before `COMMIT`
    /// instead of after every entry (see `SecretStore.appendAuditEntry`).
    var pendingAuditHead: PendingAuditHead?
    /// The audit key last appended under on this connection, prepared for HMAC.
    private var preparedAudit: (key: SecureBytes, prepared: HMACSHA256Key)?

    private init(path: String, handle: OpaquePointer) {
        self.path = path
        self.handle = handle
    }

    deinit {
        for statement in cache.values { statement.finalize() }
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Opens an existing database file read-write and configures the connection: busy
    /// timeout, `foreign_keys`, `secure_delete`, `trusted_schema=OFF`, `temp_store=MEMORY`, WAL and
    /// `synchronous=FULL`. Never creates the file and never follows a symbolic link.
    ///
    /// - Throws: `.unavailable` when the file cannot be opened read-write or cannot use WAL,
    ///   `.integrityFailure` when it is not an SQLite database, `.internal` otherwise.
    static func open(existingFileAt path: String, exclusive: Bool = false) throws(SecretsError) -> Database {
        var raw: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW
            | SQLITE_OPEN_PRIVATECACHE
        let rc = sqlite3_open_v2(path, &raw, flags, nil)
        guard rc == SQLITE_OK, let raw else {
            let detail = raw.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(raw)
            if rc & 0xff == SQLITE_CANTOPEN {
                throw .unavailable("cannot open the store at \(path): \(detail) (check that it is a regular file, not a symbolic link, and readable by this user)")
            }
            throw Database.error(rc, detail: detail, path: path)
        }
        // From here on, a throw releases `database`, and deinit closes the handle.
        let database = Database(path: path, handle: raw)
        try database.configure(exclusive: exclusive)
        return database
    }

    private func configure(exclusive: Bool) throws(SecretsError) {
        try check(sqlite3_busy_timeout(handle, Database.busyTimeoutMs))
        if exclusive {
            // Set before the first read so the WAL index lives in heap memory, not -shm.
            try exec("PRAGMA locking_mode = EXCLUSIVE")
        }
        try exec("PRAGMA foreign_keys = ON")
        try exec("PRAGMA secure_delete = ON")
        try exec("PRAGMA trusted_schema = OFF")
        // Statement journals (a savepoint's page images: the group commit opens one per run
        // of queued jobs) and temporary B-trees stay in memory instead of files in
        // /var/tmp: no copy of the store's pages outside its own directory, and no file
        // writes for them (measured: 746 pwrites to a temporary file per 20,000 audited gets).
        try exec("PRAGMA temp_store = MEMORY")
        let mode = try withStatement("PRAGMA journal_mode = WAL") { (statement) throws(SecretsError) -> String in
            try statement.step() ? statement.text(at: 0).lowercased() : ""
        }
        guard mode == "wal" else {
            throw .unavailable("store at \(path) cannot use write-ahead logging (journal mode is '\(mode)') (keep the store on a local filesystem)")
        }
        try exec("PRAGMA synchronous = FULL")
    }

    // MARK: - Running SQL

    /// Runs SQL that takes no parameters and returns no rows we need (pragmas, DDL,
    /// transaction control). Never pass user input here: bind it through a `Statement`.
    ///
    /// - Throws: the mapped SQLite error (see `Database.error`).
    func exec(_ sql: String) throws(SecretsError) {
        try check(sqlite3_exec(handle, sql, nil, nil, nil))
    }

    /// Prepares one statement that the caller owns (finalized in its `deinit`).
    /// `persistent` tells SQLite the statement will be kept and reused.
    ///
    /// - Throws: the mapped SQLite error; `.internal` for empty SQL or SQL holding more
    ///   than one statement (only the first would run).
    func prepare(_ sql: String, persistent: Bool = false) throws(SecretsError) -> Statement {
        var raw: OpaquePointer?
        var trailing = ""
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let rc = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v3(handle, text, -1, flags, &raw, &tail)
            if let tail { trailing = String(cString: tail) }
            return rc
        }
        try check(rc)
        guard let raw else { throw .internal("empty SQL statement") }
        let statement = Statement(handle: raw, database: handle, path: path)
        guard trailing.allSatisfy(\.isWhitespace) else {
            throw .internal("SQL holds more than one statement: \(sql.prefix(40))...")
        }
        return statement
    }

    /// Runs `body` with a statement prepared from `sql`, then resets it. With `cached`, the
    /// prepared statement is kept for the life of the connection (for the hot paths);
    /// otherwise it is finalized afterwards.
    ///
    /// - Throws: whatever preparing or `body` throws.
    func withStatement<T>(
        _ sql: String, cached: Bool = false, _ body: (Statement) throws(SecretsError) -> T
    ) throws(SecretsError) -> T {
        let statement: Statement
        if cached, let existing = cache[sql] {
            statement = existing
        } else {
            statement = try prepare(sql, persistent: cached)
            if cached { cache[sql] = statement }
        }
        defer {
            if cached { statement.reset() } else { statement.finalize() }
        }
        return try body(statement)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`: the write lock is taken up front, so
    /// what `body` reads cannot change before it writes. Any error (from `body` or from
    /// `COMMIT`) rolls the whole transaction back and is rethrown.
    ///
    /// - Throws: `.unavailable` when another connection holds the write lock for longer than
    ///   the busy timeout, whatever `body` throws, or the mapped `COMMIT` error.
    func immediateTransaction<T>(_ body: () throws(SecretsError) -> T) throws(SecretsError) -> T {
        try withStatement("BEGIN IMMEDIATE", cached: true) { (statement) throws(SecretsError) in _ = try statement.step() }
        do {
            let result = try body()
            try flushAuditHead()
            try withStatement("COMMIT", cached: true) { (statement) throws(SecretsError) in _ = try statement.step() }
            return result
        } catch {
            pendingAuditHead = nil
            rollback()
            throw error
        }
    }

    /// Runs `body` inside a deferred `BEGIN … COMMIT`, so everything it reads comes from one
    /// snapshot of the database while other connections keep writing (WAL). For reads
    /// that must agree with each other; writers use `immediateTransaction`.
    ///
    /// - Throws: whatever `body` throws (the transaction is rolled back), or the mapped
    ///   SQLite error.
    func readTransaction<T>(_ body: () throws(SecretsError) -> T) throws(SecretsError) -> T {
        try withStatement("BEGIN DEFERRED", cached: true) { (statement) throws(SecretsError) in _ = try statement.step() }
        do {
            let result = try body()
            try flushAuditHead()
            try withStatement("COMMIT", cached: true) { (statement) throws(SecretsError) in _ = try statement.step() }
            return result
        } catch {
            pendingAuditHead = nil
            rollback()
            throw error
        }
    }

    /// Runs `body` inside `SAVEPOINT job … RELEASE job`, within the caller's transaction;
    /// when `body` throws, only its own changes are rolled back.
    /// - Returns: `body`'s error, or nil when it succeeded.
    func savepoint(_ body: () throws(SecretsError) -> Void) -> SecretsError? {
        do {
            try withStatement("SAVEPOINT job", cached: true) { (statement) throws(SecretsError) in _ = try statement.step() }
        } catch {
            return error
        }
        let headBefore = pendingAuditHead
        do {
            try body()
            try withStatement("RELEASE job", cached: true) { (statement) throws(SecretsError) in _ = try statement.step() }
            return nil
        } catch {
            pendingAuditHead = headBefore
            sqlite3_exec(handle, "ROLLBACK TO job", nil, nil, nil)
            sqlite3_exec(handle, "RELEASE job", nil, nil, nil)
            return error
        }
    }

    /// Whether a transaction is open (SQLite is not in autocommit mode).
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Writes the pending audit head, if any, and forgets it.
    /// - Throws: the mapped SQLite error.
    func flushAuditHead() throws(SecretsError) {
        guard let pending = pendingAuditHead else { return }
        pendingAuditHead = nil
        try AuditHead(sequence: pending.sequence, hash: pending.hash, key: pending.key).write(self)
    }

    /// `key` prepared for the audit chain's HMAC, prepared again only when the key changes
    /// (compared by identity: the agent's audit key is one object for its whole life). The
    /// prepared state is kept, like `pendingAuditHead`'s key, until another key replaces it.
    func preparedAuditKey(_ key: SecureBytes) -> HMACSHA256Key {
        if let preparedAudit, preparedAudit.key === key { return preparedAudit.prepared }
        let prepared = HMACSHA256Key(key)
        preparedAudit = (key, prepared)
        return prepared
    }

    /// Rolls back the open transaction, if SQLite has not already done so.
    private func rollback() {
        guard sqlite3_get_autocommit(handle) == 0 else { return }
        sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
    }

    /// The rowid of the last row inserted on this connection.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    // MARK: - Errors

    /// Throws the mapped error unless `rc` is `SQLITE_OK`.
    func check(_ rc: Int32) throws(SecretsError) {
        guard rc != SQLITE_OK else { return }
        throw Database.error(rc, detail: String(cString: sqlite3_errmsg(handle)), path: path)
    }

    /// Maps an SQLite result code to a `SecretsError`. `detail` is `sqlite3_errmsg`, which
    /// never holds a value: values reach SQLite only as bound ciphertext blobs.
    ///
    /// `SQLITE_FULL` → `.resourceExhausted`; `SQLITE_READONLY` → `.unavailable`;
    /// `SQLITE_BUSY`/`SQLITE_LOCKED` → `.unavailable`; `SQLITE_CORRUPT`/`SQLITE_NOTADB` →
    /// `.integrityFailure`; anything else → `.internal`. An I/O error on a file system that
    /// turned read-only under the open store (an ext4 error with errors=remount-ro, say)
    /// counts as `SQLITE_READONLY`.
    static func error(_ rc: Int32, detail: String, path: String) -> SecretsError {
        let primary = rc & 0xff == SQLITE_IOERR && StoreFile.isOnReadOnlyFileSystem(path) ? SQLITE_READONLY : rc & 0xff
        return switch primary {
        case SQLITE_FULL:
            .resourceExhausted("disk full writing the store at \(path) (free some space and retry)")
        case SQLITE_READONLY:
            .unavailable("store at \(path) cannot be written: its file system or the file is read-only (remount it read-write or fix the file's owner and mode; reads keep working)")
        case SQLITE_BUSY, SQLITE_LOCKED:
            .unavailable("store at \(path) is busy: another process holds its write lock (retry, or stop the other process)")
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            .integrityFailure("store at \(path) is damaged or not a secrets-agent store: \(detail) (restore it from a backup)")
        default:
            .internal("store at \(path): sqlite error \(rc): \(detail)")
        }
    }
}
