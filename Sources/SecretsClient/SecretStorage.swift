#if canImport(Glibc)
import Glibc
#endif
import SecretsCrypto
internal import Synchronization

/// The locked memory behind a `Secret` or a `SecretKey`, wiped when released.
///
/// The bytes live in `SecureBytes` (sodium_malloc: guard pages, mlock'd, excluded from core
/// dumps), whose own `deinit` zeroes them inside `sodium_free`. `deinit` here wipes them
/// first with `explicit_bzero`, so the guarantee holds in this module too and a test can
/// watch it happen: after `sodium_free` the pages are unmapped and cannot be read.
final class SecretStorage: Sendable {
    /// A callback that sees the bytes right after the wipe, before they are freed.
    typealias ReleaseObserver = @Sendable (UnsafeRawBufferPointer) -> Void

    /// The value.
    let bytes: SecureBytes
    private let releaseObserver = Mutex<ReleaseObserver?>(nil)

    init(_ bytes: SecureBytes) {
        self.bytes = bytes
    }

    deinit {
        bytes.withUnsafeMutableBytes { raw in
            Self.wipe(raw)
            if let observer = releaseObserver.withLock({ $0 }) {
                observer(UnsafeRawBufferPointer(raw))
            }
        }
    }

    /// For tests only: calls `observer` from `deinit` with the bytes as they are after the
    /// wipe and before `sodium_free`, so a test can check that they are all zero.
    func observeRelease(_ observer: @escaping ReleaseObserver) {
        releaseObserver.withLock { $0 = observer }
    }

    /// Zeroes `raw` with a store the compiler may not remove.
    static func wipe(_ raw: UnsafeMutableRawBufferPointer) {
        guard let base = raw.baseAddress, raw.count > 0 else { return }
        explicit_bzero(base, raw.count)
    }
}
