#if canImport(Glibc)
import Glibc
#endif
internal import CShims
import SecretsCore

/// Starting, signalling and reaping the child of `exec` (the wrapper over CShims' fork and
/// execve).
enum ChildProcess {
    /// Where the child's standard streams go.
    struct Streams: Sendable {
        /// -1 inherit, -2 the pseudo-terminal, else a descriptor.
        public var input: Int32 = -1
        public var output: Int32 = -1
        public var error: Int32 = -1
        /// The pseudo-terminal's slave, when any stream is -2.
        public var terminal: Int32 = -1
        public init() {}
    }

    /// How the child ended.
    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)

        /// The shell's convention: the exit code, or 128 + the signal.
        public var exitCode: Int32 {
            switch self {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            }
        }
    }

    /// Finds `command` as a shell would: as given when it contains a `/`, else on `path`.
    /// - Throws: `.notFound`-style `.invalidArgument` naming it.
    static func resolve(_ command: String, path: String?) throws(ExecFailure) -> String {
        if command.contains("/") {
            guard access(command, X_OK) == 0 else { throw ExecFailure(command: command, errno: errno) }
            return command
        }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + command
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        throw ExecFailure(command: command, errno: ENOENT)
    }

    /// Starts `path` with `arguments` (argv[0] included) and `environment`.
    static func spawn(_ path: String, arguments: [String], environment: EnvironmentBlock,
                             streams: Streams) throws(ExecFailure) -> pid_t {
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let pid = environment.withEnvp { envp in
            var envp = envp
            return cshims_spawn(path, &argv, &envp, streams.terminal, streams.input, streams.output, streams.error)
        }
        guard pid > 0 else { throw ExecFailure(command: arguments.first ?? path, errno: errno) }
        return pid
    }

    /// Waits for `pid` to end (retrying on EINTR).
    static func wait(_ pid: pid_t) -> Termination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .exited(1) }
        }
        let signal = status & 0x7F
        if signal == 0 { return .exited((status >> 8) & 0xFF) }
        return .signaled(signal)
    }

    /// Sends `signal` to `pid`; false when it is gone.
    @discardableResult
    static func send(_ signal: Int32, to pid: pid_t) -> Bool {
        kill(pid, signal) == 0
    }
}

/// The child could not be started; exit 127 (not found) or 126 (not executable), as a
/// shell does.
public struct ExecFailure: Error, Sendable {
    public let command: String
    public let errno: Int32

    public var message: String {
        let reason = errno == ENOENT ? "not found" + (command.contains("/") ? "" : " on PATH") : String(cString: strerror(errno)).lowercased()
        return "cannot run \(command): \(reason) (check the command after --)"
    }

    public var exitCode: Int32 { errno == ENOENT ? 127 : 126 }
}
