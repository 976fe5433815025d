@testable import SecretsScan
import Testing

@Suite struct ValueShapeTests {
    func withText<T>(_ string: String, _ body: (ScanText, Int) -> T) -> T {
        Array(string.utf8).withUnsafeBytes { body(ScanText(base: $0.baseAddress!, count: $0.count), $0.count) }
    }

    @Test func log2WithoutFoundation() {
        for (x, expected) in [(1.0, 0.0), (2.0, 1.0), (8.0, 3.0), (1024.0, 10.0), (0.5, -1.0)] {
            #expect(ValueShape.log2(x) == expected)
        }
        #expect(abs(ValueShape.log2(3) - 1.584_962_500_721_156) < 1e-12)
        #expect(abs(ValueShape.log2(1000) - 9.965_784_284_662_087) < 1e-12)
        #expect(ValueShape.log2(0) == -.infinity)
    }

    @Test func shannonEntropy() {
        func shannon(_ s: String) -> Double { withText(s) { ValueShape.shannon($0, 0, $1) } }
        #expect(shannon("aaaaaaaa") == 0)
        #expect(abs(shannon("abababab") - 1) < 1e-12)
        #expect(abs(shannon("abcdefgh") - 3) < 1e-12)
        #expect(abs(shannon("0123456789abcdef") - 4) < 1e-12)
        #expect(abs(shannon("aab") - 0.918_295_834_054_489_6) < 1e-12)
    }

    @Test(arguments: [
        ("q8Zr2LmVx7TnW4pYs6Kd", true), ("xK9#mQ2!", true), ("c9f1e2a47b3d8e60f5a2", true),
        ("hunter22", false), ("password", false), ("abcabcabcabc", false), ("123456789012", false),
        ("user_password_hash", false), ("userPasswordHash", false), ("/run/secrets/db", false), ("aBcDeFgHiJkL", true),
    ])
    func randomEnough(_ value: String, _ expected: Bool) {
        #expect(withText(value) { ValueShape.isRandomEnough($0, 0, $1) } == expected)
    }

    @Test func keyWords() {
        func words(_ key: String) -> [String] {
            withText(key) { text, count in
                let (last, previous) = KeyName.lastWords(text, 0..<count)
                return [previous, last].map { String(decoding: Array(key.utf8)[$0], as: UTF8.self) }
            }
        }
        #expect(words("DB_PASSWORD") == ["DB", "PASSWORD"])
        #expect(words("dbPassword") == ["db", "Password"])
        #expect(words("APIKey") == ["API", "Key"])
        #expect(words("x-api-key") == ["api", "key"])
        #expect(words("db.password") == ["db", "password"])
        #expect(words("OAuth2Token") == ["Auth2", "Token"])
        #expect(words("token") == ["", "token"])
    }
}
