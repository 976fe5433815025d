import Foundation

/// The agent's resident memory from /proc/<pid>/status, in MiB (2^20 bytes).
struct AgentMemory: Sendable {
    /// VmRSS: resident now.
    let residentMiB: Double
    /// VmHWM: the most it was ever resident.
    let peakMiB: Double
    /// RssAnon: the resident part that is the agent's own (heap, stacks, locked memory).
    let anonymousMiB: Double
    /// RssFile: the resident part mapped from files (the binary's code and data, shared
    /// libraries), which the kernel can drop and read again.
    let fileMiB: Double

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
        guard let rss = kibibytes("VmRSS"), let peak = kibibytes("VmHWM"),
              let anonymous = kibibytes("RssAnon"), let file = kibibytes("RssFile") else {
            throw .setup("/proc/\(pid)/status has no VmRSS, VmHWM, RssAnon or RssFile line")
        }
        return AgentMemory(residentMiB: rss / 1024, peakMiB: peak / 1024, anonymousMiB: anonymous / 1024,
                           fileMiB: file / 1024)
    }

    /// Copies /proc/<pid>/smaps to `path`, read to its end (procfs files report size 0, so
    /// reading "the whole file" by its size would stop at the first page).
    /// - Throws: `.setup` when it cannot be read or written.
    static func saveMap(pid: pid_t, to path: String) throws(BenchFailure) {
        let source = open("/proc/\(pid)/smaps", O_RDONLY | O_CLOEXEC)
        guard source >= 0 else { throw .setup("cannot read /proc/\(pid)/smaps: \(String(cString: strerror(errno)))") }
        defer { close(source) }
        var text: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(source, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw .setup("cannot read /proc/\(pid)/smaps: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            text.append(contentsOf: chunk[0..<count])
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text)) else {
            throw .setup("cannot write the agent's memory map to \(path) (check the directory exists and is writable)")
        }
    }
}
