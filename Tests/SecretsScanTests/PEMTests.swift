import SecretsScan
import Testing

@Suite struct PEMTests {
    /// A PEM block of `lines` 64-character base64 lines and a padded last one.
    static func block(_ label: String, lines: Int = 6, seed: UInt64 = 1, newline: String = "\n",
                      headers: [String] = [], indent: String = "") -> String {
        var body = headers.map { indent + $0 + newline }.joined()
        if !headers.isEmpty { body += newline }
        for k in 0..<lines { body += indent + Fixture.random(64, Fixture.base64, seed: seed &+ UInt64(k)) + newline }
        body += indent + Fixture.random(22, Fixture.base64, seed: seed &+ 99) + "==" + newline
        return "-----BEGIN \(label)-----" + newline + body + indent + "-----END \(label)-----"
    }

    @Test(arguments: [
        ("RSA PRIVATE KEY", "private-key"), ("PRIVATE KEY", "private-key"), ("EC PRIVATE KEY", "private-key"),
        ("DSA PRIVATE KEY", "private-key"), ("ENCRYPTED PRIVATE KEY", "private-key"),
        ("OPENSSH PRIVATE KEY", "openssh-private-key"), ("PGP PRIVATE KEY BLOCK", "pgp-private-key"),
    ])
    func oneFindingSpansTheBlock(_ label: String, _ rule: String) {
        let pem = Self.block(label, seed: UInt64(label.count))
        let text = "key:\n" + pem + "\nnext: 1\n"
        let start = offset(of: "-----BEGIN", in: text)
        let lines = pem.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(scan(text) == [Finding(rule: rule, confidence: .high, start: start, end: start + pem.utf8.count,
                                       line: 2, column: 1, endLine: 1 + lines.count,
                                       endColumn: "-----END \(label)-----".utf8.count + 1)])
    }

    @Test func headersBlankLinesAndArmorChecksum() {
        let legacy = Self.block("RSA PRIVATE KEY", headers: ["Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC,3F17F5316E2BAC89"])
        #expect(matches(legacy) == [Match("private-key", legacy)])
        let pgp = "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\nComment: test key\n\n"
            + Fixture.random(64, Fixture.base64, seed: 5) + "\n" + Fixture.random(40, Fixture.base64, seed: 6) + "\n=n8Ds\n"
            + "-----END PGP PRIVATE KEY BLOCK-----"
        #expect(matches("# key\n" + pgp + "\n") == [Match("pgp-private-key", pgp)])
    }

    @Test func crlfAndIndentedBlocks() {
        let crlf = Self.block("OPENSSH PRIVATE KEY", seed: 7, newline: "\r\n")
        let text = "a\r\n" + crlf + "\r\n"
        let findings = scan(text)
        #expect(findings.count == 1)
        #expect(findings.first?.rule == "openssh-private-key")
        #expect(findings.first?.start == 3 && findings.first?.end == 3 + crlf.utf8.count)
        #expect(findings.first?.line == 2 && findings.first?.endLine == 10)
        #expect(findings.first?.endColumn == "-----END OPENSSH PRIVATE KEY-----".utf8.count + 1)

        // A YAML block scalar: every line indented.
        let indented = Self.block("PRIVATE KEY", seed: 8, indent: "    ")
        let yaml = "tls:\n  key: |\n    " + indented + "\n"
        #expect(matches(yaml).map(\.rule) == ["private-key"])
        #expect(scan(yaml).first?.line == 3 && scan(yaml).first?.column == 5)
    }

    @Test func escapedNewlinesInAString() {
        let pem = Self.block("RSA PRIVATE KEY", seed: 9, newline: "\\n")
        let json = "{\"tls_key\": \"" + pem + "\\n\"}"
        #expect(matches(json) == [Match("private-key", pem)])
    }

    @Test func newlinesEscapedTwice() {
        // A JSON string holding the text of a JSON string: `\\n` between the lines.
        let pem = Self.block("EC PRIVATE KEY", seed: 20, newline: "\\\\n")
        #expect(pem.contains("PRIVATE KEY-----\\\\n"))
        #expect(matches("{\"privateKey\": \"" + pem + "\\\\n\"}") == [Match("private-key", pem)])
        // Mixed separators are no block.
        let mixed = pem.replacingFirst("\\\\n", with: "\\n")
        #expect(matches(mixed) == [])
    }

    @Test(arguments: [
        "-----BEGIN RSA PRIVATE KEY-----\n" + Fixture.random(64, Fixture.base64, seed: 10) + "\n",  // no END
        "-----BEGIN RSA PRIVATE KEY-----\n" + Fixture.random(64, Fixture.base64, seed: 11) + "\n-----END PRIVATE KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\n" + Fixture.random(64, Fixture.base64, seed: 12) + "\n-----END PUBLIC KEY-----\n",
        "-----BEGIN CERTIFICATE-----\n" + Fixture.random(64, Fixture.base64, seed: 13) + "\n-----END CERTIFICATE-----\n",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----\n",  // a documentation stub
        "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpA==\n-----END RSA PRIVATE KEY-----\n",  // too short
        "-----BEGIN PRIVATE KEY-----\n" + String(repeating: "A", count: 64) + "\n-----END PRIVATE KEY-----\n",
        "-----BEGIN PRIVATE KEY-----\n<your private key here>\n-----END PRIVATE KEY-----\n",
        "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n",
        "const begin = \"-----BEGIN PRIVATE KEY-----\"; const end = \"-----END PRIVATE KEY-----\"\n",
    ])
    func rejectsWhatIsNoKey(_ text: String) {
        #expect(matches(text) == [])
    }

    @Test func aBeginInsideABlockStartsItsOwn() {
        let inner = Self.block("EC PRIVATE KEY", seed: 14)
        let text = "-----BEGIN RSA PRIVATE KEY-----\n" + Fixture.random(64, Fixture.base64, seed: 15) + "\n" + inner + "\n"
        #expect(matches(text) == [Match("private-key", inner)])
    }

    @Test func tokensInsideTheBlockAreNotReportedSeparately() {
        let aws = "AKIA" + Fixture.random(16, Fixture.base32, seed: 16)
        let pem = "-----BEGIN PRIVATE KEY-----\n" + Fixture.random(64, Fixture.base64, seed: 17) + "\n" + aws + "\n"
            + Fixture.random(40, Fixture.base64, seed: 18) + "\n-----END PRIVATE KEY-----"
        #expect(matches(pem) == [Match("private-key", pem)])
        #expect(matches(pem, rules: ["aws-access-key-id"]) == [Match("aws-access-key-id", aws)])
    }

    @Test func allowOnTheBeginLineOnly() {
        let pem = Self.block("RSA PRIVATE KEY", seed: 19)
        let allowed = pem.replacingFirst("-----\n", with: "----- secrets-agent:allow\n")
        #expect(matches(allowed) == [])
        #expect(Scanner(appliesInlineAllows: false).scan(Array(allowed.utf8)).count == 1)
        let markedAtEnd = pem + " # secrets-agent:allow\n"
        #expect(matches(markedAtEnd).map(\.rule) == ["private-key"])
        #expect(matches("# secrets-agent:allow\n" + pem).map(\.rule) == ["private-key"])
    }
}

extension String {
    /// `self` with the first `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        var copy = self
        copy.replaceSubrange(range, with: replacement)
        return copy
    }
}
