import SecretsCore
import Testing

@Suite struct EnvironmentTests {
    static let rule = "environments are 1-32 characters of a-z 0-9 -, starting with a letter"

    @Test(arguments: ["production", "staging", "development", "a", "dev-2", "x-", "a0", String(repeating: "e", count: 32)])
    func validEnvironmentsAreKeptAsGiven(_ raw: String) throws {
        let environment = try Environment(raw)
        #expect(environment.rawValue == raw)
        #expect(environment.description == raw)
    }

    @Test func theRuleIsStated() {
        #expect(Environment.rule == Self.rule)
    }

    @Test(arguments: [
        ("Prod", "'Prod'"),
        ("prodA", "'prodA'"),
        ("1abc", "'1abc'"),
        ("-x", "'-x'"),
        (String(repeating: "e", count: 33), "'" + String(repeating: "e", count: 33) + "'"),
        ("a_b", "'a_b'"),
        ("a.b", "'a.b'"),
        ("a/b", "'a/b'"),
        ("", "''"),
        (" prod", "' prod'"),
        ("prod\n", "'prod\\u{a}'"),
        ("prod\0", "'prod\\u{0}'"),
        ("é", "'é'"),
    ])
    func invalidEnvironmentsNameTheRule(_ raw: String, _ quoted: String) {
        let error = #expect(throws: SecretsError.self) { try Environment(raw) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "invalid environment \(quoted) (\(Self.rule))")
    }

    @Test func theDefaultIsDevelopment() throws {
        #expect(Environment.development.rawValue == "development")
        #expect(Environment.development == (try Environment("development")))
    }

    @Test func environmentsCompareByRawValue() throws {
        let production = try Environment("production")
        let staging = try Environment("staging")
        #expect(Environment.development < production)
        #expect(production < staging)
        #expect([staging, production, .development].sorted() == [.development, production, staging])
        #expect(Set([production, try Environment("production")]).count == 1)
    }
}
