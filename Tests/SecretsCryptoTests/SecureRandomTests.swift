import SecretsCrypto
import Testing

@Suite struct SecureRandomTests {
    @Test func bytesHaveTheRequestedCountAndDiffer() {
        #expect(SecureRandom.bytes(0) == [])
        let first = SecureRandom.bytes(32)
        let second = SecureRandom.bytes(32)
        #expect(first.count == 32)
        #expect(first != second)
        #expect(first.contains { $0 != 0 })
    }

    @Test func fillOverwritesTheWholeBuffer() {
        var buffer = [UInt8](repeating: 0, count: 64)
        buffer.withUnsafeMutableBytes { SecureRandom.fill($0) }
        // 32 zero bytes in a row after filling has probability 2^-256.
        #expect(buffer.prefix(32).contains { $0 != 0 })
        #expect(buffer.suffix(32).contains { $0 != 0 })
    }
}
