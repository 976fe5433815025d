import SecretsScan
import Testing

@Suite struct ScannerTests {
    static let ids = [
        "aws-access-key-id", "aws-secret-access-key", "gcp-service-account", "gcp-api-key", "azure-storage-connection-string",
        "github-pat", "github-oauth", "github-user-token", "github-server-token", "github-refresh-token",
        "github-fine-grained-pat", "gitlab-pat", "slack-token", "slack-webhook", "twilio-api-key", "sendgrid-api-key",
        "mailgun-api-key", "stripe-secret-key", "stripe-restricted-key", "stripe-webhook-secret", "openai-api-key",
        "anthropic-api-key", "huggingface-token", "npm-token", "pypi-token", "jwt", "private-key", "openssh-private-key",
        "pgp-private-key", "postgres-url", "mysql-url", "mongodb-url", "redis-url", "amqp-url", "generic-password",
        "generic-secret", "generic-token", "generic-api-key", "telegram-bot-token", "digitalocean-token", "shopify-token",
        "databricks-token", "doppler-token", "linear-api-key", "mailchimp-api-key", "discord-bot-token",
        "square-access-token", "atlassian-api-token",
    ]

    @Test func theRuleCatalogue() {
        #expect(Scanner.rules.map(\.id) == Self.ids)
        #expect(Set(Scanner.rules.map(\.id)).count == Scanner.rules.count)
        for rule in Scanner.rules {
            #expect(!rule.description.isEmpty && !rule.description.contains("\n"))
            #expect(Scanner.rule(id: rule.id) == rule)
        }
        #expect(Scanner.rule(id: "no-such-rule") == nil)
        let generic = Scanner.rules.filter { $0.id.hasPrefix("generic-") }
        #expect(generic.allSatisfy { $0.confidence < .high })
        #expect(Scanner.rule(id: "github-pat")?.confidence == .high)
        #expect(Scanner.rule(id: "private-key")?.confidence == .high)
        #expect(Scanner().enabled == Set(Self.ids))
        #expect(Scanner(ruleIDs: ["jwt", "nonsense"]).enabled == ["jwt", "nonsense"])
    }

    @Test func findsAnAWSAccessKeyIDWithItsPosition() {
        let text = Array("x = 1\nkey = AKIAZ7Q2KXH4LMNP3RTV\n".utf8)
        let findings = Scanner().scan(text)
        #expect(findings == [Finding(rule: "aws-access-key-id", confidence: .high, start: 12, end: 32,
                                     line: 2, column: 7, endLine: 2, endColumn: 27)])
    }

    @Test func emptyAndTinyInputs() {
        #expect(Scanner().scan([UInt8]()) == [])
        #expect(Scanner().scan(UnsafeRawBufferPointer(start: nil, count: 0)) == [])
        for byte in UInt8(0)...255 { #expect(Scanner().scan([byte]) == []) }
        #expect(Scanner(ruleIDs: []).scan(Array("key = AKIAZ7Q2KXH4LMNP3RTV".utf8)) == [])
    }

    @Test func arrayAndBufferAgree() {
        let text = Array(("a\n" + prefixedTokens.map(\.token).joined(separator: "\n")).utf8)
        let fromArray = Scanner().scan(text)
        let fromBuffer = text.withUnsafeBytes { Scanner().scan($0) }
        #expect(fromArray == fromBuffer)
        #expect(fromArray.count == prefixedTokens.count)
        // A slice: offsets are relative to the slice.
        let slice = text.withUnsafeBytes { Scanner().scan(UnsafeRawBufferPointer(rebasing: $0[2...])) }
        #expect(slice.map(\.start) == fromArray.map { $0.start - 2 })
        #expect(slice.first?.line == 1 && fromArray.first?.line == 2)
    }

    @Test func linesAndColumnsOnMultilineInput() {
        let aws = "AKIA" + Fixture.random(16, Fixture.base32, seed: 400)
        let pat = Fixture.githubToken("ghp_", seed: 401)
        let password = Fixture.random(18, Fixture.alnum, seed: 402)
        let text = "line 1\n\n  aws = \(aws)\ttail\nDB_PASSWORD=\(password)\r\n\u{00E9}\u{00E9} \(pat)\n"
        #expect(scan(text) == [
            Finding(rule: "aws-access-key-id", confidence: .high, start: 16, end: 36, line: 3, column: 9, endLine: 3, endColumn: 29),
            Finding(rule: "generic-password", confidence: .medium, start: 54, end: 72, line: 4, column: 13, endLine: 4, endColumn: 31),
            // Columns count bytes: each é is two.
            Finding(rule: "github-pat", confidence: .high, start: 79, end: 119, line: 5, column: 6, endLine: 5, endColumn: 46),
        ])
    }

    @Test func crlfLineEndings() {
        let pat = Fixture.githubToken("gho_", seed: 403)
        let password = Fixture.random(16, Fixture.alnum, seed: 404)
        let text = "a: 1\r\nb: 2\r\ntoken_value: \(pat)\r\nPASSWORD=\(password)\r\nend\r\n"
        let findings = scan(text)
        #expect(findings.map(\.rule) == ["github-oauth", "generic-password"])
        #expect(findings.map(\.line) == [3, 4])
        #expect(findings.map(\.column) == [14, 10])
        #expect(findings[1].end == offset(of: "\r\nend", in: text))  // the value stops before the CR
    }

    @Test func findingsAreOrderedAndDoNotOverlap() {
        let text = prefixedTokens.reversed().map { "k = \($0.token)" }.joined(separator: "\n")
        let findings = scan(text)
        #expect(findings.count == prefixedTokens.count)
        #expect(zip(findings, findings.dropFirst()).allSatisfy { $0.end <= $1.start })
    }

    @Test func inlineAllow() {
        let aws = "AKIA" + Fixture.random(16, Fixture.base32, seed: 405)
        let password = Fixture.random(16, Fixture.alnum, seed: 406)
        let text = """
            key = \(aws)  # secrets-agent:allow
            # secrets-agent:allow
            other = \(aws)
            password: "\(password)" // secrets-agent:allow (fixture)
            PASSWORD=\(password)
            """
        #expect(matches(text) == [Match("aws-access-key-id", aws), Match("generic-password", password)])
        #expect(scan(text).map(\.line) == [3, 5])
        let unfiltered = Scanner(appliesInlineAllows: false).scan(Array(text.utf8))
        #expect(unfiltered.map(\.line) == [1, 3, 4, 5])
        // The marker is exact.
        #expect(matches("key = \(aws) # secrets-agent: allow").count == 1)
        #expect(matches("key = \(aws) # secrets-agent:deny").count == 1)
        #expect(matches("secrets-agent:allow key = \(aws)").isEmpty)
    }

    @Test func overlappingRules() {
        // A generic keyword value that is a known token: the token's rule (higher confidence).
        let pat = Fixture.githubToken("ghp_", seed: 407)
        #expect(matches("api_key = \"\(pat)\"") == [Match("github-pat", pat)])
        // A JWT under a token key: jwt (medium) over generic-token (low).
        let jwt = Fixture.jwt(seed: 408)
        #expect(matches("token=\(jwt)") == [Match("jwt", jwt)])
        // A password URL under a password key: the URL rule (a URL is no generic value).
        let password = Fixture.random(14, Fixture.alnum, seed: 409)
        #expect(matches("DB_PASSWORD=postgres://u:\(password)@db/app") == [Match("postgres-url", password)])
        // A token inside a PEM block: the block.
        // (PEMTests.tokensInsideTheBlockAreNotReportedSeparately)
        // Only the enabled rules take part: with github-pat off, the generic rule still leaves
        // a value in a prefixed format alone, and a generic value is reported.
        #expect(matches("api_key = \"\(pat)\"", rules: ["generic-api-key"]) == [])
        let random = Fixture.random(24, Fixture.alnum, seed: 413)
        #expect(matches("api_key = \"\(random)\"", rules: ["generic-api-key"]) == [Match("generic-api-key", random)])
        // Equal confidence: the more specific tier (Azure connection string over the generic secret).
        let azure = "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=" + Fixture.random(86, Fixture.base64, seed: 410) + "=="
        #expect(matches("client_secret: \(azure)\n") == [Match("azure-storage-connection-string", azure)])
    }

    @Test func adjacentFindingsBothReported() {
        let a = "AKIA" + Fixture.random(16, Fixture.base32, seed: 411)
        let npm = "npm_" + Fixture.random(36, Fixture.alnum, seed: 412)
        #expect(matches("\(a),\(npm);\(a)") == [Match("aws-access-key-id", a), Match("npm-token", npm), Match("aws-access-key-id", a)])
    }
}
