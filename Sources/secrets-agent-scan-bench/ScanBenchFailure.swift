/// Why the benchmark could not produce trustworthy figures: the run stops (after cleanup)
/// with exit status 1. A missed target is not a failure.
struct ScanBenchFailure: Error, Sendable, CustomStringConvertible {
    /// One lower-case line: what failed, why, and what to do.
    let message: String

    init(_ message: String) { self.message = message }

    var description: String { message }
}
