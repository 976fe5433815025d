#if canImport(Glibc)
import Glibc
#endif
import SecretsCore
import SecretsCrypto

/// systemd credentials (`LoadCredential=`, `LoadCredentialEncrypted=`): files named after
/// the credential in `$CREDENTIALS_DIRECTORY`, holding a key file's 64 hex characters.
public enum SystemdCredential {
    /// Reads credential `name`: the directory must be set and absolute, the name a plain file
    /// name, and the file owner-only like any key file.
    /// - Throws: `.invalidArgument` naming what is wrong and how to fix it; `.notFound`.
    public static func read(_ name: String) throws(SecretsError) -> SecureBytes {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw .invalidArgument("invalid credential name '\(name)': it must be a file name in $CREDENTIALS_DIRECTORY, without '/'")
        }
        guard let raw = getenv("CREDENTIALS_DIRECTORY"), raw.pointee != 0 else {
            throw .invalidArgument("cannot read credential \(name): $CREDENTIALS_DIRECTORY is not set (run under systemd with LoadCredential=\(name):PATH)")
        }
        let directory = String(cString: raw)
        guard directory.hasPrefix("/") else {
            throw .invalidArgument("cannot read credential \(name): $CREDENTIALS_DIRECTORY is '\(directory)', not an absolute path")
        }
        return try KeyMaterialFile.read(directory + "/" + name)
    }
}
