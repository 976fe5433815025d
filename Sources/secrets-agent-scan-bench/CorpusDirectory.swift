#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Where the corpus is written for detect-secrets and `--keep`: `DIR/corpus/...` beside
/// `labels.tsv`, `decoys.tsv` and (after scoring) `misses.tsv`. A temporary one is removed
/// by `remove()`; a kept one stays.
struct CorpusDirectory: Sendable {
    let root: String
    let isTemporary: Bool

    var corpus: String { root + "/corpus" }

    func appending(_ name: String) -> String { root + "/" + name }

    /// A fresh private directory under $TMPDIR (else /tmp).
    static func temporary() throws(ScanBenchFailure) -> CorpusDirectory {
        var parent = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        if parent.isEmpty { parent = "/tmp" }
        while parent.count > 1 && parent.hasSuffix("/") { parent.removeLast() }
        var template = Array("\(parent)/secrets-agent-scan-bench.XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw ScanBenchFailure("cannot create a temporary directory in \(parent): \(String(cString: strerror(errno)).lowercased()) (set TMPDIR to a writable directory)")
        }
        return CorpusDirectory(root: template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }, isTemporary: true)
    }

    /// `path`, created if missing; it must be empty so nothing of the user's is mixed in.
    static func kept(_ path: String) throws(ScanBenchFailure) -> CorpusDirectory {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ScanBenchFailure("cannot keep the corpus in \(path): not a directory (pick a new path)") }
            let entries = (try? manager.contentsOfDirectory(atPath: path)) ?? []
            guard entries.isEmpty else { throw ScanBenchFailure("cannot keep the corpus in \(path): the directory is not empty (pick a new path or empty it)") }
        } else {
            do { try manager.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw ScanBenchFailure("cannot create \(path): \(error.localizedDescription.lowercased())")
            }
        }
        return CorpusDirectory(root: path, isTemporary: false)
    }

    /// Writes every file of `corpus` under `corpus/`, and the labels and decoys beside it.
    func write(_ corpus: Corpus) throws(ScanBenchFailure) {
        let manager = FileManager.default
        for file in corpus.files {
            let path = self.corpus + "/" + file.path
            let directory = String(path[..<path.lastIndex(of: "/")!])
            do {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try Data(file.bytes).write(to: URL(fileURLWithPath: path))
            } catch {
                throw ScanBenchFailure("cannot write \(path): \(error.localizedDescription.lowercased()) (check free space in \(root))")
            }
        }
        try writeText(corpus.labelsTSV, to: "labels.tsv")
        try writeText(corpus.decoysTSV, to: "decoys.tsv")
    }

    func writeText(_ text: String, to name: String) throws(ScanBenchFailure) {
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: appending(name))) } catch {
            throw ScanBenchFailure("cannot write \(appending(name)): \(error.localizedDescription.lowercased())")
        }
    }

    /// Removes a temporary directory with everything in it; reports, but survives, a failure.
    func remove() {
        guard isTemporary else { return }
        do { try FileManager.default.removeItem(atPath: root) } catch {
            FileHandle.standardError.write(Data("secrets-agent-scan-bench: cannot remove \(root): \(error.localizedDescription) (remove it by hand)\n".utf8))
        }
    }
}
