#if canImport(Glibc)
import Glibc
#endif
import SecretsCore

/// What `exec` does to its child when an injected secret is rotated.
public enum OnChange: Sendable, Equatable {
    /// Nothing (the default): the child keeps what it was started with.
    case none
    /// Rewrite the files, then stop the child gracefully (TERM, then KILL after a
    /// timeout) and start it again with the new values.
    case restart
    /// Rewrite the files, then send the child this signal so it re-reads them.
    case signal(Int32)

    /// Parses `restart`, `none` or `signal:NAME` (`signal:USR1`, `signal:SIGHUP`, `signal:10`).
    public init(parsing text: String) throws(SecretsError) {
        switch text {
        case "none": self = .none
        case "restart": self = .restart
        default:
            guard text.hasPrefix("signal:"), let number = OnChange.signalNumber(String(text.dropFirst(7))) else {
                throw .invalidArgument("--on-change \(text): expected restart, none or signal:NAME (e.g. signal:HUP or signal:USR1)")
            }
            self = .signal(number)
        }
    }

    static let signalNames: [String: Int32] = [
        "HUP": SIGHUP, "INT": SIGINT, "QUIT": SIGQUIT, "TERM": SIGTERM, "USR1": SIGUSR1, "USR2": SIGUSR2,
        "WINCH": SIGWINCH, "ALRM": SIGALRM, "CONT": SIGCONT,
    ]

    static func signalNumber(_ text: String) -> Int32? {
        let name = text.hasPrefix("SIG") ? String(text.dropFirst(3)) : text
        if let number = signalNames[name.uppercased()] { return number }
        if let number = Int32(text), (1...64).contains(number) { return number }
        return nil
    }
}
