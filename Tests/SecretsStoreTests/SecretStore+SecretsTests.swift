import Foundation
import SecretsCore
import SecretsCrypto
import SecretsStore
import Testing

@Suite struct SecretStoreSecretsTests {
    // MARK: - Put and read

    @Test func aThousandSecretsRoundTrip() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let envs = ["development", "production"]
        for i in 0..<1000 {
            #expect(try Fixtures.put(store, "svc\(i % 7)/key-\(i)", env: envs[i % 2], mode: .create, uid: UInt32(i)) == 1)
        }
        #expect(try store.secretCount() == 1000)
        for i in 0..<1000 {
            let name = "svc\(i % 7)/key-\(i)"
            let stored = try store.version(name: Fixtures.name(name), environment: Fixtures.env(envs[i % 2]), version: nil)
            #expect(stored.version == 1)
            #expect(stored.sealed == Fixtures.sealed(name, envs[i % 2], 1))
            #expect(stored.createdByUID == UInt32(i))
        }
        #expect(try store.list(environment: Fixtures.env("production"), prefix: "").count == 500)
    }

    @Test func putStoresTheSealedValueExactlyWithItsMetadata() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let sealed = SealedValue(algorithm: .aes256gcm, salt: Array(repeating: 0xAB, count: 32), nonce: [],
                                 ciphertext: Array(0...255) + [0, 0, 0])
        var sealedFor: [UInt64] = []
        let version = try store.put(
            name: Fixtures.name("pem/key"), environment: .development, mode: .create, expectedVersion: nil,
            createdByUID: 4242, nowUnixMs: 1234
        ) { version in
            sealedFor.append(version)
            return sealed
        }
        #expect(version == 1)
        #expect(sealedFor == [1])
        let stored = try store.version(name: Fixtures.name("pem/key"), environment: .development, version: 1)
        #expect(stored.sealed == sealed)
        #expect(stored.createdAtUnixMs == 1234)
        #expect(stored.createdByUID == 4242)
    }

    @Test func onlyTheNewestTenVersionsAreKept() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        for expected in UInt64(1)...15 {
            #expect(try Fixtures.put(store, "token", now: Int64(expected)) == expected)
        }
        let history = try store.history(name: Fixtures.name("token"), environment: .development)
        #expect(history.map(\.version) == Array((6...15).reversed()))
        #expect(history.map(\.isCurrent) == [true] + Array(repeating: false, count: 9))
        #expect(history.first?.createdAtUnixMs == 15)

        let error = #expect(throws: SecretsError.self) {
            try store.version(name: Fixtures.name("token"), environment: .development, version: 3)
        }
        #expect(error?.code == .notFound)
        #expect(error?.message == "token in development has no version 3 (see: secrets-agent history token)")

        let current = try store.version(name: Fixtures.name("token"), environment: .development, version: nil)
        #expect(current.version == 15)
        #expect(current.sealed == Fixtures.sealed("token", "development", 15))
        let sixth = try store.version(name: Fixtures.name("token"), environment: .development, version: 6)
        #expect(sixth.sealed == Fixtures.sealed("token", "development", 6))

        let meta = try store.list(environment: .development, prefix: "token")
        #expect(meta.map(\.versionCount) == [10])
        #expect(meta.map(\.currentVersion) == [15])
        #expect(meta.map(\.createdAtUnixMs) == [1])
        #expect(meta.map(\.updatedAtUnixMs) == [15])
    }

    /// `list` reads each secret's stored `version_count` (migration 5), which triggers keep
    /// in step with `secret_versions`: after puts in two environments, pruning past ten, a
    /// delete and a re-create, it equals the versions really kept, for both forms of the
    /// listing's SQL (one environment and all).
    @Test func listCountsTheVersionsReallyKept() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        for _ in 0..<13 { _ = try Fixtures.put(store, "a", env: "development") }
        for _ in 0..<3 { _ = try Fixtures.put(store, "a", env: "production") }
        for _ in 0..<2 { _ = try Fixtures.put(store, "b", env: "development") }
        _ = try Fixtures.put(store, "gone", env: "development")
        #expect(try store.delete(name: Fixtures.name("gone"), environment: .development) == 1)
        _ = try Fixtures.put(store, "gone", env: "development")

        func kept(_ name: String, _ env: String) throws -> Int {
            try store.history(name: Fixtures.name(name), environment: Fixtures.env(env)).count
        }
        let all = try store.list(environment: nil, prefix: "")
        #expect(all.map { "\($0.environment) \($0.name) \($0.versionCount)" } ==
                ["development a 10", "development b 2", "development gone 1", "production a 3"])
        for entry in all {
            #expect(entry.versionCount == (try kept(entry.name.rawValue, entry.environment.rawValue)))
        }
        let development = try store.list(environment: .development, prefix: "")
        #expect(development.map(\.versionCount) == [10, 2, 1])
    }

    @Test func createOnAnExistingSecretIsAlreadyExists() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try Fixtures.put(store, "db/pass", env: "staging", mode: .create)
        let error = #expect(throws: SecretsError.self) { try Fixtures.put(store, "db/pass", env: "staging", mode: .create) }
        #expect(error?.code == .alreadyExists)
        #expect(error?.message == "db/pass already exists in staging (use: secrets-agent update)")
        // The same name in another environment is a different secret.
        #expect(try Fixtures.put(store, "db/pass", env: "production", mode: .create) == 1)
    }

    @Test func updateOnAMissingSecretIsNotFound() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let error = #expect(throws: SecretsError.self) { try Fixtures.put(store, "nope", mode: .update) }
        #expect(error?.code == .notFound)
        #expect(error?.message == "nope not found in development")
        #expect(try store.secretCount() == 0)
        try Fixtures.put(store, "nope", mode: .create)
        #expect(try Fixtures.put(store, "nope", mode: .update) == 2)
    }

    @Test func expectedVersionIsCheckedAndSet() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        #expect(try Fixtures.put(store, "k", expected: 0) == 1)
        #expect(try Fixtures.put(store, "k", mode: .update, expected: 1) == 2)

        let error = #expect(throws: SecretsError.self) { try Fixtures.put(store, "k", mode: .update, expected: 1) }
        #expect(error?.code == .conflict)
        #expect(error?.message == "k in development is at version 2, not 1 (get the current version and retry)")

        let missing = #expect(throws: SecretsError.self) { try Fixtures.put(store, "other", expected: 3) }
        #expect(missing?.code == .conflict)
        #expect(try store.version(name: Fixtures.name("k"), environment: .development, version: nil).version == 2)
        #expect(try store.secretCount() == 1)
    }

    @Test func pagesOfAListingMeetExactlyAcrossEnvironments() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let envs = ["development", "production", "staging"]
        for i in 0..<60 { _ = try Fixtures.put(store, "app/k\(i)", env: envs[i % 3], mode: .create) }
        _ = try Fixtures.put(store, "other/x", env: "production", mode: .create)
        let whole = try store.list(environment: nil, prefix: "app/")
        #expect(whole.count == 60)
        for pageSize in [1, 7, 20, 59, 60, 61] {
            var pages: [SecretMetadata] = []
            var after: (environment: String, name: String)?
            while true {
                let page = try store.list(environment: nil, prefix: "app/", after: after, limit: pageSize)
                pages += page
                guard page.count == pageSize, let last = page.last else { break }
                after = (last.environment.rawValue, last.name.rawValue)
            }
            #expect(pages.map(\.name) == whole.map(\.name), "page size \(pageSize)")
            #expect(pages.map(\.environment) == whole.map(\.environment), "page size \(pageSize)")
        }
        // `after` need not be a stored secret, and the environment filter still holds.
        let rest = try store.list(environment: Fixtures.env("production"), prefix: "app/", after: ("production", "app/k5"))
        #expect(rest.map(\.name.rawValue) == whole.filter { $0.environment.rawValue == "production" && $0.name.rawValue > "app/k5" }
            .map(\.name.rawValue))
        #expect(try store.list(environment: nil, prefix: "", after: ("staging", "zzz")).isEmpty)
    }

    @Test func aThrowingSealRollsEverythingBack() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let failure = SecretsError.internal("sealing failed")
        let name = Fixtures.name("k")

        let first = #expect(throws: SecretsError.self) {
            try store.put(name: name, environment: .development, mode: .upsert, expectedVersion: nil,
                          createdByUID: 0, nowUnixMs: 0) { (_) throws(SecretsError) -> SealedValue in throw failure }
        }
        #expect(first == failure)
        #expect(try store.secretCount() == 0)
        #expect(try store.list(environment: nil, prefix: "").isEmpty)

        try Fixtures.put(store, "k", now: 10)
        let second = #expect(throws: SecretsError.self) {
            try store.put(name: name, environment: .development, mode: .update, expectedVersion: nil,
                          createdByUID: 0, nowUnixMs: 20) { (_) throws(SecretsError) -> SealedValue in throw failure }
        }
        #expect(second == failure)
        #expect(try store.history(name: name, environment: .development).map(\.version) == [1])
        #expect(try store.list(environment: nil, prefix: "").map(\.updatedAtUnixMs) == [10])
        // The failed attempt used no version number.
        #expect(try Fixtures.put(store, "k") == 2)
    }

    // MARK: - List, delete, history

    @Test func listFiltersByEnvironmentAndLiteralPrefix() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        for name in ["db_pass", "dbxpass", "db/a", "api"] { try Fixtures.put(store, name, env: "production") }
        for name in ["db_pass", "zeta"] { try Fixtures.put(store, name, env: "development") }

        func names(_ env: String?, _ prefix: String) throws -> [String] {
            try store.list(environment: env.map(Fixtures.env), prefix: prefix).map { "\($0.environment)/\($0.name)" }
        }
        #expect(try names(nil, "") == ["development/db_pass", "development/zeta",
                                        "production/api", "production/db/a", "production/db_pass", "production/dbxpass"])
        #expect(try names("production", "") == ["production/api", "production/db/a", "production/db_pass", "production/dbxpass"])
        #expect(try names("production", "db") == ["production/db/a", "production/db_pass", "production/dbxpass"])
        #expect(try names("production", "db_") == ["production/db_pass"])
        #expect(try names(nil, "db_") == ["development/db_pass", "production/db_pass"])
        #expect(try names(nil, "%").isEmpty)
        #expect(try names(nil, "d%").isEmpty)
        #expect(try names(nil, "_").isEmpty)
        #expect(try names(nil, "DB").isEmpty, "prefixes are case-sensitive")
        #expect(try names("staging", "").isEmpty)
    }

    @Test func deleteRemovesAllVersionsAndReAddRestartsAtOne() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let name = Fixtures.name("svc/token")
        for _ in 1...12 { try Fixtures.put(store, "svc/token") }
        try Fixtures.put(store, "svc/token", env: "staging")

        #expect(try store.delete(name: name, environment: .development) == 10)
        let get = #expect(throws: SecretsError.self) { try store.version(name: name, environment: .development, version: nil) }
        #expect(get?.code == .notFound)
        #expect(get?.message == "svc/token not found in development")
        let history = #expect(throws: SecretsError.self) { try store.history(name: name, environment: .development) }
        #expect(history?.code == .notFound)
        let again = #expect(throws: SecretsError.self) { try store.delete(name: name, environment: .development) }
        #expect(again?.code == .notFound)

        // Other environments are untouched.
        #expect(try store.version(name: name, environment: Fixtures.env("staging"), version: nil).version == 1)

        #expect(try Fixtures.put(store, "svc/token", mode: .create) == 1)
        let readded = try store.version(name: name, environment: .development, version: nil)
        #expect(readded.sealed == Fixtures.sealed("svc/token", "development", 1))
        #expect(try store.history(name: name, environment: .development).map(\.version) == [1])
    }

    @Test func versionOfAMissingSecretIsNotFound() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let error = #expect(throws: SecretsError.self) {
            try store.version(name: Fixtures.name("ghost"), environment: .development, version: 1)
        }
        #expect(error?.code == .notFound)
        #expect(error?.message == "ghost not found in development")
        try Fixtures.put(store, "ghost")
        let huge = #expect(throws: SecretsError.self) {
            try store.version(name: Fixtures.name("ghost"), environment: .development, version: .max)
        }
        #expect(huge?.code == .notFound)
    }

    // MARK: - Concurrency

    @Test func concurrentWritersGetDistinctVersions() async throws {
        let dir = try TestDirectory()
        let first = try dir.createStore()
        let second = try SecretStore.open(at: dir.storePath)
        let versions = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for store in [first, second, first, second] {
                group.addTask {
                    var mine: [UInt64] = []
                    for _ in 0..<25 { mine.append(try Fixtures.put(store, "shared")) }
                    return mine
                }
            }
            var all: [UInt64] = []
            for try await mine in group { all += mine }
            return all
        }
        #expect(versions.sorted() == Array(1...100))
        #expect(try first.version(name: Fixtures.name("shared"), environment: .development, version: nil).version == 100)
        #expect(try second.history(name: Fixtures.name("shared"), environment: .development).count == 10)
    }
}
