/// A text with `{{ secret "NAME" }}` and `{{ secret "NAME" env="E" }}` references, as
/// `secrets-agent inject` renders it (DESIGN §8, §12).
///
/// Everything outside a tag is copied byte for byte, including lone `{`, `}` and `}}`. A tag
/// is `{{`, optional spaces or tabs, `secret`, at least one space or tab, a double-quoted
/// name, optionally at least one space or tab then `env=` and a double-quoted environment,
/// optional spaces or tabs, and `}}`, all on one line. Names and environments follow
/// `SecretName` and `Environment`; strings have no escapes (neither may hold `"` or `\`).
/// There is no other template feature: anything else starting with `{{` is an error.
///
/// The template text is not secret; a rendered template is, and must never be logged.
public struct Template: Sendable {
    /// A secret a template refers to: its name, and the environment its tag names (nil: the
    /// caller's default). Two tags with the same name and `env=` are one reference.
    public struct Reference: Hashable, Sendable, CustomStringConvertible {
        /// A valid `SecretName`'s raw value.
        public let name: String
        /// A valid `Environment`'s raw value, or nil when the tag has no `env=`.
        public let environment: String?

        /// A reference; `parse` only makes ones whose name and environment are valid.
        public init(name: String, environment: String? = nil) {
            self.name = name
            self.environment = environment
        }

        /// The tag that writes this reference, e.g. `{{ secret "db/pass" env="production" }}`.
        public var description: String {
            "{{ secret \"\(name)\"" + (environment.map { " env=\"\($0)\"" } ?? "") + " }}"
        }
    }

    /// One piece of the output, in order.
    enum Part: Sendable, Equatable {
        /// Literal text: this range of `text`.
        case text(Range<Int>)
        /// The value of `references[index]`.
        case reference(Int)
    }

    /// The distinct references, in order of first appearance.
    public private(set) var references: [Reference]
    let text: [UInt8]
    let parts: [Part]

    /// Reads a template.
    /// - Throws: `.invalidArgument("template line L, column C: <what> (<fix>)")` for the first
    ///   problem, lines and columns from 1, columns in bytes: a `{{` that does not start a
    ///   `secret` tag, an unterminated tag or string, a newline inside a tag, an unknown or
    ///   repeated key, a missing space or `}}`, an invalid name or environment.
    public static func parse(_ text: [UInt8]) throws(SecretsError) -> Template {
        var parser = Parser(text)
        try parser.parse()
        return Template(references: parser.references, text: text, parts: parser.parts)
    }

    /// Walks the output in order: `text` gets each run of literal template text, `value` the
    /// index in `references` of each tag. A caller writing both into one buffer (sized with
    /// `renderedCount(valueCount:)`) copies every value exactly once.
    public func render(text: (ArraySlice<UInt8>) throws -> Void, value: (Int) throws -> Void) rethrows {
        for part in parts {
            switch part {
            case .text(let range): try text(self.text[range])
            case .reference(let index): try value(index)
            }
        }
    }

    /// The rendered size when `references[i]` renders as `valueCount(i)` bytes, or nil when
    /// that does not fit in an `Int`.
    public func renderedCount(valueCount: (Int) -> Int) -> Int? {
        var total = 0
        for part in parts {
            let count = switch part {
            case .text(let range): range.count
            case .reference(let index): valueCount(index)
            }
            let (sum, overflow) = total.addingReportingOverflow(count)
            if overflow { return nil }
            total = sum
        }
        return total
    }

    /// The rendered template in an ordinary array, `value` being asked once per reference.
    /// The array is not wiped: for tests and for values that are not secret. `inject`
    /// renders into locked memory with `render(text:value:)`.
    public func render(_ value: (Reference) -> [UInt8]) -> [UInt8] {
        let values = references.map(value)
        var output: [UInt8] = []
        output.reserveCapacity(renderedCount { values[$0].count } ?? 0)
        render(text: { output += $0 }, value: { output += values[$0] })
        return output
    }
}

extension Template {
    /// One pass over the bytes, no recursion; the first problem is thrown.
    struct Parser {
        static let expectedSecret = #"expected "secret" after "{{" (only {{ secret "NAME" }} and {{ secret "NAME" env="E" }} are supported)"#

        let bytes: [UInt8]
        var references: [Reference] = []
        var parts: [Part] = []
        private var indexOf: [Reference: Int] = [:]

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func parse() throws(SecretsError) {
            let open = UInt8(ascii: "{")
            var textStart = 0
            var pos = 0
            while let brace = bytes[pos...].firstIndex(of: open) {
                guard brace + 1 < bytes.count, bytes[brace + 1] == open else {
                    pos = brace + 1
                    continue
                }
                if textStart < brace { parts.append(.text(textStart..<brace)) }
                let (reference, end) = try tag(at: brace)
                if let known = indexOf[reference] {
                    parts.append(.reference(known))
                } else {
                    indexOf[reference] = references.count
                    parts.append(.reference(references.count))
                    references.append(reference)
                }
                pos = end
                textStart = end
            }
            if textStart < bytes.count { parts.append(.text(textStart..<bytes.count)) }
        }

        /// The tag whose `{{` is at `start`, and the index just past its `}}`.
        private func tag(at start: Int) throws(SecretsError) -> (Reference, Int) {
            var pos = skipBlanks(start + 2)
            let keyword = word(at: pos)
            guard bytes[keyword].elementsEqual("secret".utf8) else {
                throw keyword.isEmpty ? unexpected(at: pos, tag: start, Self.expectedSecret) : error(at: pos, Self.expectedSecret)
            }
            pos = keyword.upperBound
            guard pos < bytes.count, isBlank(bytes[pos]) else {
                throw unexpected(at: pos, tag: start, #"expected a space after "secret""#)
            }
            pos = skipBlanks(pos)
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                throw unexpected(at: pos, tag: start, #"expected a double-quoted secret name after "secret" (e.g. {{ secret "db/password" }})"#)
            }
            let (name, nameEnd) = try string(at: pos, what: "name")
            do { _ = try SecretName(name) } catch { throw self.error(at: pos, error.message) }
            pos = nameEnd
            var environment: String?
            while true {
                let keyStart = skipBlanks(pos)
                if bytes[keyStart...].starts(with: [UInt8(ascii: "}"), UInt8(ascii: "}")]) {
                    return (Reference(name: name, environment: environment), keyStart + 2)
                }
                let key = word(at: keyStart)
                guard !key.isEmpty else {
                    throw unexpected(at: keyStart, tag: start, #"expected "}}" to close the tag, or env="E""#)
                }
                let keyName = String(decoding: bytes[key], as: UTF8.self)
                guard keyStart > pos else {
                    throw error(at: keyStart, "expected a space before \(SecretName.quoted(keyName))")
                }
                guard keyName == "env" else {
                    throw error(at: keyStart, #"unknown key \#(SecretName.quoted(keyName)) (a tag takes only env="E")"#)
                }
                guard environment == nil else {
                    throw error(at: keyStart, #"env= is given twice (a tag names one environment)"#)
                }
                pos = key.upperBound
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "=") else {
                    throw unexpected(at: pos, tag: start, #"expected "=" right after env (write env="E")"#)
                }
                pos += 1
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                    throw unexpected(at: pos, tag: start, #"expected a double-quoted environment after env= (e.g. env="production")"#)
                }
                let (raw, end) = try string(at: pos, what: "environment")
                do { _ = try Environment(raw) } catch { throw self.error(at: pos, error.message) }
                environment = raw
                pos = end
            }
        }

        /// The contents of the string whose opening quote is at `quote`, and the index past
        /// its closing quote.
        private func string(at quote: Int, what: String) throws(SecretsError) -> (String, Int) {
            var pos = quote + 1
            while pos < bytes.count, bytes[pos] != UInt8(ascii: "\"") {
                guard !isNewline(bytes[pos]) else {
                    throw error(at: quote, #"unterminated string: the \#(what) has no closing '"' on its line"#)
                }
                pos += 1
            }
            guard pos < bytes.count else {
                throw error(at: quote, #"unterminated string: the \#(what) has no closing '"' before the end of the template"#)
            }
            return (String(decoding: bytes[(quote + 1)..<pos], as: UTF8.self), pos + 1)
        }

        /// The error for what is at `pos` when it is not what was `expected`: the end of the
        /// text (an unterminated tag, reported at its `{{`), a newline, or something else.
        private func unexpected(at pos: Int, tag start: Int, _ expected: String) -> SecretsError {
            if pos >= bytes.count {
                return error(at: start, #"unterminated tag: no "}}" before the end of the template"#)
            }
            if isNewline(bytes[pos]) {
                return error(at: pos, #"newline inside a tag (a tag must be on one line, ending with "}}")"#)
            }
            return error(at: pos, expected)
        }

        private func error(at offset: Int, _ what: String) -> SecretsError {
            let lineStart = bytes[..<offset].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
            let line = 1 + bytes[..<lineStart].count(where: { $0 == UInt8(ascii: "\n") })
            return .invalidArgument("template line \(line), column \(offset - lineStart + 1): \(what)")
        }

        /// The run of `A-Z a-z 0-9 _ -` starting at `pos` (empty when there is none).
        private func word(at pos: Int) -> Range<Int> {
            var end = pos
            while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
            return pos..<end
        }

        private func skipBlanks(_ pos: Int) -> Int {
            var pos = pos
            while pos < bytes.count, isBlank(bytes[pos]) { pos += 1 }
            return pos
        }

        private func isBlank(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        private func isNewline(_ b: UInt8) -> Bool { b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") }
        private func isWordByte(_ b: UInt8) -> Bool {
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D
        }
    }
}
