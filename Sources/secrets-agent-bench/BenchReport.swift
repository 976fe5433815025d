import Foundation

/// The figures of one run, the targets judged on them, and their two renderings: a table
/// for people and one JSON object for scripts.
struct BenchReport: Sendable {
    let sizes: GetWireSizes
    let workload: Workload
    let floorLatency: LatencyStats
    let floorThroughput: Throughput
    let getLatency: LatencyStats
    let getThroughput: Throughput

    /// A stated performance target and whether this run met it.
    struct Target: Sendable {
        let statement: String
        let met: Bool
        let measured: String
    }

    static let maxP50Ratio = 3.0
    static let minGetsPerSecond = 20_000.0

    /// get p50 over floor p50: how many floors one get costs.
    var getP50Ratio: Double { getLatency.p50Microseconds / floorLatency.p50Microseconds }
    /// get rate over floor rate with the same number of clients.
    var getRPSRatio: Double { getThroughput.requestsPerSecond / floorThroughput.requestsPerSecond }

    var targets: [Target] {
        [
            Target(statement: "get p50 <= 3x floor p50", met: getP50Ratio <= Self.maxP50Ratio,
                   measured: String(format: "%.2fx", getP50Ratio)),
            Target(statement: ">= 20,000 gets/s with \(workload.clients) clients",
                   met: getThroughput.requestsPerSecond >= Self.minGetsPerSecond,
                   measured: "\(grouped(getThroughput.requestsPerSecond)) gets/s"),
        ]
    }

    var allTargetsMet: Bool { targets.allSatisfy(\.met) }

    /// The human-readable report.
    var table: String {
        let clients = workload.clients
        let window = Double(workload.throughputNanoseconds) / 1e9
        var lines = [
            "secrets-agent-bench: get against a real agent vs the framed-echo floor",
            "frames: request \(sizes.requestBodyByteCount) B, reply \(sizes.replyBodyByteCount) B (bodies); "
                + "latency: \(grouped(Double(getLatency.sortedNanoseconds.count))) round trips on 1 connection; "
                + "throughput: \(clients) clients for \(String(format: "%.1f", window)) s",
            "",
            row("", "p50", "p99", "p99.9", "1 client", "\(clients) clients"),
            row("floor (echo)", micro(floorLatency.p50Microseconds), micro(floorLatency.p99Microseconds),
                micro(floorLatency.p999Microseconds), rate(floorLatency.requestsPerSecond), rate(floorThroughput.requestsPerSecond)),
            row("get", micro(getLatency.p50Microseconds), micro(getLatency.p99Microseconds),
                micro(getLatency.p999Microseconds), rate(getLatency.requestsPerSecond), rate(getThroughput.requestsPerSecond)),
            row("get / floor", String(format: "%.2fx", getP50Ratio), "", "", "", String(format: "%.2fx", getRPSRatio)),
            "",
        ]
        for target in targets {
            lines.append("\(target.met ? "PASS" : "FAIL")  \(target.statement.padding(toLength: 34, withPad: " ", startingAt: 0)) \(target.measured)")
        }
        return lines.joined(separator: "\n")
    }

    /// One JSON object; latencies in microseconds, rates in requests per second.
    var json: String {
        let fields: [(String, String)] = [
            ("floor_p50_us", fixed(floorLatency.p50Microseconds, 2)),
            ("floor_p99_us", fixed(floorLatency.p99Microseconds, 2)),
            ("floor_rps_8", fixed(floorThroughput.requestsPerSecond, 0)),
            ("get_p50_us", fixed(getLatency.p50Microseconds, 2)),
            ("get_p99_us", fixed(getLatency.p99Microseconds, 2)),
            ("get_p999_us", fixed(getLatency.p999Microseconds, 2)),
            ("get_rps_1", fixed(getLatency.requestsPerSecond, 0)),
            ("get_rps_8", fixed(getThroughput.requestsPerSecond, 0)),
            ("get_p50_ratio", fixed(getP50Ratio, 3)),
            ("get_rps_8_ratio", fixed(getRPSRatio, 3)),
        ]
        return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    private func row(_ label: String, _ p50: String, _ p99: String, _ p999: String, _ one: String, _ many: String) -> String {
        label.padding(toLength: 14, withPad: " ", startingAt: 0)
            + [p50, p99, p999, one, many].map { leftPad($0, 12) }.joined()
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
