/// A pattern over secret names, as a policy's `secrets` list holds them (DESIGN §6).
///
/// `*` matches any run of characters within one `/`-separated segment, `**` any run at
/// all, `/` included (both may match nothing); every other character matches itself.
/// So `openai/*` matches `openai/key` but not `openai/a/b`, and `db/**` matches `db/a`
/// and `db/a/b/c`.
public struct NameGlob: Hashable, Sendable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    private let tokens: [Token]

    /// The rule, as shown in error messages.
    public static let rule = "globs are 1-255 characters of A-Z a-z 0-9 _ . / - and *, where * stays within a '/' segment, ** crosses them, and *** is not allowed"

    private enum Token: Hashable, Sendable {
        case byte(UInt8)
        case star        // `*`: any run without `/`
        case doubleStar  // `**`: any run
    }

    /// - Throws: `SecretsError` `.invalidArgument` naming the rule when `pattern` is
    ///   empty, longer than 255 bytes, holds a character that cannot occur in a secret
    ///   name, or holds three or more `*` in a row.
    public init(_ pattern: String) throws(SecretsError) {
        func reject(_ why: String) -> SecretsError {
            .invalidArgument("invalid secret glob \(SecretName.quoted(pattern)): \(why) (\(NameGlob.rule))")
        }
        let bytes = Array(pattern.utf8)
        guard !bytes.isEmpty else { throw reject("empty") }
        guard bytes.count <= 255 else { throw reject("longer than 255 characters") }
        for scalar in pattern.unicodeScalars {
            let allowed = scalar.isASCII && NameGlob.isPatternByte(UInt8(scalar.value))
            if !allowed { throw reject("character \(SecretName.quoted(String(scalar))) is not allowed") }
        }
        var tokens: [Token] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "*") else {
                tokens.append(.byte(bytes[index]))
                index += 1
                continue
            }
            var run = 0
            while index < bytes.count, bytes[index] == UInt8(ascii: "*") { run += 1; index += 1 }
            guard run <= 2 else { throw reject("'***' is not allowed") }
            tokens.append(run == 1 ? .star : .doubleStar)
        }
        self.pattern = pattern
        self.tokens = tokens
    }

    /// Whether `name` matches the whole pattern. Takes time proportional to the pattern's
    /// length times the name's, whatever the pattern: no backtracking blowup.
    public func matches(_ name: String) -> Bool {
        let text = Array(name.utf8)
        let slash = UInt8(ascii: "/")
        // reach[j]: the tokens so far can match exactly text[0..<j].
        var reach = [Bool](repeating: false, count: text.count + 1)
        reach[0] = true
        var next = reach
        for token in tokens {
            switch token {
            case .byte(let byte):
                next[0] = false
                for j in 0..<text.count { next[j + 1] = reach[j] && text[j] == byte }
            case .star:
                next[0] = reach[0]
                for j in 0..<text.count { next[j + 1] = reach[j + 1] || (next[j] && text[j] != slash) }
            case .doubleStar:
                next[0] = reach[0]
                for j in 0..<text.count { next[j + 1] = reach[j + 1] || next[j] }
            }
            swap(&reach, &next)
            if !reach.contains(true) { return false }
        }
        return reach[text.count]
    }

    /// The pattern as written.
    public var description: String { pattern }

    private static func isPatternByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == 0x5F || b == 0x2E || b == 0x2F || b == 0x2D || b == 0x2A
    }
}
