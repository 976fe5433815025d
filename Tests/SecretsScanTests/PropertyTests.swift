import SecretsScan
import Testing

/// Seeded random inputs: whatever the bytes, a scan does not crash, and its findings are
/// ordered, disjoint, inside the buffer, with lines and columns that agree with the offsets
/// and allow comments that drop exactly the findings starting on their lines.
@Suite struct PropertyTests {
    /// Pieces that make rules fire, half fire, or fail late.
    static let fragments: [String] = prefixedTokens.map(\.token) + [
        "password", "api_key", "DB_PASSWORD", "token", "secret", "aws_secret_access_key", "\"type\": \"service_account\"",
        "\"private_key\": \"", "Authorization: Bearer ", "=", ":", "=>", ":=", "==", "\"", "'", "`", "\n", "\r\n", "\r", " ",
        "\t", ",", ";", "(", "[", "{", "}", "$", "${", "<", ">", "%s", "xxxx", "EXAMPLE", "\\n", "-", "-----", "-----BEGIN ",
        "-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----", "-----BEGIN OPENSSH PRIVATE KEY-----\n",
        "-----END OPENSSH PRIVATE KEY-----", "Proc-Type: 4,ENCRYPTED", "://", "postgres://", "redis://:", "mongodb+srv://u:",
        "@", "@host/db", "https://hooks.slack.com/services/T0ABC/B0DEF/", "eyJ", "eyJhbGciOiJIUzI1NiJ9", ".", "..",
        "secrets-agent:allow", "AKIA", "ghp_", "sk-", "sk-ant-api03-", "xoxb-", ":AA", "-us1", "DefaultEndpointsProtocol=https;",
        "AccountName=a;", "AccountKey=", "==", "é", "\u{0}", "\u{FF}",
        Fixture.random(64, Fixture.base64, seed: 500), Fixture.random(40, Fixture.base64, seed: 501),
        Fixture.random(20, Fixture.alnum, seed: 502), Fixture.random(32, Fixture.hex, seed: 503), "Xy7#kLm9Qz2!",
    ]

    @Test func randomBytes() {
        var generator = SplitMix64(seed: 0x5CA1_AB1E)
        for _ in 0..<400 {
            let count = Int(generator.next() % 3000)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            Self.check(bytes)
        }
    }

    @Test func randomText() {
        var generator = SplitMix64(seed: 0xF00D)
        for _ in 0..<600 {
            var text = ""
            for _ in 0..<Int(generator.next() % 120) {
                text += Self.fragments[Int(generator.next() % UInt64(Self.fragments.count))]
            }
            Self.check(Array(text.utf8))
        }
    }

    @Test func randomTextOfFewLetters() {
        // Small alphabets make prefixes, repeats and near misses frequent.
        var generator = SplitMix64(seed: 0xBEEF)
        let alphabets = [Array("AKI=:\n\" ".utf8), Array("-BEGIN \nA=".utf8), Array("eyJ.ab_-".utf8), Array("p:/@s\n".utf8)]
        for round in 0..<400 {
            let alphabet = alphabets[round % alphabets.count]
            let bytes = (0..<Int(generator.next() % 4000)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            Self.check(bytes)
        }
    }

    static func check(_ bytes: [UInt8]) {
        let all = Scanner(appliesInlineAllows: false).scan(bytes)
        let findings = Scanner().scan(bytes)
        var lineStarts = [0]
        for (k, byte) in bytes.enumerated() where byte == 0x0A { lineStarts.append(k + 1) }
        func locate(_ p: Int) -> (line: Int, column: Int) {
            var low = 0, high = lineStarts.count  // the last line start <= p
            while high - low > 1 {
                let middle = (low + high) / 2
                if lineStarts[middle] <= p { low = middle } else { high = middle }
            }
            return (low + 1, p - lineStarts[low] + 1)
        }
        for (k, finding) in all.enumerated() {
            #expect(0 <= finding.start && finding.start < finding.end && finding.end <= bytes.count, "bounds: \(finding)")
            if k > 0 { #expect(all[k - 1].end <= finding.start, "order: \(all[k - 1]) then \(finding)") }
            #expect(Scanner.rule(id: finding.rule)?.confidence == finding.confidence)
            let start = locate(finding.start), last = locate(finding.end - 1)
            #expect(finding.line == start.line && finding.column == start.column, "start of \(finding)")
            #expect(finding.endLine == last.line && finding.endColumn == last.column + 1, "end of \(finding)")
        }
        // The allow comment drops the findings that start on its line, and only those.
        let marker = Array("secrets-agent:allow".utf8)
        let expected = all.filter { finding in
            let lineStart = lineStarts[finding.line - 1]
            let lineEnd = finding.line < lineStarts.count ? lineStarts[finding.line] : bytes.count
            let line = bytes[lineStart..<lineEnd]
            return line.count < marker.count || !(0...(line.count - marker.count)).contains { k in
                line[(lineStart + k)..<(lineStart + k + marker.count)].elementsEqual(marker)
            }
        }
        #expect(findings == expected)
    }
}
