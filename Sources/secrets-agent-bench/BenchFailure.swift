/// Why the benchmark could not produce trustworthy figures. A failure stops the run (after
/// cleanup) with a non-zero exit; a missed performance target is not a failure.
struct BenchFailure: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, which decides the exit status.
    enum Kind: Sendable {
        /// The agent, the echo server, a socket or a thread could not be set up (exit 1).
        case setup
        /// The agent answered a get with bytes other than the value put (exit 7, as
        /// DESIGN §11's integrity failure).
        case wrongValue
    }

    let kind: Kind
    /// One lower-case line: what failed, why, and what to do. Never holds a value.
    let message: String

    static func setup(_ message: String) -> BenchFailure { BenchFailure(kind: .setup, message: message) }
    static func wrongValue(_ message: String) -> BenchFailure { BenchFailure(kind: .wrongValue, message: message) }

    /// The process exit status for this failure.
    var exitStatus: Int32 {
        switch kind {
        case .setup: 1
        case .wrongValue: 7
        }
    }

    var description: String { message }
}
