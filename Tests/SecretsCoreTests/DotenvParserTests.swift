import SecretsCore
import Testing

private func parse(_ text: String) throws(SecretsError) -> [(key: String, line: Int, value: String)] {
    try DotenvParser.parse(Array(text.utf8)).map { ($0.key, $0.line, String(decoding: $0.value, as: UTF8.self)) }
}

private func values(_ text: String) throws -> [String: String] {
    Dictionary(uniqueKeysWithValues: try parse(text).map { ($0.key, $0.value) })
}

private func rejection(_ text: String) -> String? {
    do { _ = try parse(text); return nil } catch { return error.message }
}

@Suite struct DotenvParserTests {
    @Test func plainQuotedAndExported() throws {
        let parsed = try values("""
            A=1
            export B=two
            C = "three"
            D='four'
            \tE\t=\t  five  \t
            """)
        #expect(parsed == ["A": "1", "B": "two", "C": "three", "D": "four", "E": "five"])
    }

    @Test func commentsAndBlankLines() throws {
        let parsed = try parse("# head\n\n   \n  # indented\nA=1 # trailing\nB=x#y\nC= #only a comment\nD=#kept\n")
        #expect(parsed.map(\.key) == ["A", "B", "C", "D"])
        #expect(parsed.map(\.value) == ["1", "x#y", "", "#kept"])
        #expect(parsed.map(\.line) == [5, 6, 7, 8])
    }

    @Test func hashInsideQuotesIsKept() throws {
        let parsed = try values("A=\"a # b\" # c\nB='#x' #y\n")
        #expect(parsed == ["A": "a # b", "B": "#x"])
    }

    @Test func doubleQuoteEscapes() throws {
        let parsed = try values(#"A="x\ny\tz\"q\\r\r" "# + "\n" + #"B="keep \$ and \a""#)
        #expect(parsed["A"] == "x\ny\tz\"q\\r\r")
        #expect(parsed["B"] == #"keep \$ and \a"#)
    }

    @Test func singleQuotesHaveNoEscapes() throws {
        #expect(try values(#"A='x\ny\"'"#) == ["A": #"x\ny\""#])
    }

    @Test func multiLineValues() throws {
        let text = "KEY=\"-----BEGIN KEY-----\nabc\n-----END KEY-----\"\nNEXT='a\n\nb'\nLAST=1\n"
        let parsed = try parse(text)
        #expect(parsed.map(\.value) == ["-----BEGIN KEY-----\nabc\n-----END KEY-----", "a\n\nb", "1"])
        #expect(parsed.map(\.line) == [1, 4, 7])
    }

    @Test func crlfLines() throws {
        let parsed = try parse("A=1\r\nB=\"x\r\ny\"\r\n# c\r\nC='z' \r\n\r\nD=w")
        #expect(parsed.map(\.value) == ["1", "x\ny", "z", "w"])
        #expect(parsed.map(\.line) == [1, 2, 5, 7])
    }

    @Test func valuesMayBeEmptyOrHoldEquals() throws {
        #expect(try values("A=\nB=\"\"\nC=a=b==\n") == ["A": "", "B": "", "C": "a=b=="])
    }

    @Test func keysMayLookLikeNames() throws {
        #expect(try values("db/password=x\nopenai.key-2=y\n") == ["db/password": "x", "openai.key-2": "y"])
    }

    @Test func duplicateKeysNameBothLines() {
        #expect(rejection("A=1\nB=2\n\nA=3\n") == "line 4: 'A' is already set at line 1 (keep one of them)")
    }

    @Test func unclosedQuoteNamesItsLine() {
        #expect(rejection("A=1\nB=\"open\nC=2\n") == "line 2: the value of 'B' opens a quote that is never closed (add the closing quote)")
        #expect(rejection("A='open") == "line 1: the value of 'A' opens a quote that is never closed (add the closing quote)")
    }

    @Test func textAfterClosingQuote() {
        #expect(rejection("A=\"x\"y\n") == "line 1: unexpected text after the closing quote of 'A' (quote the whole value, and put a blank before a # comment)")
        #expect(rejection("A=\"x\ny\"z\n")?.hasPrefix("line 2: unexpected text") == true)
    }

    @Test func linesThatAreNotEntriesNeverEchoTheirText() {
        for text in ["sk-live-0123456789", "A", "=value", "export", "A B=1", "ä=1"] {
            let message = rejection(text)
            #expect(message == "line 1: expected KEY=VALUE (a line holds KEY=VALUE, a # comment or nothing)", "\(text)")
        }
    }

    @Test func binaryBytesPassThrough() throws {
        let bytes: [UInt8] = Array("A=\"".utf8) + [0x00, 0xFF, 0xC3, 0x28, 0x0D, 0x01] + Array("\"".utf8)
        let parsed = try DotenvParser.parse(bytes)
        #expect(parsed.first?.value == [0x00, 0xFF, 0xC3, 0x28, 0x0D, 0x01])
    }

    @Test func emptyInput() throws {
        #expect(try parse("").isEmpty)
        #expect(try parse("\n# only\n\r\n").isEmpty)
    }

    /// Random keys and binary values, written by `DotenvWriter` (with comments, blank lines
    /// and CRLF mixed in), read back exactly.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func writerRoundTrips(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let keyBytes = Array("ABCXYZabcxyz0189_./-".utf8)
        for _ in 0..<50 {
            var expected: [(String, [UInt8])] = []
            var file: [UInt8] = []
            var used = Set<String>()
            for index in 0..<Int.random(in: 1...12, using: &random) {
                var key = String(decoding: (0..<Int.random(in: 1...12, using: &random)).map { _ in keyBytes.randomElement(using: &random)! }, as: UTF8.self)
                key += "_\(index)"
                guard used.insert(key).inserted else { continue }
                let value = (0..<Int.random(in: 0...40, using: &random)).map { _ -> UInt8 in
                    Bool.random(using: &random) ? UInt8.random(in: 0...255, using: &random) : Array("\"'\\#\n\r\t $=".utf8).randomElement(using: &random)!
                }
                expected.append((key, value))
                if Bool.random(using: &random) { file += Array("# a comment \"'\n".utf8) }
                if Bool.random(using: &random) { file += Array("\n".utf8) }
                if Bool.random(using: &random) { file += Array("export ".utf8) }
                value.withUnsafeBytes { raw in DotenvWriter.write(key: key, value: raw) { file += $0 } }
                if Bool.random(using: &random), file.last == 0x0A {
                    file.removeLast()
                    file += [0x0D, 0x0A]
                }
            }
            let parsed = try DotenvParser.parse(file)
            #expect(parsed.map(\.key) == expected.map(\.0), "seed \(seed)")
            #expect(parsed.map(\.value) == expected.map(\.1), "seed \(seed)")
        }
    }
}
