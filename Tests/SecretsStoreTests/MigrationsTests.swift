import SecretsCore
@testable import SecretsStore
import Testing

@Suite struct MigrationsTests {
    @Test func userVersionIsOneAfterCreate() throws {
        let dir = try TestDirectory()
        try dir.createStore().close()
        let database = try Database.open(existingFileAt: dir.storePath)
        #expect(try Migrations.version(of: database) == 1)
        #expect(Migrations.latest == 1)
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
        #expect(tables == ["keyslots", "meta", "secret_versions", "secrets"])
    }

    @Test func migratingTwiceChangesNothing() throws {
        let dir = try TestDirectory()
        try dir.createStore().close()
        let database = try Database.open(existingFileAt: dir.storePath)
        try Migrations.migrate(database)
        try Migrations.migrate(database)
        #expect(try Migrations.version(of: database) == 1)
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
        #expect(error?.message.contains("schema version 7, newer than this secrets-agent understands (1) (upgrade secrets-agent)") == true)
    }

    @Test func anEmptyDatabaseIsMigratedFromZero() throws {
        let dir = try TestDirectory()
        try StoreFile.createExclusive(dir.storePath)
        let database = try Database.open(existingFileAt: dir.storePath)
        #expect(try Migrations.version(of: database) == 0)
        try Migrations.migrate(database)
        #expect(try Migrations.version(of: database) == 1)
    }
}
