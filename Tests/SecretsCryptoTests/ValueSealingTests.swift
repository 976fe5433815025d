import SecretsCrypto
import Testing

private let availableAlgorithms = AEADAlgorithm.allCases.filter(AEAD.isAvailable)
private let masterKey = SecureBytes.random(count: 32)
private let binding = ValueBinding(storeID: [1, 2, 3], name: "db/pass", environment: "production", version: 7)

private func seal(_ value: String, _ binding: ValueBinding = binding,
                  algorithm: AEADAlgorithm = .xchacha20poly1305) throws -> SealedValue {
    try Array(value.utf8).withUnsafeBytes {
        try ValueSealing.seal($0, masterKey: masterKey, binding: binding, algorithm: algorithm)
    }
}

@Suite struct ValueSealingTests {
    @Test func associatedDataHasTheCanonicalEncoding() {
        let expected = Array("secrets-agent/v1/value".utf8)
            + [0, 0, 0, 3, 1, 2, 3]
            + [0, 0, 0, 7] + Array("db/pass".utf8)
            + [0, 0, 0, 10] + Array("production".utf8)
            + [0, 0, 0, 0, 0, 0, 0, 7]
        #expect(binding.associatedData == expected)
    }

    @Test func associatedDataIsUnambiguous() {
        let first = ValueBinding(storeID: [], name: "ab", environment: "c", version: 1)
        let second = ValueBinding(storeID: [], name: "a", environment: "bc", version: 1)
        let third = ValueBinding(storeID: Array("a".utf8), name: "b", environment: "c", version: 1)
        let fourth = ValueBinding(storeID: [], name: "ab", environment: "c", version: 1 << 32)
        let encodings = [first, second, third, fourth].map(\.associatedData)
        #expect(Set(encodings).count == 4)
    }

    @Test(arguments: availableAlgorithms) func roundTrip(_ algorithm: AEADAlgorithm) throws {
        let sealed = try seal("s3cr3t-value", algorithm: algorithm)
        #expect(sealed.algorithm == algorithm)
        #expect(sealed.salt.count == ValueSealing.saltByteCount)
        #expect(sealed.nonce.count == AEAD.nonceByteCount(algorithm))
        #expect(sealed.ciphertext.count == "s3cr3t-value".utf8.count + 16)
        let opened = try ValueSealing.open(sealed, masterKey: masterKey, binding: binding)
        #expect(opened.copyToArray() == Array("s3cr3t-value".utf8))
    }

    @Test func sealingTwiceGivesFreshSaltNonceAndCiphertext() throws {
        let first = try seal("same value")
        let second = try seal("same value")
        #expect(first.salt != second.salt)
        #expect(first.nonce != second.nonce)
        #expect(first.ciphertext != second.ciphertext)
    }

    @Test(arguments: [
        ValueBinding(storeID: [1, 2, 4], name: "db/pass", environment: "production", version: 7),
        ValueBinding(storeID: [1, 2, 3], name: "db/pass2", environment: "production", version: 7),
        ValueBinding(storeID: [1, 2, 3], name: "db/pass", environment: "staging", version: 7),
        ValueBinding(storeID: [1, 2, 3], name: "db/pass", environment: "production", version: 8),
    ])
    func movedValueFailsToOpen(_ other: ValueBinding) throws {
        let sealed = try seal("hunter2")
        let error = #expect(throws: CryptoError.self) {
            _ = try ValueSealing.open(sealed, masterKey: masterKey, binding: other)
        }
        #expect(error?.kind == .authenticationFailed)
        #expect(error?.message.contains("hunter2") == false)
    }

    @Test func alteredSaltOrWrongMasterKeyFails() throws {
        var sealed = try seal("value")
        let wrongKey = SecureBytes.random(count: 32)
        let wrongKeyError = #expect(throws: CryptoError.self) {
            _ = try ValueSealing.open(sealed, masterKey: wrongKey, binding: binding)
        }
        #expect(wrongKeyError?.kind == .authenticationFailed)
        sealed.salt[0] ^= 1
        let saltError = #expect(throws: CryptoError.self) {
            _ = try ValueSealing.open(sealed, masterKey: masterKey, binding: binding)
        }
        #expect(saltError?.kind == .authenticationFailed)
        sealed.salt.removeLast()
        let lengthError = #expect(throws: CryptoError.self) {
            _ = try ValueSealing.open(sealed, masterKey: masterKey, binding: binding)
        }
        #expect(lengthError?.kind == .authenticationFailed)
    }

    @Test func masterKeyMustBe32Bytes() {
        let error = #expect(throws: CryptoError.self) {
            _ = try [1].withUnsafeBytes {
                try ValueSealing.seal($0, masterKey: SecureBytes(count: 31), binding: binding, algorithm: .xchacha20poly1305)
            }
        }
        #expect(error?.kind == .invalidInput)
    }
}
