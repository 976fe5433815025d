import Dispatch
import SecretsCore
import SecretsCrypto
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The encrypted secrets store: one SQLite file (DESIGN §5) holding keyslots, and for each
/// secret in each environment its last `SecretLimits.versionsKept` sealed versions.
///
/// The store sees ciphertext only: values arrive sealed (`put`'s `seal` closure) and leave
/// sealed (`version`). Every error is a `SecretsError`; SQLite failures map to
/// `.resourceExhausted` (disk full), `.unavailable` (read-only, busy), `.integrityFailure`
/// (damaged file) or `.internal`.
///
/// Sendable by construction: the one SQLite connection (opened `SQLITE_OPEN_NOMUTEX`) lives
/// inside a `Mutex`, so every use of it is serialized, and everything else is immutable.
public final class SecretStore: Sendable {
    /// The store file's path, as given to `create` or `open`.
    public let path: String

    /// Whether the store's file system is read-only now (writes fail; reads still work).
    public var isOnReadOnlyFileSystem: Bool { StoreFile.isOnReadOnlyFileSystem(path) }

    /// The random id bound into every value's associated data (DESIGN §4).
    public let storeID: [UInt8]
    /// The AEAD algorithm chosen at `create` for new values.
    public let cipher: AEADAlgorithm

    /// The connection; `nil` once `close()` has run.
    private let connection: Mutex<Database?>
    /// Current versions of hot secrets; only when the store is held exclusively.
    let currentVersions: CurrentVersionCache?
    /// The writer thread that commits puts and audit entries in groups; only when the
    /// store is held exclusively (the agent). Without it, each write is its own transaction.
    /// Set once, in `init`; read without a lock on every write (a `Mutex` here was one of the
    /// locks eight readers fought over). `close()` stops it rather than clearing it.
    private let groupCommit = AtomicLazyReference<GroupCommit>()

    private init(path: String, storeID: [UInt8], cipher: AEADAlgorithm, database: consuming sending Database,
                 exclusive: Bool = false) {
        self.path = path
        self.storeID = storeID
        self.cipher = cipher
        self.connection = Mutex(database)
        self.currentVersions = exclusive ? CurrentVersionCache() : nil
        if exclusive {
            let writer = GroupCommit { [weak self] (body) throws(SecretsError) in
                guard let self else { throw .unavailable("store is closed (open it again)") }
                try self.withDatabase(body)
            }
            if let writer { _ = groupCommit.storeIfNil(writer) }
        }
    }

    deinit {
        groupCommit.load()?.stop()
    }

    // MARK: - Opening

    /// Creates a new, empty store at `path`.
    ///
    /// The file is created with `O_CREAT|O_EXCL` and mode 0600 before SQLite opens it; then
    /// the schema is migrated to the latest version and `storeID`, `cipher` and the
    /// creation time are written to `meta`. On failure the half-made file is removed.
    ///
    /// - Throws: `.alreadyExists` when anything is at `path`; `.invalidArgument` when
    ///   `storeID` is empty or the directory is missing, not owned by the effective uid, or
    ///   open to group or others (the message names the fixing command); `.unavailable`,
    ///   `.resourceExhausted` or `.internal` when the file cannot be written.
    public static func create(at path: String, storeID: [UInt8], cipher: AEADAlgorithm) throws(SecretsError) -> SecretStore {
        guard !storeID.isEmpty else { throw .invalidArgument("store id is empty (generate 16 random bytes)") }
        if StoreFile.exists(path) { throw StoreFile.alreadyExists(path) }
        try StoreFile.checkDirectory(of: path)
        try StoreFile.createExclusive(path)
        do {
            let database = try Database.open(existingFileAt: path)
            try Migrations.migrate(database)
            let now = currentUnixMs()
            try database.immediateTransaction { () throws(SecretsError) in
                try writeMeta(database, key: "store_id") { (statement) throws(SecretsError) in try statement.bind(storeID, at: 2) }
                try writeMeta(database, key: "cipher") { (statement) throws(SecretsError) in try statement.bind(cipher.rawValue, at: 2) }
                try writeMeta(database, key: "created_at") { (statement) throws(SecretsError) in try statement.bind(now, at: 2) }
            }
            StoreFile.tightenSideFiles(of: path)
            return SecretStore(path: path, storeID: storeID, cipher: cipher, database: database)
        } catch {
            StoreFile.remove(path)
            throw error
        }
    }

    /// Opens an existing store, applying any pending schema migrations.
    ///
    /// - Throws: `.notFound` when there is no file at `path`; `.invalidArgument` when its
    ///   directory or the file itself is open to group or others, not owned by the
    ///   effective uid, or the file is a symbolic link; `.integrityFailure` when the file is
    ///   not a store or its `meta` is missing or damaged; `.unavailable` when it was written
    ///   by a newer schema, is read-only or is busy (another agent holds it exclusively);
    ///   `.internal` for other SQLite failures.
    /// - Parameter exclusive: hold SQLite's lock for as long as the store is open
    ///   (`locking_mode=EXCLUSIVE`). The agent does: no other process can open the store
    ///   under it, and reads skip the per-transaction `fcntl` locks and the shared-memory
    ///   WAL index, which otherwise cost more than the rest of a `get`.
    public static func open(at path: String, exclusive: Bool = false) throws(SecretsError) -> SecretStore {
        try StoreFile.checkExistingFile(path)
        try StoreFile.checkDirectory(of: path)
        let database = try Database.open(existingFileAt: path, exclusive: exclusive)
        try Migrations.migrate(database)
        let storeID = try readMeta(database, key: "store_id") { $0.blob(at: 0) }
        let cipherName = try readMeta(database, key: "cipher") { $0.text(at: 0) }
        guard !storeID.isEmpty else {
            throw .integrityFailure("store at \(path) has an empty store id (restore it from a backup)")
        }
        guard let cipher = AEADAlgorithm(rawValue: cipherName) else {
            throw .integrityFailure("store at \(path) names an unknown cipher '\(cipherName.prefix(64))' (restore it from a backup, or upgrade secrets-agent)")
        }
        StoreFile.tightenSideFiles(of: path)
        return SecretStore(path: path, storeID: storeID, cipher: cipher, database: database, exclusive: exclusive)
    }

    /// Closes the connection. Later calls on this store throw `.unavailable`; closing twice
    /// is harmless.
    public func close() {
        groupCommit.load()?.stop()  // commits what is queued first
        connection.withLock { $0 = nil }
    }

    /// Runs `body` in a write transaction and, once it has committed and synced,
    /// `afterCommit` (still under the connection's lock). Through the group commit when
    /// there is one: `body` then runs on the writer thread, inside a savepoint of a
    /// transaction shared with other writes, and this call returns when that transaction
    /// is durable.
    ///
    /// - Throws: what `body` throws (its changes are rolled back), or the `COMMIT` error.
    func write(_ body: (Database) throws(SecretsError) -> Void, afterCommit: () -> Void = {}) throws(SecretsError) {
        guard let writer = groupCommit.load() else {
            try withDatabase { (database) throws(SecretsError) in
                try database.immediateTransaction { () throws(SecretsError) in try body(database) }
                afterCommit()
            }
            return
        }
        let failure = withoutActuallyEscaping(body) { escapingBody in
            withoutActuallyEscaping(afterCommit) { escapingAfterCommit -> SecretsError? in
                let done = DispatchSemaphore(value: 0)
                let job = GroupCommit.Job(body: escapingBody, afterCommit: escapingAfterCommit, completion: .waited(done))
                guard writer.submit(job) == .queued else { return .unavailable("store at \(path) is closed (open it again)") }
                done.wait()
                return job.failure
            }
        }
        if let failure { throw failure }
    }

    /// Queues `body` for the writer's next transaction and returns (after waiting for room
    /// when too much is queued already); `onFailure` hears of it if it fails. Without a
    /// group commit, it runs now like `write` and a failure is thrown.
    func writeDeferred(_ body: @escaping @Sendable (Database) throws(SecretsError) -> Void,
                       onFailure: @escaping @Sendable (SecretsError) -> Void) throws(SecretsError) {
        if let writer = groupCommit.load() {
            let job = GroupCommit.Job(body: body, afterCommit: {}, completion: .deferred(onFailure))
            switch writer.submit(job) {
            case .queued: return
            case .stopped: throw .unavailable("store at \(path) is closed (open it again)")
            }
        }
        try write(body)
    }

    // MARK: - Internals

    /// Runs `body` with the connection, holding the lock.
    ///
    /// - Throws: `.unavailable` after `close()`; whatever `body` throws.
    func withDatabase<T: Sendable>(_ body: (Database) throws(SecretsError) -> T) throws(SecretsError) -> T {
        try connection.withLock { (database) throws(SecretsError) -> T in
            guard let database else {
                throw .unavailable("store at \(path) is closed (open it again)")
            }
            return try body(database)
        }
    }

    private static func writeMeta(
        _ database: Database, key: String, bindValue: (Statement) throws(SecretsError) -> Void
    ) throws(SecretsError) {
        try database.withStatement("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)") { (statement) throws(SecretsError) in
            try statement.bind(key, at: 1)
            try bindValue(statement)
            try statement.run()
        }
    }

    private static func readMeta<T>(
        _ database: Database, key: String, _ read: (Statement) -> T
    ) throws(SecretsError) -> T {
        try database.withStatement("SELECT value FROM meta WHERE key = ?1") { (statement) throws(SecretsError) -> T in
            try statement.bind(key, at: 1)
            guard try statement.step(), !statement.isNull(at: 0) else {
                throw .integrityFailure("store at \(database.path) has no '\(key)' in its meta table (the file is damaged or not a secrets-agent store; restore it from a backup)")
            }
            return read(statement)
        }
    }

    /// Wall-clock time in milliseconds since the Unix epoch.
    private static func currentUnixMs() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
