import SecretsCore
#if canImport(Glibc)
import Glibc
#endif

/// The one place error codes become exit codes (DESIGN §11).
enum ExitStatus {
    static func code(for code: SecretsError.Code) -> Int32 {
        switch code {
        case .notFound: 3
        case .permissionDenied: 4
        case .locked: 5
        case .unavailable: 6
        case .integrityFailure: 7
        case .alreadyExists, .conflict: 8
        case .invalidArgument: 64
        default: 1
        }
    }

    /// Prints `secrets-agent: <message>` on stderr and exits with the code's status.
    static func fail(_ error: SecretsError) -> Never {
        Terminal.printError("secrets-agent: \(error.message)")
        exit(code(for: error.code))
    }
}
