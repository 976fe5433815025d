import SecretsCore
import SecretsCrypto
@testable import SecretsStore
import Testing

@Suite struct MigrationsTests {
    @Test func userVersionIsTheLatestAfterCreate() throws {
        let dir = try TestDirectory()
        try dir.createStore().close()
        let database = try Database.open(existingFileAt: dir.storePath)
        #expect(try Migrations.version(of: database) == Migrations.latest)
        #expect(Migrations.latest == 5)
    }

    @Test func migrationOneCreatesTheSchema() throws {
        let dir = try TestDirectory()
        try dir.createStore().close()
        let database = try Database.open(existingFileAt: dir.storePath)
        let tables = try database.withStatement(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ) { (statement) throws(SecretsError) -> [String] in
            var names: [String] = []
            while try statement.step() { names.append(statement.text(at: 0)) }
            return names
        }
        #expect(tables == ["audit", "keyslots", "meta", "secret_versions", "secrets", "upstream_cache"])
    }

    @Test func migratingTwiceChangesNothing() throws {
        let dir = try TestDirectory()
        try dir.createStore().close()
        let database = try Database.open(existingFileAt: dir.storePath)
        try Migrations.migrate(database)
        try Migrations.migrate(database)
        #expect(try Migrations.version(of: database) == Migrations.latest)
    }

    @Test func aStoreFromANewerSchemaIsRefused() throws {
        let dir = try TestDirectory()
        try dir.createStore().close()
        do {
            let database = try Database.open(existingFileAt: dir.storePath)
            try database.exec("PRAGMA user_version = 7")
        }
        let error = #expect(throws: SecretsError.self) { try SecretStore.open(at: dir.storePath) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("schema version 7, newer than this secrets-agent understands (5) (upgrade secrets-agent)") == true)
    }

    @Test func anEmptyDatabaseIsMigratedFromZero() throws {
        let dir = try TestDirectory()
        try StoreFile.createExclusive(dir.storePath)
        let database = try Database.open(existingFileAt: dir.storePath)
        #expect(try Migrations.version(of: database) == 0)
        try Migrations.migrate(database)
        #expect(try Migrations.version(of: database) == Migrations.latest)
    }

    // MARK: - Migration 2: the audit trail

    @Test func migrationTwoAddsTheAuditTableIndexesTriggersAndPruningFlag() throws {
        let dir = try TestDirectory()
        try dir.createStore().close()
        let database = try Database.open(existingFileAt: dir.storePath)
        let objects = try database.withStatement(
            "SELECT type, name FROM sqlite_master WHERE tbl_name = 'audit' AND name NOT LIKE 'sqlite_%' ORDER BY type, name"
        ) { (statement) throws(SecretsError) -> [String] in
            var names: [String] = []
            while try statement.step() { names.append("\(statement.text(at: 0)) \(statement.text(at: 1))") }
            return names
        }
        #expect(objects == ["index audit_name", "index audit_time", "table audit",
                            "trigger audit_no_delete", "trigger audit_no_update"])
        let columns = try database.withStatement("SELECT name FROM pragma_table_info('audit') ORDER BY cid") { (statement) throws(SecretsError) -> [String] in
            var names: [String] = []
            while try statement.step() { names.append(statement.text(at: 0)) }
            return names
        }
        #expect(columns == ["seq", "kind", "time_ms", "peer_uid", "peer_gid", "peer_pid", "exe", "role", "operation",
                            "name", "environment", "version", "outcome", "error_code", "detail", "prev_hash", "hash"])
        let pruning = try database.withStatement("SELECT value FROM meta WHERE key = 'audit_pruning'") { (statement) throws(SecretsError) -> Int64? in
            try statement.step() ? statement.int64(at: 0) : nil
        }
        #expect(pruning == 0)
    }

    @Test func aStoreAtVersionOneMigratesAndKeepsItsSecrets() throws {
        let dir = try TestDirectory()
        // A store exactly as a build that knew only migration 1 left it, holding one secret.
        try StoreFile.createExclusive(dir.storePath)
        do {
            let database = try Database.open(existingFileAt: dir.storePath)
            try database.immediateTransaction { () throws(SecretsError) in
                try database.exec(Migrations.steps[0])
                try database.exec("PRAGMA user_version = 1")
            }
            try database.withStatement(
                "INSERT INTO meta (key, value) VALUES ('store_id', ?1), ('cipher', ?2), ('created_at', 1)"
            ) { (statement) throws(SecretsError) in
                try statement.bind(Fixtures.storeID, at: 1)
                try statement.bind(AEADAlgorithm.xchacha20poly1305.rawValue, at: 2)
                try statement.run()
            }
            let sealed = Fixtures.sealed("db/pass", "development", 1)
            try database.exec("INSERT INTO secrets (id, name, environment, current_version, created_at, updated_at) VALUES (1, 'db/pass', 'development', 1, 5, 5)")
            try database.withStatement(
                "INSERT INTO secret_versions VALUES (1, 1, 'xchacha20poly1305', ?1, ?2, ?3, 5, 1000)"
            ) { (statement) throws(SecretsError) in
                try statement.bind(sealed.salt, at: 1)
                try statement.bind(sealed.nonce, at: 2)
                try statement.bind(sealed.ciphertext, at: 3)
                try statement.run()
            }
            #expect(try Migrations.version(of: database) == 1)
        }

        let store = try SecretStore.open(at: dir.storePath)
        let stored = try store.version(name: Fixtures.name("db/pass"), environment: .development, version: nil)
        #expect(stored.sealed == Fixtures.sealed("db/pass", "development", 1))
        // Migration 3: the secret has no rotation policy and no generator record.
        let metadata = try store.metadata(name: Fixtures.name("db/pass"), environment: .development)
        #expect(metadata.rotateEverySeconds == nil && metadata.generator == nil)
        // Migration 5: the version count was backfilled from the versions already there.
        #expect(metadata.versionCount == 1)
        let key = SecureBytes(copying: Array(repeating: UInt8(7), count: 32))
        #expect(try store.appendAudit(AuditRecord(timeUnixMs: 9, operation: "get", outcome: .ok), key: key) == 1)
        #expect(try store.verifyAudit(key: key) == AuditVerification(entriesChecked: 1))
        store.close()

        let database = try Database.open(existingFileAt: dir.storePath)
        #expect(try Migrations.version(of: database) == Migrations.latest)
        let error = #expect(throws: SecretsError.self) { try database.exec("DELETE FROM audit") }
        #expect(error?.message.contains("audit entries are append-only") == true)
    }
}
