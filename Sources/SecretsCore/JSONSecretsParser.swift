/// Reads a JSON import file: one object whose leaves are strings.
///
/// `{"openai/key": "sk-...", "db": {"password": "x", "user": "y"}}` gives the keys
/// `openai/key`, `db/password` and `db/user`: a nested object's keys are joined to its
/// own with `/`. A number, boolean, null or array anywhere is an error naming its key path,
/// as is a key path given twice (`{"db": {"password": …}, "db/password": …}`). Strings
/// follow RFC 8259 (all escapes, `\u` surrogate pairs); values are decoded into the
/// caller's buffer, never into a Swift `String`.
public enum JSONSecretsParser {
    /// Deepest nesting accepted.
    public static let maxDepth = 32

    /// Parses `input`, decoding every string value into `output`.
    ///
    /// - Parameter output: where values are written; at least `input.count` bytes.
    /// - Returns: the leaves in file order, each with its value's range in `output`.
    /// - Throws: `.invalidArgument("line N: ...")` for text that is not one JSON object of
    ///   strings (or nested objects), for a non-string leaf, or a duplicate key path.
    public static func parse(_ input: UnsafeRawBufferPointer,
                             into output: UnsafeMutableRawBufferPointer) throws(SecretsError) -> [ImportEntry] {
        ImportText.checkCapacity(input: input.count, output: output.count)
        var reader = Reader(input: input, output: output)
        reader.skipBlanks()
        guard reader.peek() == 0x7B else {
            throw .invalidArgument("line \(reader.line): expected a JSON object of names to string values")
        }
        var entries: [ImportEntry] = []
        var seen: [String: Int] = [:]
        try reader.object(path: "", depth: 1, entries: &entries, seen: &seen)
        reader.skipBlanks()
        guard reader.peek() == nil else {
            throw .invalidArgument("line \(reader.line): unexpected text after the JSON object")
        }
        return entries
    }

    /// `parse` over an array, with values copied out (for tests and tools).
    public static func parse(_ bytes: [UInt8]) throws(SecretsError) -> [(key: String, line: Int, value: [UInt8])] {
        try ImportText.copyingValues(bytes) { (input, output) throws(SecretsError) in try parse(input, into: output) }
    }

    private struct Reader {
        let input: UnsafeRawBufferPointer
        let output: UnsafeMutableRawBufferPointer
        var i = 0
        var line = 1
        var written = 0

        init(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) {
            self.input = input
            self.output = output
        }

        func peek() -> UInt8? { i < input.count ? input[i] : nil }

        mutating func skipBlanks() {
            while let b = peek(), b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
                if b == 0x0A { line += 1 }
                i += 1
            }
        }

        private func fail(_ why: String) -> SecretsError {
            .invalidArgument("line \(line): \(why)")
        }

        /// An object at `i` (on its `{`), its leaves appended under `path`.
        mutating func object(path: String, depth: Int, entries: inout [ImportEntry],
                             seen: inout [String: Int]) throws(SecretsError) {
            guard depth <= JSONSecretsParser.maxDepth else {
                throw fail("objects nest deeper than \(JSONSecretsParser.maxDepth) levels")
            }
            i += 1
            skipBlanks()
            if peek() == 0x7D {
                i += 1
                return
            }
            while true {
                guard peek() == 0x22 else { throw fail("expected a quoted key") }
                var key: [UInt8]? = []
                try string(into: &key)
                let name = String(decoding: key ?? [], as: UTF8.self)
                let full = path.isEmpty ? name : path + "/" + name
                skipBlanks()
                guard peek() == 0x3A else { throw fail("expected ':' after the key \(SecretName.quoted(full))") }
                i += 1
                skipBlanks()
                let keyLine = line
                switch peek() {
                case 0x22:
                    let start = written
                    var toOutput: [UInt8]? = nil
                    try string(into: &toOutput)
                    try ImportText.checkDuplicate(full, line: keyLine, seen: &seen)
                    entries.append(ImportEntry(key: full, line: keyLine, value: start..<written))
                case 0x7B:
                    try object(path: full, depth: depth + 1, entries: &entries, seen: &seen)
                case let b:
                    let kind = switch b {
                    case 0x5B: "an array"
                    case 0x74, 0x66: "a boolean"
                    case 0x6E: "null"
                    case .some(0x2D), .some(0x30...0x39): "a number"
                    default: "not a JSON value"
                    }
                    throw fail("\(SecretName.quoted(full)) is \(kind), not a string (quote the value; only strings and objects are imported)")
                }
                skipBlanks()
                switch peek() {
                case 0x2C:
                    i += 1
                    skipBlanks()
                case 0x7D:
                    i += 1
                    return
                default:
                    throw fail("expected ',' or '}' after the value of \(SecretName.quoted(full))")
                }
            }
        }

        /// Appends a decoded byte to `key`, or to the output when `key` is nil.
        private mutating func emit(_ byte: UInt8, _ key: inout [UInt8]?) {
            if key != nil {
                key!.append(byte)
            } else {
                output[written] = byte
                written += 1
            }
        }

        /// A string at `i` (on its opening quote), decoded into `key` (a key) or, when
        /// `key` is nil, into the output (a value).
        mutating func string(into key: inout [UInt8]?) throws(SecretsError) {
            i += 1
            while true {
                guard let b = peek() else { throw fail("a string is never closed (add the closing quote)") }
                i += 1
                switch b {
                case 0x22:
                    return
                case 0x5C:
                    guard let escaped = peek() else { throw fail("a string is never closed (add the closing quote)") }
                    i += 1
                    switch escaped {
                    case 0x22, 0x5C, 0x2F: emit(escaped, &key)
                    case 0x62: emit(0x08, &key)
                    case 0x66: emit(0x0C, &key)
                    case 0x6E: emit(0x0A, &key)
                    case 0x72: emit(0x0D, &key)
                    case 0x74: emit(0x09, &key)
                    case 0x75: try unicodeEscape(&key)
                    default: throw fail("a string holds an invalid escape (JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
                    }
                case 0x00..<0x20:
                    throw fail("a string holds a raw control character (write it as an escape such as \\n)")
                default:
                    emit(b, &key)
                }
            }
        }

        /// The `XXXX` of `\uXXXX` (and a low surrogate's `\uXXXX` after a high one), as UTF-8.
        private mutating func unicodeEscape(_ key: inout [UInt8]?) throws(SecretsError) {
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard peek() == 0x5C, i + 1 < input.count, input[i + 1] == 0x75 else {
                    throw fail("a string holds an unpaired \\u surrogate")
                }
                i += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw fail("a string holds an unpaired \\u surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw fail("a string holds an unpaired \\u surrogate")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw fail("a string holds an invalid \\u escape") }
            for byte in UTF8.encode(unicode)! { emit(byte, &key) }
        }

        private mutating func hex4() throws(SecretsError) -> UInt32 {
            guard i + 4 <= input.count else { throw fail("a string holds an invalid \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let b = input[i]
                let digit: UInt32
                switch b {
                case 0x30...0x39: digit = UInt32(b - 0x30)
                case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
                default: throw fail("a string holds an invalid \\u escape")
                }
                value = value << 4 | digit
                i += 1
            }
            return value
        }
    }
}
