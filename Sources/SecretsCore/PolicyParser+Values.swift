/// The values of a policy's keys: strings, decimal integers and arrays of strings.
extension PolicyParser {
    /// What a key's value must be.
    enum Want {
        case string, integer, strings

        var phrase: String {
            switch self {
            case .string: "a string"
            case .integer: "an integer"
            case .strings: "an array of strings"
            }
        }
    }

    /// What the value at `pos` looks like, before it is read.
    enum Found {
        case string, array, inlineTable, missing
        /// Anything unquoted: a number, a boolean, a bare word; the bytes up to its end.
        case bare(Range<Int>)
    }

    /// A line showing `key` with a good value, for messages.
    static func example(_ key: String) -> String {
        switch key {
        case "user": #"user = "worker""#
        case "uid": "uid = 1001"
        case "group": #"group = "ops""#
        case "gid": "gid = 1002"
        case "exe": #"exe = "/usr/bin/python3""#
        case "unit": #"unit = "web.service""#
        case "role": #"role = "agent""#
        case "environments": #"environments = ["production"]"#
        default: #"secrets = ["openai/*", "db/**"]"#
        }
    }

    /// Reads the value of `key` (known, not yet seen in this rule) into the draft.
    mutating func parseValue(of key: String, into draft: inout Draft) throws(SecretsError) {
        switch key {
        case "user": draft.rule.user = try accountName(key, try string(for: key))
        case "group": draft.rule.group = try accountName(key, try string(for: key))
        case "uid": draft.rule.uid = try integer(for: key)
        case "gid": draft.rule.gid = try integer(for: key)
        case "exe":
            let path = try string(for: key)
            guard path.hasPrefix("/") else {
                throw error("exe must be an absolute path, not \(SecretName.quoted(path)) (e.g. \(Self.example(key)))")
            }
            guard path.utf8.count <= 4096, !path.utf8.contains(where: isControl) else {
                throw error("invalid exe \(SecretName.quoted(path)) (a path is at most 4096 bytes, without control characters)")
            }
            draft.rule.exe = path
        case "unit":
            let name = try string(for: key)
            do { draft.rule.unit = try UnitName(name) }
            catch { throw self.error(error.message) }
        case "role":
            let name = try string(for: key)
            guard let role = Role(rawValue: name) else {
                throw error("unknown role \(SecretName.quoted(name)) (roles are admin, viewer, agent)")
            }
            draft.rule.role = role
            draft.hasRole = true
        case "environments":
            var environments: [Environment] = []
            for (raw, at) in try strings(for: key) {
                do { environments.append(try Environment(raw)) }
                catch { throw self.error(at: at, error.message) }
            }
            draft.rule.environments = environments
        default:
            var globs: [NameGlob] = []
            for (raw, at) in try strings(for: key) {
                do { globs.append(try NameGlob(raw)) }
                catch { throw self.error(at: at, error.message) }
            }
            draft.rule.secrets = globs
        }
    }

    // MARK: - Typed values

    private mutating func string(for key: String) throws(SecretsError) -> String {
        let found = peekValue(inArray: false)
        guard case .string = found else { throw mismatch(key, .string, found) }
        return try readString()
    }

    /// A user or group name: 1-256 bytes, no spaces, ':' or control characters.
    private func accountName(_ key: String, _ name: String) throws(SecretsError) -> String {
        let valid = !name.isEmpty && name.utf8.count <= 256
            && !name.utf8.contains { isControl($0) || $0 == 0x20 || $0 == 0x09 || $0 == 0x3A }
        guard valid else {
            throw error("invalid \(key) name \(SecretName.quoted(name)) (\(key) names are 1-256 bytes without spaces, ':' or control characters)")
        }
        return name
    }

    /// A decimal integer in 0...4294967294 (4294967295 is `(uid_t)-1`), with TOML's `_`
    /// between digits allowed.
    private mutating func integer(for key: String) throws(SecretsError) -> UInt32 {
        let found = peekValue(inArray: false)
        guard case .bare(let range) = found else { throw mismatch(key, .integer, found) }
        pos = range.upperBound
        let token = bytes[range]
        let text = quoted(range)
        let isDigit = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
        let underscore = UInt8(ascii: "_")
        let signed = token.first == UInt8(ascii: "+") || token.first == UInt8(ascii: "-")
        let body = signed ? token.dropFirst() : token[...]
        if body.count >= 2, body.first == 0x30, [UInt8(ascii: "x"), UInt8(ascii: "o"), UInt8(ascii: "b")].contains(body.dropFirst().first!) {
            throw error("\(key) \(text) is not decimal (write it in decimal, e.g. \(Self.example(key)))")
        }
        guard !body.isEmpty, body.allSatisfy({ isDigit($0) || $0 == underscore }) else {
            throw error("\(key) must be an integer, not \(text) (e.g. \(Self.example(key)))")
        }
        guard !signed else {
            throw error("\(key) \(text) has a sign (\(key)s are 0 to 4294967294, written without a sign)")
        }
        let misplaced = body.first == underscore || body.last == underscore
            || zip(body, body.dropFirst()).contains { $0 == underscore && $1 == underscore }
        guard !misplaced else {
            throw error("\(key) \(text) has a misplaced '_' (an '_' must sit between two digits)")
        }
        let digits = body.filter(isDigit)
        guard digits.count == 1 || digits.first != 0x30 else {
            let plain = String(decoding: digits.drop { $0 == 0x30 }, as: UTF8.self)
            throw error("\(key) \(text) has a leading zero (TOML does not allow them; write \(key) = \(plain.isEmpty ? "0" : plain))")
        }
        var value: UInt64 = 0
        for digit in digits {
            value = value * 10 + UInt64(digit - 0x30)
            guard value <= 4_294_967_294 else {
                throw error("\(key) \(text) is out of range (\(key)s are 0 to 4294967294)")
            }
        }
        return UInt32(value)
    }

    /// An array of strings, each with the line it is on; it may span lines, hold
    /// comments and end with a comma.
    private mutating func strings(for key: String) throws(SecretsError) -> [(String, Int)] {
        let found = peekValue(inArray: false)
        guard case .array = found else { throw mismatch(key, .strings, found) }
        let openLine = line
        pos += 1
        var items: [(String, Int)] = []
        while true {
            try skipFiller()
            guard pos < bytes.count else { throw unterminatedArray(openLine) }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return items }
            if bytes[pos] == UInt8(ascii: ",") {
                throw error("stray ',' in the array (separate entries with one comma each)")
            }
            let entry = peekValue(inArray: true)
            guard case .string = entry else {
                throw error("\(key) entries must be strings, not \(describe(entry)) (e.g. \(Self.example(key)))")
            }
            items.append((try readString(), line))
            try skipFiller()
            guard pos < bytes.count else { throw unterminatedArray(openLine) }
            switch bytes[pos] {
            case UInt8(ascii: ","): pos += 1
            case UInt8(ascii: "]"): pos += 1; return items
            default: throw error("expected ',' or ']' after an entry, not \(quotedScalar(at: pos)) (separate entries with commas)")
            }
        }
    }

    /// Spaces, comments and line ends between array entries.
    private mutating func skipFiller() throws(SecretsError) {
        while true {
            skipSpaces()
            guard pos < bytes.count else { return }
            switch bytes[pos] {
            case UInt8(ascii: "#"): try skipComment()
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): try consumeNewline()
            default: return
            }
        }
    }

    private func unterminatedArray(_ openLine: Int) -> SecretsError {
        error(at: openLine, "array is never closed (end it with ])")
    }

    // MARK: - Strings

    /// A basic `"..."` or literal `'...'` string on one line; `pos` is at its quote.
    private mutating func readString() throws(SecretsError) -> String {
        let quote = bytes[pos]
        if bytes[pos...].starts(with: [quote, quote, quote]) {
            throw error("multi-line strings are not supported (write the value on one line)")
        }
        pos += 1
        var out: [UInt8] = []
        while true {
            guard pos < bytes.count, bytes[pos] != UInt8(ascii: "\n"), bytes[pos] != UInt8(ascii: "\r") else {
                throw error("string is not closed on its line (end it with \(quote == UInt8(ascii: "\"") ? "\"" : "'"))")
            }
            let byte = bytes[pos]
            if byte == quote { pos += 1; return String(decoding: out, as: UTF8.self) }
            if isControl(byte) {
                throw error("control character \(scalarName(byte)) in a string (remove it)")
            }
            if byte == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") {
                try readEscape(into: &out)
            } else {
                out.append(byte)
                pos += 1
            }
        }
    }

    /// One escape of a basic string; `pos` is at its backslash.
    private mutating func readEscape(into out: inout [UInt8]) throws(SecretsError) {
        let escapes = #"(escapes are \" \\ \b \f \n \r \t \uXXXX \UXXXXXXXX)"#
        guard pos + 1 < bytes.count, bytes[pos + 1] != 0x0A, bytes[pos + 1] != 0x0D else {
            throw error("string is not closed on its line (end it with \")")
        }
        let letter = bytes[pos + 1]
        let simple: [UInt8: UInt8] = [0x22: 0x22, 0x5C: 0x5C, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09]
        if let byte = simple[letter] {
            out.append(byte)
            pos += 2
            return
        }
        guard letter == UInt8(ascii: "u") || letter == UInt8(ascii: "U") else {
            throw error("invalid escape \(quoted(pos..<scalarEnd(pos + 1))) in a string \(escapes)")
        }
        let width = letter == UInt8(ascii: "u") ? 4 : 8
        let start = pos + 2
        var end = start
        while end < bytes.count, end - start < width, hexValue(bytes[end]) != nil { end += 1 }
        let escape = quoted(pos..<end)
        guard end - start == width else {
            throw error("invalid escape \(escape) in a string (\\u takes 4 hex digits, \\U takes 8)")
        }
        let value = bytes[start..<end].reduce(UInt32(0)) { $0 << 4 | UInt32(hexValue($1)!) }
        guard let scalar = Unicode.Scalar(value) else {
            throw error("invalid escape \(escape) in a string (it is not a Unicode scalar value)")
        }
        out.append(contentsOf: String(Character(scalar)).utf8)
        pos = end
    }

    private func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }

    // MARK: - Peeking

    /// What kind of value starts at `pos`, without reading it.
    private func peekValue(inArray: Bool) -> Found {
        guard pos < bytes.count else { return .missing }
        switch bytes[pos] {
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#"): return .missing
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return .string
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "{"): return .inlineTable
        default:
            var stops: [UInt8] = [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "#")]
            if inArray { stops += [UInt8(ascii: ","), UInt8(ascii: "]")] }
            var end = pos
            while end < bytes.count, !stops.contains(bytes[end]) { end += 1 }
            return .bare(pos..<end)
        }
    }

    private func describe(_ found: Found) -> String {
        switch found {
        case .string: "a string"
        case .array: "an array"
        case .inlineTable: "an inline table"
        case .missing: "nothing"
        case .bare(let range): quoted(range)
        }
    }

    private func mismatch(_ key: String, _ want: Want, _ found: Found) -> SecretsError {
        if case .missing = found {
            return error("missing value after '\(key) =' (e.g. \(Self.example(key)))")
        }
        return error("\(key) must be \(want.phrase), not \(describe(found)) (e.g. \(Self.example(key)))")
    }
}
