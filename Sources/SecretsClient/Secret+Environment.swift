#if canImport(Glibc)
import Glibc
#endif
import SecretsCrypto
internal import Synchronization

extension Secret {
    /// Whether this process has printed the deprecation warning of `fromEnvironment(_:)`.
    private static let environmentWarningPrinted = Mutex(false)

    /// Loads a secret from an environment variable, with leading and trailing ASCII
    /// whitespace trimmed. Deprecated: the value leaks into every child process,
    /// `/proc/PID/environ` and crash reports.
    ///
    /// The first call in a process prints one line to standard error:
    /// `secrets-agent: warning: reading secret from environment variable NAME is deprecated
    /// (use a systemd credential or a 0600 file)`. It names the variable, never the value.
    /// The variable is left set.
    ///
    /// - Throws: `LoaderError` with kind `.environmentVariableUnset` when the variable is
    ///   missing, empty or only whitespace, `.invalidArgument` when `variable` is empty or
    ///   contains `=` or NUL.
    @available(*, deprecated, message: "environment variables leak into child processes, /proc/PID/environ and crash reports; use Secret.fromSystemdCredential or Secret.load(fromFile:)")
    public static func fromEnvironment(_ variable: String) throws(LoaderError) -> Secret {
        guard !variable.isEmpty, !variable.utf8.contains(UInt8(ascii: "=")), !variable.utf8.contains(0) else {
            throw LoaderError(.invalidArgument, "cannot load secret from environment variable \(variable): not a variable name (give a name such as API_TOKEN)")
        }
        warnOnce(variable)
        let what = "cannot load secret from environment variable \(variable)"
        guard let raw = getenv(variable) else {
            throw LoaderError(.environmentVariableUnset, "\(what): it is not set (set it, or better use a systemd credential or a 0600 file)")
        }
        let bytes = SecureBytes(copying: UnsafeRawBufferPointer(start: raw, count: strlen(raw)))
        guard let trimmed = bytes.trimmingASCIIWhitespace() else {
            throw LoaderError(.environmentVariableUnset, "\(what): it is empty (set it, or better use a systemd credential or a 0600 file)")
        }
        if trimmed !== bytes {
            bytes.withUnsafeMutableBytes { SecretStorage.wipe($0) }
        }
        return Secret(trimmed)
    }

    private static func warnOnce(_ variable: String) {
        let first = environmentWarningPrinted.withLock { printed in
            defer { printed = true }
            return !printed
        }
        guard first else { return }
        let line = "secrets-agent: warning: reading secret from environment variable \(variable) is deprecated (use a systemd credential or a 0600 file)\n"
        Array(line.utf8).withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(2, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                offset += n
            }
        }
    }

    /// For tests only: lets the next `fromEnvironment(_:)` call print the warning again.
    static func resetEnvironmentWarning() {
        environmentWarningPrinted.withLock { $0 = false }
    }
}
