#if canImport(Glibc)
import Glibc
#endif

/// The clocks the benchmark times with.
enum Clocks {
    /// Nanoseconds from CLOCK_MONOTONIC (wall time, immune to clock steps).
    static func monotonic() -> UInt64 { read(CLOCK_MONOTONIC) }

    /// CPU nanoseconds of every thread of this process: above the wall time only when the
    /// scanner used more than one core.
    static func processCPU() -> UInt64 { read(CLOCK_PROCESS_CPUTIME_ID) }

    /// CPU seconds (user + system) of the children this process has waited for.
    static func childrenCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    private static func read(_ clock: clockid_t) -> UInt64 {
        var now = timespec()
        clock_gettime(clock, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
