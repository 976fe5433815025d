import SecretsCore
import SecretsCrypto
import SecretsStore
import Testing

/// The rotation policy and generator record a put leaves on a secret (migration 3).
@Suite struct RotationPolicyTests {
    func put(_ store: SecretStore, _ name: String, policy: SecretPolicyChange, at now: Int64) throws -> UInt64 {
        try store.put(name: Fixtures.name(name), environment: .development, mode: .upsert, expectedVersion: nil,
                      policy: policy, createdByUID: 0, nowUnixMs: now) { version in
            Fixtures.sealed(name, "development", version)
        }
    }

    func metadata(_ store: SecretStore, _ name: String) throws -> SecretMetadata {
        try store.metadata(name: Fixtures.name(name), environment: .development)
    }

    @Test func aPolicyIsKeptUntilChangedAndTheGeneratorDescribesTheCurrentValue() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        _ = try put(store, "db/pass", policy: .init(rotation: .every(3600), generator: "32:hex"), at: 1_000)
        var meta = try metadata(store, "db/pass")
        #expect(meta.rotateEverySeconds == 3600)
        #expect(meta.generator == "32:hex")
        #expect(meta.rotationDueUnixMs == Int64(3_601_000))

        _ = try put(store, "db/pass", policy: .init(rotation: .keep, generator: nil), at: 2_000)
        meta = try metadata(store, "db/pass")
        #expect(meta.rotateEverySeconds == 3600, "keep leaves the interval")
        #expect(meta.generator == nil, "a supplied value is no longer a generated one")
        #expect(meta.rotationDueUnixMs == Int64(3_602_000), "due counts from the last change")

        _ = try put(store, "db/pass", policy: .init(rotation: .clear), at: 3_000)
        #expect(try metadata(store, "db/pass").rotateEverySeconds == nil)
        #expect(try metadata(store, "db/pass").rotationDueUnixMs == nil)

        _ = try put(store, "new/key", policy: .init(rotation: .keep), at: 3_000)
        #expect(try metadata(store, "new/key").rotateEverySeconds == nil, "keep on a new secret is none")
    }

    @Test func dueForRotationListsExactlyThoseAtOrPastTheirDueTime() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        _ = try put(store, "a/due", policy: .init(rotation: .every(10)), at: 0)
        _ = try put(store, "b/later", policy: .init(rotation: .every(100)), at: 0)
        _ = try put(store, "c/none", policy: .init(), at: 0)
        #expect(try store.dueForRotation(nowUnixMs: 9_999).isEmpty)
        #expect(try store.dueForRotation(nowUnixMs: 10_000).map(\.name.rawValue) == ["a/due"])
        #expect(try store.dueForRotation(nowUnixMs: 100_000).map(\.name.rawValue) == ["a/due", "b/later"])
        #expect(throws: SecretsError.notFound("missing/key not found in development")) {
            try store.metadata(name: Fixtures.name("missing/key"), environment: .development)
        }
    }
}
