import SecretsCrypto
import Testing

private let keyHex = "00112233445566778899aabbccddeeff0f1e2d3c4b5a69788796a5b4c3d2e1f0"

private func parse(_ contents: String) throws(CryptoError) -> SecureBytes {
    let bytes = Array(contents.utf8)
    return try bytes.withUnsafeBytes { buffer in
        Result { () throws(CryptoError) in try KeyFile.parse(buffer) }
    }.get()
}

/// Fails when `message` contains any 6-character run of `contents`.
private func expectNoContent(_ message: String?, from contents: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
    let characters = Array(contents)
    for start in 0..<max(0, characters.count - 5) {
        let run = String(characters[start..<start + 6])
        #expect(message?.contains(run) == false, "message leaks \(run)", sourceLocation: sourceLocation)
    }
}

@Suite struct KeyFileTests {
    @Test(arguments: [keyHex, keyHex.uppercased(), keyHex + "\n", " \t\r\n" + keyHex + "\r\n\n "])
    func parsesHexInEitherCaseWithSurroundingWhitespace(_ contents: String) throws {
        #expect(try parse(contents).copyToArray() == Hex.decode(keyHex))
    }

    @Test(arguments: [
        String(keyHex.dropLast()) + "g",
        String(keyHex.dropLast(2)) + "\u{e9}",
        String(keyHex.prefix(32)) + " " + String(keyHex.suffix(31)),
    ])
    func rejectsNonHex(_ contents: String) {
        let error = #expect(throws: CryptoError.self) { _ = try parse(contents) }
        #expect(error?.kind == .invalidInput)
        #expect(error?.message.hasPrefix("key file is not hex") == true)
        expectNoContent(error?.message, from: contents)
    }

    @Test(arguments: [("", 0), (String(keyHex.dropLast(2)), 62), (keyHex + "00", 66), (keyHex + keyHex, 128)])
    func rejectsWrongLength(_ contents: String, _ length: Int) {
        let error = #expect(throws: CryptoError.self) { _ = try parse(contents) }
        #expect(error?.kind == .invalidInput)
        #expect(error?.message.hasPrefix("key file must hold 64 hex characters, found \(length) ") == true)
        expectNoContent(error?.message, from: contents)
    }

    @Test func generatedContentsParseBack() throws {
        let contents = KeyFile.generateContents()
        let bytes = contents.copyToArray()
        #expect(bytes.count == 65)
        #expect(bytes.last == UInt8(ascii: "\n"))
        #expect(bytes.dropLast().allSatisfy { Array("0123456789abcdef".utf8).contains($0) })
        let key = try contents.withUnsafeBytes { buffer in
            Result { () throws(CryptoError) in try KeyFile.parse(buffer) }
        }.get()
        #expect(Hex.encode(key.copyToArray()) == String(decoding: bytes.dropLast(), as: UTF8.self))
        #expect(!contents.constantTimeEquals(KeyFile.generateContents()))
    }
}
