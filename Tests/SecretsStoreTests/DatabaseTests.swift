import SecretsCore
import SecretsCrypto
@testable import SecretsStore
import Testing

@Suite struct DatabaseTests {
    static func emptyDatabase(in dir: TestDirectory) throws -> Database {
        try StoreFile.createExclusive(dir.storePath)
        return try Database.open(existingFileAt: dir.storePath)
    }

    @Test func connectionIsConfigured() throws {
        let dir = try TestDirectory()
        let database = try Self.emptyDatabase(in: dir)
        func pragma(_ name: String) throws -> String {
            try database.withStatement("PRAGMA \(name)") { (statement) throws(SecretsError) -> String in
                try statement.step() ? statement.text(at: 0) : ""
            }
        }
        #expect(try pragma("journal_mode") == "wal")
        #expect(try pragma("synchronous") == "2")  // FULL
        #expect(try pragma("foreign_keys") == "1")
        #expect(try pragma("secure_delete") == "1")
        #expect(try pragma("temp_store") == "2")  // MEMORY: no statement journal in /var/tmp
        #expect(try pragma("busy_timeout") == "5000")
    }

    /// The audit key is prepared once per key object, and again when another key comes.
    @Test func theAuditKeyIsPreparedOncePerKey() throws {
        let dir = try TestDirectory()
        let database = try Self.emptyDatabase(in: dir)
        let key = SecureBytes(copying: Array(repeating: UInt8(7), count: 32))
        let first = database.preparedAuditKey(key)
        #expect(database.preparedAuditKey(key) === first)
        let sameBytesOtherObject = SecureBytes(copying: Array(repeating: UInt8(7), count: 32))
        let second = database.preparedAuditKey(sameBytesOtherObject)
        #expect(second !== first)
        #expect(database.preparedAuditKey(sameBytesOtherObject) === second)
        let message = Array("entry".utf8)
        #expect(message.withUnsafeBytes { second.authenticate($0) } == message.withUnsafeBytes { HMACSHA256.authenticate($0, key: key) })
    }

    @Test func sqliteErrorsMapToSecretsErrorCodes() {
        // Result codes from sqlite3.h; the extended bits (above 0xff) are ignored.
        #expect(Database.error(13, detail: "", path: "/s").code == .resourceExhausted)  // SQLITE_FULL
        #expect(Database.error(8, detail: "", path: "/s").code == .unavailable)  // SQLITE_READONLY
        #expect(Database.error(8 | (1 << 8), detail: "", path: "/s").code == .unavailable)  // READONLY_RECOVERY
        #expect(Database.error(5, detail: "", path: "/s").code == .unavailable)  // SQLITE_BUSY
        #expect(Database.error(11, detail: "", path: "/s").code == .integrityFailure)  // SQLITE_CORRUPT
        #expect(Database.error(26, detail: "", path: "/s").code == .integrityFailure)  // SQLITE_NOTADB
        let other = Database.error(1, detail: "no such table: x", path: "/s")  // SQLITE_ERROR
        #expect(other.code == .internal)
        #expect(other.message.contains("no such table: x"))
        #expect(Database.error(13, detail: "", path: "/s").message.hasPrefix("disk full"))
    }

    @Test func aFailedTransactionRollsBack() throws {
        let dir = try TestDirectory()
        let database = try Self.emptyDatabase(in: dir)
        try database.exec("CREATE TABLE t (x INTEGER NOT NULL)")
        let error = #expect(throws: SecretsError.self) {
            try database.immediateTransaction { () throws(SecretsError) in
                try database.exec("INSERT INTO t VALUES (1)")
                try database.exec("INSERT INTO t VALUES (NULL)")  // NOT NULL fails
            }
        }
        #expect(error?.code == .internal)
        let count = try database.withStatement("SELECT count(*) FROM t") { (statement) throws(SecretsError) -> Int64 in
            try statement.step() ? statement.int64(at: 0) : -1
        }
        #expect(count == 0)
        // The connection is usable again afterwards.
        try database.immediateTransaction { () throws(SecretsError) in try database.exec("INSERT INTO t VALUES (2)") }
    }
}
