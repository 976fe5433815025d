import Foundation
import SecretsCore
import SecretsCrypto
@testable import SecretsStore
import Testing

/// An exclusively opened store answers current-version reads from its cache, and the cache
/// follows every write and delete made through the store.
@Suite struct CurrentVersionCacheTests {
    func exclusiveStore(_ directory: TestDirectory) throws -> SecretStore {
        try directory.createStore().close()
        return try SecretStore.open(at: directory.storePath, exclusive: true)
    }

    @Test func readsFollowWritesAndDeletes() throws {
        let directory = try TestDirectory()
        let store = try exclusiveStore(directory)
        #expect(store.currentVersions != nil)
        try Fixtures.put(store, "db/pass")
        let first = try store.version(name: Fixtures.name("db/pass"), environment: Fixtures.env("development"), version: nil)
        #expect(first.version == 1)
        try Fixtures.put(store, "db/pass")
        let second = try store.version(name: Fixtures.name("db/pass"), environment: Fixtures.env("development"), version: nil)
        #expect(second.version == 2)
        #expect(second.sealed == Fixtures.sealed("db/pass", "development", 2))
        _ = try store.delete(name: Fixtures.name("db/pass"), environment: Fixtures.env("development"))
        #expect(throws: SecretsError.self) {
            try store.version(name: Fixtures.name("db/pass"), environment: Fixtures.env("development"), version: nil)
        }
        try Fixtures.put(store, "db/pass")
        let readded = try store.version(name: Fixtures.name("db/pass"), environment: Fixtures.env("development"), version: nil)
        #expect(readded.version == 1)
    }

    @Test func aCachedReadDoesNotTouchSQLite() throws {
        let directory = try TestDirectory()
        let store = try exclusiveStore(directory)
        try Fixtures.put(store, "api/key")
        let key = CurrentVersionCache.Key(name: "api/key", environment: "development")
        #expect(store.currentVersions?.lookup(key)?.version == 1, "a write fills the cache")
        // Plant a different entry: a read that went to SQLite would not return it.
        let planted = StoredVersion(version: 99, sealed: Fixtures.sealed("api/key", "development", 99),
                                    createdAtUnixMs: 0, createdByUID: 0)
        store.currentVersions?.store(planted, for: key)
        let read = try store.version(name: Fixtures.name("api/key"), environment: Fixtures.env("development"), version: nil)
        #expect(read.version == 99)
        let exact = try store.version(name: Fixtures.name("api/key"), environment: Fixtures.env("development"), version: 1)
        #expect(exact.version == 1, "explicit versions always come from SQLite")
    }

    @Test func aSharedStoreHasNoCache() throws {
        let directory = try TestDirectory()
        let store = try directory.createStore()
        #expect(store.currentVersions == nil)
    }

    @Test func aSecondProcessCannotOpenAnExclusiveStore() throws {
        let directory = try TestDirectory()
        let store = try exclusiveStore(directory)
        try Fixtures.put(store, "held/key")
        let error = #expect(throws: SecretsError.self) {
            let other = try SecretStore.open(at: directory.storePath)
            try Fixtures.put(other, "other/key")
        }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("is busy") == true)
    }

    @Test func evictsBeyondCapacity() {
        let cache = CurrentVersionCache(capacity: 3)
        for i in 0..<10 {
            cache.store(StoredVersion(version: UInt64(i), sealed: Fixtures.sealed("n\(i)", "e", 1), createdAtUnixMs: 0, createdByUID: 0),
                        for: .init(name: "n\(i)", environment: "e"))
        }
        let held = (0..<10).filter { cache.lookup(.init(name: "n\($0)", environment: "e")) != nil }
        #expect(held.count == 3)
        #expect(held.contains(9), "the newest entry is kept")
    }
}
