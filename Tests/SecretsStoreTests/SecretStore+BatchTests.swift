import SecretsCore
import SecretsCrypto
import SecretsStore
import Testing

private func write(_ name: String, _ mode: PutMode = .create, skip: Bool = false) -> BatchWrite {
    BatchWrite(name: Fixtures.name(name), environment: .development, mode: mode, skipIfExists: skip)
}

private func batch(_ store: SecretStore, _ writes: [BatchWrite], dryRun: Bool = false) throws(SecretsError) -> [BatchOutcome] {
    try store.putBatch(writes, createdByUID: 1000, nowUnixMs: 1_700_000_000_000, dryRun: dryRun) { index, version in
        Fixtures.sealed(writes[index].name.rawValue, "development", version)
    }
}

@Suite struct SecretStoreBatchTests {
    @Test func writesEveryEntryWithOutcomes() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try Fixtures.put(store, "b")
        try Fixtures.put(store, "c")
        let outcomes = try batch(store, [write("a"), write("b", .upsert), write("c", skip: true)])
        #expect(outcomes == [.created(1), .updated(2), .skipped(1)])
        #expect(try store.version(name: Fixtures.name("b"), environment: .development, version: nil).sealed == Fixtures.sealed("b", "development", 2))
        #expect(try store.secretCount() == 3)
    }

    @Test func oneFailureWritesNothing() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try Fixtures.put(store, "exists")
        let before = try store.list(environment: nil, prefix: "")
        let error = #expect(throws: SecretsError.self) {
            try batch(store, [write("first"), write("second"), write("exists"), write("last")])
        }
        #expect(error?.code == .alreadyExists)
        #expect(error?.message.hasPrefix("exists already exists in development") == true)
        #expect(try store.list(environment: nil, prefix: "") == before)

        let missing = #expect(throws: SecretsError.self) { try batch(store, [write("new"), write("absent", .update)]) }
        #expect(missing?.code == .notFound)
        #expect(try store.list(environment: nil, prefix: "") == before)
    }

    @Test func sealFailureRollsBack() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let writes = [write("a"), write("b")]
        #expect(throws: SecretsError.self) {
            try store.putBatch(writes, createdByUID: 1, nowUnixMs: 1) { (index, version) throws(SecretsError) in
                if index == 1 { throw .internal("seal failed") }
                return Fixtures.sealed("a", "development", version)
            }
        }
        #expect(try store.secretCount() == 0)
    }

    @Test func dryRunWritesNothing() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try Fixtures.put(store, "b")
        #expect(try batch(store, [write("a"), write("b", .upsert)], dryRun: true) == [.created(1), .updated(2)])
        #expect(try store.secretCount() == 1)
    }

    @Test func duplicatesInOneBatchAreRefused() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let error = #expect(throws: SecretsError.self) { try batch(store, [write("a"), write("a", .upsert)]) }
        #expect(error?.code == .invalidArgument)
        #expect(try store.secretCount() == 0)
    }

    /// A batch write's generator and rotation are stored as a generated put stores them:
    /// the generator replaces the previous record, and a write without one clears it.
    @Test func storesGeneratorAndRotationLikePut() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try Fixtures.put(store, "was-generated")
        _ = try store.put(name: Fixtures.name("was-generated"), environment: .development, mode: .update, expectedVersion: nil,
                          policy: SecretPolicyChange(generator: "16:hex"), createdByUID: 1000, nowUnixMs: 1) { version in
            Fixtures.sealed("was-generated", "development", version)
        }
        var generated = write("token")
        generated.policy = SecretPolicyChange(rotation: .every(2_592_000), generator: "32:base64")
        var plain = write("plain")
        plain.policy = SecretPolicyChange(rotation: .every(60))
        let outcomes = try batch(store, [generated, plain, write("was-generated", .upsert)])
        #expect(outcomes == [.created(1), .created(1), .updated(3)])
        let listed = Dictionary(uniqueKeysWithValues: try store.list(environment: nil, prefix: "").map { ($0.name.rawValue, $0) })
        #expect(listed["token"]?.generator == "32:base64")
        #expect(listed["token"]?.rotateEverySeconds == 2_592_000)
        #expect(listed["plain"]?.generator == nil)
        #expect(listed["plain"]?.rotateEverySeconds == 60)
        #expect(listed["was-generated"]?.generator == nil)
    }
}
