/// A validated secret name: `[A-Za-z0-9_][A-Za-z0-9_./-]{0,254}`, no `..` segment,
/// no leading `/` (DESIGN §5).
public struct SecretName: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// The rule, as shown in error messages.
    public static let rule = "names are 1-255 characters of A-Z a-z 0-9 _ . / -, start with a letter, digit or _, and have no '..' segment"

    /// - Throws: `SecretsError` `.invalidArgument` naming the rule.
    public init(_ raw: String) throws(SecretsError) {
        let bytes = Array(raw.utf8)
        func reject(_ why: String) -> SecretsError {
            .invalidArgument("invalid secret name \(SecretName.quoted(raw)): \(why) (\(SecretName.rule))")
        }
        guard !bytes.isEmpty else { throw reject("empty") }
        guard bytes.count <= 255 else { throw reject("longer than 255 characters") }
        guard SecretName.isWordByte(bytes[0]) else { throw reject("must start with a letter, digit or _") }
        // One pass over the bytes (this runs on every request): every allowed character is
        // ASCII, and a segment between slashes (or the last one) may not be "..". A bad
        // character is reported before a ".." segment, wherever each occurs.
        var segmentStart = 0
        var hasDotDotSegment = false
        for index in 0...bytes.count {
            let atSeparator = index == bytes.count || bytes[index] == 0x2F
            if index < bytes.count, !SecretName.allowedASCII(bytes[index]) {
                let scalar = raw.unicodeScalars.first { !$0.isASCII || !SecretName.allowedASCII(UInt8($0.value)) }
                throw reject("character \(SecretName.quoted(scalar.map { String($0) } ?? "?")) is not allowed")
            }
            guard atSeparator else { continue }
            if index - segmentStart == 2 && bytes[segmentStart] == 0x2E && bytes[segmentStart + 1] == 0x2E {
                hasDotDotSegment = true
            }
            segmentStart = index + 1
        }
        if hasDotDotSegment { throw reject("'..' segments are not allowed") }
        self.rawValue = raw
    }

    /// A letter, digit or `_`: what a name may start with.
    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
    }

    /// A word byte, `.`, `/` or `-`.
    static func allowedASCII(_ b: UInt8) -> Bool {
        isWordByte(b) || b == 0x2E || b == 0x2F || b == 0x2D
    }

    public var description: String { rawValue }
    public static func < (a: SecretName, b: SecretName) -> Bool { a.rawValue < b.rawValue }

    /// Quotes untrusted text for an error message, escaping control characters and
    /// truncating, so a hostile name cannot forge log lines.
    public static func quoted(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(64) {
            if scalar.value < 0x20 || scalar.value == 0x7F { out += "\\u{\(String(scalar.value, radix: 16))}" }
            else { out.unicodeScalars.append(scalar) }
        }
        return "'" + out + (text.unicodeScalars.count > 64 ? "...'" : "'")
    }
}
