import SecretsCrypto
import Testing

private func equals(_ a: String, _ b: String) -> Bool {
    Array(a.utf8).withUnsafeBytes { left in
        Array(b.utf8).withUnsafeBytes { right in ConstantTime.equals(left, right) }
    }
}

@Suite struct ConstantTimeTests {
    @Test func equalInputsCompareEqual() {
        #expect(equals("token-123", "token-123"))
        #expect(equals("", ""))
    }

    @Test func differentInputsCompareUnequal() {
        #expect(!equals("token-123", "token-124"))
        #expect(!equals("token-123", "Token-123"))
    }

    @Test func differentLengthsCompareUnequal() {
        #expect(!equals("token-123", "token-12"))
        #expect(!equals("token", "token\0"))
        #expect(!equals("", "a"))
    }
}
