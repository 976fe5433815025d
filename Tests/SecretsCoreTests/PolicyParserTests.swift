import SecretsCore
import Testing

/// `Policy.parse`: the TOML subset of DESIGN §6 and its error messages.
@Suite struct PolicyParserTests {
    static let source = "/etc/secrets-agent/policy.toml"

    static func parse(_ text: String) throws -> [PolicyRule] {
        try Policy.parse(text, source: source).rules
    }

    // MARK: - Valid files

    @Test func theExampleOfDesign6() throws {
        let text = """
            [[rule]]
            user = "worker"              # or: uid = 1001 · group = "ops" · gid = 1002 (keys in one rule all must match)
            exe = "/usr/bin/python3.11"  # optional
            role = "agent"               # admin | viewer | agent
            environments = ["production"]          # optional; default: all
            secrets = ["openai/*", "db/**"]        # optional; default: all; * stops at '/', ** does not
            """
        let policy = try Policy.parse(text, source: Self.source)
        #expect(policy.source == Self.source)
        #expect(policy.rules == [
            PolicyRule(line: 1, user: "worker", exe: "/usr/bin/python3.11", role: .agent,
                       environments: [try Environment("production")],
                       secrets: [try NameGlob("openai/*"), try NameGlob("db/**")]),
        ])
    }

    @Test func everyKeyAndSeveralRules() throws {
        let text = """
            # secrets-agent policy

            [[rule]]   # the owner
            uid = 1000
            role = "admin"

            [[ rule ]]
              group = "ops"
              gid = 1_002
              role = 'viewer'
              environments = []

            [[rule]]
            user = "deploy"
            uid = 4294967294
            role = "agent"
            secrets = [
                "ci/**",       # the pipeline's own
                'shared/*',    # and the shared ones
            ]
            """
        #expect(try Self.parse(text) == [
            PolicyRule(line: 3, uid: 1000, role: .admin),
            PolicyRule(line: 7, gid: 1002, group: "ops", role: .viewer, environments: []),
            PolicyRule(line: 13, uid: 4_294_967_294, user: "deploy", role: .agent,
                       secrets: [try NameGlob("ci/**"), try NameGlob("shared/*")]),
        ])
    }

    @Test(arguments: ["", "\n\n", "# nothing but a comment\n", "   \t\n# a\n\n#b"])
    func aFileWithoutRulesHasNoRules(_ text: String) throws {
        #expect(try Self.parse(text) == [])
    }

    @Test func windowsLineEndingsAndAByteOrderMark() throws {
        let text = "\u{FEFF}[[rule]]\r\nuid = 0 # root\r\nrole = \"admin\"\r\nenvironments = [\r\n  \"a\",\r\n]\r\n"
        #expect(try Self.parse(text) == [PolicyRule(line: 1, uid: 0, role: .admin, environments: [try Environment("a")])])
    }

    @Test func arraysOnOneLineOrManyWithCommentsAndTrailingCommas() throws {
        let text = """
            [[rule]]
            role = "agent"
            environments = [ "a" , 'b', ]
            secrets = [ # opening comment

              "x/*" # no comma yet
              , "y/**",
              # a comment line
            ]   # closing comment
            """
        let rule = try #require(try Self.parse(text).first)
        #expect(rule.environments == [try Environment("a"), try Environment("b")])
        #expect(rule.secrets == [try NameGlob("x/*"), try NameGlob("y/**")])
    }

    @Test func escapesInBasicStringsAndNoneInLiteralOnes() throws {
        let basic = #"[[rule]]"# + "\n" + #"exe = "/opt/caf\u00e9/a\\b\"c\U0001F511 d\te""# + "\nrole = \"admin\""
        #expect(try Self.parse(basic).first?.exe == "/opt/café/a\\b\"c🔑 d\te")
        let literal = "[[rule]]\nexe = '/opt/a\\b\\n\"q\"'\nrole = \"admin\""
        #expect(try Self.parse(literal).first?.exe == "/opt/a\\b\\n\"q\"")
        let role = "[[rule]]\nrole = \"\\u0061\\u0067ent\""
        #expect(try Self.parse(role).first?.role == .agent)
        let hash = "[[rule]]\nexe = \"/opt/#not-a-comment\" # a comment\nrole = 'admin'"
        #expect(try Self.parse(hash).first?.exe == "/opt/#not-a-comment")
    }

    @Test func integersTakeUnderscoresBetweenDigits() throws {
        #expect(try Self.parse("[[rule]]\nuid = 0\nrole = 'agent'").first?.uid == 0)
        #expect(try Self.parse("[[rule]]\nuid = 1_001\nrole = 'agent'").first?.uid == 1001)
        #expect(try Self.parse("[[rule]]\ngid = 4_294_967_294\nrole = 'agent'").first?.gid == 4_294_967_294)
    }

    // MARK: - Errors

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        /// The message after `SOURCE:`.
        var message: String
        var testDescription: String { name }

        init(_ name: String, _ text: String, _ message: String) {
            self.name = name
            self.text = text
            self.message = message
        }
    }

    static let keys = "user, uid, group, gid, exe, unit, role, environments, secrets"
    static let environmentRule = "environments are 1-32 characters of a-z 0-9 -, starting with a letter"
    static let globRule = "globs are 1-255 characters of A-Z a-z 0-9 _ . / - and *, where * stays within a '/' segment, ** crosses them, and *** is not allowed"

    static let errors: [ErrorCase] = [
        ErrorCase("key before any rule", "# policy\nrole = \"admin\"\n",
                  "2: key 'role' is outside a rule (start the rule with a [[rule]] line above it)"),
        ErrorCase("a plain table", "[rule]\nrole = \"admin\"",
                  "1: unsupported table '[rule]' (a policy has only [[rule]] tables)"),
        ErrorCase("another array of tables", "[[rule]]\nrole = 'admin'\n\n[[foo]] # x\n",
                  "4: unsupported table '[[foo]]' (a policy has only [[rule]] tables)"),
        ErrorCase("a dotted table", "[x.y]",
                  "1: unsupported table '[x.y]' (a policy has only [[rule]] tables)"),
        ErrorCase("a dotted array of tables", "[[rule.x]]",
                  "1: unsupported table '[[rule.x]]' (a policy has only [[rule]] tables)"),
        ErrorCase("an unknown key", "[[rule]]\nusr = \"worker\"",
                  "2: unknown key 'usr' (valid keys: \(keys))"),
        ErrorCase("a duplicate key", "[[rule]]\nrole = 'agent'\nuid = 1\nrole = 'admin'",
                  "4: duplicate key 'role' in the rule at line 1 (give each key once per rule)"),
        ErrorCase("a string for an integer", "[[rule]]\nrole = 'agent'\nuid = \"x\"",
                  "3: uid must be an integer, not a string (e.g. uid = 1001)"),
        ErrorCase("a string for an array", "[[rule]]\nrole = 'agent'\nenvironments = \"production\"",
                  "3: environments must be an array of strings, not a string (e.g. environments = [\"production\"])"),
        ErrorCase("an array for a string", "[[rule]]\nrole = ['agent']",
                  "2: role must be a string, not an array (e.g. role = \"agent\")"),
        ErrorCase("a bare word for a string", "[[rule]]\nrole = 'agent'\nuser = worker # oops",
                  "3: user must be a string, not 'worker' (e.g. user = \"worker\")"),
        ErrorCase("an integer for a string", "[[rule]]\nrole = 'agent'\ngroup = 1002",
                  "3: group must be a string, not '1002' (e.g. group = \"ops\")"),
        ErrorCase("a boolean for an integer", "[[rule]]\nrole = 'agent'\ngid = true",
                  "3: gid must be an integer, not 'true' (e.g. gid = 1002)"),
        ErrorCase("a float for an integer", "[[rule]]\nrole = 'agent'\nuid = 1.5",
                  "3: uid must be an integer, not '1.5' (e.g. uid = 1001)"),
        ErrorCase("an inline table", "[[rule]]\nrole = 'agent'\nuid = { id = 1 }",
                  "3: uid must be an integer, not an inline table (e.g. uid = 1001)"),
        ErrorCase("a missing value", "[[rule]]\nrole = # later",
                  "2: missing value after 'role =' (e.g. role = \"agent\")"),
        ErrorCase("an unknown role", "[[rule]]\nrole = \"root\"",
                  "2: unknown role 'root' (roles are admin, viewer, agent)"),
        ErrorCase("a role in capitals", "[[rule]]\nrole = \"Admin\"",
                  "2: unknown role 'Admin' (roles are admin, viewer, agent)"),
        ErrorCase("uid out of range", "[[rule]]\nrole = 'agent'\nuid = 4294967295",
                  "3: uid '4294967295' is out of range (uids are 0 to 4294967294)"),
        ErrorCase("uid far out of range", "[[rule]]\nrole = 'agent'\nuid = 99999999999999999999999999999",
                  "3: uid '99999999999999999999999999999' is out of range (uids are 0 to 4294967294)"),
        ErrorCase("a negative uid", "[[rule]]\nrole = 'agent'\nuid = -1",
                  "3: uid '-1' has a sign (uids are 0 to 4294967294, written without a sign)"),
        ErrorCase("a plus sign", "[[rule]]\nrole = 'agent'\ngid = +5",
                  "3: gid '+5' has a sign (gids are 0 to 4294967294, written without a sign)"),
        ErrorCase("a hex uid", "[[rule]]\nrole = 'agent'\nuid = 0x10",
                  "3: uid '0x10' is not decimal (write it in decimal, e.g. uid = 1001)"),
        ErrorCase("a leading zero", "[[rule]]\nrole = 'agent'\nuid = 0100",
                  "3: uid '0100' has a leading zero (TOML does not allow them; write uid = 100)"),
        ErrorCase("only zeros", "[[rule]]\nrole = 'agent'\ngid = 0_0",
                  "3: gid '0_0' has a leading zero (TOML does not allow them; write gid = 0)"),
        ErrorCase("a doubled underscore", "[[rule]]\nrole = 'agent'\nuid = 1__0",
                  "3: uid '1__0' has a misplaced '_' (an '_' must sit between two digits)"),
        ErrorCase("a trailing underscore", "[[rule]]\nrole = 'agent'\nuid = 10_",
                  "3: uid '10_' has a misplaced '_' (an '_' must sit between two digits)"),
        ErrorCase("a relative exe", "[[rule]]\nrole = 'agent'\nexe = \"python3\"",
                  "3: exe must be an absolute path, not 'python3' (e.g. exe = \"/usr/bin/python3\")"),
        ErrorCase("an exe with a control character", "[[rule]]\nrole = 'agent'\nexe = \"/bin/a\\nb\"",
                  "3: invalid exe '/bin/a\\u{a}b' (a path is at most 4096 bytes, without control characters)"),
        ErrorCase("an empty user", "[[rule]]\nrole = 'agent'\nuser = \"\"",
                  "3: invalid user name '' (user names are 1-256 bytes without spaces, ':' or control characters)"),
        ErrorCase("a group with a space", "[[rule]]\nrole = 'agent'\ngroup = \"a b\"",
                  "3: invalid group name 'a b' (group names are 1-256 bytes without spaces, ':' or control characters)"),
        ErrorCase("a rule without a role", "# first\n[[rule]]\nuid = 1\n\n[[rule]]\nrole = 'admin'",
                  "2: rule has no role (add role = \"admin\", \"viewer\" or \"agent\")"),
        ErrorCase("the last rule without a role", "[[rule]]\nrole = 'admin'\n[[rule]]\nuser = 'x'\n",
                  "3: rule has no role (add role = \"admin\", \"viewer\" or \"agent\")"),
        ErrorCase("a bad environment on a later line of an array",
                  "[[rule]]\nrole = \"agent\"\nenvironments = [\n  \"production\",  # fine\n  \"Staging\",\n]\n",
                  "5: invalid environment 'Staging' (\(environmentRule))"),
        ErrorCase("a bad glob on a later line of an array",
                  "[[rule]]\nrole = \"agent\"\nsecrets = [\n  \"a/*\",\n\n  # next\n  'b/***',\n]\n",
                  "7: invalid secret glob 'b/***': '***' is not allowed (\(globRule))"),
        ErrorCase("a non-string array entry", "[[rule]]\nrole = \"agent\"\nenvironments = [\n  \"a\",\n  42,\n]",
                  "5: environments entries must be strings, not '42' (e.g. environments = [\"production\"])"),
        ErrorCase("a nested array", "[[rule]]\nrole = \"agent\"\nsecrets = [[\"a\"]]",
                  "3: secrets entries must be strings, not an array (e.g. secrets = [\"openai/*\", \"db/**\"])"),
        ErrorCase("a missing comma", "[[rule]]\nrole = \"agent\"\nsecrets = [\n \"a\"\n \"b\"\n]",
                  "5: expected ',' or ']' after an entry, not '\"' (separate entries with commas)"),
        ErrorCase("a stray comma", "[[rule]]\nrole = \"agent\"\nsecrets = [\"a\",,]",
                  "3: stray ',' in the array (separate entries with one comma each)"),
        ErrorCase("a leading comma", "[[rule]]\nrole = \"agent\"\nsecrets = [,]",
                  "3: stray ',' in the array (separate entries with one comma each)"),
        ErrorCase("an array never closed", "[[rule]]\nrole = \"agent\"\nsecrets = [\n  \"a\",\n  \"b\",\n",
                  "3: array is never closed (end it with ])"),
        ErrorCase("an invalid escape", "[[rule]]\nrole = \"agent\"\nexe = \"/a\\qb\"",
                  "3: invalid escape '\\q' in a string (escapes are \\\" \\\\ \\b \\f \\n \\r \\t \\uXXXX \\UXXXXXXXX)"),
        ErrorCase("an escaped non-ASCII character", "[[rule]]\nrole = \"agent\"\nexe = \"/a\\é\"",
                  "3: invalid escape '\\é' in a string (escapes are \\\" \\\\ \\b \\f \\n \\r \\t \\uXXXX \\UXXXXXXXX)"),
        ErrorCase("a backslash at the end of the line", "[[rule]]\nrole = \"agent\"\nexe = \"/a\\\nuid = 1",
                  "3: string is not closed on its line (end it with \")"),
        ErrorCase("a short unicode escape", "[[rule]]\nrole = \"agent\"\nexe = \"/a\\u12\"",
                  "3: invalid escape '\\u12' in a string (\\u takes 4 hex digits, \\U takes 8)"),
        ErrorCase("a surrogate escape", "[[rule]]\nrole = \"agent\"\nexe = \"/a\\uD800\"",
                  "3: invalid escape '\\uD800' in a string (it is not a Unicode scalar value)"),
        ErrorCase("an escape beyond Unicode", "[[rule]]\nrole = \"agent\"\nexe = \"/a\\U00110000\"",
                  "3: invalid escape '\\U00110000' in a string (it is not a Unicode scalar value)"),
        ErrorCase("a raw control character in a string", "[[rule]]\nrole = \"agent\"\nexe = \"/a\u{01}\"",
                  "3: control character U+0001 in a string (remove it)"),
        ErrorCase("a raw DEL in a literal string", "[[rule]]\nrole = \"agent\"\nexe = '/a\u{7F}'",
                  "3: control character U+007F in a string (remove it)"),
        ErrorCase("a control character in a comment", "[[rule]] # a\u{07}b\nrole = \"agent\"",
                  "1: control character U+0007 in a comment (remove it)"),
        ErrorCase("an unclosed basic string", "[[rule]]\nrole = \"agent\nuid = 1",
                  "2: string is not closed on its line (end it with \")"),
        ErrorCase("an unclosed literal string", "[[rule]]\nrole = 'agent",
                  "2: string is not closed on its line (end it with ')"),
        ErrorCase("a multi-line string", "[[rule]]\nrole = \"\"\"agent\"\"\"",
                  "2: multi-line strings are not supported (write the value on one line)"),
        ErrorCase("text after a value", "[[rule]]\nrole = \"agent\" uid = 1",
                  "2: unexpected 'uid = 1' after the value (write one key = value per line; comments start with #)"),
        ErrorCase("text after a header", "[[rule]] role = 'agent'",
                  "1: unexpected 'role = 'agent'' after the header (write one key = value per line; comments start with #)"),
        ErrorCase("a dotted key", "[[rule]]\nrule.role = \"agent\"",
                  "2: dotted keys are not supported (valid keys: \(keys))"),
        ErrorCase("a quoted key", "[[rule]]\n\"role\" = \"agent\"",
                  "2: quoted keys are not supported (write the key bare, e.g. role = \"agent\")"),
        ErrorCase("a key without '='", "[[rule]]\nrole \"agent\"",
                  "2: expected '=' after 'role' (write key = value)"),
        ErrorCase("a key alone on its line", "[[rule]]\nrole\nuid = 1",
                  "2: expected '=' after 'role' (write key = value)"),
        ErrorCase("a stray character", "[[rule]]\nrole = 'agent'\n= 1",
                  "3: unexpected character '=' (expected a key, a [[rule]] header or a # comment)"),
        ErrorCase("a non-ASCII character", "[[rule]]\nrôle = 'agent'",
                  "2: unexpected character 'ô' in a key (valid keys: \(keys))"),
        ErrorCase("a lone carriage return", "[[rule]]\rrole = 'agent'",
                  "1: carriage return without a line feed (save the file with Unix or Windows line endings)"),
    ]

    @Test(arguments: errors)
    func errorsNameTheLineTheProblemAndTheFix(_ error: ErrorCase) {
        let thrown = #expect(throws: SecretsError.self) { try Policy.parse(error.text, source: Self.source) }
        #expect(thrown?.code == .invalidArgument)
        #expect(thrown?.message == "\(Self.source):\(error.message)")
    }

    @Test func theErrorCasesAreDistinct() {
        #expect(Set(Self.errors.map(\.message)).count >= 15)
    }

    @Test func aFileOver1MiBIsRefusedUnread() {
        let text = String(repeating: "# padding padding padding padding padding padding padding padding\n", count: 17_000)
        let error = #expect(throws: SecretsError.self) { try Policy.parse(text, source: "p") }
        #expect(error?.message == "p:1: policy is \(text.utf8.count) bytes, over the 1 MiB limit (a policy needs only a few rules)")
    }

    @Test func aLineOver64KiBIsRefused() {
        let long = "# " + String(repeating: "x", count: 64 * 1024)
        let error = #expect(throws: SecretsError.self) { try Policy.parse("[[rule]]\nrole = 'agent'\n\(long)\n", source: "p") }
        #expect(error?.message == "p:3: line is over the 64 KiB limit (split a long array over several lines)")
        // Exactly 64 KiB is fine.
        let fits = "#" + String(repeating: "x", count: 64 * 1024 - 1)
        #expect(throws: Never.self) { try Policy.parse("[[rule]]\nrole = 'agent'\n\(fits)", source: "p") }
    }

    @Test func hostileTextIsQuotedSafely() {
        let error = #expect(throws: SecretsError.self) {
            try Policy.parse("[[rule]]\nrole = \"agent\\nERROR forged\"", source: "p")
        }
        #expect(error?.message == "p:2: unknown role 'agent\\u{a}ERROR forged' (roles are admin, viewer, agent)")
        #expect(error?.message.contains("\n") == false)
    }
}
