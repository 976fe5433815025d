import SecretsCrypto
import Testing

@Suite struct SecureBytesBuilderTests {
    @Test func growsAndKeepsEveryByte() {
        var builder = SecureBytesBuilder(capacity: 16)
        var expected: [UInt8] = []
        for round in 0..<200 {
            let chunk = (0..<(round % 37)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ round) }
            builder.append(chunk)
            expected += chunk
        }
        builder.appendUsing(maximum: 10) { raw in
            raw[0] = 0xAB
            return 1
        }
        expected.append(0xAB)
        #expect(builder.count == expected.count)
        #expect(builder.withUnsafeBytes { Array($0) } == expected)
        #expect(builder.finish().withUnsafeBytes { Array($0) } == expected)
    }
}
