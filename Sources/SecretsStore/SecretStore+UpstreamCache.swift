import SecretsCore
import SecretsCrypto

/// The encrypted cache of an upstream's values (DESIGN §9): one row per secret.
extension SecretStore {
    /// The cached value of a secret, or `nil` when none is cached.
    ///
    /// - Throws: `.integrityFailure` for a damaged row; the mapped SQLite error.
    public func cachedValue(name: SecretName, environment: Environment) throws(SecretsError) -> CachedValue? {
        try withDatabase { (database) throws(SecretsError) -> CachedValue? in
            try database.withStatement(
                """
                SELECT version, algorithm, salt, nonce, ciphertext, fetched_at
                FROM upstream_cache WHERE name = ?1 AND environment = ?2
                """, cached: true
            ) { (statement) throws(SecretsError) -> CachedValue? in
                try statement.bind(name.rawValue, at: 1)
                try statement.bind(environment.rawValue, at: 2)
                guard try statement.step() else { return nil }
                let algorithmName = statement.text(at: 1)
                guard let algorithm = AEADAlgorithm(rawValue: algorithmName) else {
                    throw .integrityFailure("the cached \(name) in \(environment) names an unknown algorithm '\(algorithmName.prefix(64))' (upgrade secrets-agent)")
                }
                return CachedValue(
                    name: name, environment: environment, version: UInt64(clamping: statement.int64(at: 0)),
                    sealed: SealedValue(algorithm: algorithm, salt: statement.blob(at: 2), nonce: statement.blob(at: 3),
                                        ciphertext: statement.blob(at: 4)),
                    fetchedAtUnixMs: statement.int64(at: 5))
            }
        }
    }

    /// Stores (or replaces) the cached value of a secret.
    ///
    /// - Throws: the mapped SQLite error.
    public func storeCached(_ entry: CachedValue) throws(SecretsError) {
        try withDatabase { (database) throws(SecretsError) in
            try database.withStatement(
                """
                INSERT OR REPLACE INTO upstream_cache
                    (name, environment, version, algorithm, salt, nonce, ciphertext, fetched_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                """, cached: true
            ) { (statement) throws(SecretsError) in
                try statement.bind(entry.name.rawValue, at: 1)
                try statement.bind(entry.environment.rawValue, at: 2)
                try statement.bind(Int64(clamping: entry.version), at: 3)
                try statement.bind(entry.sealed.algorithm.rawValue, at: 4)
                try statement.bind(entry.sealed.salt, at: 5)
                try statement.bind(entry.sealed.nonce, at: 6)
                try statement.bind(entry.sealed.ciphertext, at: 7)
                try statement.bind(entry.fetchedAtUnixMs, at: 8)
                try statement.run()
            }
        }
    }

    /// Notes that the upstream confirmed the cached `version` at `nowUnixMs`; does nothing
    /// when the cache holds another version.
    ///
    /// - Throws: the mapped SQLite error.
    public func confirmCached(name: SecretName, environment: Environment, version: UInt64, nowUnixMs: Int64) throws(SecretsError) {
        try withDatabase { (database) throws(SecretsError) in
            try database.withStatement(
                "UPDATE upstream_cache SET fetched_at = ?4 WHERE name = ?1 AND environment = ?2 AND version = ?3",
                cached: true
            ) { (statement) throws(SecretsError) in
                try statement.bind(name.rawValue, at: 1)
                try statement.bind(environment.rawValue, at: 2)
                try statement.bind(Int64(clamping: version), at: 3)
                try statement.bind(nowUnixMs, at: 4)
                try statement.run()
            }
        }
    }

    /// Drops the cached value of a secret; true when there was one.
    ///
    /// - Throws: the mapped SQLite error.
    @discardableResult
    public func removeCached(name: SecretName, environment: Environment) throws(SecretsError) -> Bool {
        try withDatabase { (database) throws(SecretsError) -> Bool in
            try database.withStatement(
                "DELETE FROM upstream_cache WHERE name = ?1 AND environment = ?2", cached: true
            ) { (statement) throws(SecretsError) -> Bool in
                try statement.bind(name.rawValue, at: 1)
                try statement.bind(environment.rawValue, at: 2)
                try statement.run()
                return database.changes > 0
            }
        }
    }

    /// Every cached secret (sealed), sorted by environment, then name.
    ///
    /// - Throws: `.integrityFailure` for a damaged row; the mapped SQLite error.
    public func cachedValues() throws(SecretsError) -> [CachedValue] {
        let keys = try withDatabase { (database) throws(SecretsError) -> [(String, String)] in
            try database.withStatement(
                "SELECT name, environment FROM upstream_cache ORDER BY environment, name"
            ) { (statement) throws(SecretsError) -> [(String, String)] in
                var keys: [(String, String)] = []
                while try statement.step() { keys.append((statement.text(at: 0), statement.text(at: 1))) }
                return keys
            }
        }
        var entries: [CachedValue] = []
        for (rawName, rawEnvironment) in keys {
            guard let name = try? SecretName(rawName), let environment = try? Environment(rawEnvironment) else {
                throw .integrityFailure("the upstream cache holds an invalid name or environment (remove the store's upstream_cache rows)")
            }
            if let entry = try cachedValue(name: name, environment: environment) { entries.append(entry) }
        }
        return entries
    }
}
