import SecretsCore

/// The schema, as numbered migrations. Migration `n` takes `PRAGMA user_version` from
/// `n - 1` to `n` inside one immediate transaction. A shipped migration is never edited:
/// changes are appended as a new one.
enum Migrations {
    /// `steps[n - 1]` is migration `n`.
    static let steps: [String] = [
        // 1: the first schema (DESIGN §5).
        """
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value BLOB NOT NULL
        );
        CREATE TABLE keyslots (
            id          INTEGER PRIMARY KEY,
            kind        TEXT NOT NULL,
            salt        BLOB NOT NULL,
            nonce       BLOB NOT NULL,
            wrapped_key BLOB NOT NULL,
            argon2_ops  INTEGER,
            argon2_mem  INTEGER,
            created_at  INTEGER NOT NULL
        );
        CREATE TABLE secrets (
            id              INTEGER PRIMARY KEY,
            name            TEXT NOT NULL,
            environment     TEXT NOT NULL,
            current_version INTEGER NOT NULL,
            created_at      INTEGER NOT NULL,
            updated_at      INTEGER NOT NULL,
            UNIQUE (name, environment)
        );
        CREATE TABLE secret_versions (
            secret_id  INTEGER NOT NULL REFERENCES secrets(id) ON DELETE CASCADE,
            version    INTEGER NOT NULL,
            algorithm  TEXT NOT NULL,
            salt       BLOB NOT NULL,
            nonce      BLOB NOT NULL,
            ciphertext BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            created_by INTEGER NOT NULL,
            PRIMARY KEY (secret_id, version)
        ) WITHOUT ROWID;
        """,
        // 2: the audit trail (DESIGN §7). Rows are append-only: the triggers refuse UPDATE
        // always, and DELETE unless `SecretStore.pruneAudit` has set `audit_pruning` to 1
        // inside its own transaction. `SecretStore+Audit.swift` explains the hash chain.
        """
        CREATE TABLE audit (
            seq         INTEGER PRIMARY KEY,
            kind        TEXT NOT NULL,     /* 'event' | 'checkpoint' */
            time_ms     INTEGER NOT NULL,
            peer_uid    INTEGER,
            peer_gid    INTEGER,
            peer_pid    INTEGER,
            exe         TEXT,
            role        TEXT,
            operation   TEXT NOT NULL,
            name        TEXT,
            environment TEXT,
            version     INTEGER,
            outcome     TEXT NOT NULL,     /* 'ok' | 'denied' | 'error' */
            error_code  TEXT,
            detail      TEXT,
            prev_hash   BLOB NOT NULL,
            hash        BLOB NOT NULL
        );
        CREATE INDEX audit_time ON audit (time_ms);
        CREATE INDEX audit_name ON audit (name);
        INSERT INTO meta (key, value) VALUES ('audit_pruning', 0);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN
            SELECT RAISE(ABORT, 'audit entries are append-only');
        END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        WHEN coalesce((SELECT value FROM meta WHERE key = 'audit_pruning'), 0) != 1
        BEGIN
            SELECT RAISE(ABORT, 'audit entries are append-only');
        END;
        """,
        """
        ALTER TABLE secrets ADD COLUMN rotate_every_s INTEGER;  /* rotation policy; NULL: none */
        ALTER TABLE secrets ADD COLUMN generator TEXT;          /* e.g. '32:hex' when the agent drew the current value */
        """,
        // 4: the encrypted cache of an upstream (DESIGN §9): one row per secret, its value
        // sealed like a local version (the binding's environment is "upstream:<env>", so a
        // cached ciphertext never opens as a local secret), and when the upstream last
        // confirmed it.
        """
        CREATE TABLE upstream_cache (
            name         TEXT NOT NULL,
            environment  TEXT NOT NULL,
            version      INTEGER NOT NULL,   /* the KV v2 version */
            algorithm    TEXT NOT NULL,
            salt         BLOB NOT NULL,
            nonce        BLOB NOT NULL,
            ciphertext   BLOB NOT NULL,
            fetched_at   INTEGER NOT NULL,   /* when the upstream last confirmed this version */
            PRIMARY KEY (name, environment)
        ) WITHOUT ROWID;
        """,
        // 5: each secret's number of kept versions, stored on its row so that `list` reads
        // it instead of counting `secret_versions` once per listed secret (a B-tree descent
        // per row: about half of SQLite's time for 1,000 names). Backfilled here; the
        // triggers keep it exact through every insert and delete, including pruning past
        // `SecretLimits.versionsKept` and the cascade when a secret is deleted.
        """
        ALTER TABLE secrets ADD COLUMN version_count INTEGER NOT NULL DEFAULT 0;
        UPDATE secrets SET version_count =
            (SELECT count(*) FROM secret_versions AS v WHERE v.secret_id = secrets.id);
        CREATE TRIGGER secret_versions_count_insert AFTER INSERT ON secret_versions
        BEGIN
            UPDATE secrets SET version_count = version_count + 1 WHERE id = new.secret_id;
        END;
        CREATE TRIGGER secret_versions_count_delete AFTER DELETE ON secret_versions
        BEGIN
            UPDATE secrets SET version_count = version_count - 1 WHERE id = old.secret_id;
        END;
        """,
    ]

    /// The schema version this build writes and understands.
    static var latest: Int { steps.count }

    /// The database's `PRAGMA user_version`.
    ///
    /// - Throws: the mapped SQLite error.
    static func version(of database: Database) throws(SecretsError) -> Int {
        try database.withStatement("PRAGMA user_version") { (statement) throws(SecretsError) -> Int in
            try statement.step() ? Int(statement.int64(at: 0)) : 0
        }
    }

    /// Applies every pending migration, each in its own immediate transaction.
    ///
    /// - Throws: `.unavailable` when the store was written by a newer schema than this
    ///   build knows; the mapped SQLite error when a migration fails (it is rolled back).
    static func migrate(_ database: Database) throws(SecretsError) {
        // The common case takes no write lock.
        if try version(of: database) == latest { return }
        while true {
            let done = try database.immediateTransaction { () throws(SecretsError) -> Bool in
                // Read inside the write lock, so two processes never apply the same step.
                let current = try version(of: database)
                guard current <= latest else {
                    throw .unavailable("store at \(database.path) has schema version \(current), newer than this secrets-agent understands (\(latest)) (upgrade secrets-agent)")
                }
                guard current < latest else { return true }
                try database.exec(steps[current])
                // PRAGMA takes no bound parameters; the value is our own integer.
                try database.exec("PRAGMA user_version = \(current + 1)")
                return false
            }
            if done { return }
        }
    }
}
