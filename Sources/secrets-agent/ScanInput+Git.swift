import Foundation
import SecretsScan
#if canImport(Glibc)
import Glibc
#endif

/// `scan --git` and `--gitignore` in a work tree: running git and reading what it prints.
extension ScanInput {
    /// Scans the lines each commit of `repository` added (after `since`, if given).
    mutating func scanHistory(repository: String, since: String?) {
        var arguments = ["-C", repository, "-c", "core.quotePath=false", "-c", "log.showSignature=false",
                         "log", "-p", "--no-color", "--unified=0", "--no-ext-diff", "--no-textconv",
                         "--format=commit %H", "--src-prefix=a/", "--dst-prefix=b/"]
        if let since { arguments.append(since + "..HEAD") }
        arguments.append("--")
        var history = GitHistory(scanner: scanner)
        var entries: [ScanReport.Entry] = []
        let failure = ScanInput.runGit(arguments) { chunk in
            history.feed(chunk) { location, finding, matched in
                entries.append(ScanReport.Entry(finding, matched: matched, file: location.file, commit: location.commit,
                                                fingerprint: ScanInput.fingerprint))
            }
        }
        history.finish { location, finding, matched in
            entries.append(ScanReport.Entry(finding, matched: matched, file: location.file, commit: location.commit,
                                            fingerprint: ScanInput.fingerprint))
        }
        report.entries += entries
        report.scanned += history.commits
        if let failure {
            report.unreadable += 1
            let hint = since.map { "check that \($0) is a revision of \(repository)" } ?? "check that \(repository) is a git repository with commits"
            Terminal.printError("secrets-agent: cannot read the history of \(repository): \(failure) (\(hint))")
        }
    }

    /// Runs git with `arguments`, handing its stdout to `consume` chunk by chunk; returns
    /// nil on success, else the first line git printed on stderr.
    static func runGit(_ arguments: [String], _ consume: (UnsafeRawBufferPointer) -> Void) -> String? {
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_PAGER"] = "cat"
        environment["LC_ALL"] = "C"
        git.environment = environment
        let out = Pipe(), err = Pipe()
        git.standardOutput = out
        git.standardError = err
        git.standardInput = FileHandle.nullDevice
        do { try git.run() } catch { return "cannot run git: \(error.localizedDescription)" }
        // Drain stderr on a thread of its own so a chatty git cannot block on it.
        let errors = ErrorText()
        let reader = Thread { errors.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let fd = out.fileHandleForReading.fileDescriptor
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            chunk.withUnsafeBytes { consume(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        git.waitUntilExit()
        let message = errors.wait()
        guard git.terminationStatus != 0 else { return nil }
        let line = String(decoding: message, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "git exited with status \(git.terminationStatus)"
        return line.hasPrefix("fatal: ") ? String(line.dropFirst(7)) : line
    }

    /// The files git would list in the work tree around `path` (tracked and untracked but
    /// not ignored), relative to `path`; nil when `path` is not a directory in a work tree.
    static func gitListedFiles(_ path: String) -> [String]? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        var output: [UInt8] = []
        let failure = runGit(["-C", path, "ls-files", "-co", "--exclude-standard", "-z"]) { output += $0 }
        guard failure == nil else { return nil }
        return output.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Text one thread writes and another waits for.
private final class ErrorText: @unchecked Sendable {
    // @unchecked: `data` is touched only under `condition`'s lock.
    private let condition = NSCondition()
    private var data: Data?

    func set(_ value: Data) {
        condition.lock()
        data = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data!
    }
}
