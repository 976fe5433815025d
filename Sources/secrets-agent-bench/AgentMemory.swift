import Foundation

/// The agent's resident memory from /proc/<pid>/status, in MiB (2^20 bytes).
struct AgentMemory: Sendable {
    /// VmRSS: resident now.
    let residentMiB: Double
    /// VmHWM: the most it was ever resident.
    let peakMiB: Double

    /// - Throws: `.setup` when the status file cannot be read (the agent is gone).
    static func read(pid: pid_t) throws(BenchFailure) -> AgentMemory {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
            throw .setup("cannot read /proc/\(pid)/status (did the agent exit?)")
        }
        func kibibytes(_ key: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(key + ":") }
                .flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first }
                .flatMap { Double($0) }
        }
        guard let rss = kibibytes("VmRSS"), let peak = kibibytes("VmHWM") else {
            throw .setup("/proc/\(pid)/status has no VmRSS or VmHWM line")
        }
        return AgentMemory(residentMiB: rss / 1024, peakMiB: peak / 1024)
    }
}
