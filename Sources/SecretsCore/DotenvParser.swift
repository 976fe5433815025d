/// Reads a dotenv file: `KEY=VALUE` lines, as `secrets-agent import` takes them.
///
/// The grammar, line by line (a line ends at LF; CRLF counts as LF everywhere):
/// - blank lines and lines whose first non-blank character is `#` are skipped;
/// - an entry is `[export ]KEY=VALUE` with optional spaces or tabs around `KEY` and `=`;
///   `KEY` is one or more of `A-Z a-z 0-9 _ . / -`;
/// - `"VALUE"`: double quotes; `\n`, `\t`, `\r`, `\"` and `\\` are escapes, any other
///   backslash stays as it is; the value may span lines;
/// - `'VALUE'`: single quotes, no escapes at all; the value may span lines;
/// - after a closing quote only blanks and a `# comment` may follow on that line;
/// - an unquoted value runs to the end of the line; a `#` preceded by a space or tab starts
///   a comment, a `#` anywhere else (`a#b`, `=#b`) is part of the value; surrounding
///   blanks are trimmed;
/// - nothing is interpolated (`$VAR` is kept as it is);
/// - a key given twice is an error naming both lines.
///
/// Error messages name a line and, where one was read, the key; never a value, and never
/// text from a line that did not parse (it might be a pasted secret).
public enum DotenvParser {
    /// Parses `input`, decoding every value into `output`.
    ///
    /// - Parameter output: where values are written; at least `input.count` bytes.
    /// - Returns: the entries in file order, each with its value's range in `output`.
    /// - Throws: `.invalidArgument("line N: ...")` for a line that is not `KEY=VALUE`, a
    ///   quote that is never closed, text after a closing quote, or a duplicate key.
    public static func parse(_ input: UnsafeRawBufferPointer,
                             into output: UnsafeMutableRawBufferPointer) throws(SecretsError) -> [ImportEntry] {
        ImportText.checkCapacity(input: input.count, output: output.count)
        var reader = Reader(input: input, output: output)
        var entries: [ImportEntry] = []
        var seen: [String: Int] = [:]
        while let entry = try reader.nextEntry() {
            try ImportText.checkDuplicate(entry.key, line: entry.line, seen: &seen)
            entries.append(entry)
        }
        return entries
    }

    /// `parse` over an array, with values copied out (for tests and tools; the CLI keeps
    /// values in locked memory with `parse(_:into:)`).
    public static func parse(_ bytes: [UInt8]) throws(SecretsError) -> [(key: String, line: Int, value: [UInt8])] {
        try ImportText.copyingValues(bytes) { (input, output) throws(SecretsError) in try parse(input, into: output) }
    }

    /// `A-Z a-z 0-9 _ . / -`.
    static func isKeyByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == 0x5F || b == 0x2E || b == 0x2F || b == 0x2D
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

        private var atEnd: Bool { i >= input.count }
        private func peek(_ offset: Int = 0) -> UInt8? { i + offset < input.count ? input[i + offset] : nil }
        private static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

        /// Whether a line break (LF, CRLF, or CR at the very end) starts at `i`.
        private var atLineBreak: Bool {
            guard let b = peek() else { return true }
            return b == 0x0A || (b == 0x0D && (peek(1) == nil || peek(1) == 0x0A))
        }

        private mutating func skipBlanks() -> Bool {
            let start = i
            while let b = peek(), Self.isBlank(b) { i += 1 }
            return i > start
        }

        /// Moves to the start of the next line.
        private mutating func skipLine() {
            while !atEnd, !atLineBreak { i += 1 }
            if peek() == 0x0D { i += 1 }
            if peek() == 0x0A { i += 1 }
            line += 1
        }

        mutating func nextEntry() throws(SecretsError) -> ImportEntry? {
            while true {
                _ = skipBlanks()
                if atEnd { return nil }
                if atLineBreak || peek() == 0x23 {
                    skipLine()
                    continue
                }
                return try entry()
            }
        }

        private mutating func entry() throws(SecretsError) -> ImportEntry {
            let startLine = line
            if input.count - i > 6, Array(input[i..<(i + 6)]) == Array("export".utf8), Self.isBlank(input[i + 6]) {
                i += 6
                _ = skipBlanks()
            }
            let keyStart = i
            while let b = peek(), DotenvParser.isKeyByte(b) { i += 1 }
            let key = String(decoding: input[keyStart..<i], as: UTF8.self)
            _ = skipBlanks()
            guard i > keyStart, peek() == 0x3D else {
                throw .invalidArgument("line \(startLine): expected KEY=VALUE (a line holds KEY=VALUE, a # comment or nothing)")
            }
            i += 1
            let blankBefore = skipBlanks()
            let valueStart = written
            switch peek() {
            case 0x22, 0x27:
                try quoted(key: key, startLine: startLine)
            default:
                unquoted(blankBefore: blankBefore)
            }
            return ImportEntry(key: key, line: startLine, value: valueStart..<written)
        }

        private mutating func emit(_ b: UInt8) {
            output[written] = b
            written += 1
        }

        private mutating func quoted(key: String, startLine: Int) throws(SecretsError) {
            let quote = input[i]
            i += 1
            var closed = false
            while let b = peek() {
                if b == quote {
                    i += 1
                    closed = true
                    break
                }
                if b == 0x0D, peek(1) == 0x0A {
                    emit(0x0A)
                    i += 2
                    line += 1
                    continue
                }
                if b == 0x0A { line += 1 }
                if quote == 0x22, b == 0x5C, let escaped = peek(1) {
                    let decoded: UInt8? = switch escaped {
                    case 0x6E: 0x0A  // \n
                    case 0x74: 0x09  // \t
                    case 0x72: 0x0D  // \r
                    case 0x22: 0x22  // \"
                    case 0x5C: 0x5C  // \\
                    default: nil
                    }
                    if let decoded {
                        emit(decoded)
                        i += 2
                        continue
                    }
                }
                emit(b)
                i += 1
            }
            guard closed else {
                throw .invalidArgument("line \(startLine): the value of \(SecretName.quoted(key)) opens a quote that is never closed (add the closing quote)")
            }
            _ = skipBlanks()
            if peek() == 0x23 {
                while !atLineBreak { i += 1 }
            }
            guard atLineBreak else {
                throw .invalidArgument("line \(line): unexpected text after the closing quote of \(SecretName.quoted(key)) (quote the whole value, and put a blank before a # comment)")
            }
        }

        private mutating func unquoted(blankBefore: Bool) {
            let start = i
            var end = i
            var previousBlank = blankBefore
            while !atLineBreak {
                let b = input[i]
                if b == 0x23, previousBlank { break }
                previousBlank = Self.isBlank(b)
                i += 1
                end = i
            }
            while end > start, Self.isBlank(input[end - 1]) { end -= 1 }
            for index in start..<end { emit(input[index]) }
            while !atLineBreak { i += 1 }  // the comment
        }
    }
}
