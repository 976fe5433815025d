/// The figures of one run and the targets judged on them; rendered as a table for people
/// (`BenchReport+Table`) and as one JSON object for scripts (`BenchReport+JSON`).
struct BenchReport: Sendable {
    /// What a latency or throughput row measured.
    enum Subject: String, CaseIterable, Sendable {
        /// The framed echo in C, server and client: what the socket and framing alone cost.
        case floorC = "floor_c"
        /// The same echo in Swift, with the agent's framing code and threading.
        case floorSwift = "floor_swift"
        /// `AgentClient.get` lending the value: the figure the targets judge.
        case get = "get"
        /// `AgentClient.get` returning a `SecretValue` in locked memory.
        case getSecretValue = "get_secretvalue"
        /// Get over raw frames, without the client library.
        case getRaw = "get_raw"
        /// OpenBao's KV v2 read over loopback HTTP.
        case openBao = "openbao"

        var label: String {
            switch self {
            case .floorC: "floor, C"
            case .floorSwift: "floor, Swift"
            case .get: "get"
            case .getSecretValue: "get, SecretValue"
            case .getRaw: "get, raw frames"
            case .openBao: "OpenBao KV v2 read"
            }
        }
    }

    /// Whether OpenBao was measured.
    enum OpenBaoStatus: Sendable {
        case measured(binary: String)
        case skipped(reason: String)
    }

    /// The reads of the store at scale.
    struct Scale: Sendable {
        let secretCount: Int
        let listCount: Int
        let batchGetSize: Int
        let populateNanoseconds: UInt64
        let list: LatencyStats
        let batchGet: LatencyStats
        let randomGet: LatencyStats
    }

    /// A stated performance target and how this run did.
    struct Target: Sendable {
        enum Status: String, Sendable { case pass = "PASS", fail = "FAIL", skip = "SKIP" }
        let statement: String
        let status: Status
        let measured: String
    }

    let workload: Workload
    let quick: Bool
    let host: HostLoad
    let sizes: GetWireSizes
    /// The CPU the pinned rows ran on (nil: `latency` is unpinned).
    let latencyCPU: Int?
    /// One-client latency, pinned to `latencyCPU` when that is set.
    let latency: [Subject: LatencyStats]
    /// Unpinned latency with fewer samples, when `latency` is pinned.
    let unpinned: [Subject: LatencyStats]
    /// Requests per second by client count.
    let throughput: [Subject: [Int: Throughput]]
    let scale: Scale
    let memory: AgentMemory
    let put: LatencyStats
    let writes: Throughput
    let unlockMilliseconds: [Double]
    let cliMilliseconds: [Double]
    /// `secrets-agent --version`, spawn to exit: the process alone, no agent.
    let cliStartMilliseconds: [Double]
    let openBao: OpenBaoStatus

    func rps(_ subject: Subject, _ clients: Int) -> Double? { throughput[subject]?[clients]?.requestsPerSecond }

    var getP50OverFloor: Double? { ratio(latency[.get]?.p50Microseconds, latency[.floorC]?.p50Microseconds) }
    var getP99OverFloor: Double? { ratio(latency[.get]?.p99Microseconds, latency[.floorC]?.p99Microseconds) }
    var openBaoRPSOverGet: Double? { ratio(rps(.openBao, 8), rps(.get, 8)) }
    var getP50OverOpenBao: Double? { ratio(latency[.get]?.p50Microseconds, latency[.openBao]?.p50Microseconds) }
    var getP99OverOpenBao: Double? { ratio(latency[.get]?.p99Microseconds, latency[.openBao]?.p99Microseconds) }
    var listMilliseconds: Double { scale.list.p50Microseconds / 1_000 }
    var unlockP50: Double { Self.median(unlockMilliseconds) }
    var cliP50: Double { Self.median(cliMilliseconds) }

    var targets: [Target] {
        let secrets = Format.grouped(Double(scale.secretCount))
        var targets = [
            Target(statement: "get p50 <= 2x C floor p50", status: .judge(getP50OverFloor.map { $0 <= 2 }),
                   measured: Format.times(getP50OverFloor) + " (\(Format.micro(latency[.get]?.p50Microseconds)) vs \(Format.micro(latency[.floorC]?.p50Microseconds)))"),
            Target(statement: "get p99 <= 5x C floor p99", status: .judge(getP99OverFloor.map { $0 <= 5 }),
                   measured: Format.times(getP99OverFloor) + " (\(Format.micro(latency[.get]?.p99Microseconds)) vs \(Format.micro(latency[.floorC]?.p99Microseconds)))"),
            Target(statement: ">= 50,000 gets/s with 8 clients", status: .judge(rps(.get, 8).map { $0 >= 50_000 }),
                   measured: Format.rate(rps(.get, 8))),
        ]
        let bao = openBaoRPSOverGet
        targets += [
            Target(statement: ">= 10x OpenBao's reads/s, 8 clients", status: .judge(bao.map { $0 <= 0.1 }),
                   measured: bao == nil ? openBaoSkipped : "OpenBao/get \(Format.times(bao)) (\(Format.rate(rps(.openBao, 8))) vs \(Format.rate(rps(.get, 8))))"),
            Target(statement: "get p50 <= 1/10 of OpenBao's p50", status: .judge(getP50OverOpenBao.map { $0 <= 0.1 }),
                   measured: getP50OverOpenBao == nil ? openBaoSkipped : "get/OpenBao \(Format.times(getP50OverOpenBao)) (\(Format.micro(latency[.get]?.p50Microseconds)) vs \(Format.micro(latency[.openBao]?.p50Microseconds)))"),
            Target(statement: "get p99 <= 1/10 of OpenBao's p99", status: .judge(getP99OverOpenBao.map { $0 <= 0.1 }),
                   measured: getP99OverOpenBao == nil ? openBaoSkipped : "get/OpenBao \(Format.times(getP99OverOpenBao)) (\(Format.micro(latency[.get]?.p99Microseconds)) vs \(Format.micro(latency[.openBao]?.p99Microseconds)))"),
            Target(statement: "list \(Format.grouped(Double(scale.listCount))) of \(secrets) < 5 ms", status: .judge(listMilliseconds < 5),
                   measured: Format.milli(listMilliseconds) + " p50"),
            Target(statement: "agent RSS < 40 MiB with \(secrets) secrets", status: .judge(memory.residentMiB < 40),
                   measured: String(format: "%.1f MiB", memory.residentMiB)),
            Target(statement: "CLI get, whole process < 20 ms", status: .judge(cliP50 < 20), measured: Format.milli(cliP50) + " p50"),
            Target(statement: ">= 2,000 acked writes/s, \(writes.clients) writers", status: .judge(writes.requestsPerSecond >= 2_000),
                   measured: Format.rate(writes.requestsPerSecond)),
        ]
        return targets
    }

    /// False when a target failed (a skipped one does not count).
    var allTargetsMet: Bool { !targets.contains { $0.status == .fail } }

    private var openBaoSkipped: String {
        if case .skipped(let reason) = openBao { return "skipped: \(reason)" }
        return "not measured"
    }

    private func ratio(_ numerator: Double?, _ denominator: Double?) -> Double? {
        guard let numerator, let denominator, denominator > 0 else { return nil }
        return numerator / denominator
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

extension BenchReport.Target.Status {
    /// PASS or FAIL by `met`; SKIP when there was nothing to judge.
    static func judge(_ met: Bool?) -> Self {
        guard let met else { return .skip }
        return met ? .pass : .fail
    }
}
