/// What systemd asks for when a unit's `LoadCredential=ID:/path/to/socket` names an AF_UNIX
/// stream socket: before connecting, systemd binds its end to the abstract address
/// `\0<random hex>/unit/<unit>/<ID>`, so the server learns the unit and the credential from
/// `getpeername` alone, then reads the credential to end of file.
///
/// The credential ID names a secret the way `systemd-escape` writes it: a `/` of the name is
/// written `-`, a literal `-` is written `\x2d`, and any byte may be written `\xNN`. So
/// `db-password` asks for `db/password`, and `my\x2dkey` for `my-key`.
public struct CredentialRequest: Sendable, Equatable {
    /// The unit systemd is loading the credential for.
    public let unit: UnitName
    /// The credential ID as the unit file gives it (escaped).
    public let credentialID: String
    /// The secret the ID names.
    public let secret: SecretName

    /// The longest abstract name `sockaddr_un` holds: `sun_path` less its leading NUL.
    public static let maxNameBytes = 107

    /// Parses the peer's address: the bytes of `sun_path` that `getpeername` reported
    /// (address length less the family), which for an abstract address start with a NUL.
    ///
    /// - Throws: `.invalidArgument` saying what is wrong when the peer is unbound (no bytes),
    ///   bound to a path or an autobind name, longer than `maxNameBytes`, not exactly
    ///   `<1-16 lowercase hex>/unit/<valid unit name>/<ID>`, or when the ID does not unescape
    ///   to a valid secret name.
    public init(peerAddress bytes: [UInt8]) throws(SecretsError) {
        guard let first = bytes.first else {
            throw .invalidArgument("the peer's socket has no address (systemd binds \\0<random>/unit/<unit>/<ID> before it connects)")
        }
        guard first == 0 else {
            throw .invalidArgument("the peer is bound to a path, not an abstract address (only systemd's LoadCredential= is served here)")
        }
        let name = bytes.dropFirst()
        guard name.count <= CredentialRequest.maxNameBytes else {
            throw .invalidArgument("the peer's address is \(name.count) bytes, over the \(CredentialRequest.maxNameBytes) an abstract address holds")
        }
        let parts = name.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        let shown = SecretName.quoted(String(decoding: name, as: UTF8.self))
        guard parts.count == 4, parts[1].elementsEqual("unit".utf8) else {
            throw .invalidArgument("the peer's address \(shown) is not <random>/unit/<unit>/<ID>")
        }
        let isHex = { (b: UInt8) in (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) }
        guard (1...16).contains(parts[0].count), parts[0].allSatisfy(isHex) else {
            throw .invalidArgument("the peer's address \(shown) does not start with 1-16 lowercase hex digits")
        }
        guard !parts[3].contains(0), parts[3].allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw .invalidArgument("the peer's address \(shown) has a credential ID with a byte outside printable ASCII")
        }
        unit = try UnitName(String(decoding: parts[2], as: UTF8.self))
        credentialID = String(decoding: parts[3], as: UTF8.self)
        secret = try CredentialRequest.secretName(credentialID: credentialID)
    }

    /// The secret a credential ID names: `\xNN` becomes the byte NN (either case of hex
    /// digit), `-` becomes `/`, and every other character stands for itself.
    ///
    /// - Throws: `.invalidArgument` when a `\` does not start `\x` and two hex digits, or
    ///   the result is not a valid `SecretName` (e.g. it has a `..` segment).
    public static func secretName(credentialID id: String) throws(SecretsError) -> SecretName {
        let bytes = Array(id.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "-"):
                out.append(UInt8(ascii: "/"))
                index += 1
            case UInt8(ascii: "\\"):
                guard index + 3 < bytes.count,
                      bytes[index + 1] == UInt8(ascii: "x"),
                      let high = hexValue(bytes[index + 2]), let low = hexValue(bytes[index + 3]) else {
                    throw .invalidArgument("credential ID \(SecretName.quoted(id)) has a '\\' that does not start \\xNN (write the name with systemd-escape, e.g. my\\x2dkey for my-key)")
                }
                out.append(high << 4 | low)
                index += 4
            default:
                out.append(bytes[index])
                index += 1
            }
        }
        do {
            return try SecretName(String(decoding: out, as: UTF8.self))
        } catch {
            throw .invalidArgument("credential ID \(SecretName.quoted(id)) does not name a valid secret: \(error.message)")
        }
    }

    /// The credential ID that names `secret`: `systemd-escape` of its name (`/` as `-`, `-`
    /// as `\x2d`; no other character of a name needs escaping).
    public static func credentialID(for secret: SecretName) -> String {
        var out = ""
        for scalar in secret.rawValue.unicodeScalars {
            switch scalar {
            case "/": out += "-"
            case "-": out += "\\x2d"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }
}
