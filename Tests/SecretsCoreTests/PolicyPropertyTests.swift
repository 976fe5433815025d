import Foundation
import SecretsCore
import Testing

/// `Policy.parse` on random and mutated input, and on random valid policies rendered
/// from a model. Reproduce a failure with `SECRETS_POLICY_FUZZ_SEED=<seed from the message>`.
@Suite struct PolicyPropertyTests {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["SECRETS_POLICY_FUZZ_SEED"].flatMap { UInt64($0) }
        ?? 0x5EC2_E75A_6E47_0001

    static let source = "SOURCE"
    static let alphabet = Array("[]=\"'#,\n abcdefghijklmnopqrstuvwxyz0123456789_*/.-")

    static let validPolicy = """
        # a valid policy to mutate
        [[rule]]
        user = "worker"
        exe = "/usr/bin/python3.11"   # the service
        role = "agent"
        environments = ["production", 'staging',]
        secrets = [
            "openai/*",   # the key
            "db/**",
        ]

        [[rule]]
        uid = 1_000
        gid = 2001
        role = 'admin'
        environments = [
          "development",  # last
        ]
        """

    /// The properties any input must have: parse returns or throws `.invalidArgument`
    /// whose message starts `SOURCE:<line>: ` with 1 ≤ line ≤ lines + 1; a parsed rule's
    /// line is a line of the text.
    static func check(_ text: String) -> String? {
        let lines = text.utf8.count(where: { $0 == 0x0A }) + 1
        do {
            let policy = try Policy.parse(text, source: source)
            if let rule = policy.rules.first(where: { $0.line < 1 || $0.line > lines }) {
                return "rule line \(rule.line) outside 1...\(lines)"
            }
            return nil
        } catch {
            guard error.code == .invalidArgument else { return "code \(error.code): \(error.message)" }
            return check(message: error.message, lines: lines)
        }
    }

    /// What is wrong with an error message for a text of `lines` lines, if anything.
    static func check(message: String, lines: Int) -> String? {
        let parts = message.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Substring(source), let line = Int(parts[1]),
              parts[2].hasPrefix(" "), parts[2].count > 1 else {
            return "malformed message: \(message)"
        }
        guard line >= 1 && line <= lines + 1 else { return "line \(line) outside 1...\(lines + 1): \(message)" }
        guard !message.contains("\n") else { return "message spans lines: \(message)" }
        return nil
    }

    @Test func theCheckerCanFail() {
        #expect(Self.check(message: "SOURCE:2: what (fix)", lines: 1) == nil)
        #expect(Self.check(message: "SOURCE:3: what (fix)", lines: 1) != nil)
        #expect(Self.check(message: "SOURCE:0: what (fix)", lines: 1) != nil)
        #expect(Self.check(message: "SOURCE:-1: what (fix)", lines: 1) != nil)
        #expect(Self.check(message: "OTHER:1: what (fix)", lines: 1) != nil)
        #expect(Self.check(message: "SOURCE: what (fix)", lines: 1) != nil)
        #expect(Self.check(message: "SOURCE:1:", lines: 1) != nil)
        #expect(Self.check(message: "SOURCE:1: a\nb", lines: 1) != nil)
        #expect(Self.check("[[rule]]\nrole = 'agent'") == nil)
        #expect(Self.check("role = 1\n\n") == nil)
    }

    @Test func randomBytesNeverCrashAndErrorsNameALine() {
        var rng = SplitMix64(seed: Self.seed)
        var failures: [String] = []
        var parsed = 0
        for iteration in 0..<2_000 {
            let count = Int.random(in: 0...300, using: &rng)
            let bytes: [UInt8] = (0..<count).map { _ in
                Bool.random(using: &rng) ? UInt8.random(in: 0...255, using: &rng)
                    : UInt8(Self.alphabet.randomElement(using: &rng)!.asciiValue!)
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if let failure = Self.check(text) { failures.append("seed \(Self.seed) #\(iteration) \(bytes): \(failure)") }
            if (try? Policy.parse(text, source: Self.source)) != nil { parsed += 1 }
        }
        #expect(failures == [])
        #expect(parsed < 2_000, "random bytes should mostly fail to parse")
    }

    @Test func mutatedPoliciesNeverCrashAndErrorsNameALine() throws {
        #expect(try Policy.parse(Self.validPolicy, source: Self.source).rules.count == 2)
        var rng = SplitMix64(seed: Self.seed ^ 0xA5A5)
        var failures: [String] = []
        var rejected = 0
        for iteration in 0..<2_000 {
            var chars = Array(Self.validPolicy)
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let index = Int.random(in: 0...chars.count, using: &rng)
                let replacement = Self.alphabet.randomElement(using: &rng)!
                switch Int.random(in: 0..<10, using: &rng) {
                case 0...2 where index < chars.count: chars.remove(at: index)
                case 3...5 where index < chars.count: chars[index] = replacement
                case 9: chars.removeSubrange(index...)  // truncation: unclosed arrays and strings
                default: chars.insert(replacement, at: index)
                }
            }
            let text = String(chars)
            if let failure = Self.check(text) { failures.append("seed \(Self.seed) #\(iteration) \(text.debugDescription): \(failure)") }
            if (try? Policy.parse(text, source: Self.source)) == nil { rejected += 1 }
        }
        #expect(failures == [])
        #expect(rejected > 200, "mutations should often break the policy")
    }

    @Test func largeAndDeepInputStaysBounded() throws {
        // Just under 1 MiB of rules: parses, and warnings stay linear.
        let rule = "[[rule]]\nuid = 1\nrole = 'agent'\n"
        let many = String(repeating: rule, count: (1 << 20) / rule.utf8.count)
        let policy = try Policy.parse(many, source: "p")
        #expect(policy.rules.count == (1 << 20) / rule.utf8.count)
        #expect(policy.warnings.count == policy.rules.count - 1)
        #expect(policy.rule(for: Caller(uid: 1, gids: []))?.line == 1)
        // Deep nesting is refused at the first inner bracket, not recursed into.
        let deep = "[[rule]]\nsecrets = " + String(repeating: "[", count: 60_000)
        #expect(Self.message(deep) == "p:2: secrets entries must be strings, not an array (e.g. secrets = [\"openai/*\", \"db/**\"])")
        let headers = String(repeating: "[", count: 60_000)
        #expect(Self.message(headers) == "p:1: unsupported table '\(String(repeating: "[", count: 64))...' (a policy has only [[rule]] tables)")
        // A long line of many entries is fine under 64 KiB.
        let entries = Array(repeating: "'a/*'", count: 10_000).joined(separator: ",")
        #expect(try Policy.parse("[[rule]]\nrole = 'agent'\nsecrets = [\(entries)]", source: "p").rules.first?.secrets?.count == 10_000)
        // Backslashes and quotes in bulk.
        #expect(Self.message("[[rule]]\nexe = \"" + String(repeating: "\\\\", count: 30_000)) == "p:2: string is not closed on its line (end it with \")")
    }

    static func message(_ text: String) -> String? {
        do {
            _ = try Policy.parse(text, source: "p")
            return nil
        } catch {
            return error.message
        }
    }

    // MARK: - Round trip

    static let names = ["worker", "deploy", "svc-api", "a_b", "root", "www-data", "user.name", "x"]
    static let paths = ["/usr/bin/python3.11", "/opt/app/bin/run", "/bin/sh", "/srv/caf\u{E9}/\"q\"/a\\b", "/tmp/a b#c"]
    static let environments = ["production", "staging", "dev", "a", "eu-west-1", "x9"]
    static let segments = ["openai", "db", "*", "**", "key", "a.b", "prod-1", "_x"]

    /// A random rule the model can hold.
    static func randomRule(line: Int, using rng: inout SplitMix64) throws -> PolicyRule {
        func maybe<T>(_ make: () throws -> T) rethrows -> T? { Bool.random(using: &rng) ? try make() : nil }
        func id() -> UInt32 {
            [0, 1, 1000, 4_294_967_294, UInt32.random(in: 0...4_294_967_294, using: &rng)].randomElement(using: &rng)!
        }
        var rule = PolicyRule(line: line, role: Role.allCases.randomElement(using: &rng)!)
        rule.user = maybe { names.randomElement(using: &rng)! }
        rule.uid = maybe(id)
        rule.group = maybe { names.randomElement(using: &rng)! }
        rule.gid = maybe(id)
        rule.exe = maybe { paths.randomElement(using: &rng)! }
        rule.environments = try maybe {
            try (0..<Int.random(in: 0...3, using: &rng)).map { _ in try Environment(environments.randomElement(using: &rng)!) }
        }
        rule.secrets = try maybe {
            try (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                let parts = (0..<Int.random(in: 1...3, using: &rng)).map { _ in segments.randomElement(using: &rng)! }
                return try NameGlob(parts.joined(separator: "/"))
            }
        }
        return rule
    }

    /// TOML for `value` as a basic string (sometimes with needless escapes) or, when it
    /// can be, a literal one.
    static func render(_ value: String, using rng: inout SplitMix64) -> String {
        if !value.contains("'") && Bool.random(using: &rng) { return "'" + value + "'" }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                switch Int.random(in: 0..<8, using: &rng) {
                case 0: out += "\\u" + hex(scalar.value, width: 4, using: &rng)
                case 1: out += "\\U" + hex(scalar.value, width: 8, using: &rng)
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func hex(_ value: UInt32, width: Int, using rng: inout SplitMix64) -> String {
        let digits = String(value, radix: 16, uppercase: Bool.random(using: &rng))
        return String(repeating: "0", count: width - digits.count) + digits
    }

    static func render(integer: UInt32, using rng: inout SplitMix64) -> String {
        let plain = String(integer)
        guard plain.count > 3, Bool.random(using: &rng) else { return plain }
        // Group digits by three from the right, as TOML allows.
        var out = ""
        for (index, digit) in plain.enumerated() {
            if index > 0 && (plain.count - index) % 3 == 0 { out += "_" }
            out.append(digit)
        }
        return out
    }

    /// The policy as TOML, in randomly chosen but equivalent layouts; returns the rules
    /// with the lines their headers landed on.
    static func render(_ rules: [PolicyRule], using rng: inout SplitMix64) -> (String, [PolicyRule]) {
        var lines: [String] = []
        var placed: [PolicyRule] = []
        func space() -> String { ["", " ", "  ", "\t"].randomElement(using: &rng)! }
        func comment() -> String { Bool.random(using: &rng) ? space() + " # note [[rule]] = \"x\"" : "" }
        func blankLines() { for _ in 0..<Int.random(in: 0...2, using: &rng) { lines.append(Bool.random(using: &rng) ? "" : "# comment") } }
        for var rule in rules {
            blankLines()
            lines.append(space() + (Bool.random(using: &rng) ? "[[rule]]" : "[[ rule ]]") + comment())
            rule.line = lines.count
            placed.append(rule)
            var entries: [(String, String)] = [("role", render(rule.role.rawValue, using: &rng))]
            if let user = rule.user { entries.append(("user", render(user, using: &rng))) }
            if let uid = rule.uid { entries.append(("uid", render(integer: uid, using: &rng))) }
            if let group = rule.group { entries.append(("group", render(group, using: &rng))) }
            if let gid = rule.gid { entries.append(("gid", render(integer: gid, using: &rng))) }
            if let exe = rule.exe { entries.append(("exe", render(exe, using: &rng))) }
            var arrays: [(String, [String])] = []
            if let environments = rule.environments { arrays.append(("environments", environments.map(\.rawValue))) }
            if let secrets = rule.secrets { arrays.append(("secrets", secrets.map(\.pattern))) }
            for (key, value) in entries.shuffled(using: &rng) {
                lines.append(space() + key + space() + "=" + space() + value + comment())
            }
            for (key, values) in arrays {
                let items = values.map { render($0, using: &rng) }
                if Bool.random(using: &rng) {
                    let trailing = !items.isEmpty && Bool.random(using: &rng) ? "," : ""
                    lines.append("\(key) = [" + space() + items.joined(separator: "," + space()) + trailing + "]" + comment())
                } else {
                    lines.append("\(key) = [" + comment())
                    for item in items { lines.append("    " + item + "," + comment()) }
                    if Bool.random(using: &rng) { lines.append("  # end") }
                    lines.append("]" + comment())
                }
            }
        }
        blankLines()
        return (lines.joined(separator: Bool.random(using: &rng) ? "\n" : "\r\n"), placed)
    }

    @Test func randomValidPoliciesRoundTrip() throws {
        var rng = SplitMix64(seed: Self.seed ^ 0x5A5A)
        var failures: [String] = []
        for iteration in 0..<500 {
            let rules = try (0..<Int.random(in: 0...5, using: &rng)).map { _ in try Self.randomRule(line: 0, using: &rng) }
            let (text, expected) = Self.render(rules, using: &rng)
            do {
                let parsed = try Policy.parse(text, source: Self.source)
                if parsed.rules != expected {
                    failures.append("seed \(Self.seed) #\(iteration): \(text.debugDescription) parsed to \(parsed.rules), want \(expected)")
                }
            } catch {
                failures.append("seed \(Self.seed) #\(iteration): \(text.debugDescription) failed: \(error.message)")
            }
        }
        #expect(failures == [])
    }
}
