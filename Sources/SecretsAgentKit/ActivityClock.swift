import Synchronization

/// When the agent last served a request, for `--idle-lock`.
final class ActivityClock: Sendable {
    private let lastUnixMs = Atomic<Int64>(0)

    init() { touch() }

    func touch() { lastUnixMs.store(Clock.nowUnixMs(), ordering: .relaxed) }

    /// Milliseconds since the last request.
    var idleMs: Int64 { Clock.nowUnixMs() - lastUnixMs.load(ordering: .relaxed) }
}
