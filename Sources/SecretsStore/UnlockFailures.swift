import SecretsCore

/// Consecutive failed unlocks, kept in the store so that the back-off survives a restart.
public struct UnlockFailures: Sendable, Equatable {
    /// Failures since the last successful unlock.
    public var count: Int
    /// When the last one happened (Unix ms); 0 when there was none.
    public var lastUnixMs: Int64

    public init(count: Int, lastUnixMs: Int64) {
        self.count = count
        self.lastUnixMs = lastUnixMs
    }
}

extension SecretStore {
    /// The failed-unlock counter. - Throws: the mapped SQLite error.
    public func unlockFailures() throws(SecretsError) -> UnlockFailures {
        try withDatabase { (database) throws(SecretsError) -> UnlockFailures in
            UnlockFailures(count: Int(try Self.metaInteger(database, "unlock_failures")),
                           lastUnixMs: try Self.metaInteger(database, "unlock_last_failure_ms"))
        }
    }

    /// Counts one more failed unlock at `nowUnixMs`. - Returns: the new counter.
    @discardableResult
    public func recordUnlockFailure(nowUnixMs: Int64) throws(SecretsError) -> UnlockFailures {
        try withDatabase { (database) throws(SecretsError) -> UnlockFailures in
            try database.immediateTransaction { () throws(SecretsError) -> UnlockFailures in
                let count = try Self.metaInteger(database, "unlock_failures") + 1
                try Self.setMetaInteger(database, "unlock_failures", count)
                try Self.setMetaInteger(database, "unlock_last_failure_ms", nowUnixMs)
                return UnlockFailures(count: Int(count), lastUnixMs: nowUnixMs)
            }
        }
    }

    /// Clears the counter after a successful unlock.
    public func resetUnlockFailures() throws(SecretsError) {
        try withDatabase { (database) throws(SecretsError) in
            try Self.setMetaInteger(database, "unlock_failures", 0)
        }
    }

    private static func metaInteger(_ database: Database, _ key: String) throws(SecretsError) -> Int64 {
        try database.withStatement("SELECT value FROM meta WHERE key = ?1") { (statement) throws(SecretsError) -> Int64 in
            try statement.bind(key, at: 1)
            guard try statement.step(), !statement.isNull(at: 0) else { return 0 }
            return statement.int64(at: 0)
        }
    }

    private static func setMetaInteger(_ database: Database, _ key: String, _ value: Int64) throws(SecretsError) {
        try database.withStatement("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)") { (statement) throws(SecretsError) in
            try statement.bind(key, at: 1)
            try statement.bind(value, at: 2)
            try statement.run()
        }
    }
}
