import Foundation
import SecretsCore
import Testing

/// `Template`: the `{{ secret "NAME" env="E" }}` syntax of `inject` (DESIGN §8, §12), its
/// error messages, and rendering. Reproduce a property failure with
/// `SECRETS_TEMPLATE_FUZZ_SEED=<seed from the message>`.
@Suite struct TemplateTests {
    static let expectedSecret = #"expected "secret" after "{{" (only {{ secret "NAME" }} and {{ secret "NAME" env="E" }} are supported)"#

    static func parse(_ text: String) throws -> Template {
        try Template.parse(Array(text.utf8))
    }

    /// The error message for `text`, or nil when it parses.
    static func message(_ text: String) -> String? {
        message(Array(text.utf8))
    }

    static func message(_ bytes: [UInt8]) -> String? {
        do {
            _ = try Template.parse(bytes)
            return nil
        } catch {
            return error.code == .invalidArgument ? error.message : "code \(error.code): \(error.message)"
        }
    }

    /// Renders with the values in `values`, keyed by the reference's description.
    static func render(_ template: Template, _ values: [String: String]) -> String {
        String(decoding: template.render { Array(values[$0.description, default: "<missing>"].utf8) }, as: UTF8.self)
    }

    static func ref(_ name: String, _ environment: String? = nil) -> Template.Reference {
        Template.Reference(name: name, environment: environment)
    }

    // MARK: - Parsing

    @Test func aConfigFileWithTwoReferences() throws {
        let template = try Self.parse("""
            # app.env
            DATABASE_URL=postgres://app:{{ secret "db/password" }}@db:5432/app
            OPENAI_API_KEY={{ secret "openai/key" env="production" }}

            """)
        #expect(template.references == [Self.ref("db/password"), Self.ref("openai/key", "production")])
        let rendered = Self.render(template, [
            #"{{ secret "db/password" }}"#: "hunter2",
            #"{{ secret "openai/key" env="production" }}"#: "sk-123",
        ])
        #expect(rendered == """
            # app.env
            DATABASE_URL=postgres://app:hunter2@db:5432/app
            OPENAI_API_KEY=sk-123

            """)
    }

    @Test(arguments: [
        (#"{{secret "a"}}"#, nil),
        (#"{{ secret "a" }}"#, nil),
        ("{{\tsecret\t\"a\"\t}}", nil),
        (#"{{    secret     "a"      }}"#, nil),
        (" \t{{ secret \"a\" }}\t ", nil),
        (#"{{secret "a" env="prod"}}"#, "prod"),
        (#"{{ secret "a" env="prod" }}"#, "prod"),
        ("{{\tsecret \"a\"\tenv=\"prod\"\t }}", "prod"),
        (#"{{ secret   "a"   env="prod"   }}"#, "prod"),
    ] as [(String, String?)])
    func spacingVariants(_ tag: String, _ environment: String?) throws {
        let template = try Self.parse("<" + tag + ">")
        #expect(template.references == [Self.ref("a", environment)])
        let value = environment == nil ? "V" : "P"
        let rendered = Self.render(template, [#"{{ secret "a" }}"#: "V", #"{{ secret "a" env="prod" }}"#: "P"])
        #expect(rendered == "<" + tag.replacingOccurrences(of: #"\{\{.*\}\}"#, with: value, options: .regularExpression) + ">")
    }

    @Test func referencesAreUniqueInOrderOfFirstAppearance() throws {
        let template = try Self.parse(#"""
            {{ secret "b" }}{{ secret "a" }} {{ secret "b" }}
            {{ secret "a" env="staging" }} {{secret "a"}} {{ secret "a" env="staging" }} {{ secret "c/d.e-f_g" env="x-1" }}
            """#)
        #expect(template.references == [Self.ref("b"), Self.ref("a"), Self.ref("a", "staging"), Self.ref("c/d.e-f_g", "x-1")])
        // The same name with and without env= are different references: the default may differ.
        let values = [#"{{ secret "a" }}"#: "1", #"{{ secret "b" }}"#: "2", #"{{ secret "a" env="staging" }}"#: "3",
                      #"{{ secret "c/d.e-f_g" env="x-1" }}"#: "4"]
        #expect(Self.render(template, values) == "21 2\n3 1 3 4")
    }

    @Test func aReferenceDescribesItsTag() {
        #expect(Self.ref("db/pass").description == #"{{ secret "db/pass" }}"#)
        #expect(Self.ref("db/pass", "production").description == #"{{ secret "db/pass" env="production" }}"#)
    }

    @Test(arguments: [
        "",
        "plain text\n",
        "{",
        "}",
        "}}",
        "a { b } c }} d {x} {\n} }}} {}{}{ }",
        "ends with a brace {",
        "json: {\"a\": {\"b\": 1}}",
        "{ {",
        "} }} }}}",
    ])
    func textWithoutTagsRendersUnchanged(_ text: String) throws {
        let template = try Self.parse(text)
        #expect(template.references.isEmpty)
        #expect(template.render { _ in [0x21] } == Array(text.utf8))
    }

    @Test func bytesOutsideTagsAreCopiedExactly() throws {
        // NUL, invalid UTF-8, CR LF, a byte-order mark: all copied as they are.
        let before: [UInt8] = [0xEF, 0xBB, 0xBF, 0x00, 0xFF, 0xFE, 0x0D, 0x0A, 0x7B, 0x80]
        let after: [UInt8] = [0x7D, 0x7D, 0xC3, 0x28, 0x00]
        let template = try Template.parse(before + Array(#"{{ secret "k" }}"#.utf8) + after)
        #expect(template.references == [Self.ref("k")])
        #expect(template.render { _ in [0x01] } == before + [0x01] + after)
    }

    @Test func bracesNextToATagStayText() throws {
        let template = try Self.parse(#"{ {{ secret "a" }}} }}{{ secret "a" }}}}"#)
        #expect(Self.render(template, [#"{{ secret "a" }}"#: "v"]) == "{ v} }}v}}")
    }

    // MARK: - Errors

    @Test(arguments: [
        // Not a secret tag.
        ("{{ name }}", "template line 1, column 4: " + Self.expectedSecret),
        ("{{}}", "template line 1, column 3: " + Self.expectedSecret),
        ("{{ .Values.password }}", "template line 1, column 4: " + Self.expectedSecret),
        ("{{ secretive \"a\" }}", "template line 1, column 4: " + Self.expectedSecret),
        ("{{ Secret \"a\" }}", "template line 1, column 4: " + Self.expectedSecret),
        ("{{{ secret \"a\" }}", "template line 1, column 3: " + Self.expectedSecret),
        ("{{ \"a\" }}", "template line 1, column 4: " + Self.expectedSecret),
        ("one\ntwo\nabc {{ if .x }}", "template line 3, column 8: " + Self.expectedSecret),
        ("{{- secret \"a\" -}}", "template line 1, column 3: " + Self.expectedSecret),
        // Missing pieces.
        ("{{ secret\"a\" }}", #"template line 1, column 10: expected a space after "secret""#),
        ("{{ secret a }}", #"template line 1, column 11: expected a double-quoted secret name after "secret" (e.g. {{ secret "db/password" }})"#),
        ("{{ secret 'a' }}", #"template line 1, column 11: expected a double-quoted secret name after "secret" (e.g. {{ secret "db/password" }})"#),
        ("{{ secret \"a\"env=\"b\" }}", "template line 1, column 14: expected a space before 'env'"),
        ("{{ secret \"a\" env = \"b\" }}", #"template line 1, column 18: expected "=" right after env (write env="E")"#),
        ("{{ secret \"a\" env=b }}", #"template line 1, column 19: expected a double-quoted environment after env= (e.g. env="production")"#),
        ("{{ secret \"a\" } }}", #"template line 1, column 15: expected "}}" to close the tag, or env="E""#),
        ("{{ secret \"a\" | upper }}", #"template line 1, column 15: expected "}}" to close the tag, or env="E""#),
        ("{{ secret \"a\" \"b\" }}", #"template line 1, column 15: expected "}}" to close the tag, or env="E""#),
        // Keys.
        ("{{ secret \"a\" envx=\"b\" }}", #"template line 1, column 15: unknown key 'envx' (a tag takes only env="E")"#),
        ("{{ secret \"a\" version=\"2\" }}", #"template line 1, column 15: unknown key 'version' (a tag takes only env="E")"#),
        ("{{ secret \"a\" env=\"b\" env=\"c\" }}", "template line 1, column 23: env= is given twice (a tag names one environment)"),
        // Unterminated.
        ("{{", #"template line 1, column 1: unterminated tag: no "}}" before the end of the template"#),
        ("text {{ secret", #"template line 1, column 6: unterminated tag: no "}}" before the end of the template"#),
        ("a\n  {{ secret \"a\" ", #"template line 2, column 3: unterminated tag: no "}}" before the end of the template"#),
        ("{{ secret \"a\" env=", #"template line 1, column 1: unterminated tag: no "}}" before the end of the template"#),
        ("{{ secret \"a\" }", #"template line 1, column 15: expected "}}" to close the tag, or env="E""#),
        ("{{ secret \"a }}", #"template line 1, column 11: unterminated string: the name has no closing '"' before the end of the template"#),
        ("{{ secret \"a }}\n\"", #"template line 1, column 11: unterminated string: the name has no closing '"' on its line"#),
        ("{{ secret \"a\" env=\"b }}", #"template line 1, column 19: unterminated string: the environment has no closing '"' before the end of the template"#),
        ("{{ secret \"a\" env=\"b\r\n\" }}", #"template line 1, column 19: unterminated string: the environment has no closing '"' on its line"#),
        // Newlines.
        ("{{\nsecret \"a\" }}", #"template line 1, column 3: newline inside a tag (a tag must be on one line, ending with "}}")"#),
        ("{{ secret\n\"a\" }}", #"template line 1, column 10: newline inside a tag (a tag must be on one line, ending with "}}")"#),
        ("{{ secret \"a\"\n}}", #"template line 1, column 14: newline inside a tag (a tag must be on one line, ending with "}}")"#),
        ("x\n{{ secret \"a\" \r\n}}", #"template line 2, column 15: newline inside a tag (a tag must be on one line, ending with "}}")"#),
        ("{{ secret \"a\" env=\n", #"template line 1, column 19: newline inside a tag (a tag must be on one line, ending with "}}")"#),
        // Invalid names and environments, with the rule.
        ("{{ secret \"../x\" }}", "template line 1, column 11: invalid secret name '../x': must start with a letter, digit or _ (" + SecretName.rule + ")"),
        ("{{ secret \"\" }}", "template line 1, column 11: invalid secret name '': empty (" + SecretName.rule + ")"),
        ("{{ secret \"a}}b\" }}", "template line 1, column 11: invalid secret name 'a}}b': character '}' is not allowed (" + SecretName.rule + ")"),
        ("{{ secret \"a\tb\" }}", "template line 1, column 11: invalid secret name 'a\\u{9}b': character '\\u{9}' is not allowed (" + SecretName.rule + ")"),
        ("{{ secret \"a\" env=\"Prod\" }}", "template line 1, column 19: invalid environment 'Prod' (" + Environment.rule + ")"),
        ("{{ secret \"a\" env=\"\" }}", "template line 1, column 19: invalid environment '' (" + Environment.rule + ")"),
        // Positions after earlier tags and lines, columns in bytes.
        ("{{ secret \"a\" }}\n\tx {{ bad }}", "template line 2, column 7: " + Self.expectedSecret),
        ("é {{ x }}", "template line 1, column 7: " + Self.expectedSecret),
        ("\n\n\n\n{{ secret \"a\" }} {{ secret \"b\" kind=\"x\" }}", #"template line 5, column 32: unknown key 'kind' (a tag takes only env="E")"#),
    ])
    func errorsSayWhereAndWhat(_ text: String, _ expected: String) {
        #expect(Self.message(text) == expected)
    }

    @Test func theFirstErrorWins() {
        #expect(Self.message("{{ a }} {{ b }}") == "template line 1, column 4: " + Self.expectedSecret)
    }

    @Test func hostileTextIsQuotedInMessages() throws {
        let message = try #require(Self.message("{{ secret \"a\u{1B}[31mRED\" }}"))
        #expect(message.hasPrefix("template line 1, column 11: invalid secret name 'a\\u{1b}[31mRED'"))
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        let long = try #require(Self.message("{{ secret \"" + String(repeating: "x", count: 100_000) + "\" }}"))
        #expect(long.utf8.count < 600)
    }

    // MARK: - Rendering

    @Test func binaryValuesAreCopiedExactly() throws {
        let template = try Self.parse(#"A{{ secret "bin" }}B{{ secret "tag" }}C{{ secret "bin" }}"#)
        let binary: [UInt8] = [0x00, 0xFF, 0x0A, 0x7B, 0x7B, 0x80, 0x00]
        // A value that looks like a tag is not parsed again.
        let tagLike = Array(#"{{ secret "bin" }}"#.utf8)
        let rendered = template.render { $0.name == "bin" ? binary : tagLike }
        #expect(rendered == [0x41] + binary + [0x42] + tagLike + [0x43] + binary)
    }

    @Test func eachValueIsAskedForOnce() throws {
        let template = try Self.parse(#"{{ secret "a" }}{{ secret "a" }}{{ secret "b" }}{{ secret "a" }}"#)
        var asked: [Template.Reference] = []
        _ = template.render { asked.append($0); return [] }
        #expect(asked == [Self.ref("a"), Self.ref("b")])
    }

    @Test func renderWalksTextAndValuesInOrder() throws {
        let template = try Self.parse("x{{ secret \"a\" }}{{ secret \"b\" }}yz{{ secret \"a\" }}")
        var pieces: [String] = []
        template.render(text: { pieces.append("text " + String(decoding: $0, as: UTF8.self)) },
                        value: { pieces.append("value \($0)") })
        #expect(pieces == ["text x", "value 0", "value 1", "text yz", "value 0"])
        #expect(template.renderedCount { $0 == 0 ? 10 : 100 } == 3 + 10 + 100 + 10)
        #expect(template.renderedCount { _ in Int.max } == nil)
        let empty = try Template.parse([])
        #expect(empty.renderedCount { _ in 1 } == 0)
        #expect(empty.render { _ in [1] } == [])
    }

    @Test func largeInputStaysLinear() throws {
        // 1 MiB of lone braces and 40,000 tags.
        let braces = (0..<(1 << 20)).map { i -> UInt8 in i % 2 == 0 ? 0x7B : 0x20 }
        #expect(try Template.parse(braces).references.isEmpty)
        let tags = String(repeating: #"{{ secret "a" }}{{ secret "b" env="e" }}"#, count: 20_000)
        let template = try Self.parse(tags)
        #expect(template.references.count == 2)
        #expect(template.render { _ in [0x2E] }.count == 40_000)
        // An unterminated string at the end of a long line is found, with its column.
        #expect(Self.message(String(repeating: " ", count: 500_000) + "{{ secret \"a") ==
                "template line 1, column 500011: unterminated string: the name has no closing '\"' before the end of the template")
    }

    // MARK: - Properties

    static let seed: UInt64 = ProcessInfo.processInfo.environment["SECRETS_TEMPLATE_FUZZ_SEED"].flatMap { UInt64($0) }
        ?? 0x7E3B_1A7E_0000_0001

    /// Text bytes: braces, quotes, blanks, newlines, tag words, NUL and non-ASCII.
    static let textAlphabet: [UInt8] = Array("{}\"= \t\n\rsecretnv=abc".utf8) + [0x00, 0x7F, 0xC3, 0xA9, 0xFF]
    static let nameBytes = Array("abcxyzABZ019_-./".utf8)

    static func blanks(_ minimum: Int, using rng: inout SplitMix64) -> String {
        String((0..<Int.random(in: minimum...(minimum + 2), using: &rng)).map { _ in Bool.random(using: &rng) ? " " : "\t" })
    }

    /// A random valid name (no `..`, so never a `..` segment) or environment.
    static func randomName(using rng: inout SplitMix64) -> String {
        let first = Array("aZ09_".utf8).randomElement(using: &rng)!
        var bytes = [first]
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            let next = nameBytes.randomElement(using: &rng)!
            if next == 0x2E && bytes.last == 0x2E { continue }
            bytes.append(next)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func randomEnvironment(using rng: inout SplitMix64) -> String {
        "e" + String((0..<Int.random(in: 0...6, using: &rng)).map { _ in "abz09-".randomElement(using: &rng)! })
    }

    /// Text that holds no `{{` and does not end with `{` (so it cannot run into a tag).
    static func randomText(using rng: inout SplitMix64) -> [UInt8] {
        var text: [UInt8] = []
        for _ in 0..<Int.random(in: 0...20, using: &rng) {
            let byte = textAlphabet.randomElement(using: &rng)!
            if byte == 0x7B && text.last == 0x7B { continue }
            text.append(byte)
        }
        if text.last == 0x7B { text.append(0x7D) }
        return text
    }

    @Test func randomTemplatesRenderAsAReferenceSubstitution() throws {
        var rng = SplitMix64(seed: Self.seed)
        var failures: [String] = []
        for iteration in 0..<1_000 {
            let pool = (0..<Int.random(in: 1...4, using: &rng)).map { _ in
                Self.ref(Self.randomName(using: &rng), Bool.random(using: &rng) ? Self.randomEnvironment(using: &rng) : nil)
            }
            // Each distinct reference gets a random binary value.
            var values: [Template.Reference: [UInt8]] = [:]
            for reference in pool where values[reference] == nil {
                values[reference] = (0..<Int.random(in: 0...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
            var source: [UInt8] = []
            var expected: [UInt8] = []
            var order: [Template.Reference] = []
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                let text = Self.randomText(using: &rng)
                source += text
                expected += text
                let reference = pool.randomElement(using: &rng)!
                var tag = "{{" + Self.blanks(0, using: &rng) + "secret" + Self.blanks(1, using: &rng) + "\"\(reference.name)\""
                if let environment = reference.environment {
                    tag += Self.blanks(1, using: &rng) + "env=\"\(environment)\""
                }
                tag += Self.blanks(0, using: &rng) + "}}"
                source += Array(tag.utf8)
                expected += values[reference]!
                if !order.contains(reference) { order.append(reference) }
            }
            let tail = Self.randomText(using: &rng)
            source += tail
            expected += tail
            do {
                let template = try Template.parse(source)
                if template.references != order { failures.append("#\(iteration): references \(template.references) != \(order)") }
                let rendered = template.render { values[$0]! }
                if rendered != expected { failures.append("#\(iteration): rendered \(rendered) != \(expected) for \(source)") }
                if template.renderedCount(valueCount: { values[template.references[$0]]!.count }) != expected.count {
                    failures.append("#\(iteration): renderedCount is wrong for \(source)")
                }
            } catch {
                failures.append("#\(iteration): \(String(decoding: source, as: UTF8.self).debugDescription): \(error.message)")
            }
        }
        #expect(failures == [], "seed \(Self.seed)")
    }

    /// What is wrong with the outcome of parsing `bytes`, if anything: a parsed template
    /// renders without any `{{` left; an error is `.invalidArgument` and passes `check(message:in:)`.
    static func check(_ bytes: [UInt8]) -> String? {
        do {
            let template = try Template.parse(bytes)
            let rendered = template.render { _ in Array("V".utf8) }
            if zip(rendered, rendered.dropFirst()).contains(where: { $0 == 0x7B && $1 == 0x7B }) {
                return "rendered output still holds {{"
            }
            if template.renderedCount(valueCount: { _ in 1 }) != rendered.count { return "renderedCount differs" }
            return nil
        } catch {
            guard error.code == .invalidArgument else { return "code \(error.code)" }
            return check(message: error.message, in: bytes)
        }
    }

    /// What is wrong with an error message about `bytes`: it must be `template line L,
    /// column C: ...` with the position inside the text, one short line without control characters.
    static func check(message: String, in bytes: [UInt8]) -> String? {
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(\.count)
        let prefix = message.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        let numbers = prefix.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard prefix.hasPrefix("template line "), numbers.count == 2, message.count > prefix.count + 2 else {
            return "malformed message: \(message)"
        }
        let (line, column) = (numbers[0], numbers[1])
        guard line >= 1, line <= lines.count, column >= 1, column <= lines[line - 1] + 1 else {
            return "position \(line):\(column) outside the text: \(message)"
        }
        if message.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "control character: \(message)" }
        if message.utf8.count > 1024 { return "message of \(message.utf8.count) bytes" }
        return nil
    }

    @Test func theCheckerCanFail() {
        let text = Array("ab\ncd".utf8)
        #expect(Self.check(message: "template line 2, column 3: what (fix)", in: text) == nil)
        #expect(Self.check(message: "template line 3, column 1: what", in: text) != nil)
        #expect(Self.check(message: "template line 0, column 1: what", in: text) != nil)
        #expect(Self.check(message: "template line 1, column 0: what", in: text) != nil)
        #expect(Self.check(message: "template line 1, column 4: what", in: text) != nil)
        #expect(Self.check(message: "template line 1: what", in: text) != nil)
        #expect(Self.check(message: "line 1, column 1: what", in: text) != nil)
        #expect(Self.check(message: "template line 1, column 1:", in: text) != nil)
        #expect(Self.check(message: "template line 1, column 1: a\nb", in: text) != nil)
        #expect(Self.check(Array("{{ secret \"a\" }} {{".utf8)) == nil)
    }

    @Test func randomBytesNeverCrashAndErrorsSayWhere() {
        var rng = SplitMix64(seed: Self.seed ^ 0xB17E5)
        let tokens: [[UInt8]] = ["{{", "}}", "{", "}", "secret", " ", "\t", "\"", "\"a\"", "env=", "\"prod\"", "\n", "x", "é", "/"]
            .map { Array($0.utf8) }
        var failures: [String] = []
        var parsed = 0
        for iteration in 0..<3_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &rng) {
                if Bool.random(using: &rng) {
                    bytes += tokens.randomElement(using: &rng)!
                } else {
                    bytes.append(UInt8.random(in: 0...255, using: &rng))
                }
            }
            if let failure = Self.check(bytes) { failures.append("#\(iteration) \(bytes): \(failure)") }
            if (try? Template.parse(bytes)) != nil { parsed += 1 }
        }
        #expect(failures == [], "seed \(Self.seed)")
        #expect(parsed > 100 && parsed < 3_000, "both outcomes should occur (parsed \(parsed))")
    }

    @Test func mutatedTemplatesNeverCrashAndErrorsSayWhere() throws {
        let valid = Array("a={{ secret \"db/pass\" }}\nb={{secret \"k\" env=\"production\"}} {c}\n".utf8)
        #expect(try Template.parse(valid).references.count == 2)
        var rng = SplitMix64(seed: Self.seed ^ 0x3E7A7E)
        let alphabet = Array("{}\" =\t\nenvsx/.".utf8) + [0x00, 0xFF]
        var failures: [String] = []
        var rejected = 0
        for iteration in 0..<3_000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let index = Int.random(in: 0...bytes.count, using: &rng)
                let replacement = alphabet.randomElement(using: &rng)!
                switch Int.random(in: 0..<10, using: &rng) {
                case 0...2 where index < bytes.count: bytes.remove(at: index)
                case 3...5 where index < bytes.count: bytes[index] = replacement
                case 9: bytes.removeSubrange(index...)
                default: bytes.insert(replacement, at: index)
                }
            }
            if let failure = Self.check(bytes) { failures.append("#\(iteration) \(bytes): \(failure)") }
            if (try? Template.parse(bytes)) == nil { rejected += 1 }
        }
        #expect(failures == [], "seed \(Self.seed)")
        #expect(rejected > 300 && rejected < 2_700, "mutations should sometimes break the template (\(rejected) rejected)")
    }
}
