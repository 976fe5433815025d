/// A systemd unit name, validated as systemd's `unit_name_is_valid` does: at most 255
/// bytes of `A-Z a-z 0-9 : _ . \ @ -`, a non-empty prefix, and a suffix naming a unit type
/// (`.service`, `.socket`, ...). Plain (`web.service`) and instance (`worker@1.service`)
/// names are accepted; a template (`worker@.service`) is not, because a unit that asks for
/// a credential is always a plain unit or an instance.
public struct UnitName: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// The unit types systemd knows, as they appear after the last `.`.
    public static let types: Set<String> = [
        "service", "socket", "target", "device", "mount", "automount", "swap", "timer", "path", "slice", "scope",
    ]

    /// The rule, as shown in error messages.
    public static let rule = #"unit names are 1-255 characters of A-Z a-z 0-9 : _ . \ @ -, end in a unit type such as .service, and name one unit, not a template"#

    /// - Throws: `SecretsError` `.invalidArgument` naming the rule.
    public init(_ raw: String) throws(SecretsError) {
        func reject(_ why: String) -> SecretsError {
            .invalidArgument("invalid unit name \(SecretName.quoted(raw)): \(why) (\(UnitName.rule))")
        }
        let bytes = Array(raw.utf8)
        guard !bytes.isEmpty else { throw reject("empty") }
        guard bytes.count <= 255 else { throw reject("longer than 255 characters") }
        for scalar in raw.unicodeScalars where !(scalar.isASCII && UnitName.isNameByte(UInt8(scalar.value))) {
            throw reject("character \(SecretName.quoted(String(scalar))) is not allowed")
        }
        guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")), dot > 0 else {
            throw reject("no unit type suffix")
        }
        let suffix = String(decoding: bytes[(dot + 1)...], as: UTF8.self)
        guard UnitName.types.contains(suffix) else {
            throw reject("\(SecretName.quoted("." + suffix)) is not a unit type")
        }
        let at = bytes[..<dot].firstIndex(of: UInt8(ascii: "@"))
        guard at != 0 else { throw reject("nothing before '@'") }
        guard at.map({ $0 + 1 < dot }) ?? true else {
            throw reject("a template has no instance (name the instance, e.g. worker@1.service)")
        }
        rawValue = raw
    }

    /// `A-Z a-z 0-9 : _ . \ @ -`.
    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == UInt8(ascii: ":") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
            || b == UInt8(ascii: "\\") || b == UInt8(ascii: "@") || b == UInt8(ascii: "-")
    }

    public var description: String { rawValue }
    public static func < (a: UnitName, b: UnitName) -> Bool { a.rawValue < b.rawValue }
}
