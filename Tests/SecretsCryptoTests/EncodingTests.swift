import SecretsCrypto
import Testing

@Suite struct EncodingTests {
    @Test func hexEncodesLowercase() {
        #expect(Hex.encode([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.encode([0xde, 0xad, 0xbe, 0xef][1...]) == "adbeef")
    }

    @Test func hexDecodesEitherCase() {
        #expect(Hex.decode("000fa5ff") == [0x00, 0x0f, 0xa5, 0xff])
        #expect(Hex.decode("DEADbeef") == [0xde, 0xad, 0xbe, 0xef])
        #expect(Hex.decode("") == [])
    }

    @Test(arguments: ["abc", "zz", "00 11", "0x00", "ab\n", "é0"])
    func hexRejectsMalformedText(_ text: String) {
        #expect(Hex.decode(text) == nil)
    }

    /// RFC 4648 §10 test vectors.
    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
                      ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func base64StandardMatchesRFC4648(_ input: String, _ expected: String) {
        let encoded = Array(input.utf8).withUnsafeBytes { Base64.encode($0, variant: .standard) }
        #expect(String(decoding: encoded, as: UTF8.self) == expected)
    }

    @Test func base64URLSafeUsesItsAlphabetWithoutPadding() {
        let bytes: [UInt8] = [0xfb, 0xff, 0xbf]
        let standard = bytes.withUnsafeBytes { Base64.encode($0, variant: .standard) }
        let urlSafe = bytes.withUnsafeBytes { Base64.encode($0, variant: .urlSafeNoPadding) }
        #expect(String(decoding: standard, as: UTF8.self) == "+/+/")
        #expect(String(decoding: urlSafe, as: UTF8.self) == "-_-_")
        let padded = [UInt8]([0xfb]).withUnsafeBytes { Base64.encode($0, variant: .urlSafeNoPadding) }
        #expect(String(decoding: padded, as: UTF8.self) == "-w")
    }
}
