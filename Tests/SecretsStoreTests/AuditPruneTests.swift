import SecretsCore
import SecretsCrypto
@testable import SecretsStore
import Testing

@Suite struct AuditPruneTests {
    private func broken(_ checked: Int, _ sequence: UInt64, _ reason: String) -> AuditVerification {
        AuditVerification(entriesChecked: checked, firstBadSequence: sequence, reason: reason)
    }

    @Test func pruningFiveOfTenLeavesACheckpointAndAVerifiableTrail() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let entries = try AuditFixtures.fill(store, count: 10)   // at 1000, 2000, ... 10000 ms

        #expect(try store.pruneAudit(olderThanUnixMs: 5500, key: AuditFixtures.key, nowUnixMs: 20_000) == 5)

        let left = try store.auditEntries()
        #expect(left.map(\.sequence) == [6, 7, 8, 9, 10, 11])
        #expect(Array(left.prefix(5)) == Array(entries.suffix(5)))
        let checkpoint = try #require(left.last)
        #expect(checkpoint.kind == .checkpoint)
        #expect(checkpoint.record == AuditRecord(
            timeUnixMs: 20_000, operation: "audit-prune", outcome: .ok,
            detail: "pruned=5 older_than_ms=5500 last_seq=5 last_hash=\(Hex.encode(entries[4].hash))"))
        #expect(checkpoint.previousHash == entries[9].hash)
        #expect(try store.verifyAudit(key: AuditFixtures.key) == AuditVerification(entriesChecked: 6))

        // Removing the oldest entry left, by hand, is not pruning.
        try AuditFixtures.tamper(dir, "DELETE FROM audit WHERE seq = 6")
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(1, 6, "entry 6 is missing"))
    }

    @Test func removingMoreOfTheOldestAfterPruningIsFound() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try AuditFixtures.fill(store, count: 10)
        try store.pruneAudit(olderThanUnixMs: 3500, key: AuditFixtures.key, nowUnixMs: 20_000)
        try AuditFixtures.tamper(dir, "DELETE FROM audit WHERE seq <= 6")
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(1, 4, "entry 4 is missing"))
    }

    @Test func theCheckpointItselfCannotBeRemoved() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try AuditFixtures.fill(store, count: 10)
        try store.pruneAudit(olderThanUnixMs: 5500, key: AuditFixtures.key, nowUnixMs: 20_000)
        try store.appendAudit(AuditFixtures.record(12), key: AuditFixtures.key)
        try AuditFixtures.tamper(dir, "DELETE FROM audit WHERE seq = 11")
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(1, 1, "entry 1 is missing"))
    }

    @Test func aForgedCheckpointIsNotAccepted() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let entries = try AuditFixtures.fill(store, count: 10)
        // Everything a forger can read, but no key: the checkpoint's hash cannot be right.
        let detail = "pruned=5 older_than_ms=5500 last_seq=5 last_hash=\(Hex.encode(entries[4].hash))"
        try AuditFixtures.tamper(dir, """
            DELETE FROM audit WHERE seq <= 5;
            INSERT INTO audit (seq, kind, time_ms, operation, outcome, detail, prev_hash, hash)
            VALUES (11, 'checkpoint', 20000, 'audit-prune', 'ok', '\(detail)',
                    \(AuditFixtures.blobLiteral(entries[9].hash)), \(AuditFixtures.blobLiteral(SecureRandom.bytes(32))))
            """)
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(1, 1, "entry 1 is missing"))
    }

    @Test func anEventCannotPassForACheckpoint() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let entries = try AuditFixtures.fill(store, count: 10)
        // A caller may put any text in an event's detail, even a checkpoint's.
        var record = AuditFixtures.record(11)
        record.detail = "pruned=5 older_than_ms=5500 last_seq=5 last_hash=\(Hex.encode(entries[4].hash))"
        try store.appendAudit(record, key: AuditFixtures.key)
        try AuditFixtures.tamper(dir, "DELETE FROM audit WHERE seq <= 5")
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(1, 1, "entry 1 is missing"))
    }

    @Test func pruningTwiceRemovesTheFirstCheckpointAndStillVerifies() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try AuditFixtures.fill(store, count: 10)
        #expect(try store.pruneAudit(olderThanUnixMs: 5500, key: AuditFixtures.key, nowUnixMs: 10_500) == 5)
        try store.appendAudit(AuditFixtures.record(12), key: AuditFixtures.key)
        try store.appendAudit(AuditFixtures.record(13), key: AuditFixtures.key)
        // Entries 6-10, the first checkpoint (11, at 10500) and 12 are older than 12500.
        #expect(try store.pruneAudit(olderThanUnixMs: 12_500, key: AuditFixtures.key, nowUnixMs: 14_000) == 7)
        let left = try store.auditEntries()
        #expect(left.map(\.sequence) == [13, 14])
        #expect(left.map(\.kind) == [.event, .checkpoint])
        #expect(left.last?.record.detail?.hasPrefix("pruned=7 older_than_ms=12500 last_seq=12 last_hash=") == true)
        #expect(try store.verifyAudit(key: AuditFixtures.key) == AuditVerification(entriesChecked: 2))
    }

    @Test func theNewestEntryIsNeverPruned() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try AuditFixtures.fill(store, count: 10)
        #expect(try store.pruneAudit(olderThanUnixMs: .max, key: AuditFixtures.key, nowUnixMs: 20_000) == 9)
        #expect(try store.auditEntries().map(\.sequence) == [10, 11])
        #expect(try store.verifyAudit(key: AuditFixtures.key) == AuditVerification(entriesChecked: 2))
        // The checkpoint is now the newest, so pruning again removes only entry 10.
        #expect(try store.pruneAudit(olderThanUnixMs: .max, key: AuditFixtures.key, nowUnixMs: 30_000) == 1)
        #expect(try store.auditEntries().map(\.sequence) == [11, 12])
        #expect(try store.auditEntries().map(\.kind) == [.checkpoint, .checkpoint])
        #expect(try store.verifyAudit(key: AuditFixtures.key) == AuditVerification(entriesChecked: 2))
    }

    @Test func onlyARunOfTheOldestEntriesIsPruned() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        // The clock stepped back after entry 3: entries 4 and 5 are old, but follow one that is not.
        for (i, time) in [1000, 2000, 9000, 3000, 4000, 9500].enumerated() {
            try store.appendAudit(AuditFixtures.record(i + 1, timeUnixMs: Int64(time)), key: AuditFixtures.key)
        }
        #expect(try store.pruneAudit(olderThanUnixMs: 5000, key: AuditFixtures.key, nowUnixMs: 20_000) == 2)
        #expect(try store.auditEntries().map(\.sequence) == [3, 4, 5, 6, 7])
        #expect(try store.verifyAudit(key: AuditFixtures.key).isIntact)
    }

    @Test func pruningNothingWritesNothing() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        #expect(try store.pruneAudit(olderThanUnixMs: .max, key: AuditFixtures.key, nowUnixMs: 1) == 0)
        #expect(try AuditFixtures.rowCount(dir) == 0)
        try store.appendAudit(AuditFixtures.record(1), key: AuditFixtures.key)
        #expect(try store.pruneAudit(olderThanUnixMs: .max, key: AuditFixtures.key, nowUnixMs: 1) == 0)
        try AuditFixtures.fill(store, count: 3)
        #expect(try store.pruneAudit(olderThanUnixMs: 500, key: AuditFixtures.key, nowUnixMs: 1) == 0)
        #expect(try AuditFixtures.rowCount(dir) == 4)
        #expect(try store.verifyAudit(key: AuditFixtures.key) == AuditVerification(entriesChecked: 4))
    }

    @Test func afterPruningDeletesAreRefusedAgain() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try AuditFixtures.fill(store, count: 4)
        try store.pruneAudit(olderThanUnixMs: 2500, key: AuditFixtures.key, nowUnixMs: 20_000)
        let error = #expect(throws: SecretsError.self) {
            try AuditFixtures.tamper(dir, dropTriggers: false, "DELETE FROM audit WHERE seq = 3")
        }
        #expect(error?.message.contains("audit entries are append-only") == true)
        let flag = try store.withDatabase { (database) throws(SecretsError) -> Int64 in
            try database.withStatement("SELECT value FROM meta WHERE key = 'audit_pruning'") { (statement) throws(SecretsError) -> Int64 in
                try statement.step() ? statement.int64(at: 0) : -1
            }
        }
        #expect(flag == 0)
    }

    @Test func tamperedEntriesAreNotPrunedAway() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try AuditFixtures.fill(store, count: 10)
        try AuditFixtures.tamper(dir, "UPDATE audit SET operation = 'list' WHERE seq = 3")
        let error = #expect(throws: SecretsError.self) {
            try store.pruneAudit(olderThanUnixMs: 5500, key: AuditFixtures.key, nowUnixMs: 20_000)
        }
        #expect(error?.code == .integrityFailure)
        #expect(error?.message == "refusing to prune the audit trail: entry 3 was altered (keep this store for investigation; pruning would remove the evidence)")
        #expect(try AuditFixtures.rowCount(dir) == 10)
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(3, 3, "entry 3 was altered"))
    }

    @Test func aBrokenLinkToTheFirstEntryKeptStopsPruning() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try AuditFixtures.fill(store, count: 10)
        try AuditFixtures.tamper(dir, "UPDATE audit SET detail = 'edited' WHERE seq = 6")
        let error = #expect(throws: SecretsError.self) {
            try store.pruneAudit(olderThanUnixMs: 5500, key: AuditFixtures.key, nowUnixMs: 20_000)
        }
        #expect(error?.message.contains("entry 6 was altered") == true)
        // Damage later in the trail survives pruning, so pruning goes ahead.
        let later = try TestDirectory()
        let other = try later.createStore()
        try AuditFixtures.fill(other, count: 10)
        try AuditFixtures.tamper(later, "UPDATE audit SET detail = 'edited' WHERE seq = 8")
        #expect(try other.pruneAudit(olderThanUnixMs: 5500, key: AuditFixtures.key, nowUnixMs: 20_000) == 5)
        #expect(try other.verifyAudit(key: AuditFixtures.key) == broken(3, 8, "entry 8 was altered"))
    }

    @Test func theWrongKeyCannotPrune() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try AuditFixtures.fill(store, count: 10)
        let error = #expect(throws: SecretsError.self) {
            try store.pruneAudit(olderThanUnixMs: 5500, key: AuditFixtures.otherKey, nowUnixMs: 20_000)
        }
        #expect(error?.code == .integrityFailure)
        #expect(try AuditFixtures.rowCount(dir) == 10)
    }

    @Test func checkpointDetailRoundTripsAndNothingElseParses() {
        let checkpoint = AuditCheckpoint(prunedCount: 5, olderThanUnixMs: -1, lastSequence: 9,
                                         lastHash: Array(repeating: 0xab, count: 32))
        #expect(AuditCheckpoint(detail: checkpoint.detail) == checkpoint)
        let hex = String(repeating: "ab", count: 32)
        for detail in ["", "pruned=5", "pruned=5 older_than_ms=-1 last_seq=9 last_hash=\(hex) extra=1",
                       "pruned=5 older_than_ms=-1 last_seq=9 last_hash=\(hex.dropLast(2))",
                       "pruned=5 older_than_ms=-1 last_seq=9 last_hash=\(hex.uppercased())",
                       "pruned=5  older_than_ms=-1 last_seq=9 last_hash=\(hex)",
                       "older_than_ms=-1 pruned=5 last_seq=9 last_hash=\(hex)",
                       "pruned=+5 older_than_ms=-1 last_seq=9 last_hash=\(hex)"] {
            #expect(AuditCheckpoint(detail: detail) == nil, "\(detail)")
        }
    }
}
