import SecretsCore

extension SecretStore {
    /// Stores a new keyslot (the master key wrapped for one more unlock method).
    ///
    /// - Returns: the id the store assigned; `slot.id` is ignored.
    /// - Throws: `.invalidArgument` when `kind` is not one of `KeyslotRecord.kinds`, a
    ///   passphrase slot lacks its Argon2id parameters, or a parameter does not fit in 63
    ///   bits; the mapped SQLite error.
    public func addKeyslot(_ slot: KeyslotRecord) throws(SecretsError) -> Int64 {
        guard KeyslotRecord.kinds.contains(slot.kind) else {
            throw .invalidArgument("unknown keyslot kind '\(slot.kind.prefix(64))' (want one of: \(KeyslotRecord.kinds.joined(separator: ", ")))")
        }
        if slot.kind == "passphrase", slot.argon2OpsLimit == nil || slot.argon2MemLimitBytes == nil {
            throw .invalidArgument("a passphrase keyslot needs its Argon2id parameters (set the ops and memory limits it was made with)")
        }
        let ops = try Self.storable(slot.argon2OpsLimit, "Argon2id ops limit")
        let mem = try Self.storable(slot.argon2MemLimitBytes, "Argon2id memory limit")
        return try withDatabase { (database) throws(SecretsError) -> Int64 in
            try database.withStatement(
                """
                INSERT INTO keyslots (kind, salt, nonce, wrapped_key, argon2_ops, argon2_mem, created_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                """
            ) { (statement) throws(SecretsError) -> Int64 in
                try statement.bind(slot.kind, at: 1)
                try statement.bind(slot.salt, at: 2)
                try statement.bind(slot.nonce, at: 3)
                try statement.bind(slot.wrappedKey, at: 4)
                try statement.bind(ops, at: 5)
                try statement.bind(mem, at: 6)
                try statement.bind(slot.createdAtUnixMs, at: 7)
                try statement.run()
                return database.lastInsertRowID
            }
        }
    }

    /// All keyslots, oldest first.
    ///
    /// - Throws: the mapped SQLite error.
    public func keyslots() throws(SecretsError) -> [KeyslotRecord] {
        try withDatabase { (database) throws(SecretsError) -> [KeyslotRecord] in
            try database.withStatement(
                """
                SELECT id, kind, salt, nonce, wrapped_key, argon2_ops, argon2_mem, created_at
                FROM keyslots ORDER BY id
                """
            ) { (statement) throws(SecretsError) -> [KeyslotRecord] in
                var result: [KeyslotRecord] = []
                while try statement.step() {
                    result.append(KeyslotRecord(
                        id: statement.int64(at: 0),
                        kind: statement.text(at: 1),
                        salt: statement.blob(at: 2),
                        nonce: statement.blob(at: 3),
                        wrappedKey: statement.blob(at: 4),
                        argon2OpsLimit: statement.optionalInt64(at: 5).map { UInt64(clamping: $0) },
                        argon2MemLimitBytes: statement.optionalInt64(at: 6).map { UInt64(clamping: $0) },
                        createdAtUnixMs: statement.int64(at: 7)))
                }
                return result
            }
        }
    }

    /// Removes a keyslot. The last one is never removed: without it the store could not
    /// be unlocked again.
    ///
    /// - Throws: `.notFound` when there is no keyslot `id`; `.invalidArgument` when it is
    ///   the last one; the mapped SQLite error.
    public func removeKeyslot(id: Int64) throws(SecretsError) {
        try withDatabase { (database) throws(SecretsError) in
            try database.immediateTransaction { () throws(SecretsError) in
                let (exists, count) = try database.withStatement(
                    "SELECT count(*) FILTER (WHERE id = ?1), count(*) FROM keyslots"
                ) { (statement) throws(SecretsError) -> (Bool, Int64) in
                    try statement.bind(id, at: 1)
                    guard try statement.step() else { return (false, 0) }
                    return (statement.int64(at: 0) > 0, statement.int64(at: 1))
                }
                guard exists else {
                    throw .notFound("no keyslot \(id) in this store (see: secrets-agent keyslot list)")
                }
                guard count > 1 else {
                    throw .invalidArgument("cannot remove the last keyslot (add another first: secrets-agent keyslot add)")
                }
                try database.withStatement("DELETE FROM keyslots WHERE id = ?1") { (statement) throws(SecretsError) in
                    try statement.bind(id, at: 1)
                    try statement.run()
                }
            }
        }
    }

    private static func storable(_ value: UInt64?, _ what: String) throws(SecretsError) -> Int64? {
        guard let value else { return nil }
        guard let exact = Int64(exactly: value) else {
            throw .invalidArgument("\(what) \(value) is out of range (at most \(Int64.max))")
        }
        return exact
    }
}
