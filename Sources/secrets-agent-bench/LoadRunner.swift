import Synchronization

/// One connection's way of doing one request/reply round trip. Created on the thread that
/// uses it (agent clients are not thread-safe) and never shared.
protocol RoundTripClient: AnyObject {
    /// Sends one request and waits for its whole reply, checking what must be checked.
    /// - Throws: `.setup` when the connection fails, `.wrongValue` when the reply is wrong.
    func roundTrip() throws(BenchFailure)

    /// `count` round trips, appending each one's nanoseconds to `times`. The C floor loops
    /// in C; everyone else uses the default, a loop over `roundTrip()`.
    func timedRoundTrips(_ count: Int, appendingTo times: inout [UInt64]) throws(BenchFailure)

    /// Round trips until the monotonic clock reaches `deadline` (at least one).
    /// - Returns: how many, and when the last one ended.
    func roundTrips(until deadline: UInt64) throws(BenchFailure) -> (requests: Int, end: UInt64)

    /// Called once after the last measured round trip, for checks that only make sense at
    /// the end (a writer reads back the last value it wrote). The default does nothing.
    func finish() throws(BenchFailure)
}

extension RoundTripClient {
    func timedRoundTrips(_ count: Int, appendingTo times: inout [UInt64]) throws(BenchFailure) {
        var before = MonotonicClock.nanoseconds()
        for _ in 0..<count {
            try roundTrip()
            let after = MonotonicClock.nanoseconds()
            times.append(after - before)
            before = after
        }
    }

    func roundTrips(until deadline: UInt64) throws(BenchFailure) -> (requests: Int, end: UInt64) {
        var requests = 0
        var now: UInt64
        repeat {
            try roundTrip()
            requests += 1
            now = MonotonicClock.nanoseconds()
        } while now < deadline
        return (requests, now)
    }

    func finish() throws(BenchFailure) {}
}

/// Drives round trips the same way against the floor and against the real agent: latency
/// (one client, one request at a time; see `measureLatencies`) and throughput (N threads,
/// each with its own connection, for a fixed window).
struct LoadRunner: Sendable {
    /// Opens a new connection; called on the thread that will use it.
    let connect: @Sendable () throws(BenchFailure) -> any RoundTripClient

    /// Runs `clients` threads, each with its own connection, as fast as they can for
    /// `durationNanoseconds` after all have connected and done `warmUp` round trips.
    /// - Throws: the first client's failure (a wrong value before a setup failure).
    func measureThroughput(clients: Int, warmUp: Int, durationNanoseconds: UInt64) throws(BenchFailure) -> Throughput {
        let gate = StartGate()
        let outcomes = ClientOutcomes(count: clients)
        let connect = self.connect
        var threads: [BenchThread] = []
        var startFailure: BenchFailure?
        for index in 0..<clients {
            do {
                threads.append(try BenchThread.start {
                    Self.runClient(index: index, connect: connect, warmUp: warmUp,
                                   durationNanoseconds: durationNanoseconds, gate: gate, outcomes: outcomes)
                })
            } catch {
                startFailure = error
                break
            }
        }
        gate.waitForArrivals(threads.count)
        gate.open(proceed: startFailure == nil)
        for thread in threads { thread.join() }
        if let startFailure { throw startFailure }
        return try outcomes.throughput()
    }

    private static func runClient(index: Int, connect: @Sendable () throws(BenchFailure) -> any RoundTripClient,
                                  warmUp: Int, durationNanoseconds: UInt64, gate: StartGate, outcomes: ClientOutcomes) {
        var client: (any RoundTripClient)?
        do {
            let connected = try connect()
            for _ in 0..<warmUp { try connected.roundTrip() }
            client = connected
        } catch {
            outcomes.record(index, .failed(error))
        }
        // Arrive even after a failure, so the runner is never left waiting.
        guard gate.arriveAndWait(), let client else { return }
        let start = MonotonicClock.nanoseconds()
        do {
            let (requests, end) = try client.roundTrips(until: start + durationNanoseconds)
            try client.finish()
            outcomes.record(index, .finished(requests: requests, start: start, end: end))
        } catch {
            outcomes.record(index, .failed(error))
        }
    }
}

/// Per-client result slots of a throughput run, written once by each client thread.
private final class ClientOutcomes: Sendable {
    enum Outcome: Sendable {
        case finished(requests: Int, start: UInt64, end: UInt64)
        case failed(BenchFailure)
    }

    private let slots: Mutex<[Outcome?]>

    init(count: Int) {
        slots = Mutex([Outcome?](repeating: nil, count: count))
    }

    func record(_ index: Int, _ outcome: Outcome) {
        slots.withLock { $0[index] = outcome }
    }

    /// The combined rate, or the most serious failure any client met.
    func throughput() throws(BenchFailure) -> Throughput {
        let all = slots.withLock { $0 }
        var requests = 0
        var firstStart = UInt64.max
        var lastEnd: UInt64 = 0
        var failure: BenchFailure?
        for outcome in all {
            switch outcome {
            case .finished(let count, let start, let end)?:
                requests += count
                firstStart = min(firstStart, start)
                lastEnd = max(lastEnd, end)
            case .failed(let error)?:
                if failure == nil || error.kind == .wrongValue { failure = error }
            case nil:
                if failure == nil { failure = .setup("a load client stopped without a result (see the messages above)") }
            }
        }
        if let failure { throw failure }
        return Throughput(clients: all.count, requests: requests, elapsedNanoseconds: lastEnd - firstStart)
    }
}
