import SecretsCrypto
import Testing

@Suite struct HMACSHA256Tests {
    /// RFC 4231 §4, the HMAC-SHA-256 outputs. Case 5 is left out: it checks a truncated tag.
    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var key: [UInt8]
        var data: [UInt8]
        var tag: String
        var testDescription: String { name }
    }

    static let rfc4231: [Vector] = [
        Vector(name: "4.2 (case 1)", key: Array(repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
               tag: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        Vector(name: "4.3 (case 2, key shorter than the tag)", key: Array("Jefe".utf8),
               data: Array("what do ya want for nothing?".utf8),
               tag: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        Vector(name: "4.4 (case 3)", key: Array(repeating: 0xaa, count: 20), data: Array(repeating: 0xdd, count: 50),
               tag: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        Vector(name: "4.5 (case 4)", key: Array(1...25), data: Array(repeating: 0xcd, count: 50),
               tag: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        Vector(name: "4.7 (case 6, key longer than a block)", key: Array(repeating: 0xaa, count: 131),
               data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
               tag: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ]

    @Test(arguments: rfc4231) func rfc4231Vectors(_ vector: Vector) {
        let tag = vector.data.withUnsafeBytes {
            HMACSHA256.authenticate($0, key: SecureBytes(copying: vector.key))
        }
        #expect(tag.count == HMACSHA256.byteCount)
        #expect(Hex.encode(tag) == vector.tag)
    }

    @Test func anEmptyKeyIsZeroPaddingLikeAnyShortKey() {
        // HMAC pads the key with zeros to the block size, so "" and 32 zero bytes agree.
        let empty = [UInt8]().withUnsafeBytes { HMACSHA256.authenticate($0, key: SecureBytes(count: 0)) }
        let zeros = [UInt8]().withUnsafeBytes { HMACSHA256.authenticate($0, key: SecureBytes(count: 32)) }
        #expect(Hex.encode(empty) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
        #expect(empty == zeros)
    }

    @Test func everyMessageBitAndKeyByteChangesTheTag() {
        let key = SecureBytes(copying: Array("audit key".utf8))
        let message: [UInt8] = Array("entry".utf8)
        let tag = message.withUnsafeBytes { HMACSHA256.authenticate($0, key: key) }
        var flipped = message
        flipped[0] ^= 1
        #expect(flipped.withUnsafeBytes { HMACSHA256.authenticate($0, key: key) } != tag)
        let otherKey = SecureBytes(copying: Array("audit kez".utf8))
        #expect(message.withUnsafeBytes { HMACSHA256.authenticate($0, key: otherKey) } != tag)
    }
}

@Suite struct HMACSHA256KeyTests {
    /// A prepared key gives the RFC 4231 tags too, including the key longer than a block.
    @Test(arguments: HMACSHA256Tests.rfc4231) func rfc4231Vectors(_ vector: HMACSHA256Tests.Vector) {
        let key = HMACSHA256Key(SecureBytes(copying: vector.key))
        #expect(Hex.encode(vector.data.withUnsafeBytes { key.authenticate($0) }) == vector.tag)
    }

    /// One prepared key, many messages: each tag equals the one-shot HMAC's, so no message's
    /// state leaks into the next (the working copy starts from the prepared state each time).
    @Test func everyMessageMatchesTheOneShotTag() {
        var generator = SystemRandomNumberGenerator()
        for keyLength in [0, 1, 32, 64, 65, 200] {
            let raw = (0..<keyLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let key = SecureBytes(copying: raw)
            let prepared = HMACSHA256Key(key)
            for messageLength in [0, 1, 55, 56, 63, 64, 65, 300, 1000] {
                let message = (0..<messageLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let expected = message.withUnsafeBytes { HMACSHA256.authenticate($0, key: key) }
                #expect(message.withUnsafeBytes { prepared.authenticate($0) } == expected,
                        "key \(keyLength) bytes, message \(messageLength) bytes")
            }
        }
    }
}
