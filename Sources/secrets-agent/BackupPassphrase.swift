import SecretsCore
import SecretsCrypto

/// The passphrase of an encrypted backup: from `--passphrase-file` (owner-only, like an
/// unlock passphrase file), else asked on the terminal without echo (twice when it is new).
enum BackupPassphrase {
    static func read(file: String?, confirm: Bool) throws(SecretsError) -> SecureBytes {
        if let file { return try PassphraseFile.read(file) }
        let first = try Terminal.promptPassphrase("backup passphrase: ")
        guard confirm else { return first }
        let second = try Terminal.promptPassphrase("backup passphrase again: ")
        let same = first.withUnsafeBytes { a in second.withUnsafeBytes { b in a.count == b.count && ConstantTime.equals(a, b) } }
        guard same else { throw .invalidArgument("the passphrases differ (run the command again)") }
        return first
    }
}
