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

    @Test func deferredEntriesFromManyThreadsAreAllChainedEachThreadInItsOwnOrder() throws {
        let directory = try TestDirectory()
        let store = try directory.createExclusiveStore()
        let threads = 8, perThread = 1_500  // 12,000: well past `deferredLimit`, so submitters wait for room
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for i in 0..<perThread {
                // Thread `thread`'s entry `i` carries its position in its time; every 50th is
                // waited for, like a write's entry among reads.
                let record = AuditFixtures.record(1, name: "t\(thread)", timeUnixMs: Int64(thread * 1_000_000 + i))
                do {
                    if i % 50 == 49 {
                        try store.appendAudit(record, key: AuditFixtures.key)
                    } else {
                        try store.appendAuditDeferred(record, key: AuditFixtures.key) { error in
                            failures.withLock { $0.append("\(error)") }
                        }
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        store.close()
        #expect(failures.withLock { $0 }.isEmpty)
        let reopened = try SecretStore.open(at: directory.storePath)
        let events = try reopened.auditEntries().filter { $0.kind == .event }
        #expect(events.count == threads * perThread)
        #expect(events.map(\.sequence) == (1...UInt64(threads * perThread)).map { $0 }, "consecutive, none lost or doubled")
        for thread in 0..<threads {
            let times = events.filter { $0.record.name == "t\(thread)" }.map(\.record.timeUnixMs)
            #expect(times == (0..<perThread).map { Int64(thread * 1_000_000 + $0) }, "thread \(thread)'s entries, in its order")
        }
        let verification = try reopened.verifyAudit(key: AuditFixtures.key)
        #expect(verification.isIntact, "\(verification.reason ?? "")")
    }

    @Test func aFailingDeferredEntryFailsAloneAmongThoseCommittedWithIt() throws {
        let directory = try TestDirectory()
        let store = try directory.createExclusiveStore()
        let failedTimes = Mutex<[Int64]>([])
        for i in 1...30 {
            var record = AuditFixtures.record(1, timeUnixMs: Int64(i))
            // A version past Int64.max cannot be stored: entries 10 and 20 fail in the writer.
            if i % 10 == 0 { record.version = UInt64(Int64.max) + 1 }
            try store.appendAuditDeferred(record, key: AuditFixtures.key) { _ in
                failedTimes.withLock { $0.append(Int64(i)) }
            }
        }
        store.close()
        #expect(failedTimes.withLock { $0 }.sorted() == [10, 20, 30])
        let reopened = try SecretStore.open(at: directory.storePath)
        let events = try reopened.auditEntries().filter { $0.kind == .event }
        #expect(events.map(\.record.timeUnixMs) == (1...30).filter { $0 % 10 != 0 }.map(Int64.init),
                "the entries queued with the failing ones are committed, in order")
        #expect(try reopened.verifyAudit(key: AuditFixtures.key).isIntact)
    }

    @Test func aDeferredEntryQueuedAsTheWriterParksIsNeverStranded() throws {
        let directory = try TestDirectory()
        let store = try directory.createExclusiveStore()
        // One entry at a time, each waited for without any other write: a wake-up lost
        // between the writer's last look and its sleep would leave an entry uncommitted.
        for i in 1...150 {
            try store.appendAuditDeferred(AuditFixtures.record(1, timeUnixMs: Int64(i)), key: AuditFixtures.key) { _ in }
            let deadline = Date().addingTimeInterval(5)
            var seen = 0
            while seen < i && Date() < deadline {
                seen = try store.auditEntries().count
                if seen < i { usleep(UInt32(100 * (i % 7))) }
            }
            try #require(seen == i, "entry \(i) was committed without another write")
        }
        store.close()
    }
}
