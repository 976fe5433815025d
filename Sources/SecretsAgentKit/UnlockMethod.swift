import SecretsCore
import SecretsCrypto

/// The secret that opens one keyslot, as read by the CLI from a file, the tty or
/// `$CREDENTIALS_DIRECTORY`.
public enum UnlockMethod: Sendable {
    /// A passphrase, used as is (Argon2id stretches it).
    case passphrase(SecureBytes)
    /// The contents of a key file: 64 hex characters.
    case keyFile(SecureBytes)
    /// The contents of a systemd credential holding a key file.
    case systemdCredential(SecureBytes)

    /// The keyslot kind this method opens, as stored.
    public var slotKind: String {
        switch self {
        case .passphrase: "passphrase"
        case .keyFile: "key-file"
        case .systemdCredential: "systemd-credential"
        }
    }
}
