import SecretsCore
import SecretsCrypto
@testable import SecretsStore
import Testing

@Suite struct AuditTests {
    // MARK: - Append and read

    @Test func appendedRecordsReadBackExactlyInOrder() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let records = (1...6).map { AuditFixtures.record($0) }
        for (i, record) in records.enumerated() {
            #expect(try store.appendAudit(record, key: AuditFixtures.key) == UInt64(i + 1))
        }
        let entries = try store.auditEntries(sinceUnixMs: nil, name: nil, limit: nil)
        #expect(entries.map(\.sequence) == [1, 2, 3, 4, 5, 6])
        #expect(entries.map(\.record) == records)
        #expect(entries.allSatisfy { $0.kind == .event && $0.hash.count == 32 && $0.previousHash.count == 32 })
    }

    @Test func emptyTextIsKeptApartFromNoTextAndLongTextComesBackWhole() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let records = [
            AuditRecord(timeUnixMs: 1, exe: "", role: "", operation: "get", name: "", environment: "",
                        outcome: .ok, errorCode: "", detail: ""),
            AuditRecord(timeUnixMs: 2, operation: "get", outcome: .ok),
            AuditRecord(timeUnixMs: 3, exe: "/usr/bin/" + String(repeating: "é", count: 500), operation: "get",
                        name: "ключ/" + String(repeating: "x", count: 300), outcome: .error, errorCode: "NOT_FOUND",
                        detail: String(repeating: "d", count: 4_000)),
        ]
        for record in records { try store.appendAudit(record, key: AuditFixtures.key) }
        let entries = try store.auditEntries()
        #expect(entries.map(\.record) == records, "\"\" stays \"\", nil stays nil, every byte of long text")
        #expect(try store.verifyAudit(key: AuditFixtures.key).isIntact)
    }

    @Test func entriesAfterASequenceContinueWithTheLimitAndFilters() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try AuditFixtures.fill(store, count: 9)
        #expect(try store.auditEntries(limit: 4, afterSequence: 3).map(\.sequence) == [4, 5, 6, 7])
        #expect(try store.auditEntries(afterSequence: 7).map(\.sequence) == [8, 9])
        #expect(try store.auditEntries(afterSequence: 9).isEmpty)
        let named = try store.auditEntries(name: AuditFixtures.record(5).name)
        #expect(try store.auditEntries(name: AuditFixtures.record(5).name, afterSequence: 4).map(\.sequence)
            == named.map(\.sequence).filter { $0 > 4 })
    }

    @Test func entriesSurviveClosingAndReopening() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try AuditFixtures.fill(store, count: 3)
        store.close()
        let reopened = try SecretStore.open(at: dir.storePath)
        #expect(try reopened.appendAudit(AuditFixtures.record(4), key: AuditFixtures.key) == 4)
        #expect(try reopened.auditEntries().map(\.record) == (1...4).map { AuditFixtures.record($0) })
        #expect(try reopened.verifyAudit(key: AuditFixtures.key) == AuditVerification(entriesChecked: 4))
    }

    @Test func eachEntryNamesThePreviousOnesHash() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let entries = try AuditFixtures.fill(store, count: 5)
        #expect(entries[0].previousHash == Array(repeating: 0, count: 32))
        for n in 1..<entries.count {
            #expect(entries[n].previousHash == entries[n - 1].hash, "entry \(n + 1)")
        }
        #expect(Set(entries.map(\.hash)).count == 5)
    }

    @Test func theHashIsTheHMACOfThePreviousHashAndTheCanonicalEntry() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let entries = try AuditFixtures.fill(store, count: 2)
        for entry in entries {
            let message = entry.previousHash
                + AuditChain.canonical(sequence: entry.sequence, kind: entry.kind, record: entry.record)
            let expected = message.withUnsafeBytes { HMACSHA256.authenticate($0, key: AuditFixtures.key) }
            #expect(entry.hash == expected)
        }
    }

    // MARK: - The canonical encoding

    @Test func canonicalEncodingIsTheDocumentedLayout() {
        let record = AuditRecord(timeUnixMs: 258, peerUID: 1, peerGID: nil, peerPID: -1, exe: nil, role: "a",
                                 operation: "get", name: "", environment: nil, version: 3, outcome: .denied,
                                 errorCode: nil, detail: "d")
        var expected: [UInt8] = [0, 0, 0, 28] + Array("secrets-agent/v1/audit-entry".utf8)
        expected += [0, 0, 0, 0, 0, 0, 0, 7]                       // sequence
        expected += [0, 0, 0, 10] + Array("checkpoint".utf8)       // kind
        expected += [0, 0, 0, 0, 0, 0, 1, 2]                       // time
        expected += [1, 0, 0, 0, 1]                                 // peer uid
        expected += [0]                                             // peer gid: absent
        expected += [1, 0xff, 0xff, 0xff, 0xff]                     // peer pid -1
        expected += [0]                                             // exe: absent
        expected += [1, 0, 0, 0, 1, 0x61]                           // role "a"
        expected += [0, 0, 0, 3] + Array("get".utf8)                // operation
        expected += [1, 0, 0, 0, 0]                                 // name: present, empty
        expected += [0]                                             // environment: absent
        expected += [1, 0, 0, 0, 0, 0, 0, 0, 3]                     // version
        expected += [0, 0, 0, 6] + Array("denied".utf8)             // outcome
        expected += [0]                                             // error code: absent
        expected += [1, 0, 0, 0, 1, 0x64]                           // detail "d"
        #expect(AuditChain.canonical(sequence: 7, kind: .checkpoint, record: record) == expected)
    }

    @Test func canonicalEncodingSeparatesEveryField() {
        let base = AuditRecord(timeUnixMs: 1, operation: "get", name: "ab", environment: "c", outcome: .ok)
        var shifted = base
        shifted.name = "a"
        shifted.environment = "bc"
        var empty = base
        empty.detail = ""
        var swappedIDs = base
        swappedIDs.peerUID = 5
        var otherID = base
        otherID.peerGID = 5
        let encodings = [base, shifted, empty, swappedIDs, otherID].map {
            AuditChain.canonical(sequence: 1, kind: .event, record: $0)
        }
        #expect(Set(encodings).count == 5)
        #expect(AuditChain.canonical(sequence: 1, kind: .event, record: base)
                != AuditChain.canonical(sequence: 2, kind: .event, record: base))
        #expect(AuditChain.canonical(sequence: 1, kind: .event, record: base)
                != AuditChain.canonical(sequence: 1, kind: .checkpoint, record: base))
    }

    // MARK: - Queries

    @Test func entriesFilterBySinceNameAndLimit() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        for i in 1...10 {
            try store.appendAudit(AuditFixtures.record(i, name: i % 3 == 0 ? "db/pass" : "api/key"), key: AuditFixtures.key)
        }
        #expect(try store.auditEntries(sinceUnixMs: 7000, name: nil, limit: nil).map(\.sequence) == [7, 8, 9, 10])
        #expect(try store.auditEntries(sinceUnixMs: nil, name: "db/pass", limit: nil).map(\.sequence) == [3, 6, 9])
        #expect(try store.auditEntries(sinceUnixMs: 4000, name: "db/pass", limit: nil).map(\.sequence) == [6, 9])
        #expect(try store.auditEntries(sinceUnixMs: nil, name: nil, limit: 3).map(\.sequence) == [1, 2, 3])
        #expect(try store.auditEntries(sinceUnixMs: 5000, name: "api/key", limit: 2).map(\.sequence) == [5, 7])
        #expect(try store.auditEntries(sinceUnixMs: nil, name: nil, limit: 0).isEmpty)
        #expect(try store.auditEntries(sinceUnixMs: nil, name: "db/%", limit: nil).isEmpty)
        #expect(try store.auditEntries(sinceUnixMs: 10_001, name: nil, limit: nil).isEmpty)
        let error = #expect(throws: SecretsError.self) { try store.auditEntries(sinceUnixMs: nil, name: nil, limit: -1) }
        #expect(error?.code == .invalidArgument)
    }

    @Test func aDamagedRowIsReportedNotGuessed() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try AuditFixtures.fill(store, count: 3)
        try AuditFixtures.tamper(dir, "UPDATE audit SET outcome = 'maybe' WHERE seq = 2")
        let error = #expect(throws: SecretsError.self) { try store.auditEntries() }
        #expect(error?.code == .integrityFailure)
        #expect(error?.message == "audit entry 2 is damaged (run: secrets-agent audit verify)")
        #expect(try store.auditEntries(sinceUnixMs: 3000).map(\.sequence) == [3])
    }

    // MARK: - The triggers

    @Test func sqlUpdateAndDeleteAreRefused() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let before = try AuditFixtures.fill(store, count: 3)
        for sql in ["UPDATE audit SET operation = 'nothing' WHERE seq = 2", "UPDATE audit SET hash = hash",
                    "DELETE FROM audit WHERE seq = 3", "DELETE FROM audit"] {
            let error = #expect(throws: SecretsError.self, "\(sql)") {
                try AuditFixtures.tamper(dir, dropTriggers: false, sql)
            }
            #expect(error?.message.contains("audit entries are append-only") == true, "\(sql)")
        }
        // The store's own connection is refused too.
        let error = #expect(throws: SecretsError.self) {
            try store.withDatabase { (database) throws(SecretsError) in try database.exec("DELETE FROM audit WHERE seq = 1") }
        }
        #expect(error?.message.contains("audit entries are append-only") == true)
        #expect(try store.auditEntries() == before)
        #expect(try store.verifyAudit(key: AuditFixtures.key).isIntact)
    }

    // MARK: - Writes and their entries commit together

    @Test func putWithAuditCommitsTheVersionAndItsEntry() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try Fixtures.put(store, "db/pass")
        var record = AuditFixtures.record(1, name: "db/pass")
        record.operation = "put"
        record.version = 99
        let version = try store.put(
            name: Fixtures.name("db/pass"), environment: .development, mode: .update, expectedVersion: nil,
            createdByUID: 1000, nowUnixMs: 5, audit: AuditAppend(record: record, key: AuditFixtures.key)
        ) { version in Fixtures.sealed("db/pass", "development", version) }
        #expect(version == 2)
        let entries = try store.auditEntries()
        #expect(entries.count == 1)
        #expect(entries.first?.record.version == 2)
        #expect(entries.first?.record.operation == "put")
        #expect(entries.first?.record.name == "db/pass")
        #expect(try store.verifyAudit(key: AuditFixtures.key) == AuditVerification(entriesChecked: 1))
    }

    @Test func whenSealingFailsNeitherTheSecretNorItsEntryIsWritten() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try store.appendAudit(AuditFixtures.record(1), key: AuditFixtures.key)
        let error = #expect(throws: SecretsError.self) {
            try store.put(
                name: Fixtures.name("db/pass"), environment: .development, mode: .create, expectedVersion: nil,
                createdByUID: 1000, nowUnixMs: 5,
                audit: AuditAppend(record: AuditFixtures.record(2), key: AuditFixtures.key)
            ) { (_) throws(SecretsError) -> SealedValue in throw .internal("sealing failed") }
        }
        #expect(error?.message == "sealing failed")
        #expect(try store.secretCount() == 0)
        #expect(try AuditFixtures.rowCount(dir) == 1)
        #expect(try store.appendAudit(AuditFixtures.record(2), key: AuditFixtures.key) == 2)
        #expect(try store.verifyAudit(key: AuditFixtures.key) == AuditVerification(entriesChecked: 2))
    }

    @Test func whenTheEntryCannotBeWrittenThePutIsRefused() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try store.appendAudit(AuditFixtures.record(1), key: AuditFixtures.key)
        // A key the trail was not written with cannot extend it.
        let error = #expect(throws: SecretsError.self) {
            try store.put(
                name: Fixtures.name("db/pass"), environment: .development, mode: .create, expectedVersion: nil,
                createdByUID: 1000, nowUnixMs: 5,
                audit: AuditAppend(record: AuditFixtures.record(2), key: AuditFixtures.otherKey)
            ) { version in Fixtures.sealed("db/pass", "development", version) }
        }
        #expect(error?.code == .integrityFailure)
        #expect(try store.secretCount() == 0)
        #expect(try AuditFixtures.rowCount(dir) == 1)
    }

    @Test func deleteWithAuditCommitsBothOrNeither() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try Fixtures.put(store, "db/pass")
        try Fixtures.put(store, "db/pass")
        var record = AuditFixtures.record(1, name: "db/pass")
        record.operation = "delete"

        // A head record with a bad MAC: the entry cannot be written, so the delete is refused.
        try AuditFixtures.tamper(dir, dropTriggers: false, """
            INSERT OR REPLACE INTO meta (key, value) VALUES
                ('audit_head_seq', 1), ('audit_head_hash', zeroblob(32)), ('audit_head_mac', zeroblob(32))
            """)
        let refused = #expect(throws: SecretsError.self) {
            try store.delete(name: Fixtures.name("db/pass"), environment: .development,
                             audit: AuditAppend(record: record, key: AuditFixtures.key))
        }
        #expect(refused?.code == .integrityFailure)
        #expect(try store.secretCount() == 1)
        #expect(try AuditFixtures.rowCount(dir) == 0)

        try AuditFixtures.tamper(dir, dropTriggers: false, "DELETE FROM meta WHERE key LIKE 'audit_head_%'")
        #expect(try store.delete(name: Fixtures.name("db/pass"), environment: .development,
                                 audit: AuditAppend(record: record, key: AuditFixtures.key)) == 2)
        #expect(try store.secretCount() == 0)
        let entries = try store.auditEntries()
        #expect(entries.map(\.record.version) == [nil])
        #expect(entries.map(\.record.operation) == ["delete"])
    }

    @Test func aFullDiskRefusesTheEntryAndLeavesTheTrailIntact() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try store.withDatabase { (database) throws(SecretsError) in
            let pages = try database.withStatement("PRAGMA page_count") { (statement) throws(SecretsError) -> Int64 in
                try statement.step() ? statement.int64(at: 0) : 0
            }
            try database.exec("PRAGMA max_page_count = \(pages + 2)")
        }
        var written = 0
        var failure: SecretsError?
        for i in 1...2000 {
            var record = AuditFixtures.record(i)
            record.detail = String(repeating: "x", count: 300)
            do {
                try store.appendAudit(record, key: AuditFixtures.key)
                written += 1
            } catch {
                failure = error
                break
            }
        }
        #expect(failure?.code == .resourceExhausted)
        #expect(written > 0 && written < 2000)
        #expect(try store.auditEntries().count == written)
        // A write with its entry is refused whole.
        let putError = #expect(throws: SecretsError.self) {
            try store.put(
                name: Fixtures.name("big/value"), environment: .development, mode: .create, expectedVersion: nil,
                createdByUID: 1000, nowUnixMs: 5,
                audit: AuditAppend(record: AuditFixtures.record(1), key: AuditFixtures.key)
            ) { _ in SealedValue(algorithm: .xchacha20poly1305, salt: [], nonce: [],
                                 ciphertext: Array(repeating: 1, count: 20_000)) }
        }
        #expect(putError?.code == .resourceExhausted)
        #expect(try store.secretCount() == 0)
        #expect(try store.verifyAudit(key: AuditFixtures.key) == AuditVerification(entriesChecked: written))
    }

    @Test func anotherKeyCannotExtendTheTrail() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try AuditFixtures.fill(store, count: 2)
        let error = #expect(throws: SecretsError.self) {
            try store.appendAudit(AuditFixtures.record(3), key: AuditFixtures.otherKey)
        }
        #expect(error?.code == .integrityFailure)
        #expect(error?.message == "the audit trail's head record does not verify: it was altered, or this is not the trail's audit key; refusing to extend it (run: secrets-agent audit verify)")
        #expect(try AuditFixtures.rowCount(dir) == 2)
    }

    // MARK: - Many entries in one transaction (the head is written once, before COMMIT)

    @Test func entriesOfOneTransactionChainAsIfAppendedOneByOne() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try AuditFixtures.fill(store, count: 2)
        let failure = SecretsError.internal("job failed")
        let failures = try store.withDatabase { (database) throws(SecretsError) -> [SecretsError?] in
            try database.immediateTransaction { () throws(SecretsError) -> [SecretsError?] in
                (3...8).map { i in
                    database.savepoint { () throws(SecretsError) in
                        try SecretStore.appendAuditEntry(database, kind: .event, record: AuditFixtures.record(i), key: AuditFixtures.key)
                        if i == 5 { throw failure }  // rolled back: its entry and its move of the head
                    }
                }
            }
        }
        #expect(failures.map { $0 == nil } == [true, true, false, true, true, true])
        let entries = try store.auditEntries()
        #expect(entries.map(\.sequence) == [1, 2, 3, 4, 5, 6, 7])
        #expect(entries.map(\.record) == ([1, 2, 3, 4, 6, 7, 8] as [Int]).map { AuditFixtures.record($0) })
        #expect(zip(entries, entries.dropFirst()).allSatisfy { $1.previousHash == $0.hash })
        #expect(try store.verifyAudit(key: AuditFixtures.key) == AuditVerification(entriesChecked: 7))
        // The head moved to the last entry: removing it is detected, and the next append follows it.
        #expect(try store.appendAudit(AuditFixtures.record(9), key: AuditFixtures.key) == 8)
        #expect(try store.verifyAudit(key: AuditFixtures.key) == AuditVerification(entriesChecked: 8))
    }

    @Test func aTransactionThatFailsLeavesTheHeadWhereItWas() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try AuditFixtures.fill(store, count: 2)
        #expect(throws: SecretsError.self) {
            try store.withDatabase { (database) throws(SecretsError) in
                try database.immediateTransaction { () throws(SecretsError) in
                    try SecretStore.appendAuditEntry(database, kind: .event, record: AuditFixtures.record(3), key: AuditFixtures.key)
                    throw SecretsError.internal("the whole transaction fails")
                }
            }
        }
        #expect(try store.withDatabase { (database) throws(SecretsError) -> Bool in database.pendingAuditHead == nil })
        #expect(try store.appendAudit(AuditFixtures.record(3), key: AuditFixtures.key) == 3)
        #expect(try store.verifyAudit(key: AuditFixtures.key) == AuditVerification(entriesChecked: 3))
    }

    @Test func anotherKeyCannotExtendATransactionsPendingHead() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try AuditFixtures.fill(store, count: 1)
        let error = #expect(throws: SecretsError.self) {
            try store.withDatabase { (database) throws(SecretsError) in
                try database.immediateTransaction { () throws(SecretsError) in
                    try SecretStore.appendAuditEntry(database, kind: .event, record: AuditFixtures.record(2), key: AuditFixtures.key)
                    try SecretStore.appendAuditEntry(database, kind: .event, record: AuditFixtures.record(3), key: AuditFixtures.otherKey)
                }
            }
        }
        #expect(error?.code == .integrityFailure)
        #expect(try AuditFixtures.rowCount(dir) == 1)
        #expect(try store.verifyAudit(key: AuditFixtures.key) == AuditVerification(entriesChecked: 1))
    }

    @Test func aVersionBeyondSixtyThreeBitsIsRefused() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        var record = AuditFixtures.record(1)
        record.version = UInt64(Int64.max) + 1
        let error = #expect(throws: SecretsError.self) { try store.appendAudit(record, key: AuditFixtures.key) }
        #expect(error?.code == .invalidArgument)
        #expect(try AuditFixtures.rowCount(dir) == 0)
        record.version = UInt64(Int64.max)
        #expect(try store.appendAudit(record, key: AuditFixtures.key) == 1)
        #expect(try store.auditEntries().first?.record.version == UInt64(Int64.max))
    }
}
