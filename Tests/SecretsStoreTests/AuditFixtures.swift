import SecretsCore
import SecretsCrypto
@testable import SecretsStore

/// Records, keys and tampering for the audit tests.
enum AuditFixtures {
    /// The audit key the tests write with.
    static let key = SecureBytes(copying: Array(repeating: UInt8(0x42), count: 32))
    /// Another key.
    static let otherKey = SecureBytes(copying: Array(repeating: UInt8(0x43), count: 32))

    /// Entry `i`'s record, at `i` seconds (as milliseconds). Odd entries fill in every
    /// field but `errorCode`; even ones only what is required, plus an error.
    static func record(_ i: Int, name: String? = nil, timeUnixMs: Int64? = nil) -> AuditRecord {
        let time = timeUnixMs ?? Int64(i) * 1000
        if i % 2 == 1 {
            return AuditRecord(
                timeUnixMs: time, peerUID: 1000 + UInt32(i), peerGID: 100, peerPID: 4000 + Int32(i),
                exe: "/usr/bin/python3.11", role: "agent", operation: "get", name: name ?? "db/pass-\(i)",
                environment: "production", version: UInt64(i), outcome: .ok, errorCode: nil,
                detail: "masked")
        }
        return AuditRecord(timeUnixMs: time, operation: "unlock", name: name, outcome: .error,
                           errorCode: "PERMISSION_DENIED")
    }

    /// Appends entries 1...count and returns them as read back.
    @discardableResult
    static func fill(_ store: SecretStore, count: Int) throws -> [AuditEntry] {
        for i in 1...count {
            try store.appendAudit(record(i), key: key)
        }
        return try store.auditEntries(sinceUnixMs: nil, name: nil, limit: nil)
    }

    /// Runs `sql` on a second connection to the store file, as someone with write access
    /// to the file would; with `dropTriggers`, after removing the append-only triggers.
    static func tamper(_ dir: TestDirectory, dropTriggers: Bool = true, _ sql: String) throws {
        let database = try Database.open(existingFileAt: dir.storePath)
        if dropTriggers {
            try database.exec("DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete")
        }
        try database.exec(sql)
    }

    /// How many rows the audit table holds, read on a second connection.
    static func rowCount(_ dir: TestDirectory) throws -> Int {
        let database = try Database.open(existingFileAt: dir.storePath)
        return try database.withStatement("SELECT count(*) FROM audit") { (statement) throws(SecretsError) -> Int in
            try statement.step() ? Int(statement.int64(at: 0)) : -1
        }
    }

    /// `bytes` as an SQL blob literal.
    static func blobLiteral(_ bytes: [UInt8]) -> String {
        "x'" + Hex.encode(bytes) + "'"
    }
}
