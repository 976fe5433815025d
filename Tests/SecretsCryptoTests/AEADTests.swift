import SecretsCrypto
import Testing

private let availableAlgorithms = AEADAlgorithm.allCases.filter(AEAD.isAvailable)

private func hex(_ text: String) throws -> [UInt8] {
    try #require(Hex.decode(text))
}

private func key(_ byte: UInt8) -> SecureBytes {
    SecureBytes(copying: [UInt8](repeating: byte, count: 32))
}

private func seal(_ plaintext: [UInt8], key: SecureBytes, ad: [UInt8], _ algorithm: AEADAlgorithm) throws
    -> (nonce: [UInt8], ciphertext: [UInt8])
{
    try plaintext.withUnsafeBytes { try AEAD.seal($0, key: key, associatedData: ad, algorithm: algorithm) }
}

private func expectAuthenticationFailure(_ body: () throws(CryptoError) -> SecureBytes,
                                         sourceLocation: SourceLocation = #_sourceLocation) {
    let error = #expect(throws: CryptoError.self, sourceLocation: sourceLocation) { _ = try body() }
    #expect(error?.kind == .authenticationFailed, sourceLocation: sourceLocation)
}

@Suite struct AEADTests {
    @Test func xchachaIsAlwaysAvailableAndNonceLengths() {
        #expect(AEAD.isAvailable(.xchacha20poly1305))
        #expect(AEAD.nonceByteCount(.xchacha20poly1305) == 24)
        #expect(AEAD.nonceByteCount(.aes256gcm) == 12)
    }

    /// draft-irtf-cfrg-xchacha-03 §A.3.1: pins the IETF construction and the AD handling.
    @Test func xchachaDraftVectorOpens() throws {
        let plaintext = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
            + "sunscreen would be it."
        let ciphertext = try hex(
            "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39"
                + "ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
                + "21f9664c97637da9768812f615c68b13b52ec0875924c1c7987947deafd8780acf49")
        let key = SecureBytes(copying: try hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"))
        let opened = try AEAD.open(
            ciphertext: ciphertext, nonce: try hex("404142434445464748494a4b4c4d4e4f5051525354555657"), key: key,
            associatedData: try hex("50515253c0c1c2c3c4c5c6c7"), algorithm: .xchacha20poly1305)
        #expect(opened.copyToArray() == Array(plaintext.utf8))
    }

    /// The GCM specification's test case 16 (256-bit key, with associated data).
    @Test(.enabled(if: AEAD.isAvailable(.aes256gcm))) func aesGCMVectorOpens() throws {
        let ciphertext = try hex(
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838"
                + "c5f61e6393ba7a0abcc9f66276fc6ece0f4e1768cddf8853bb2d551b")
        let key = SecureBytes(copying: try hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"))
        let opened = try AEAD.open(
            ciphertext: ciphertext, nonce: try hex("cafebabefacedbaddecaf888"), key: key,
            associatedData: try hex("feedfacedeadbeeffeedfacedeadbeefabaddad2"), algorithm: .aes256gcm)
        #expect(Hex.encode(opened.copyToArray()) == "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
    }

    @Test(.enabled(if: !AEAD.isAvailable(.aes256gcm))) func aesGCMUnavailableIsReported() {
        let error = #expect(throws: CryptoError.self) { _ = try seal([1], key: key(1), ad: [], .aes256gcm) }
        #expect(error?.kind == .unavailable)
    }

    @Test(arguments: availableAlgorithms) func roundTrip(_ algorithm: AEADAlgorithm) throws {
        for plaintext in [[], [0x42], Array("a longer value\nwith lines".utf8)] as [[UInt8]] {
            let sealed = try seal(plaintext, key: key(1), ad: [9, 9], algorithm)
            #expect(sealed.nonce.count == AEAD.nonceByteCount(algorithm))
            #expect(sealed.ciphertext.count == plaintext.count + 16)
            let opened = try AEAD.open(ciphertext: sealed.ciphertext, nonce: sealed.nonce, key: key(1),
                                       associatedData: [9, 9], algorithm: algorithm)
            #expect(opened.copyToArray() == plaintext)
        }
    }

    @Test(arguments: availableAlgorithms) func sealingTwiceUsesFreshNonces(_ algorithm: AEADAlgorithm) throws {
        let first = try seal([1, 2, 3], key: key(1), ad: [], algorithm)
        let second = try seal([1, 2, 3], key: key(1), ad: [], algorithm)
        #expect(first.nonce != second.nonce)
        #expect(first.ciphertext != second.ciphertext)
    }

    @Test(arguments: availableAlgorithms) func tamperingFailsAuthentication(_ algorithm: AEADAlgorithm) throws {
        let sealed = try seal(Array("value".utf8), key: key(1), ad: [1, 2, 3], algorithm)
        func open(ciphertext: [UInt8]? = nil, nonce: [UInt8]? = nil, key: SecureBytes = key(1),
                  ad: [UInt8] = [1, 2, 3]) throws(CryptoError) -> SecureBytes {
            try AEAD.open(ciphertext: ciphertext ?? sealed.ciphertext, nonce: nonce ?? sealed.nonce, key: key,
                          associatedData: ad, algorithm: algorithm)
        }
        #expect(try open().copyToArray() == Array("value".utf8))
        for index in [0, sealed.ciphertext.count - 1] {
            var ciphertext = sealed.ciphertext
            ciphertext[index] ^= 0x01
            expectAuthenticationFailure { () throws(CryptoError) in try open(ciphertext: ciphertext) }
        }
        var nonce = sealed.nonce
        nonce[0] ^= 0x80
        expectAuthenticationFailure { () throws(CryptoError) in try open(nonce: nonce) }
        expectAuthenticationFailure { () throws(CryptoError) in try open(ad: [1, 2, 4]) }
        expectAuthenticationFailure { () throws(CryptoError) in try open(ad: []) }
        expectAuthenticationFailure { () throws(CryptoError) in try open(key: key(2)) }
        expectAuthenticationFailure { () throws(CryptoError) in try open(ciphertext: Array(sealed.ciphertext.prefix(15))) }
        expectAuthenticationFailure { () throws(CryptoError) in try open(nonce: Array(sealed.nonce.dropLast())) }
    }

    @Test func keyMustBe32Bytes() {
        let short = SecureBytes(count: 16)
        let error = #expect(throws: CryptoError.self) { _ = try seal([1], key: short, ad: [], .xchacha20poly1305) }
        #expect(error?.kind == .invalidInput)
        #expect(error?.message == "key is 16 bytes, want 32")
    }
}
