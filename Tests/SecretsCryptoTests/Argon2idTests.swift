import SecretsCrypto
import Testing

private let salt: [UInt8] = Array(0..<16)

private func derive(_ passphrase: String, salt: [UInt8] = salt,
                    _ parameters: Argon2idParameters = .minimum) throws(CryptoError) -> SecureBytes {
    try Argon2id.deriveKey(passphrase: SecureBytes(copying: Array(passphrase.utf8)), salt: salt,
                           parameters: parameters)
}

@Suite struct Argon2idTests {
    @Test func parameterPresets() {
        #expect(Argon2idParameters.moderate == Argon2idParameters(opsLimit: 3, memLimitBytes: 256 << 20))
        #expect(Argon2idParameters.minimum == Argon2idParameters(opsLimit: 3, memLimitBytes: 64 << 20))
        #expect(Argon2id.saltByteCount == 16)
    }

    /// Reference value from argon2-cffi (the reference C implementation):
    /// hash_secret_raw(b"correct horse battery staple", bytes(range(16)), time_cost=3,
    /// memory_cost=65536, parallelism=1, hash_len=32, type=Type.ID, version=19).
    @Test func matchesReferenceArgon2id() throws {
        let key = try derive("correct horse battery staple")
        #expect(Hex.encode(key.copyToArray()) == "0d1a3c6523c8f06e4e0af9c515aa5b5448cfebd6838f2d52c3d8b6ef8ddc3c2e")
    }

    @Test func saltChangesTheKey() throws {
        let first = try derive("passphrase")
        let second = try derive("passphrase", salt: Array(repeating: 1, count: 16))
        #expect(first.count == 32)
        #expect(!first.constantTimeEquals(second))
    }

    @Test(arguments: [
        Argon2idParameters(opsLimit: 2, memLimitBytes: 64 << 20),
        Argon2idParameters(opsLimit: 3, memLimitBytes: (64 << 20) - 1024),
        Argon2idParameters(opsLimit: 0, memLimitBytes: 0),
    ])
    func weakParametersAreRejected(_ parameters: Argon2idParameters) {
        let error = #expect(throws: CryptoError.self) { _ = try derive("passphrase", parameters) }
        #expect(error?.kind == .weakParameters)
    }

    @Test func emptyPassphraseAndBadSaltAreInvalid() {
        let empty = #expect(throws: CryptoError.self) { _ = try derive("") }
        #expect(empty?.kind == .invalidInput)
        #expect(empty?.message == "passphrase is empty")
        let shortSalt = #expect(throws: CryptoError.self) { _ = try derive("passphrase", salt: Array(0..<15)) }
        #expect(shortSalt?.kind == .invalidInput)
    }
}
