import SecretsCore
import Testing

@Suite struct SecretNameTests {
    /// The full message for `raw` rejected for `why`.
    static func message(_ quoted: String, _ why: String) -> String {
        "invalid secret name \(quoted): \(why) (names are 1-255 characters of A-Z a-z 0-9 _ . / -, start with a letter, digit or _, and have no '..' segment)"
    }

    @Test(arguments: [
        "openai/key", "a", "_x", "db/prod.pass-1", "A", "9", "a/b/c", "a.b", "a..b", "a/.hidden", "a/b-", "x/",
        String(repeating: "n", count: 255),
    ])
    func validNamesAreKeptAsGiven(_ raw: String) throws {
        let name = try SecretName(raw)
        #expect(name.rawValue == raw)
        #expect(name.description == raw)
    }

    @Test func theRuleIsStated() {
        #expect(SecretName.rule == "names are 1-255 characters of A-Z a-z 0-9 _ . / -, start with a letter, digit or _, and have no '..' segment")
    }

    @Test(arguments: [
        ("", Self.message("''", "empty")),
        ("/a", Self.message("'/a'", "must start with a letter, digit or _")),
        (".env", Self.message("'.env'", "must start with a letter, digit or _")),
        ("-x", Self.message("'-x'", "must start with a letter, digit or _")),
        ("..", Self.message("'..'", "must start with a letter, digit or _")),
        ("a/../b", Self.message("'a/../b'", "'..' segments are not allowed")),
        ("a/..", Self.message("'a/..'", "'..' segments are not allowed")),
        ("a//..//b", Self.message("'a//..//b'", "'..' segments are not allowed")),
        ("a b", Self.message("'a b'", "character ' ' is not allowed")),
        ("a*", Self.message("'a*'", "character '*' is not allowed")),
        ("a\\b", Self.message("'a\\b'", "character '\\' is not allowed")),
        ("a:b", Self.message("'a:b'", "character ':' is not allowed")),
        // A bad character is named even when a '..' segment comes first.
        ("a/../b$", Self.message("'a/../b$'", "character '$' is not allowed")),
        ("a/../é", Self.message("'a/../é'", "character 'é' is not allowed")),
    ])
    func invalidNamesNameTheRuleTheyBreak(_ raw: String, _ expected: String) {
        let error = #expect(throws: SecretsError.self) { try SecretName(raw) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == expected)
    }

    @Test func theLengthLimitIs255Bytes() {
        let long = String(repeating: "n", count: 256)
        let error = #expect(throws: SecretsError.self) { try SecretName(long) }
        #expect(error?.code == .invalidArgument)
        // The name is quoted truncated to 64 characters.
        #expect(error?.message == Self.message("'" + String(repeating: "n", count: 64) + "...'", "longer than 255 characters"))
    }

    @Test func lengthIsCountedInBytesNotCharacters() {
        // 128 two-byte characters: 128 characters, 256 bytes.
        let error = #expect(throws: SecretsError.self) { try SecretName(String(repeating: "é", count: 128)) }
        #expect(error?.message == Self.message("'" + String(repeating: "é", count: 64) + "...'", "longer than 255 characters"))
    }

    @Test func nonASCIIIsRefused() {
        let error = #expect(throws: SecretsError.self) { try SecretName("café") }
        #expect(error?.code == .invalidArgument)
        // The offending character is reported whole, not as a fragment of its UTF-8.
        #expect(error?.message == Self.message("'café'", "character 'é' is not allowed"))
        #expect(throws: SecretsError.self) { try SecretName("日本") }
        #expect(throws: SecretsError.self) { try SecretName("key🔑") }
    }

    @Test(arguments: [
        ("a\0b", "'a\\u{0}b'", "character '\\u{0}' is not allowed"),
        ("a\nERROR forged log line", "'a\\u{a}ERROR forged log line'", "character '\\u{a}' is not allowed"),
        ("a\r", "'a\\u{d}'", "character '\\u{d}' is not allowed"),
        ("a\tb", "'a\\u{9}b'", "character '\\u{9}' is not allowed"),
        ("a\u{1B}[31m", "'a\\u{1b}[31m'", "character '\\u{1b}' is not allowed"),
        ("a\u{7F}", "'a\\u{7f}'", "character '\\u{7f}' is not allowed"),
        ("\nx", "'\\u{a}x'", "must start with a letter, digit or _"),
    ])
    func controlCharactersAreEscapedInTheMessage(_ raw: String, _ quoted: String, _ why: String) {
        let error = #expect(throws: SecretsError.self) { try SecretName(raw) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == Self.message(quoted, why))
        let hasControl = error?.message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } ?? true
        #expect(!hasControl, "the message must not carry raw control characters")
    }

    @Test func namesCompareAndHashByRawValue() throws {
        let a = try SecretName("a/b")
        let b = try SecretName("a/c")
        #expect(a < b)
        #expect(!(b < a))
        #expect(a == (try SecretName("a/b")))
        #expect(a != b)
        #expect(Set([a, b, try SecretName("a/b")]).count == 2)
        #expect([b, a].sorted() == [a, b])
    }
}
