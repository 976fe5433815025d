import SecretsCore
@testable import SecretsStore
import Testing

@Suite struct StatementTests {
    @Test func valuesRoundTripThroughBindAndColumn() throws {
        let dir = try TestDirectory()
        let database = try DatabaseTests.emptyDatabase(in: dir)
        try database.exec("CREATE TABLE t (i INTEGER, s TEXT, b BLOB NOT NULL, e BLOB NOT NULL)")
        let bytes: [UInt8] = [0, 1, 0xFF, 0, 0x80]
        try database.withStatement("INSERT INTO t VALUES (?1, ?2, ?3, ?4)") { (statement) throws(SecretsError) in
            try statement.bind(Int64.min, at: 1)
            try statement.bind("naïve\nline ☃", at: 2)
            try statement.bind(bytes, at: 3)
            try statement.bind([], at: 4)  // zero-length blob, not NULL
            try statement.run()
        }
        try database.withStatement("INSERT INTO t VALUES (?1, ?2, x'', x'')") { (statement) throws(SecretsError) in
            try statement.bind(nil as Int64?, at: 1)
            try statement.bind(nil as String?, at: 2)
            try statement.run()
        }
        try database.withStatement("SELECT i, s, b, e FROM t ORDER BY rowid") { (statement) throws(SecretsError) in
            #expect(try statement.step())
            #expect(statement.int64(at: 0) == .min)
            #expect(statement.text(at: 1) == "naïve\nline ☃")
            #expect(statement.blob(at: 2) == bytes)
            #expect(statement.blob(at: 3) == [])
            #expect(!statement.isNull(at: 3))
            #expect(try statement.step())
            #expect(statement.optionalInt64(at: 0) == nil)
            #expect(statement.isNull(at: 1))
            #expect(try !statement.step())
        }
    }

    @Test func cachedStatementsAreResetBetweenUses() throws {
        let dir = try TestDirectory()
        let database = try DatabaseTests.emptyDatabase(in: dir)
        for value in Int64(1)...3 {
            let read = try database.withStatement("SELECT ?1 * 2", cached: true) { (statement) throws(SecretsError) -> Int64 in
                try statement.bind(value, at: 1)
                #expect(try statement.step())
                return statement.int64(at: 0)
            }
            #expect(read == value * 2)
        }
    }

    @Test func bindingOutOfRangeThrows() throws {
        let dir = try TestDirectory()
        let database = try DatabaseTests.emptyDatabase(in: dir)
        let error = #expect(throws: SecretsError.self) {
            try database.withStatement("SELECT ?1") { (statement) throws(SecretsError) in try statement.bind(1, at: 2) }
        }
        #expect(error?.code == .internal)
    }
}

extension StatementTests {
    @Test func moreThanOneStatementIsRefused() throws {
        let dir = try TestDirectory()
        let database = try DatabaseTests.emptyDatabase(in: dir)
        try database.exec("CREATE TABLE t (x INTEGER)")
        let error = #expect(throws: SecretsError.self) {
            try database.withStatement("INSERT INTO t VALUES (1); DROP TABLE t") { (statement) throws(SecretsError) in try statement.run() }
        }
        #expect(error?.code == .internal)
        // Neither part ran.
        let count = try database.withStatement("SELECT count(*) FROM t") { (statement) throws(SecretsError) -> Int64 in
            try statement.step() ? statement.int64(at: 0) : -1
        }
        #expect(count == 0)
        // Trailing whitespace is fine.
        try database.withStatement("SELECT 1;  \n") { (statement) throws(SecretsError) in #expect(try statement.step()) }
    }
}
