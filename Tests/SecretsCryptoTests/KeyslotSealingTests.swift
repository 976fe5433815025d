import SecretsCrypto
import Testing

private let storeID: [UInt8] = Array(0..<16)

private func passphrase(_ text: String) -> SecureBytes {
    SecureBytes(copying: Array(text.utf8))
}

@Suite struct KeyslotSealingTests {
    @Test func passphraseSlotRoundTrip() throws {
        let masterKey = SecureBytes.random(count: 32)
        let wrapped = try KeyslotSealing.wrap(masterKey: masterKey, passphrase: passphrase("correct horse"),
                                              parameters: .minimum, storeID: storeID)
        #expect(wrapped.argon2 == .minimum)
        #expect(wrapped.salt.count == Argon2id.saltByteCount)
        #expect(wrapped.nonce.count == 24)
        #expect(wrapped.ciphertext.count == 48)
        let unwrapped = try KeyslotSealing.unwrap(wrapped, passphrase: passphrase("correct horse"), storeID: storeID)
        #expect(unwrapped.constantTimeEquals(masterKey))
        #if os(Linux)
        #expect(try MemoryMapping.of(unwrapped).permissions == "---p", "master key is not protected when idle")
        #endif

        let wrong = #expect(throws: CryptoError.self) {
            _ = try KeyslotSealing.unwrap(wrapped, passphrase: passphrase("correct horsf"), storeID: storeID)
        }
        #expect(wrong?.kind == .authenticationFailed)
        #expect(wrong?.message == "wrong passphrase")
        let otherStore = #expect(throws: CryptoError.self) {
            _ = try KeyslotSealing.unwrap(wrapped, passphrase: passphrase("correct horse"), storeID: [9])
        }
        #expect(otherStore?.kind == .authenticationFailed)
    }

    @Test func keyFileSlotRoundTrip() throws {
        let masterKey = SecureBytes.random(count: 32)
        let keyFileKey = SecureBytes.random(count: 32)
        let wrapped = try KeyslotSealing.wrap(masterKey: masterKey, keyFileKey: keyFileKey, storeID: storeID)
        #expect(wrapped.argon2 == nil)
        #expect(wrapped.salt.count == 32)
        #expect(wrapped.ciphertext.count == 48)
        let unwrapped = try KeyslotSealing.unwrap(wrapped, keyFileKey: keyFileKey, storeID: storeID)
        #expect(unwrapped.constantTimeEquals(masterKey))
        #if os(Linux)
        #expect(try MemoryMapping.of(unwrapped).permissions == "---p", "master key is not protected when idle")
        #endif

        let wrong = #expect(throws: CryptoError.self) {
            _ = try KeyslotSealing.unwrap(wrapped, keyFileKey: SecureBytes.random(count: 32), storeID: storeID)
        }
        #expect(wrong?.kind == .authenticationFailed)
        #expect(wrong?.message == "wrong key file")
        var tampered = wrapped
        tampered.salt[0] ^= 1
        let tamperedError = #expect(throws: CryptoError.self) {
            _ = try KeyslotSealing.unwrap(tampered, keyFileKey: keyFileKey, storeID: storeID)
        }
        #expect(tamperedError?.kind == .authenticationFailed)
    }

    @Test func wrappingTwiceDiffers() throws {
        let masterKey = SecureBytes.random(count: 32)
        let keyFileKey = SecureBytes.random(count: 32)
        let first = try KeyslotSealing.wrap(masterKey: masterKey, keyFileKey: keyFileKey, storeID: storeID)
        let second = try KeyslotSealing.wrap(masterKey: masterKey, keyFileKey: keyFileKey, storeID: storeID)
        #expect(first != second)
        #expect(first.ciphertext != second.ciphertext)
    }

    @Test func slotKindsAreNotInterchangeable() throws {
        let masterKey = SecureBytes.random(count: 32)
        let keyFileSlot = try KeyslotSealing.wrap(masterKey: masterKey, keyFileKey: SecureBytes.random(count: 32),
                                                  storeID: storeID)
        let asPassphrase = #expect(throws: CryptoError.self) {
            _ = try KeyslotSealing.unwrap(keyFileSlot, passphrase: passphrase("x"), storeID: storeID)
        }
        #expect(asPassphrase?.kind == .invalidInput)
        var passphraseSlot = keyFileSlot
        passphraseSlot.argon2 = .minimum
        let asKeyFile = #expect(throws: CryptoError.self) {
            _ = try KeyslotSealing.unwrap(passphraseSlot, keyFileKey: SecureBytes.random(count: 32), storeID: storeID)
        }
        #expect(asKeyFile?.kind == .invalidInput)
    }

    @Test func weakParametersAreRejectedOnWrapAndUnwrap() throws {
        let weak = Argon2idParameters(opsLimit: 1, memLimitBytes: 8 << 20)
        let wrapError = #expect(throws: CryptoError.self) {
            _ = try KeyslotSealing.wrap(masterKey: SecureBytes.random(count: 32), passphrase: passphrase("pw"),
                                        parameters: weak, storeID: storeID)
        }
        #expect(wrapError?.kind == .weakParameters)

        var downgraded = try KeyslotSealing.wrap(masterKey: SecureBytes.random(count: 32), passphrase: passphrase("pw"),
                                                 parameters: .minimum, storeID: storeID)
        downgraded.argon2 = weak
        let unwrapError = #expect(throws: CryptoError.self) {
            _ = try KeyslotSealing.unwrap(downgraded, passphrase: passphrase("pw"), storeID: storeID)
        }
        #expect(unwrapError?.kind == .weakParameters)
    }

    @Test func keysMustBe32Bytes() {
        let error = #expect(throws: CryptoError.self) {
            _ = try KeyslotSealing.wrap(masterKey: SecureBytes.random(count: 16), keyFileKey: SecureBytes.random(count: 32),
                                        storeID: storeID)
        }
        #expect(error?.kind == .invalidInput)
    }
}
