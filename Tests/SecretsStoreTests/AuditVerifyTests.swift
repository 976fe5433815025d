import SecretsCore
import SecretsCrypto
@testable import SecretsStore
import Testing

/// Tampering goes through a second SQLite connection after dropping the triggers, as
/// someone with write access to the store file could.
@Suite struct AuditVerifyTests {
    /// A store holding entries 1...10.
    private func trail() throws -> (TestDirectory, SecretStore, [AuditEntry]) {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let entries = try AuditFixtures.fill(store, count: 10)
        #expect(try store.verifyAudit(key: AuditFixtures.key) == AuditVerification(entriesChecked: 10))
        return (dir, store, entries)
    }

    private func broken(_ checked: Int, _ sequence: UInt64, _ reason: String) -> AuditVerification {
        AuditVerification(entriesChecked: checked, firstBadSequence: sequence, reason: reason)
    }

    @Test func anEmptyTrailIsIntact() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let result = try store.verifyAudit(key: AuditFixtures.key)
        #expect(result == AuditVerification(entriesChecked: 0))
        #expect(result.isIntact)
    }

    @Test func anUntouchedTrailIsIntact() throws {
        let (_, store, _) = try trail()
        let result = try store.verifyAudit(key: AuditFixtures.key)
        #expect(result.isIntact)
        #expect(result.entriesChecked == 10)
        #expect(result.reason == nil)
    }

    /// Every column of entry 5 (odd: every field but the error code is present).
    @Test(arguments: [
        "kind = 'checkpoint'", "time_ms = time_ms + 1", "peer_uid = 0", "peer_uid = peer_uid + 4294967296",
        "peer_uid = NULL", "peer_gid = 101", "peer_pid = 1", "exe = '/usr/bin/python3.12'", "exe = NULL",
        "role = 'admin'", "operation = 'list'", "name = 'db/pass-4'", "environment = 'staging'",
        "version = 4", "version = NULL", "version = 5.5", "outcome = 'denied'", "error_code = ''",
        "detail = 'masked '", "detail = CAST('masked' AS BLOB)", "detail = NULL",
        "prev_hash = zeroblob(32)", "hash = zeroblob(32)", "hash = substr(hash, 1, 31)",
        "hash = (SELECT hash FROM audit WHERE seq = 4)",
    ])
    func editingAnyFieldOfEntryFiveIsFound(_ edit: String) throws {
        let (dir, store, _) = try trail()
        try AuditFixtures.tamper(dir, "UPDATE audit SET \(edit) WHERE seq = 5")
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(5, 5, "entry 5 was altered"))
    }

    @Test func editingAnAbsentFieldOfAnEvenEntryIsFound() throws {
        let (dir, store, _) = try trail()
        try AuditFixtures.tamper(dir, "UPDATE audit SET exe = '' WHERE seq = 6")
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(6, 6, "entry 6 was altered"))
    }

    @Test func deletingEntryFiveIsFound() throws {
        let (dir, store, _) = try trail()
        try AuditFixtures.tamper(dir, "DELETE FROM audit WHERE seq = 5")
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(5, 5, "entry 5 is missing"))
    }

    @Test func deletingAndRenumberingIsFound() throws {
        let (dir, store, _) = try trail()
        try AuditFixtures.tamper(dir, "DELETE FROM audit WHERE seq = 5; UPDATE audit SET seq = seq - 1 WHERE seq > 5")
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(5, 5, "entry 5 was altered"))
    }

    @Test func deletingEntryOneIsFound() throws {
        let (dir, store, _) = try trail()
        try AuditFixtures.tamper(dir, "DELETE FROM audit WHERE seq = 1")
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(1, 1, "entry 1 is missing"))
    }

    @Test func swappingEntriesFourAndFiveIsFound() throws {
        let (dir, store, entries) = try trail()
        try AuditFixtures.tamper(dir, """
            UPDATE audit SET seq = -4 WHERE seq = 4;
            UPDATE audit SET seq = 4 WHERE seq = 5;
            UPDATE audit SET seq = 5 WHERE seq = -4
            """)
        #expect(try store.auditEntries(sinceUnixMs: nil, name: nil, limit: 5).last?.record == entries[3].record)
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(4, 4, "entry 4 was altered"))
    }

    @Test func deletingTheNewestEntryIsFound() throws {
        let (dir, store, _) = try trail()
        try AuditFixtures.tamper(dir, "DELETE FROM audit WHERE seq = 10")
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(9, 10, "entry 10 is missing"))
    }

    @Test func deletingTheNewestEntriesAndForgingTheHeadIsFound() throws {
        let (dir, store, entries) = try trail()
        // The head moved back to entry 8 without the key: its MAC is wrong.
        try AuditFixtures.tamper(dir, """
            DELETE FROM audit WHERE seq > 8;
            UPDATE meta SET value = 8 WHERE key = 'audit_head_seq';
            UPDATE meta SET value = \(AuditFixtures.blobLiteral(entries[7].hash)) WHERE key = 'audit_head_hash'
            """)
        #expect(try store.verifyAudit(key: AuditFixtures.key)
                == broken(8, 9, "the audit trail's head record was altered (entries after 8 may have been removed)"))
    }

    @Test func deletingTheNewestEntriesAndTheHeadIsFound() throws {
        let (dir, store, _) = try trail()
        try AuditFixtures.tamper(dir, "DELETE FROM audit WHERE seq > 8; DELETE FROM meta WHERE key LIKE 'audit_head_%'")
        #expect(try store.verifyAudit(key: AuditFixtures.key)
                == broken(8, 9, "the audit trail's head record is missing (entries after 8 may have been removed)"))
    }

    @Test func deletingEveryEntryIsFound() throws {
        let (dir, store, _) = try trail()
        try AuditFixtures.tamper(dir, "DELETE FROM audit")
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(0, 10, "entry 10 is missing"))
    }

    @Test func aForgedEntryAppendedAfterTheNewestIsFound() throws {
        let (dir, store, entries) = try trail()
        try AuditFixtures.tamper(dir, """
            INSERT INTO audit (seq, kind, time_ms, operation, outcome, prev_hash, hash)
            VALUES (11, 'event', 11000, 'get', 'ok', \(AuditFixtures.blobLiteral(entries[9].hash)),
                    \(AuditFixtures.blobLiteral(SecureRandom.bytes(32))))
            """)
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(11, 11, "entry 11 was inserted"))
    }

    @Test func aRowNumberedBelowOneIsFound() throws {
        let (dir, store, entries) = try trail()
        try AuditFixtures.tamper(dir, """
            INSERT INTO audit SELECT -3, kind, time_ms, peer_uid, peer_gid, peer_pid, exe, role, operation, name,
                environment, version, outcome, error_code, detail, prev_hash, hash FROM audit WHERE seq = 1
            """)
        #expect(entries.count == 10)
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(1, 0, "an entry numbered -3 was inserted"))
    }

    @Test func theWrongKeyFailsAtTheFirstEntry() throws {
        let (_, store, _) = try trail()
        #expect(try store.verifyAudit(key: AuditFixtures.otherKey) == broken(1, 1, "entry 1 was altered"))
    }

    @Test func entriesAppendedAfterADeletionDoNotHideIt() throws {
        let (dir, store, _) = try trail()
        try AuditFixtures.tamper(dir, "DELETE FROM audit WHERE seq = 10")
        // The next entry follows the head (entry 10), not the last row left (entry 9).
        #expect(try store.appendAudit(AuditFixtures.record(11), key: AuditFixtures.key) == 11)
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(10, 10, "entry 10 is missing"))
    }

    @Test func entriesAppendedAfterAForgeryDoNotHideIt() throws {
        let (dir, store, _) = try trail()
        try AuditFixtures.tamper(dir, """
            INSERT INTO audit (seq, kind, time_ms, operation, outcome, prev_hash, hash)
            VALUES (11, 'event', 11000, 'get', 'ok', zeroblob(32), zeroblob(32))
            """)
        #expect(try store.appendAudit(AuditFixtures.record(12), key: AuditFixtures.key) == 12)
        #expect(try store.verifyAudit(key: AuditFixtures.key) == broken(11, 11, "entry 11 was altered"))
    }

    @Test func aForgedHeadOrMissingHeadStopsNewEntries() throws {
        let (dir, store, _) = try trail()
        try AuditFixtures.tamper(dir, "UPDATE meta SET value = 9 WHERE key = 'audit_head_seq'")
        let altered = #expect(throws: SecretsError.self) { try store.appendAudit(AuditFixtures.record(11), key: AuditFixtures.key) }
        #expect(altered?.code == .integrityFailure)
        try AuditFixtures.tamper(dir, "DELETE FROM meta WHERE key LIKE 'audit_head_%'")
        let missing = #expect(throws: SecretsError.self) { try store.appendAudit(AuditFixtures.record(11), key: AuditFixtures.key) }
        #expect(missing?.message == "the audit trail has entries but its head record is missing; refusing to extend it (run: secrets-agent audit verify)")
        #expect(try AuditFixtures.rowCount(dir) == 10)
    }
}
