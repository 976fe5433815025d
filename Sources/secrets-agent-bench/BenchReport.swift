import Foundation

/// The figures of one run, the targets judged on them, and their two renderings: a table
/// for people and one JSON object for scripts.
struct BenchReport: Sendable {
    /// One client's latency, and optionally the rate of N concurrent clients.
    struct Measurement: Sendable {
        let latency: LatencyStats
        let throughput: Throughput?
    }

    /// A stated performance target and whether this run met it.
    struct Target: Sendable {
        let statement: String
        let met: Bool
        let measured: String
    }

    let sizes: GetWireSizes
    let workload: Workload
    let host: HostLoad
    /// The CPU the bench and the agent shared while latency was measured (nil: unpinned).
    let latencyCPU: Int?
    /// The framed echo: what the socket and framing alone cost.
    let floor: Measurement
    /// `AgentClient.get` lending the value: the figure the targets judge.
    let lentGet: Measurement
    /// `AgentClient.get` returning a `SecretValue` in locked memory.
    let secretValueGet: Measurement
    /// Get over raw frames, without the client library (latency only).
    let rawGet: Measurement

    static let maxP50Ratio = 3.0
    static let minGetsPerSecond = 20_000.0

    var floorRPS: Double { floor.throughput?.requestsPerSecond ?? 0 }
    var getRPS: Double { lentGet.throughput?.requestsPerSecond ?? 0 }
    /// get p50 over floor p50: how many floors one get costs.
    var getP50Ratio: Double { lentGet.latency.p50Microseconds / floor.latency.p50Microseconds }
    /// get rate over floor rate with the same number of clients.
    var getRPSRatio: Double { getRPS / max(floorRPS, 1) }

    var targets: [Target] {
        [
            Target(statement: "get p50 <= 3x floor p50", met: getP50Ratio <= Self.maxP50Ratio,
                   measured: String(format: "%.2fx", getP50Ratio)),
            Target(statement: ">= 20,000 gets/s with \(workload.clients) clients", met: getRPS >= Self.minGetsPerSecond,
                   measured: "\(grouped(getRPS)) gets/s"),
        ]
    }

    var allTargetsMet: Bool { targets.allSatisfy(\.met) }

    /// The human-readable report.
    var table: String {
        let clients = workload.clients
        let window = Double(workload.throughputNanoseconds) / 1e9
        var lines = [
            "secrets-agent-bench: get from a real agent vs the framed-echo floor",
            "frame bodies: request \(sizes.requestBodyByteCount) B, reply \(sizes.replyBodyByteCount) B; "
                + "latency: \(grouped(Double(workload.latencySamples))) round trips per row on 1 connection",
            "throughput: \(clients) clients for \(String(format: "%.1f", window)) s per row; "
                + "rows measured in turns (latency blocks of \(workload.latencyBlockSize), \(workload.throughputRounds) throughput windows)",
            host.summary,
            latencyCPU.map { "latency rows: bench and agent pinned to CPU \($0) (--no-pin: leave placement to the scheduler)" }
                ?? "latency rows: unpinned",
            "",
            row("", "p50", "p99", "p99.9", "1 client", "\(clients) clients"),
            row("floor (echo)", floor),
            row("get", lentGet),
            row("get, SecretValue", secretValueGet),
            row("get, raw frames", rawGet),
            row("get / floor", String(format: "%.2fx", getP50Ratio), "", "", "", String(format: "%.2fx", getRPSRatio)),
            "",
            "get: AgentClient.get lending the value (no allocation per call); SecretValue: the same",
            "get copying the value into locked memory; raw frames: no client library at all",
            "",
        ]
        for target in targets {
            let statement = target.statement.padding(toLength: 34, withPad: " ", startingAt: 0)
            lines.append("\(target.met ? "PASS" : "FAIL")  \(statement) \(target.measured)")
        }
        return lines.joined(separator: "\n")
    }

    /// One JSON object; latencies in microseconds, rates in requests per second.
    var json: String {
        let fields: [(String, String)] = [
            ("floor_p50_us", fixed(floor.latency.p50Microseconds, 2)),
            ("floor_p99_us", fixed(floor.latency.p99Microseconds, 2)),
            ("floor_rps_8", fixed(floorRPS, 0)),
            ("get_p50_us", fixed(lentGet.latency.p50Microseconds, 2)),
            ("get_p99_us", fixed(lentGet.latency.p99Microseconds, 2)),
            ("get_p999_us", fixed(lentGet.latency.p999Microseconds, 2)),
            ("get_rps_1", fixed(lentGet.latency.requestsPerSecond, 0)),
            ("get_rps_8", fixed(getRPS, 0)),
            ("get_p50_ratio", fixed(getP50Ratio, 3)),
            ("get_rps_8_ratio", fixed(getRPSRatio, 3)),
        ]
        return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    private func row(_ label: String, _ measurement: Measurement) -> String {
        let latency = measurement.latency
        return row(label, micro(latency.p50Microseconds), micro(latency.p99Microseconds), micro(latency.p999Microseconds),
                   rate(latency.requestsPerSecond), measurement.throughput.map { rate($0.requestsPerSecond) } ?? "-")
    }

    private func row(_ label: String, _ p50: String, _ p99: String, _ p999: String, _ one: String, _ many: String) -> String {
        label.padding(toLength: 17, withPad: " ", startingAt: 0) + [p50, p99, p999, one, many].map { leftPad($0, 12) }.joined()
    }

    private func micro(_ value: Double) -> String { String(format: "%.1f us", value) }
    private func rate(_ value: Double) -> String { "\(grouped(value))/s" }
    private func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    private func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }

    /// 123456.7 -> "123,457".
    private func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded()))
        var out = ""
        for (index, character) in digits.reversed().enumerated() {
            if index > 0 && index % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return String(out.reversed())
    }
}
