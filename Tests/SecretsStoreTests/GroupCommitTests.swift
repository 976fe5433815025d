import Foundation
import SecretsCore
import SecretsCrypto
@testable import SecretsStore
import Synchronization
import Testing

/// An exclusively opened store (the agent's) commits writes in groups: every acknowledged
/// write is committed, a failing write fails alone, deferred audit entries are written in
/// order within the chain, and closing the store commits what is queued.
@Suite struct GroupCommitTests {
    @Test func concurrentPutsAreAllCommittedAndReadableFromAnotherConnection() throws {
        let directory = try TestDirectory()
        let store = try directory.createExclusiveStore()
        let writers = 8, rounds = 25
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            for _ in 0..<rounds {
                do {
                    try Fixtures.put(store, "w\(writer)/key")
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        store.close()
        // What was acknowledged is in the file: a fresh connection sees every version.
        let reopened = try SecretStore.open(at: directory.storePath)
        for writer in 0..<writers {
            let stored = try reopened.version(name: Fixtures.name("w\(writer)/key"), environment: Fixtures.env("development"), version: nil)
            #expect(stored.version == UInt64(rounds))
            #expect(stored.sealed == Fixtures.sealed("w\(writer)/key", "development", UInt64(rounds)))
        }
    }

    @Test func aFailingWriteFailsAloneAndLeavesNothingBehind() throws {
        let directory = try TestDirectory()
        let store = try directory.createExclusiveStore()
        try Fixtures.put(store, "taken")
        let outcomes = Mutex<[String: Bool]>([:])
        DispatchQueue.concurrentPerform(iterations: 6) { i in
            // Even writers try to create an existing secret (a conflict); odd ones succeed.
            let name = i % 2 == 0 ? "taken" : "fresh/\(i)"
            let ok = (try? Fixtures.put(store, name, mode: .create)) != nil
            outcomes.withLock { $0["\(name)#\(i)"] = ok }
        }
        for (key, ok) in outcomes.withLock({ $0 }) {
            #expect(ok == !key.hasPrefix("taken#"), "\(key)")
        }
        let taken = try store.version(name: Fixtures.name("taken"), environment: Fixtures.env("development"), version: nil)
        #expect(taken.version == 1, "the conflicting writes changed nothing")
        #expect(try store.secretCount() == 4)
    }

    @Test func deferredAuditEntriesAreChainedInOrderAndVerify() throws {
        let directory = try TestDirectory()
        let store = try directory.createExclusiveStore()
        let failed = Mutex(0)
        for i in 1...200 {
            if i % 10 == 0 {
                try store.appendAudit(AuditFixtures.record(i), key: AuditFixtures.key)
            } else {
                try store.appendAuditDeferred(AuditFixtures.record(i), key: AuditFixtures.key) { _ in
                    failed.withLock { $0 += 1 }
                }
            }
        }
        store.close()  // commits what is still queued
        #expect(failed.withLock { $0 } == 0)
        let reopened = try SecretStore.open(at: directory.storePath)
        let entries = try reopened.auditEntries(sinceUnixMs: nil, name: nil, limit: nil)
        let events = entries.filter { $0.kind == .event }
        #expect(events.count == 200)
        #expect(events.map(\.record.timeUnixMs) == (1...200).map { Int64($0) * 1000 }, "in the order they were appended")
        let verification = try reopened.verifyAudit(key: AuditFixtures.key)
        #expect(verification.isIntact, "\(verification.reason ?? "")")
    }

    @Test func aDeferredEntryIsCommittedWithoutAnotherWriteOrClose() throws {
        let directory = try TestDirectory()
        let store = try directory.createExclusiveStore()
        try store.appendAuditDeferred(AuditFixtures.record(1), key: AuditFixtures.key) { _ in }
        // The writer holds the connection's lock for a whole transaction, so a read on the
        // same store sees a row only once its transaction has committed.
        var seen = 0
        let deadline = Date().addingTimeInterval(5)
        while seen == 0 && Date() < deadline {
            seen = try store.auditEntries(sinceUnixMs: nil, name: nil, limit: nil).filter { $0.kind == .event }.count
            if seen == 0 { usleep(1_000) }
        }
        #expect(seen == 1, "committed by the writer on its own, without another write or close")
        store.close()
        let reopened = try SecretStore.open(at: directory.storePath)
        #expect(try reopened.verifyAudit(key: AuditFixtures.key).isIntact)
    }

    @Test func writesAfterCloseAreRefused() throws {
        let directory = try TestDirectory()
        let store = try directory.createExclusiveStore()
        store.close()
        let error = #expect(throws: SecretsError.self) { try Fixtures.put(store, "late") }
        #expect(error?.code == .unavailable)
        #expect(throws: SecretsError.self) {
            try store.appendAuditDeferred(AuditFixtures.record(1), key: AuditFixtures.key) { _ in }
        }
    }
}
