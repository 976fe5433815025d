#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A fresh private directory (mkdtemp, mode 0700) holding the store, key file, sockets
/// and logs of one run; removed with everything in it by `remove()`.
final class TemporaryDirectory {
    let path: String

    /// Creates it under $TMPDIR when that is short enough for socket paths, else /tmp.
    /// - Throws: `.setup` when the directory cannot be created.
    init() throws(BenchFailure) {
        var parent = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        if parent.isEmpty || parent.utf8.count > 60 { parent = "/tmp" }
        while parent.count > 1 && parent.hasSuffix("/") { parent.removeLast() }
        var template = Array("\(parent)/secrets-agent-bench.XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard created != nil else {
            throw .setup("cannot create a temporary directory in \(parent): \(String(cString: strerror(errno))) (set TMPDIR to a writable directory)")
        }
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        guard chmod(path, 0o700) == 0 else {
            let reason = String(cString: strerror(errno))
            rmdir(path)
            throw .setup("cannot chmod 700 \(path): \(reason)")
        }
    }

    /// The path of `name` inside the directory.
    func appending(_ name: String) -> String { "\(path)/\(name)" }

    /// Removes the directory and everything in it; reports, but survives, a failure.
    func remove() {
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            FileHandle.standardError.write(Data("secrets-agent-bench: cannot remove \(path): \(error.localizedDescription) (remove it by hand)\n".utf8))
        }
    }
}
