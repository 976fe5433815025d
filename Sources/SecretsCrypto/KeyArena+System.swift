#if canImport(Glibc)
internal import Glibc
#endif

extension KeyArena {
    static func systemPageSize() -> Int {
        Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// `mprotect` on whole pages. Making pages accessible must succeed (the caller is about
    /// to touch them); making them inaccessible is best effort, like `sodium_mprotect_noaccess`.
    static func setProtection(_ pointer: UnsafeMutableRawPointer, byteCount: Int, _ access: PageAccess) {
        let flags: Int32
        switch access {
        case .none: flags = PROT_NONE
        case .readOnly: flags = PROT_READ
        case .readWrite: flags = PROT_READ | PROT_WRITE
        }
        let result = mprotect(pointer, byteCount, flags)
        precondition(result == 0 || access == .none, "cannot unprotect key arena pages: mprotect failed")
    }
}
