/// Round-trip times of one client doing one request after another: percentiles by nearest
/// rank over the sorted samples, and the request rate that single client achieved.
struct LatencyStats: Sendable {
    /// Every sample, in nanoseconds, ascending.
    let sortedNanoseconds: [UInt64]
    /// Wall time of the whole sampled run, for the 1-client request rate.
    let elapsedNanoseconds: UInt64

    init(samples: [UInt64], elapsedNanoseconds: UInt64) {
        precondition(!samples.isEmpty, "latency needs at least one sample")
        sortedNanoseconds = samples.sorted()
        self.elapsedNanoseconds = elapsedNanoseconds
    }

    /// The nearest-rank percentile `fraction` (0.5 for p50, 0.999 for p99.9), in microseconds.
    func percentileMicroseconds(_ fraction: Double) -> Double {
        let count = sortedNanoseconds.count
        let rank = Int((fraction * Double(count)).rounded(.up))
        let index = min(max(rank - 1, 0), count - 1)
        return Double(sortedNanoseconds[index]) / 1_000
    }

    var p50Microseconds: Double { percentileMicroseconds(0.50) }
    var p99Microseconds: Double { percentileMicroseconds(0.99) }
    var p999Microseconds: Double { percentileMicroseconds(0.999) }

    /// Requests per second achieved by this one client.
    var requestsPerSecond: Double {
        Double(sortedNanoseconds.count) * 1_000_000_000 / Double(max(elapsedNanoseconds, 1))
    }
}

/// Requests completed by several concurrent clients in one timed window.
struct Throughput: Sendable {
    let clients: Int
    let requests: Int
    /// From the first client's start to the last client's finish (summed over windows).
    let elapsedNanoseconds: UInt64

    var requestsPerSecond: Double {
        Double(requests) * 1_000_000_000 / Double(max(elapsedNanoseconds, 1))
    }

    /// Two windows of the same clients as one.
    func adding(_ other: Throughput) -> Throughput {
        Throughput(clients: clients, requests: requests + other.requests,
                   elapsedNanoseconds: elapsedNanoseconds + other.elapsedNanoseconds)
    }
}
