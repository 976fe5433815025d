import SecretsCrypto
import Testing

private let passphrase = SecureBytes(copying: Array("correct horse battery staple".utf8))
private let payload = Array("name=value\u{0}\u{1}binary payload".utf8)

private func seal(_ bytes: [UInt8] = payload) throws -> [UInt8] {
    try bytes.withUnsafeBytes { raw in try SealedBackup.seal(raw, passphrase: passphrase, parameters: .minimum) }
}

private func open(_ file: [UInt8], _ secret: SecureBytes = passphrase) -> Result<[UInt8], CryptoError> {
    Result { () throws(CryptoError) in try SealedBackup.open(file, passphrase: secret).withUnsafeBytes { Array($0) } }
}

@Suite struct SealedBackupTests {
    @Test func roundTrip() throws {
        let file = try seal()
        #expect(file.count == SealedBackup.headerByteCount + payload.count + 16)
        #expect(Array(file.prefix(21)) == Array("secrets-agent-backup\n".utf8))
        #expect(file[21] == 1)
        #expect(try open(file).get() == payload)
        #expect(try SealedBackup.parameters(of: file) == .minimum)
    }

    @Test func emptyPayloadRoundTrips() throws {
        #expect(try open(try seal([])).get() == [])
    }

    @Test func saltAndNonceAreFresh() throws {
        let a = try seal(), b = try seal()
        #expect(a[45..<104] != b[45..<104])
        #expect(a.suffix(payload.count + 16) != b.suffix(payload.count + 16))
    }

    @Test func wrongPassphrase() throws {
        let result = open(try seal(), SecureBytes(copying: Array("wrong".utf8)))
        guard case .failure(let error) = result else { Issue.record("opened with a wrong passphrase"); return }
        #expect(error.kind == .authenticationFailed)
        #expect(error.message == "wrong passphrase or damaged file")
    }

    /// Every header byte after the version bytes and a sample of the ciphertext: any change
    /// fails the tag (parameters are checked before Argon2id runs, so those two fields are
    /// flipped in their low byte only, keeping them within bounds).
    @Test func tamperingIsDetected() throws {
        let file = try seal()
        let positions = [31, 39] + Array(40..<SealedBackup.headerByteCount) + [SealedBackup.headerByteCount, file.count - 20, file.count - 1]
        for position in positions {
            var altered = file
            altered[position] ^= 0x01
            guard case .failure(let error) = open(altered) else {
                Issue.record("byte \(position) changed without detection")
                continue
            }
            #expect(error.kind == .authenticationFailed || error.kind == .weakParameters, "byte \(position)")
        }
        guard case .failure(let error) = open(Array(file.dropLast())) else { Issue.record("truncated file opened"); return }
        #expect(error.kind == .authenticationFailed)
    }

    @Test func versionAndFormatChecks() throws {
        let file = try seal()
        var newer = file
        newer[21] = 2
        guard case .failure(let error) = open(newer) else { Issue.record("opened version 2"); return }
        #expect(error.kind == .invalidInput)
        #expect(error.message.contains("format version 2 is not supported"))

        var otherCipher = file
        otherCipher[23] = 9
        guard case .failure(let cipher) = open(otherCipher) else { Issue.record("opened cipher 9"); return }
        #expect(cipher.kind == .invalidInput)

        guard case .failure(let notBackup) = open(Array("KEY=value\n".utf8)) else { Issue.record("opened a dotenv file"); return }
        #expect(notBackup.kind == .invalidInput)
        #expect(notBackup.message.hasPrefix("not a secrets-agent backup"))
    }

    @Test func parameterBounds() throws {
        var weak = try seal()
        weak[31] = 2  // opslimit 2 < 3
        guard case .failure(let low) = open(weak) else { Issue.record("accepted 2 passes"); return }
        #expect(low.kind == .weakParameters)

        var huge = try seal()
        huge[32] = 0xFF  // memlimit far over 4 GiB
        guard case .failure(let high) = open(huge) else { Issue.record("accepted a huge memlimit"); return }
        #expect(high.kind == .weakParameters)
        #expect(throws: CryptoError.self) {
            try payload.withUnsafeBytes { raw in
                try SealedBackup.seal(raw, passphrase: passphrase, parameters: Argon2idParameters(opsLimit: 2, memLimitBytes: 64 << 20))
            }
        }
    }
}
