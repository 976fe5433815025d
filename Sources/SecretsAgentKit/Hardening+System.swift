internal import CShims
#if canImport(Glibc)
import Glibc
#endif
import SecretsCore

/// Process hardening applied before the agent touches key material (DESIGN §10).
enum Hardening {
    /// PR_SET_DUMPABLE 0, RLIMIT_CORE 0, umask 077, SIGPIPE ignored.
    /// - Throws: `.internal` when the process cannot be made non-dumpable.
    static func apply() throws(SecretsError) {
        guard cshims_disable_dumpable() == 0 else {
            throw .internal("cannot disable core dumps: prctl failed with errno \(errno)")
        }
        var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
        guard setrlimit(Int32(RLIMIT_CORE.rawValue), &noCore) == 0 else {
            throw .internal("cannot set RLIMIT_CORE to 0: errno \(errno)")
        }
        umask(0o077)
        signal(SIGPIPE, SIG_IGN)
    }

    /// Whether the process is currently dumpable (for status and tests).
    static var isDumpable: Bool { cshims_get_dumpable() != 0 }
}
