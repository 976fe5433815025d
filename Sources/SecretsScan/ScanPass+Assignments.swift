/// Keyword-anchored rules: a value assigned to a key that names a secret, in env files
/// (`KEY=value`, `export KEY="value"`), YAML (`key: value`), JSON (`"key": "value"`), TOML and
/// code (`key = "value"`, `key: "value"`, `"key" => "value"`, `key := "value"`, a default
/// after `||` or `??`, and a pair of string arguments: `os.environ.get("KEY", "value")`,
/// `os.Setenv("KEY", "value")`). The trigger is the operator (for a pair, the comma): the key
/// is read backwards from it, the value forwards.
extension ScanPass {
    static let maximumKey = 80
    static let maximumValue = 512
    /// A GCP key file's `private_key` value (a PEM with `\n` escapes) may be this long.
    static let maximumPrivateKeyValue = 16384
    static let authorizationSchemes: [StaticString] = ["bearer", "token", "basic"]

    /// A value: its bytes and whether it was quoted.
    struct Value {
        var start: Int
        var end: Int
        let quoted: Bool
    }

    /// The operator (`:` or `=`, or with `pair` the comma after a quoted key) at `i`.
    mutating func assignment(operator i: Int, pair: Bool = false) {
        let following = text.at(i + 1)
        var valueStart = i + 1
        if pair {
            // The value must be a string too.
        } else if text[i] == UInt8(ascii: ":") {
            if following == UInt8(ascii: ":") || text.at(i - 1) == UInt8(ascii: ":") { return }
            if following == UInt8(ascii: "=") { valueStart = i + 2 }
        } else {
            switch text.at(i - 1) {
            case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: ":"),
                 UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"),
                 UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "^"), UInt8(ascii: "~"): return
            default: break
            }
            if following == UInt8(ascii: "=") || following == UInt8(ascii: "~") { return }
            if following == UInt8(ascii: ">") { valueStart = i + 2 }
        }
        guard let key = key(before: i) else { return }
        if pair {
            // The first argument of a call, a key name: `get("KEY", "value")`.
            var open = key.lowerBound - 1
            while open > 0, key.lowerBound - 1 - open < 16, ByteSet.isBlank(text[open - 1]) { open -= 1 }
            guard text.at(open - 1) == UInt8(ascii: "("), text.run(.keyName, from: key.lowerBound, limit: key.count) == key.upperBound
            else { return }
        }
        // An unquoted key's colon is followed by a blank or a quote (YAML needs the blank): not
        // `arn:aws:secretsmanager:…:secret:prod/db`, `secret:value` in a path.
        if !pair, text[i] == UInt8(ascii: ":"), valueStart == i + 1, text.at(key.upperBound) != UInt8(ascii: "\""),
           text.at(key.upperBound) != UInt8(ascii: "'"), !ByteSet.isBlank(following), following != UInt8(ascii: "\""),
           following != UInt8(ascii: "'"), following != UInt8(ascii: "`") {
            return
        }
        var kind = KeyName.classify(text, key)
        guard kind != .none else { return }
        let limit = kind == .privateKey ? ScanPass.maximumPrivateKeyValue : ScanPass.maximumValue
        guard var value = value(at: valueStart, limit: limit), value.quoted || !pair else { return }
        switch kind {
        case .type:
            if text.equals(value.start, value.end, "service_account") { serviceAccountMarkers.append(i) }
            return
        case .privateKey:
            if on(.gcpServiceAccount), value.quoted, text.has("-----BEGIN ", at: value.start) {
                privateKeyValues.append((value.start, value.end))
            }
            return
        case .awsSecret:
            if awsSecretAccessKey(value, key: key) { return }
            kind = KeyName.classify(text, key, aws: false)
        case .authorization, .token:
            // `Bearer <token>`: the token (after the scheme, which an unquoted value stops at).
            guard let scheme = ScanPass.authorizationSchemes.first(where: { text.hasIgnoringCase($0, at: value.start) }) else {
                if kind == .authorization { return }
                break
            }
            let after = value.start + scheme.utf8CodeUnitCount
            guard ByteSet.isBlank(text.at(after)) || after == value.end else {
                if kind == .authorization { return }
                break
            }
            var start = after
            let stop = value.quoted ? value.end : min(text.count, after + 16)
            while start < stop, ByteSet.isBlank(text[start]) { start += 1 }
            if value.quoted {
                value.start = start
            } else {
                let end = next(.valueEnd, from: start)
                guard end - start <= ScanPass.maximumValue else { return }
                value = Value(start: start, end: end, quoted: false)
            }
            kind = .token
        default: break
        }
        let rule: RuleID
        switch kind {
        case .password: rule = .genericPassword
        case .secret: rule = .genericSecret
        case .token: rule = .genericToken
        case .apiKey: rule = .genericAPIKey
        default: return
        }
        guard on(rule), isCredential(value, key: key) else { return }
        add(rule, value.start, value.end)
    }

    /// The key before the operator at `i`: a run of letters, digits, `_` `-` `.`, or a quoted
    /// string (also inside brackets: `config["password"] =`), after at most 16 blanks.
    private func key(before i: Int) -> Range<Int>? {
        var j = i
        while j > 0, i - j < 16, ByteSet.isBlank(text[j - 1]) { j -= 1 }
        guard j > 0 else { return nil }
        if text[j - 1] == UInt8(ascii: "]") { j -= 1 }
        let quote = text.at(j - 1)
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            let close = j - 1
            let stop = max(0, close - ScanPass.maximumKey - 1)
            var k = close
            while k > stop, text[k - 1] != quote, text[k - 1] != 0x0A { k -= 1 }
            guard k > stop, text[k - 1] == quote, k < close else { return nil }
            return k..<close
        }
        let start = text.runBack(.keyName, before: j, limit: ScanPass.maximumKey + 1)
        guard start < j, j - start <= ScanPass.maximumKey else { return nil }
        return start..<j
    }

    /// The value at `p` (after at most 16 blanks): a quoted string closed on the same line,
    /// or bytes up to whitespace, a quote, `,` `;` `&` `)` `]` `}` (unless `||` or `??` and a
    /// quoted default follow them: then the default). At most `limit` bytes.
    private mutating func value(at p: Int, limit: Int) -> Value? {
        var v = p
        while v < text.count, v - p < 16, ByteSet.isBlank(text[v]) { v += 1 }
        guard v < text.count else { return nil }
        let stop: Stop
        switch text[v] {
        case UInt8(ascii: "\""): stop = .doubleQuote
        case UInt8(ascii: "'"): stop = .singleQuote
        case UInt8(ascii: "`"): stop = .backtick
        default:
            let end = next(.valueEnd, from: v)
            guard end > v, end - v <= limit else { return nil }
            // `process.env.KEY || "default"`, `$x ?? 'default'`: the default.
            var w = end
            while w < text.count, w - end < 16, ByteSet.isBlank(text[w]) { w += 1 }
            guard text.has("||", at: w) || text.has("??", at: w), ByteSet.isBlank(text.at(w + 2)) else {
                return Value(start: v, end: end, quoted: false)
            }
            w += 2
            while w < text.count, w - end < 32, ByteSet.isBlank(text[w]) { w += 1 }
            switch text.at(w) {
            case UInt8(ascii: "\""): stop = .doubleQuote
            case UInt8(ascii: "'"): stop = .singleQuote
            default: return Value(start: v, end: end, quoted: false)
            }
            v = w
        }
        let close = next(stop, from: v + 1)
        guard close < text.count, close - (v + 1) <= limit, close < next(.newline, from: v + 1) else { return nil }
        return Value(start: v + 1, end: close, quoted: true)
    }

    /// `aws-secret-access-key`: 40 base64 characters, random, not a documentation example.
    private mutating func awsSecretAccessKey(_ value: Value, key: Range<Int>) -> Bool {
        guard on(.awsSecretAccessKey), value.end - value.start == 40,
              text.run(.base64, from: value.start, limit: 40) == value.end,
              ValueShape.shannon(text, value.start, value.end) >= 3.0,
              !Placeholder.isPlaceholder(text, value.start, value.end, key: key),
              !Placeholder.isDocumentationToken(text, value.start, value.end) else { return false }
        add(.awsSecretAccessKey, value.start, value.end)
        return true
    }

    /// Whether a generic rule's value is a credential: random enough, no placeholder, no
    /// expression (an unquoted value with `(` `[` `{`), no URL (the URL rules read those),
    /// not in the format of a rule of its own (`Placeholder.tokenPrefixes`).
    private func isCredential(_ value: Value, key: Range<Int>) -> Bool {
        let start = value.start, end = value.end
        guard end - start >= 8 else { return false }
        if !value.quoted {
            for k in start..<end {
                switch text[k] {
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): return false
                default: continue
                }
            }
        }
        guard ValueShape.isRandomEnough(text, start, end), !text.containsIgnoringCase(start, end, "://"),
              !Placeholder.hasTokenPrefix(text, start, end),
              !Placeholder.isPlaceholder(text, start, end, key: key) else { return false }
        // A value naming its own key (`DB_PASSWORD=db_password_1`) is a stand-in.
        let word = KeyName.lastWords(text, key).last
        return word.count < 4 || !text.contains(word, in: start..<end)
    }
}
