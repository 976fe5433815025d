/// Measuring several runners in alternation: on a shared machine load comes and goes, and a
/// ratio of two figures taken seconds apart measures the neighbours as much as the agent.
/// Alternating in short blocks gives every runner the same conditions.
extension LoadRunner {
    /// One connection per runner; then rounds of `blockSize` timed round trips on each in
    /// turn until each has `samples`, after `warmUp` untimed ones each; then each client's
    /// `finish()`.
    /// - Returns: one `LatencyStats` per runner, in order; the request rate counts only
    ///   the runner's own blocks.
    static func measureLatencies(of runners: [LoadRunner], warmUp: Int, samples: Int,
                                 blockSize: Int) throws(BenchFailure) -> [LatencyStats] {
        var clients: [any RoundTripClient] = []
        for runner in runners { clients.append(try runner.connect()) }
        for client in clients {
            for _ in 0..<warmUp { try client.roundTrip() }
        }
        var times = [[UInt64]](repeating: [], count: runners.count)
        var elapsed = [UInt64](repeating: 0, count: runners.count)
        for index in runners.indices { times[index].reserveCapacity(samples) }
        var done = 0
        while done < samples {
            let block = min(blockSize, samples - done)
            for (index, client) in clients.enumerated() {
                let start = MonotonicClock.nanoseconds()
                try client.timedRoundTrips(block, appendingTo: &times[index])
                elapsed[index] += MonotonicClock.nanoseconds() - start
            }
            done += block
        }
        for client in clients { try client.finish() }
        return runners.indices.map { LatencyStats(samples: times[$0], elapsedNanoseconds: elapsed[$0]) }
    }

    /// `rounds` throughput windows per runner, each `windowNanoseconds / rounds` long, taken
    /// in turn (forwards, then backwards, so drift cancels), with fresh connections each.
    /// - Returns: one combined `Throughput` per runner, in order.
    static func measureThroughputs(of runners: [LoadRunner], clients: Int, warmUp: Int, windowNanoseconds: UInt64,
                                   rounds: Int) throws(BenchFailure) -> [Throughput] {
        var totals = runners.map { _ in Throughput(clients: clients, requests: 0, elapsedNanoseconds: 0) }
        let slice = windowNanoseconds / UInt64(max(rounds, 1))
        for round in 0..<max(rounds, 1) {
            let order = round.isMultiple(of: 2) ? Array(runners.indices) : runners.indices.reversed()
            for index in order {
                let window = try runners[index].measureThroughput(clients: clients, warmUp: warmUp, durationNanoseconds: slice)
                totals[index] = totals[index].adding(window)
            }
        }
        return totals
    }
}
