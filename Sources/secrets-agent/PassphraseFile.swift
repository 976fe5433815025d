import SecretsAgentKit
import SecretsCore
import SecretsCrypto

/// A passphrase kept in a file: read like a key file (owner only), one trailing newline dropped.
enum PassphraseFile {
    static func read(_ path: String) throws(SecretsError) -> SecureBytes {
        let contents = try KeyMaterialFile.read(path)
        let length = contents.withUnsafeBytes { raw -> Int in
            var n = raw.count
            if n > 0 && raw[n - 1] == 0x0A { n -= 1 }
            if n > 0 && raw[n - 1] == 0x0D { n -= 1 }
            return n
        }
        guard length > 0 else { throw .invalidArgument("cannot read \(path): the passphrase is empty") }
        return contents.withUnsafeBytes { SecureBytes(copying: UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
    }
}
