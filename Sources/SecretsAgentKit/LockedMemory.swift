#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// How much of the agent's memory is locked against swapping (VmLck in /proc/self/status).
/// `sodium_malloc` keeps succeeding once RLIMIT_MEMLOCK is used up, but its pages are then
/// no longer locked, so the agent reports this rather than assuming it.
enum LockedMemory {
    static func bytes() -> UInt64 {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmLck:") }) else { return 0 }
        let kilobytes = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { UInt64($0) } ?? 0
        return kilobytes * 1024
    }
}
