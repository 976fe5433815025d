#if canImport(Glibc)
import Glibc
#endif

extension Secret {
    /// Loads a secret from a file only its owner can read.
    ///
    /// The file is opened without following a final symbolic link and checked with
    /// `fstat` before a byte is read; the contents go straight into locked memory, with
    /// leading and trailing ASCII whitespace (a trailing newline, say) trimmed off.
    ///
    /// - Parameters:
    ///   - path: the file; relative paths are relative to the working directory.
    ///   - root: when given, the file's real path (every link followed) must lie inside
    ///     this directory's real path. A link inside `root` to a file inside `root` is
    ///     fine; without `root`, a link is refused.
    /// - Throws: `LoaderError` with kind
    ///   - `.insecurePermissions`: any group or other permission bit is set
    ///     (`mode 0644 is too open, expected 0600 or 0400 (run: chmod 600 PATH)`);
    ///   - `.invalidPath`: the path is empty or has a `..` component, is a symbolic link
    ///     (no `root`), or resolves outside `root`;
    ///   - `.notFound`: the file or `root` does not exist;
    ///   - `.notRegularFile`: a directory, FIFO, device or socket;
    ///   - `.empty`: the file is empty or holds only whitespace;
    ///   - `.tooLarge`: the file is over `Secret.maxByteCount` (1 MiB);
    ///   - `.io`: the system refused (permission denied), or the file changed while read.
    public static func load(fromFile path: String, root: String? = nil) throws(LoaderError) -> Secret {
        Secret(try SecretFile.read(path, root: root, noun: "secret"))
    }

    /// Loads the systemd credential `name` from `$CREDENTIALS_DIRECTORY` (a unit's
    /// `LoadCredential=name:/path` or `SetCredentialEncrypted=`, or `secrets-agent exec
    /// --files DIR`), with the file rules of `load(fromFile:root:)` and the directory as
    /// root.
    ///
    /// - Throws: `LoaderError` with kind
    ///   - `.invalidArgument`: `name` is empty, `.` or `..`, or contains `/` or NUL;
    ///   - `.credentialsDirectoryUnset`: `$CREDENTIALS_DIRECTORY` is unset or empty;
    ///   - `.credentialsDirectoryRelative`: it is not an absolute path;
    ///   - any kind `load(fromFile:root:)` throws for the file.
    public static func fromSystemdCredential(_ name: String) throws(LoaderError) -> Secret {
        guard !name.isEmpty else {
            throw LoaderError(.invalidArgument, "cannot load credential: the name is empty (give the NAME of LoadCredential=NAME:PATH)")
        }
        // Bytes, not Characters: "/" followed by a combining mark is one Character.
        guard !name.utf8.contains(UInt8(ascii: "/")), !name.utf8.contains(0),
              !name.utf8.elementsEqual(".".utf8), !name.utf8.elementsEqual("..".utf8) else {
            throw LoaderError(.invalidArgument, "cannot load credential \(name): not a credential name (give the NAME of LoadCredential=NAME:PATH, not a path)")
        }
        guard let raw = getenv("CREDENTIALS_DIRECTORY"), raw.pointee != 0 else {
            throw LoaderError(.credentialsDirectoryUnset, "cannot load credential \(name): $CREDENTIALS_DIRECTORY is not set (run under systemd with LoadCredential=, or set CREDENTIALS_DIRECTORY)")
        }
        let directory = String(cString: raw)
        guard directory.utf8.first == UInt8(ascii: "/") else {
            throw LoaderError(.credentialsDirectoryRelative, "cannot load credential \(name): $CREDENTIALS_DIRECTORY is the relative path \(directory) (set it to an absolute path)")
        }
        let separator = directory.utf8.last == UInt8(ascii: "/") ? "" : "/"
        return try load(fromFile: directory + separator + name, root: directory)
    }
}
