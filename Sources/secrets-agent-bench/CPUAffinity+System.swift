internal import CShims
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Pins every thread of a process to a set of CPUs, and back. Swift's Glibc module does
/// not expose the GNU `sched_{get,set}affinity`; CShims wraps them.
///
/// Why: on a small VM a wake-up that crosses to an idle CPU costs tens of microseconds, and
/// whether a connection's two threads share a CPU is up to the scheduler, so an unpinned
/// one-client p50 swings by 4x from run to run (the floor included). Pinning both sides of
/// every latency run to one CPU measures the cost of a request rather than the placement.
struct CPUAffinity: Sendable {
    private static let wordCount = 16  // 1024 CPUs, as cpu_set_t

    /// The CPU mask as 64-bit words (bit n: CPU n).
    let words: [UInt64]

    /// The calling thread's allowed CPUs, or nil when the calls are unavailable.
    static func current() -> CPUAffinity? {
        var words = [UInt64](repeating: 0, count: wordCount)
        let result = words.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CUnsignedLongLong.self) { cshims_get_affinity(0, $0.baseAddress!, $0.count) }
        }
        return result == 0 ? CPUAffinity(words: words) : nil
    }

    /// Just the lowest CPU of this mask.
    var lowestCPU: CPUAffinity? {
        guard let index = words.firstIndex(where: { $0 != 0 }) else { return nil }
        var single = [UInt64](repeating: 0, count: words.count)
        single[index] = words[index] & (~words[index] &+ 1)  // lowest set bit
        return CPUAffinity(words: single)
    }

    /// The CPU numbers in this mask.
    var cpus: [Int] {
        words.indices.flatMap { word in (0..<64).filter { words[word] >> UInt64($0) & 1 == 1 }.map { word * 64 + $0 } }
    }

    /// Applies this mask to every thread of `pid` (threads created later inherit it from
    /// their creator). - Returns: false when a thread could not be pinned.
    @discardableResult
    func apply(toProcess pid: pid_t) -> Bool {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return false }
        var allPinned = true
        for task in tasks.compactMap({ pid_t($0) }) {
            let result = words.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CUnsignedLongLong.self) { cshims_set_affinity(task, $0.baseAddress!, $0.count) }
            }
            if result != 0 && errno != ESRCH { allPinned = false }  // ESRCH: the thread just ended
        }
        return allPinned
    }
}
