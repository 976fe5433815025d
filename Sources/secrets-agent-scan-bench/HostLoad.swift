#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// How busy the machine was when the run started: throughput taken beside a compiler on a
/// two-CPU host is not the scanner's, and the report says so.
struct HostLoad: Sendable {
    let cpuCount: Int
    /// The 1-minute load average from /proc/loadavg, when readable.
    let oneMinuteLoad: Double?

    static func current() -> HostLoad {
        let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)
        let load = text?.split(separator: " ").first.flatMap { Double($0) }
        return HostLoad(cpuCount: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), oneMinuteLoad: load)
    }

    /// True when other work competes for the CPUs.
    var isBusy: Bool { (oneMinuteLoad ?? 0) >= Double(cpuCount) - 0.5 }

    var summary: String {
        let load = oneMinuteLoad.map { String(format: "%.2f", $0) } ?? "unknown"
        return "host: \(cpuCount) CPUs, load average \(load) at start" + (isBusy ? " (busy: other work shares the CPUs, expect noisy throughput)" : "")
    }
}
