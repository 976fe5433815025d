import Foundation

/// One JSON object of numbers (and `quick`), keys in snake_case: latencies in microseconds
/// (`_us`) or milliseconds (`_ms`), rates per second, memory in MiB (`_mb`). OpenBao's keys
/// are left out when it was skipped.
extension BenchReport {
    var json: String {
        var fields: [(String, String)] = [("quick", quick ? "true" : "false")]
        func add(_ key: String, _ value: Double?, _ digits: Int = 2) {
            guard let value, value.isFinite else { return }
            fields.append((key, String(format: "%.\(digits)f", value)))
        }
        add("cpu_count", Double(host.cpuCount), 0)
        add("load_average_1m", host.oneMinuteLoad)
        add("secret_count", Double(scale.secretCount), 0)
        add("pinned_cpu", latencyCPU.map(Double.init), 0)
        for subject in Subject.allCases {
            if let stats = latency[subject] {
                add("\(subject.rawValue)_p50_us", stats.p50Microseconds)
                add("\(subject.rawValue)_p99_us", stats.p99Microseconds)
                add("\(subject.rawValue)_p999_us", stats.p999Microseconds)
            }
            if let stats = unpinned[subject] {
                add("\(subject.rawValue)_unpinned_p50_us", stats.p50Microseconds)
                add("\(subject.rawValue)_unpinned_p99_us", stats.p99Microseconds)
            }
            for clients in workload.clientCounts {
                add("\(subject.rawValue)_rps_\(clients)", rps(subject, clients), 0)
            }
        }
        let suffix = "of_\(scale.secretCount)"
        add("list_\(scale.listCount)_\(suffix)_ms", listMilliseconds, 3)
        add("list_\(scale.listCount)_\(suffix)_p99_ms", scale.list.p99Microseconds / 1_000, 3)
        if scale.secretCount != 100_000 || scale.listCount != 1_000 {
            add("list_1000_of_100000_ms", listMilliseconds, 3)  // the tracked key, at --quick's counts
        }
        add("batchget_\(scale.batchGetSize)_p50_us", scale.batchGet.p50Microseconds)
        add("batchget_\(scale.batchGetSize)_p99_us", scale.batchGet.p99Microseconds)
        add("get_random_p50_us", scale.randomGet.p50Microseconds)
        add("get_random_p99_us", scale.randomGet.p99Microseconds)
        add("populate_wps", Double(scale.secretCount) * 1e9 / Double(max(scale.populateNanoseconds, 1)), 0)
        add("rss_\(scale.secretCount)_mb", memory.residentMiB)
        if scale.secretCount != 100_000 { add("rss_100000_mb", memory.residentMiB) }  // as above
        add("rss_peak_mb", memory.peakMiB)
        add("rss_anon_mb", memory.anonymousMiB)
        add("rss_file_mb", memory.fileMiB)
        add("put_p50_us", put.p50Microseconds)
        add("put_p99_us", put.p99Microseconds)
        add("put_wps_\(writes.clients)", writes.requestsPerSecond, 0)
        add("unlock_ms", unlockP50)
        add("cli_get_ms", cliP50, 3)
        add("cli_version_ms", Self.median(cliStartMilliseconds), 3)
        add("ratio_get_p50_to_floor_c_p50", getP50OverFloor, 3)
        add("ratio_get_p99_to_floor_c_p99", getP99OverFloor, 3)
        add("ratio_openbao_rps_8_to_get_rps_8", openBaoRPSOverGet, 3)
        add("ratio_get_p50_to_openbao_p50", getP50OverOpenBao, 3)
        add("ratio_get_p99_to_openbao_p99", getP99OverOpenBao, 3)
        add("targets_failed", Double(targets.filter { $0.status == .fail }.count), 0)
        return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }
}
