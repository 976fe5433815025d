import Foundation
import SecretsCore
import SecretsCrypto
@testable import SecretsStore
import Testing

/// An exclusively opened store answers current-version reads from its cache, and the cache
/// follows every write and delete made through the store.
@Suite struct CurrentVersionCacheTests {
    @Test func readsFollowWritesAndDeletes() throws {
        let directory = try TestDirectory()
        let store = try directory.createExclusiveStore()
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
        let store = try directory.createExclusiveStore()
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
        let store = try directory.createExclusiveStore()
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
        for i in 0..<10 { cache.store(Self.version(i), for: Self.key(i)) }
        #expect(cache.count == 4, "the newest full generation (6, 7, 8) and the current one (9)")
        let held = (0..<10).filter { cache.lookup(Self.key($0)) != nil }
        #expect(held == [6, 7, 8, 9])
        #expect(cache.count <= 6, "never more than two generations")
    }

    @Test func aReadKeepsAnEntryAcrossGenerations() {
        let cache = CurrentVersionCache(capacity: 3)
        cache.store(Self.version(0), for: Self.key(0))
        for i in 1..<100 {
            cache.store(Self.version(i), for: Self.key(i))
            #expect(cache.lookup(Self.key(0))?.version == 0, "read once per generation, never evicted")
            #expect(cache.count <= 6)
        }
        #expect(cache.lookup(Self.key(50)) == nil)
    }

    @Test func storeReplacesAndRemoveForgetsInBothGenerations() {
        let cache = CurrentVersionCache(capacity: 2)
        cache.store(Self.version(1), for: Self.key(0))
        cache.store(Self.version(0), for: Self.key(1))
        cache.store(Self.version(0), for: Self.key(2))  // key 0 is now in the older generation
        cache.store(Self.version(7), for: Self.key(0))
        #expect(cache.lookup(Self.key(0))?.version == 7)
        cache.remove(Self.key(0))
        cache.remove(Self.key(1))
        #expect(cache.lookup(Self.key(0)) == nil)
        #expect(cache.lookup(Self.key(1)) == nil)
        #expect(cache.lookup(Self.key(2)) != nil)
    }

    private static func key(_ i: Int) -> CurrentVersionCache.Key { .init(name: "n\(i)", environment: "e") }

    private static func version(_ i: Int) -> StoredVersion {
        StoredVersion(version: UInt64(i), sealed: Fixtures.sealed("n\(i)", "e", 1), createdAtUnixMs: 0, createdByUID: 0)
    }
}
