import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fresh mode-0700 directory under /tmp for one test, removed when released.
final class TestDirectory: Sendable {
    let path: String

    init() throws {
        var template = Array("/tmp/secrets-client-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        path = String(cString: made)
        guard chmod(path, 0o700) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
