import SecretsCore
import Testing

private func parse(_ text: String) throws(SecretsError) -> [(key: String, value: String)] {
    try JSONSecretsParser.parse(Array(text.utf8)).map { ($0.key, String(decoding: $0.value, as: UTF8.self)) }
}

private func rejection(_ text: String) -> String? {
    do { _ = try parse(text); return nil } catch { return error.message }
}

@Suite struct JSONSecretsParserTests {
    @Test func flatAndNested() throws {
        let parsed = try parse(#"{"openai/key": "sk", "db": {"password": "x", "replica": {"user": "y"}}, "z": "w"}"#)
        #expect(parsed.map(\.key) == ["openai/key", "db/password", "db/replica/user", "z"])
        #expect(parsed.map(\.value) == ["sk", "x", "y", "w"])
    }

    @Test func escapes() throws {
        let parsed = try parse(#"{"a": "q\"b\\s\/n\nt\tu\u00e9\ud83d\ude00\u0000"}"#)
        #expect(parsed.first?.value == "q\"b\\s/n\nt\tué😀\u{0}")
    }

    @Test func emptyObjects() throws {
        #expect(try parse("{}").isEmpty)
        #expect(try parse(" {\n\"db\": {} } \n").isEmpty)
    }

    @Test func nonStringLeavesAreErrorsNamingTheKey() {
        #expect(rejection("{\"db\": {\"port\": 5432}}") == "line 1: 'db/port' is a number, not a string (quote the value; only strings and objects are imported)")
        #expect(rejection("{\n\"a\": true}")?.hasPrefix("line 2: 'a' is a boolean") == true)
        #expect(rejection("{\"a\": null}")?.contains("'a' is null") == true)
        #expect(rejection("{\"a\": [\"x\"]}")?.contains("'a' is an array") == true)
    }

    @Test func duplicateKeyPathsNameBothLines() {
        #expect(rejection("{\"db\": {\"password\": \"x\"},\n\"db/password\": \"y\"}") == "line 2: 'db/password' is already set at line 1 (keep one of them)")
    }

    @Test func malformed() {
        #expect(rejection("[]") == "line 1: expected a JSON object of names to string values")
        #expect(rejection("") == "line 1: expected a JSON object of names to string values")
        #expect(rejection("{\"a\": \"x\"} {}") == "line 1: unexpected text after the JSON object")
        #expect(rejection("{\"a\": \"x\"")?.contains("expected ',' or '}'") == true)
        #expect(rejection("{\"a\": \"x") == "line 1: a string is never closed (add the closing quote)")
        #expect(rejection("{\"a\": \"x\ny\"}")?.contains("raw control character") == true)
        #expect(rejection("{\"a\": \"\\ud800\"}")?.contains("unpaired") == true)
        #expect(rejection("{\"a\" \"x\"}")?.contains("expected ':'") == true)
        #expect(rejection("{\"a\": \"x\",}") == "line 1: expected a quoted key")
    }

    @Test func deepNestingIsRefused() {
        let deep = String(repeating: "{\"a\":", count: 40) + "\"x\"" + String(repeating: "}", count: 40)
        #expect(rejection(deep)?.contains("deeper than 32") == true)
    }

    @Test func writerRoundTrips() throws {
        var file: [UInt8] = []
        var writer = JSONSecretsWriter()
        let items: [(String, String)] = [("db/password", "p\"a\\s\ns\u{1}w"), ("openai/key", "sk-é😀"), ("x", " ")]
        writer.begin { file += $0 }
        for (key, value) in items {
            try Array(value.utf8).withUnsafeBytes { raw in try writer.write(key: key, value: raw) { file += $0 } }
        }
        writer.end { file += $0 }
        let parsed = try JSONSecretsParser.parse(file)
        #expect(parsed.map(\.key) == items.map(\.0))
        #expect(parsed.map { String(decoding: $0.value, as: UTF8.self) } == items.map(\.1))
    }

    @Test func writerRefusesBinary() {
        var writer = JSONSecretsWriter()
        var file: [UInt8] = []
        #expect(throws: SecretsError.self) {
            try ([0xFF, 0x00] as [UInt8]).withUnsafeBytes { raw in try writer.write(key: "bin", value: raw) { file += $0 } }
        }
        #expect(file.isEmpty)
    }
}
