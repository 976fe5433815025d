import SecretsCore
import SecretsStore
import Testing

@Suite struct KeyslotTests {
    static func passphraseSlot(_ marker: UInt8) -> KeyslotRecord {
        KeyslotRecord(
            id: 999, kind: "passphrase", salt: Array(repeating: marker, count: 16),
            nonce: Array(repeating: marker &+ 1, count: 24), wrappedKey: Array(repeating: marker &+ 2, count: 48),
            argon2OpsLimit: 3, argon2MemLimitBytes: 268_435_456, createdAtUnixMs: Int64(marker))
    }

    @Test func addListAndRemove() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        #expect(try store.keyslots().isEmpty)

        let passphrase = Self.passphraseSlot(7)
        let keyFile = KeyslotRecord(kind: "key-file", salt: [1, 2], nonce: [3], wrappedKey: [4, 5, 6], createdAtUnixMs: 8)
        let first = try store.addKeyslot(passphrase)
        let second = try store.addKeyslot(keyFile)
        #expect(first != second)
        #expect(first != 999, "the id comes from the store, not the record")

        var expectedFirst = passphrase
        expectedFirst.id = first
        var expectedSecond = keyFile
        expectedSecond.id = second
        #expect(try store.keyslots() == [expectedFirst, expectedSecond])

        try store.removeKeyslot(id: first)
        #expect(try store.keyslots() == [expectedSecond])
    }

    @Test func theLastKeyslotCannotBeRemoved() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let a = try store.addKeyslot(Self.passphraseSlot(1))
        let b = try store.addKeyslot(Self.passphraseSlot(2))
        try store.removeKeyslot(id: a)
        let error = #expect(throws: SecretsError.self) { try store.removeKeyslot(id: b) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "cannot remove the last keyslot (add another first: secrets-agent keyslot add)")
        #expect(try store.keyslots().map(\.id) == [b])
    }

    @Test func removingAMissingKeyslotIsNotFound() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let a = try store.addKeyslot(Self.passphraseSlot(1))
        _ = try store.addKeyslot(Self.passphraseSlot(2))
        let error = #expect(throws: SecretsError.self) { try store.removeKeyslot(id: a + 100) }
        #expect(error?.code == .notFound)
        #expect(try store.keyslots().count == 2)
    }

    @Test func invalidKeyslotsAreRefused() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        var unknown = Self.passphraseSlot(1)
        unknown.kind = "yubikey"
        #expect(throws: SecretsError.self) { try store.addKeyslot(unknown) }

        var noParameters = Self.passphraseSlot(1)
        noParameters.argon2MemLimitBytes = nil
        let error = #expect(throws: SecretsError.self) { try store.addKeyslot(noParameters) }
        #expect(error?.code == .invalidArgument)

        var tooLarge = Self.passphraseSlot(1)
        tooLarge.argon2MemLimitBytes = .max
        #expect(throws: SecretsError.self) { try store.addKeyslot(tooLarge) }
        #expect(try store.keyslots().isEmpty)
    }

    @Test func keyslotsSurviveReopen() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        let id = try store.addKeyslot(Self.passphraseSlot(9))
        store.close()
        var expected = Self.passphraseSlot(9)
        expected.id = id
        #expect(try SecretStore.open(at: dir.storePath).keyslots() == [expected])
    }
}
