@testable import SecretsAgentKit
import SecretsCore
import SecretsCrypto
import SecretsStore
import Testing

@Suite struct KeyslotsTests {
    static let storeID: [UInt8] = Array(100..<116)
    static let fast = Argon2idParameters.minimum

    static func passphrase(_ text: String) -> UnlockMethod { .passphrase(SecureBytes(copying: Array(text.utf8))) }

    /// A stored copy of `record` with the id the store would give it.
    static func stored(_ record: KeyslotRecord, id: Int64) -> KeyslotRecord {
        var copy = record
        copy.id = id
        return copy
    }

    @Test func aKeyFileSlotOpensWithItsKeyFile() throws {
        let keyFile = KeyFile.generateContents()
        let masterKey = SecureBytes.random(count: 32)
        let record = try Keyslots.record(for: .keyFile(keyFile), masterKey: masterKey, storeID: Self.storeID,
                                         argon2: Self.fast, nowUnixMs: 1_700_000_000_123)
        #expect(record.id == 0)
        #expect(record.kind == "key-file")
        #expect(record.salt.count == 32)
        #expect(record.nonce.count == 24)
        #expect(record.wrappedKey.count == 48)
        #expect(record.argon2OpsLimit == nil)
        #expect(record.argon2MemLimitBytes == nil)
        #expect(record.createdAtUnixMs == 1_700_000_000_123)

        let opened = try Keyslots.unwrap(.keyFile(keyFile), slots: [Self.stored(record, id: 5)], storeID: Self.storeID)
        #expect(opened.slotID == 5)
        let same = opened.masterKey.constantTimeEquals(masterKey)
        #expect(same, "the unwrapped master key differs")
    }

    @Test func aSystemdCredentialSlotOpensWithTheSameContents() throws {
        let keyFile = KeyFile.generateContents()
        let masterKey = SecureBytes.random(count: 32)
        let record = try Keyslots.record(for: .systemdCredential(keyFile), masterKey: masterKey, storeID: Self.storeID,
                                         argon2: Self.fast, nowUnixMs: 1)
        #expect(record.kind == "systemd-credential")
        let opened = try Keyslots.unwrap(.systemdCredential(keyFile), slots: [Self.stored(record, id: 2)], storeID: Self.storeID)
        #expect(opened.slotID == 2)
        #expect(opened.masterKey.constantTimeEquals(masterKey))
    }

    @Test func aPassphraseSlotOpensWithItsPassphrase() throws {
        let masterKey = SecureBytes.random(count: 32)
        let record = try Keyslots.record(for: Self.passphrase("correct horse battery staple"), masterKey: masterKey,
                                         storeID: Self.storeID, argon2: Self.fast, nowUnixMs: 42)
        #expect(record.kind == "passphrase")
        #expect(record.salt.count == 16)
        #expect(record.nonce.count == 24)
        #expect(record.wrappedKey.count == 48)
        #expect(record.argon2OpsLimit == 3)
        #expect(record.argon2MemLimitBytes == 64 << 20)
        #expect(record.createdAtUnixMs == 42)

        let opened = try Keyslots.unwrap(Self.passphrase("correct horse battery staple"), slots: [Self.stored(record, id: 9)],
                                         storeID: Self.storeID)
        #expect(opened.slotID == 9)
        #expect(opened.masterKey.constantTimeEquals(masterKey))

        let error = #expect(throws: SecretsError.self) {
            try Keyslots.unwrap(Self.passphrase("correct horse battery stapler"), slots: [Self.stored(record, id: 9)],
                                storeID: Self.storeID)
        }
        #expect(error == .permissionDenied("unlock failed: wrong passphrase (try again, or use another keyslot)"))
    }

    @Test func aWrongKeyFileIsDenied() throws {
        let record = try Keyslots.record(for: .keyFile(KeyFile.generateContents()), masterKey: .random(count: 32),
                                         storeID: Self.storeID, argon2: Self.fast, nowUnixMs: 1)
        let error = #expect(throws: SecretsError.self) {
            try Keyslots.unwrap(.keyFile(KeyFile.generateContents()), slots: [Self.stored(record, id: 1)], storeID: Self.storeID)
        }
        #expect(error == .permissionDenied("unlock failed: no keyslot accepts this key file (check that it belongs to this store)"))
    }

    @Test func aSlotOfAnotherStoreIsDenied() throws {
        let keyFile = KeyFile.generateContents()
        let record = try Keyslots.record(for: .keyFile(keyFile), masterKey: .random(count: 32), storeID: Self.storeID,
                                         argon2: Self.fast, nowUnixMs: 1)
        let error = #expect(throws: SecretsError.self) {
            try Keyslots.unwrap(.keyFile(keyFile), slots: [Self.stored(record, id: 1)], storeID: Array(0..<16))
        }
        #expect(error == .permissionDenied("unlock failed: no keyslot accepts this key file (check that it belongs to this store)"))
    }

    @Test func theFirstSlotThatAcceptsIsUsed() throws {
        let masterKey = SecureBytes.random(count: 32)
        let mine = KeyFile.generateContents()
        let other = try Keyslots.record(for: .keyFile(KeyFile.generateContents()), masterKey: masterKey,
                                        storeID: Self.storeID, argon2: Self.fast, nowUnixMs: 1)
        let passphrase = try Keyslots.record(for: Self.passphrase("pw"), masterKey: masterKey, storeID: Self.storeID,
                                             argon2: Self.fast, nowUnixMs: 2)
        let accepting = try Keyslots.record(for: .keyFile(mine), masterKey: masterKey, storeID: Self.storeID,
                                            argon2: Self.fast, nowUnixMs: 3)
        let slots = [Self.stored(other, id: 1), Self.stored(passphrase, id: 2), Self.stored(accepting, id: 3)]
        let opened = try Keyslots.unwrap(.keyFile(mine), slots: slots, storeID: Self.storeID)
        #expect(opened.slotID == 3)
        #expect(opened.masterKey.constantTimeEquals(masterKey))
    }

    @Test func noSlotOfThatKindIsNotFound() throws {
        let keyFileSlot = try Keyslots.record(for: .keyFile(KeyFile.generateContents()), masterKey: .random(count: 32),
                                              storeID: Self.storeID, argon2: Self.fast, nowUnixMs: 1)
        let slots = [Self.stored(keyFileSlot, id: 1)]
        let passphraseError = #expect(throws: SecretsError.self) {
            try Keyslots.unwrap(Self.passphrase("pw"), slots: slots, storeID: Self.storeID)
        }
        #expect(passphraseError == .notFound("the store has no passphrase keyslot (it has: key-file)"))

        // A credential holds a key file, so it is tried against key-file slots too.
        let credentialError = #expect(throws: SecretsError.self) {
            try Keyslots.unwrap(.systemdCredential(KeyFile.generateContents()), slots: slots, storeID: Self.storeID)
        }
        #expect(credentialError == .permissionDenied("unlock failed: no keyslot accepts this key file (check that it belongs to this store)"))
    }

    @Test func aCredentialOpensAKeyFileSlotWithTheSameKey() throws {
        let contents = KeyFile.generateContents()
        let masterKey = SecureBytes.random(count: 32)
        let slot = try Keyslots.record(for: .keyFile(contents), masterKey: masterKey, storeID: Self.storeID, argon2: Self.fast, nowUnixMs: 1)
        let opened = try Keyslots.unwrap(.systemdCredential(contents), slots: [Self.stored(slot, id: 7)], storeID: Self.storeID)
        #expect(opened.slotID == 7)
        #expect(opened.masterKey.constantTimeEquals(masterKey))
    }

    @Test func theKindsAStoreHasAreListedSortedAndOnce() throws {
        var passphraseSlot = KeyslotRecord(kind: "passphrase", salt: [], nonce: [], wrappedKey: [], createdAtUnixMs: 0)
        passphraseSlot.id = 1
        var credentialSlot = KeyslotRecord(kind: "systemd-credential", salt: [], nonce: [], wrappedKey: [], createdAtUnixMs: 0)
        credentialSlot.id = 2
        let error = #expect(throws: SecretsError.self) {
            try Keyslots.unwrap(.keyFile(KeyFile.generateContents()), slots: [credentialSlot, passphraseSlot, credentialSlot],
                                storeID: Self.storeID)
        }
        #expect(error == .notFound("the store has no key-file keyslot (it has: passphrase, systemd-credential)"))
    }

    @Test func aMalformedKeyFileIsAnInvalidArgument() throws {
        let notHex = SecureBytes(copying: Array(String(repeating: "zz", count: 32).utf8))
        let expected = SecretsError.invalidArgument(
            "key file is not hex: it must hold 64 characters 0-9 and a-f, and nothing else")
        let recordError = #expect(throws: SecretsError.self) {
            try Keyslots.record(for: .keyFile(notHex), masterKey: .random(count: 32), storeID: Self.storeID,
                                argon2: Self.fast, nowUnixMs: 1)
        }
        #expect(recordError == expected)

        let slot = try Keyslots.record(for: .keyFile(KeyFile.generateContents()), masterKey: .random(count: 32),
                                       storeID: Self.storeID, argon2: Self.fast, nowUnixMs: 1)
        let unwrapError = #expect(throws: SecretsError.self) {
            try Keyslots.unwrap(.keyFile(notHex), slots: [Self.stored(slot, id: 1)], storeID: Self.storeID)
        }
        #expect(unwrapError == expected)
    }

    @Test func aKeyFileOfTheWrongLengthIsAnInvalidArgument() throws {
        let short = SecureBytes(copying: Array("abcdef0\n".utf8))
        let error = #expect(throws: SecretsError.self) { try Keyslots.parseKeyFile(short) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "key file must hold 64 hex characters, found 7 (generate one with: secrets-agent init --generate-key-file FILE)")
    }

    @Test func anEmptyPassphraseIsAnInvalidArgument() {
        let error = #expect(throws: SecretsError.self) {
            try Keyslots.record(for: .passphrase(SecureBytes(count: 0)), masterKey: .random(count: 32), storeID: Self.storeID,
                                argon2: Self.fast, nowUnixMs: 1)
        }
        #expect(error == .invalidArgument("passphrase is empty"))
    }

    @Test func argon2ParametersBelowTheMinimumAreRefused() {
        let weak = Argon2idParameters(opsLimit: 2, memLimitBytes: 64 << 20)
        let error = #expect(throws: SecretsError.self) {
            try Keyslots.record(for: Self.passphrase("pw"), masterKey: .random(count: 32), storeID: Self.storeID,
                                argon2: weak, nowUnixMs: 1)
        }
        #expect(error == .invalidArgument("argon2id parameters (2 passes, 64 MiB) are below the minimum of (3 passes, 64 MiB)"))
    }

    @Test func aPassphraseSlotWithoutArgon2ParametersCannotBeOpened() throws {
        var broken = try Keyslots.record(for: .keyFile(KeyFile.generateContents()), masterKey: .random(count: 32),
                                         storeID: Self.storeID, argon2: Self.fast, nowUnixMs: 1)
        broken.kind = "passphrase"
        broken.id = 4
        let error = #expect(throws: SecretsError.self) {
            try Keyslots.unwrap(Self.passphrase("pw"), slots: [broken], storeID: Self.storeID)
        }
        #expect(error == .internal("keyslot 4 cannot be opened: keyslot is a key file slot, not a passphrase slot"))
    }
}
