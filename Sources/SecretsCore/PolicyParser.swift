/// Reads the TOML subset a policy file uses (DESIGN §6), and nothing more: `#` comments,
/// `[[rule]]` headers, and `key = value` lines whose values are basic or literal strings,
/// decimal integers, or arrays of strings (which may span lines).
///
/// The text is untrusted: the parser works in one pass over its bytes without recursion,
/// refuses text over 1 MiB and lines over 64 KiB, and reports the first problem as
/// `.invalidArgument("SOURCE:LINE: <what> (<fix>)")`.
struct PolicyParser {
    static let maxFileBytes = 1 << 20
    static let maxLineBytes = 64 * 1024
    static let keys = ["user", "uid", "group", "gid", "exe", "unit", "role", "environments", "secrets"]

    let bytes: [UInt8]
    let source: String
    /// The next byte to read.
    var pos = 0
    /// The line `pos` is on, from 1.
    var line = 1

    init(_ text: String, source: String) {
        bytes = Array(text.utf8)
        self.source = source
    }

    /// The rules of the text, in order, unresolved.
    mutating func parse() throws(SecretsError) -> [PolicyRule] {
        try checkLimits()
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }  // a UTF-8 byte order mark
        var rules: [PolicyRule] = []
        var draft: Draft?
        while true {
            skipSpaces()
            guard pos < bytes.count else { break }
            switch bytes[pos] {
            case ascii("\n"), ascii("\r"), ascii("#"):
                try endLine()
            case ascii("["):
                if let done = draft { rules.append(try finish(done)) }
                draft = Draft(line: line)
                try parseHeader()
                try endLine(after: "the header")
            default:
                try parseKeyValue(into: &draft)
                try endLine()
            }
        }
        if let done = draft { rules.append(try finish(done)) }
        return rules
    }

    // MARK: - Structure

    /// A rule being read: the keys seen so far.
    struct Draft {
        var rule: PolicyRule
        var hasRole = false
        var seen: Set<String> = []

        init(line: Int) { rule = PolicyRule(line: line, role: .agent) }
    }

    private func finish(_ draft: Draft) throws(SecretsError) -> PolicyRule {
        guard draft.hasRole else {
            throw SecretsError.invalidArgument("\(source):\(draft.rule.line): rule has no role (add role = \"admin\", \"viewer\" or \"agent\")")
        }
        if let unit = draft.rule.unit {
            let at = "\(source):\(draft.rule.line): "
            guard draft.rule.role == .agent else {
                throw SecretsError.invalidArgument(at + "a rule for unit \(unit) has role \"\(draft.rule.role.rawValue)\"; a unit only reads credentials (write role = \"agent\")")
            }
            let peerKeys = ["user", "uid", "group", "gid", "exe"].filter(draft.seen.contains)
            guard peerKeys.isEmpty else {
                throw SecretsError.invalidArgument(at + "a rule for unit \(unit) cannot also have \(peerKeys.joined(separator: ", ")): it matches systemd's LoadCredential= requests for the unit, not a peer (write a separate rule for the peer)")
            }
        }
        return draft.rule
    }

    private func checkLimits() throws(SecretsError) {
        guard bytes.count <= Self.maxFileBytes else {
            throw error(at: 1, "policy is \(bytes.count) bytes, over the 1 MiB limit (a policy needs only a few rules)")
        }
        var lineNumber = 1
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == ascii("\n") {
            if index - start > Self.maxLineBytes { break }
            lineNumber += 1
            start = index + 1
        }
        let end = bytes[start...].firstIndex(of: ascii("\n")) ?? bytes.count
        guard end - start <= Self.maxLineBytes else {
            throw error(at: lineNumber, "line is over the 64 KiB limit (split a long array over several lines)")
        }
    }

    /// `[[rule]]`, with optional spaces inside the brackets as TOML allows.
    private mutating func parseHeader() throws(SecretsError) {
        let start = pos
        var ok = false
        if bytes[pos...].starts(with: [ascii("["), ascii("[")]) {
            pos += 2
            skipSpaces()
            let name = readBareKey()
            skipSpaces()
            if name == "rule" && bytes[pos...].starts(with: [ascii("]"), ascii("]")]) {
                pos += 2
                ok = true
            }
        }
        guard ok else {
            var end = start
            while end < bytes.count, ![ascii("\n"), ascii("\r"), ascii("#")].contains(bytes[end]) { end += 1 }
            while end > start, [ascii(" "), ascii("\t")].contains(bytes[end - 1]) { end -= 1 }
            throw error("unsupported table \(quoted(start..<end)) (a policy has only [[rule]] tables)")
        }
    }

    private mutating func parseKeyValue(into draft: inout Draft?) throws(SecretsError) {
        let first = bytes[pos]
        if first == ascii("\"") || first == ascii("'") {
            throw error("quoted keys are not supported (write the key bare, e.g. role = \"agent\")")
        }
        let key = readBareKey()
        guard !key.isEmpty else {
            throw error("unexpected character \(quotedScalar(at: pos)) (expected a key, a [[rule]] header or a # comment)")
        }
        let mayFollowKey = [ascii(" "), ascii("\t"), ascii("="), ascii("."), ascii("\n"), ascii("\r"), ascii("#")]
        if pos < bytes.count, !mayFollowKey.contains(bytes[pos]) {
            throw error("unexpected character \(quotedScalar(at: pos)) in a key (valid keys: \(Self.keys.joined(separator: ", ")))")
        }
        skipSpaces()
        if pos < bytes.count, bytes[pos] == ascii(".") {
            throw error("dotted keys are not supported (valid keys: \(Self.keys.joined(separator: ", ")))")
        }
        guard pos < bytes.count, bytes[pos] == ascii("=") else {
            throw error("expected '=' after \(SecretName.quoted(key)) (write key = value)")
        }
        pos += 1
        guard Self.keys.contains(key) else {
            throw error("unknown key \(SecretName.quoted(key)) (valid keys: \(Self.keys.joined(separator: ", ")))")
        }
        guard var current = draft else {
            throw error("key \(SecretName.quoted(key)) is outside a rule (start the rule with a [[rule]] line above it)")
        }
        guard current.seen.insert(key).inserted else {
            throw error("duplicate key \(SecretName.quoted(key)) in the rule at line \(current.rule.line) (give each key once per rule)")
        }
        skipSpaces()
        try parseValue(of: key, into: &current)
        draft = current
    }

    /// Spaces, then an optional comment, then the end of the line or of the text.
    private mutating func endLine(after what: String = "the value") throws(SecretsError) {
        skipSpaces()
        guard pos < bytes.count else { return }
        if bytes[pos] == ascii("#") { try skipComment() }
        guard pos < bytes.count else { return }
        switch bytes[pos] {
        case ascii("\n"), ascii("\r"):
            try consumeNewline()
        default:
            let start = pos
            var end = pos
            while end < bytes.count, ![ascii("\n"), ascii("\r"), ascii("#")].contains(bytes[end]) { end += 1 }
            while end > start, [ascii(" "), ascii("\t")].contains(bytes[end - 1]) { end -= 1 }
            throw error("unexpected \(quoted(start..<end)) after \(what) (write one key = value per line; comments start with #)")
        }
    }

    // MARK: - Lexing

    mutating func skipSpaces() {
        while pos < bytes.count, bytes[pos] == ascii(" ") || bytes[pos] == ascii("\t") { pos += 1 }
    }

    /// From `#` to just before the end of the line.
    mutating func skipComment() throws(SecretsError) {
        while pos < bytes.count, bytes[pos] != ascii("\n") {
            let byte = bytes[pos]
            if byte == ascii("\r"), pos + 1 < bytes.count, bytes[pos + 1] == ascii("\n") { return }
            if isControl(byte) {
                throw error("control character \(scalarName(byte)) in a comment (remove it)")
            }
            pos += 1
        }
    }

    /// `\n` or `\r\n`.
    mutating func consumeNewline() throws(SecretsError) {
        if bytes[pos] == ascii("\r") {
            guard pos + 1 < bytes.count, bytes[pos + 1] == ascii("\n") else {
                throw error("carriage return without a line feed (save the file with Unix or Windows line endings)")
            }
            pos += 1
        }
        pos += 1
        line += 1
    }

    /// `A-Z a-z 0-9 _ -`, possibly none.
    mutating func readBareKey() -> String {
        let start = pos
        while pos < bytes.count, isBareKeyByte(bytes[pos]) { pos += 1 }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    func isBareKeyByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D
    }

    /// TOML's forbidden control characters: all but tab below 0x20, and DEL.
    func isControl(_ b: UInt8) -> Bool {
        (b < 0x20 && b != 0x09) || b == 0x7F
    }

    // MARK: - Messages

    func error(_ message: String) -> SecretsError { error(at: line, message) }

    func error(at line: Int, _ message: String) -> SecretsError {
        .invalidArgument("\(source):\(line): \(message)")
    }

    /// Bytes of the text quoted for a message (escaped and truncated).
    func quoted(_ range: Range<Int>) -> String {
        SecretName.quoted(String(decoding: bytes[range], as: UTF8.self))
    }

    /// The whole character starting at `index`, quoted.
    func quotedScalar(at index: Int) -> String {
        quoted(index..<scalarEnd(index))
    }

    /// Just past the UTF-8 sequence starting at `index`.
    func scalarEnd(_ index: Int) -> Int {
        var end = index + 1
        while end < bytes.count, end - index < 4, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return end
    }

    /// `U+0001`.
    func scalarName(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}

private func ascii(_ scalar: Unicode.Scalar) -> UInt8 { UInt8(ascii: scalar) }
