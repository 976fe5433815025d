import SecretsCore
import Testing

@Suite struct NameGlobTests {
    static func message(_ quoted: String, _ why: String) -> String {
        "invalid secret glob \(quoted): \(why) (globs are 1-255 characters of A-Z a-z 0-9 _ . / - and *, where * stays within a '/' segment, ** crosses them, and *** is not allowed)"
    }

    @Test(arguments: [
        ("openai/*", "openai/key", true),
        ("openai/*", "openai/", true),
        ("openai/*", "openai/a/b", false),
        ("openai/*", "openai", false),
        ("openai/*", "openaix/key", false),
        ("db/**", "db/a", true),
        ("db/**", "db/a/b/c", true),
        ("db/**", "db/", true),
        ("db/**", "db", false),
        ("db/**", "dbx/a", false),
        ("**", "anything/at/all", true),
        ("**", "x", true),
        ("*", "x", true),
        ("*", "a/b", false),
        ("*/key", "openai/key", true),
        ("*/key", "a/b/key", false),
        ("*/key", "/key", true),
        ("**/key", "a/b/key", true),
        ("**/key", "key", false),
        ("a.b", "a.b", true),
        ("a.b", "axb", false),
        ("db/prod.*", "db/prod.pass", true),
        ("db/prod.*", "db/prodXpass", false),
        ("a*b*c", "aXXbYYc", true),
        ("a*b*c", "aXXbYY/c", false),
        ("a**c", "a/x/c", true),
        ("x/*/y/**", "x/1/y/2/3", true),
        ("x/*/y/**", "x/1/2/y/3", false),
        ("exact", "exact", true),
        ("exact", "exactly", false),
        ("exact", "Exact", false),
    ])
    func matching(_ pattern: String, _ name: String, _ expected: Bool) throws {
        let glob = try NameGlob(pattern)
        #expect(glob.matches(name) == expected)
        #expect(glob.pattern == pattern)
        #expect(glob.description == pattern)
    }

    @Test(arguments: [
        ("", Self.message("''", "empty")),
        ("a***", Self.message("'a***'", "'***' is not allowed")),
        ("****", Self.message("'****'", "'***' is not allowed")),
        ("a b", Self.message("'a b'", "character ' ' is not allowed")),
        ("a?", Self.message("'a?'", "character '?' is not allowed")),
        ("[ab]", Self.message("'[ab]'", "character '[' is not allowed")),
        ("café/*", Self.message("'café/*'", "character 'é' is not allowed")),
        ("a\nb", Self.message("'a\\u{a}b'", "character '\\u{a}' is not allowed")),
        (String(repeating: "a", count: 256), Self.message("'" + String(repeating: "a", count: 64) + "...'", "longer than 255 characters")),
    ])
    func invalidPatterns(_ pattern: String, _ expected: String) {
        let error = #expect(throws: SecretsError.self) { try NameGlob(pattern) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == expected)
    }

    @Test func twoStarsNextToEachOtherAreOneDoubleStarNotTwoStars() throws {
        // `**` crosses '/', where `*` followed by `*` would not.
        #expect(try NameGlob("a/**").matches("a/b/c"))
        #expect(try NameGlob("a/**/*").matches("a/b/c/d"))
        #expect(try !NameGlob("a/*/*").matches("a/b/c/d"))
    }

    @Test func theRuleIsStated() {
        #expect(NameGlob.rule == "globs are 1-255 characters of A-Z a-z 0-9 _ . / - and *, where * stays within a '/' segment, ** crosses them, and *** is not allowed")
    }

    @Test func equalPatternsAreEqualGlobs() throws {
        #expect(try NameGlob("a/*") == NameGlob("a/*"))
        #expect(try NameGlob("a/*") != NameGlob("a/**"))
        #expect(try Set([NameGlob("a/*"), NameGlob("a/*"), NameGlob("b")]).count == 2)
    }

    @Test func aPathologicalPatternFinishes() throws {
        // Exponential for a naive backtracking matcher; quadratic here.
        let glob = try NameGlob("*a*a*a*a*a*a*b")
        let name = String(repeating: "a", count: 255)
        #expect(!glob.matches(name))
        #expect(glob.matches(name + "b"))
        let deep = try NameGlob("**a**a**a**a**a**a**a**a**b")
        #expect(!deep.matches(String(repeating: "a/", count: 127)))
    }

    @Test func matchingAgreesWithABruteForceMatcher() throws {
        // Every pattern over {a, /, *, **} up to 5 tokens against every name over {a, b, /} up to 5 characters.
        let tokens = ["a", "/", "*", "**"]
        var patterns = [""]
        var all: [String] = []
        for _ in 1...5 {
            patterns = patterns.flatMap { p in tokens.map { p + $0 } }.filter { !$0.contains("***") }
            all += patterns
        }
        var names = [""]
        var allNames = [""]
        for _ in 1...5 {
            names = names.flatMap { n in ["a", "b", "/"].map { n + $0 } }
            allNames += names
        }
        var disagreements: [String] = []
        for pattern in Set(all) {
            let glob = try NameGlob(pattern)
            for name in allNames where glob.matches(name) != Self.bruteForce(Array(pattern), Array(name)) {
                disagreements.append("\(pattern) vs \(name)")
            }
        }
        #expect(Set(all).count == 600)  // distinct patterns of up to 5 tokens, never "***"
        #expect(disagreements == [])
    }

    /// A direct recursive reading of the rule, fine for tiny inputs.
    static func bruteForce(_ p: [Character], _ n: [Character]) -> Bool {
        guard let first = p.first else { return n.isEmpty }
        if first == "*" {
            let double = p.count > 1 && p[1] == "*"
            let rest = Array(p.dropFirst(double ? 2 : 1))
            for taken in 0...n.count {
                if !double && n[..<taken].contains("/") { break }
                if bruteForce(rest, Array(n[taken...])) { return true }
            }
            return false
        }
        return n.first == first && bruteForce(Array(p.dropFirst()), Array(n.dropFirst()))
    }
}
