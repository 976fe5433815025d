internal import CShims

extension SecureBytes {
    /// Marks the pages holding `count` bytes at `region` MADV_DONTDUMP so they never reach
    /// a core file. libsodium 1.0.18 already does this inside `sodium_malloc` when it was
    /// built with madvise support; doing it here keeps the guarantee independent of that.
    /// Best effort: a kernel that refuses leaves the other protections intact.
    static func excludeFromCoreDumps(_ region: UnsafeMutableRawPointer, count: Int) {
        _ = cshims_madvise_dontdump(region, count)
    }
}
