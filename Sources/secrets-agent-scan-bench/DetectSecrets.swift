#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Yelp's detect-secrets, run once over the written corpus with one core
/// (`detect-secrets -c 1 scan --all-files .`): its findings by (file, line) and its speed.
struct DetectSecrets: Sendable {
    let executable: String
    let version: String
    /// Wall seconds of the whole scan, interpreter start-up included.
    let wallSeconds: Double
    /// User + system CPU seconds of the scan's processes.
    let cpuSeconds: Double
    let bytes: Int
    /// Lines it reported, and the detector types it reported on each.
    let findings: [Corpus.LineRef: Set<String>]

    var megabytesPerSecond: Double { Double(bytes) / 1e6 / max(wallSeconds, 1e-9) }

    /// `explicit` when given (it must be executable), else `detect-secrets` on PATH, else nil.
    static func locate(_ explicit: String?) throws(ScanBenchFailure) -> String? {
        if let explicit {
            guard access(explicit, X_OK) == 0 else {
                throw ScanBenchFailure("cannot run detect-secrets at \(explicit): \(String(cString: strerror(errno)).lowercased()) (pip install detect-secrets, or fix --detect-secrets)")
            }
            return explicit
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/detect-secrets" }.first { access($0, X_OK) == 0 }
    }

    /// Scans `directory.corpus` (which holds `corpus`) with one core and parses the result.
    static func run(_ executable: String, on directory: CorpusDirectory, corpus: Corpus) throws(ScanBenchFailure) -> DetectSecrets {
        let version = (try? capture(executable, ["--version"], in: directory.root).stdout)
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "unknown"
        let cpuBefore = Clocks.childrenCPUSeconds()
        let start = Clocks.monotonic()
        let result = try capture(executable, ["-c", "1", "scan", "--all-files", "."], in: directory.corpus)
        let wall = Double(Clocks.monotonic() - start) / 1e9
        let cpu = Clocks.childrenCPUSeconds() - cpuBefore
        guard result.status == 0 else {
            let tail = String(decoding: result.stderr.suffix(400), as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw ScanBenchFailure("detect-secrets exited with status \(result.status): \(tail) (run it by hand: \(executable) scan --all-files DIR)")
        }
        let paths = Dictionary(uniqueKeysWithValues: corpus.files.enumerated().map { ($1.path, $0) })
        let findings = try parse(result.stdout, paths: paths)
        return DetectSecrets(executable: executable, version: version, wallSeconds: wall, cpuSeconds: cpu,
                             bytes: corpus.byteCount, findings: findings)
    }

    /// detect-secrets' JSON (`results: {file: [{type, line_number, ...}]}`) as lines of the
    /// corpus; `paths` maps a corpus-relative path to its file index.
    static func parse(_ json: [UInt8], paths: [String: Int]) throws(ScanBenchFailure) -> [Corpus.LineRef: Set<String>] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
              let results = object["results"] as? [String: Any] else {
            throw ScanBenchFailure("cannot read detect-secrets' output: not a JSON object with \"results\" (is it detect-secrets 1.x?)")
        }
        var findings: [Corpus.LineRef: Set<String>] = [:]
        for (name, entries) in results {
            let relative = name.hasPrefix("./") ? String(name.dropFirst(2)) : name
            guard let file = paths[relative] else {
                throw ScanBenchFailure("detect-secrets reported \(name), which is not a corpus file")
            }
            for entry in entries as? [[String: Any]] ?? [] {
                guard let line = entry["line_number"] as? Int else { continue }
                findings[Corpus.LineRef(file: file, line: line), default: []].insert(entry["type"] as? String ?? "?")
            }
        }
        return findings
    }

    struct Captured {
        let status: Int32
        let stdout: [UInt8]
        let stderr: [UInt8]
    }

    /// Runs `executable` in `directory` with both pipes drained concurrently.
    private static func capture(_ executable: String, _ arguments: [String], in directory: String) throws(ScanBenchFailure) -> Captured {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw ScanBenchFailure("cannot start \(executable): \(error.localizedDescription.lowercased())")
        }
        let errorBytes = ErrorDrain(err.fileHandleForReading)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Captured(status: process.terminationStatus, stdout: Array(stdout), stderr: errorBytes.wait())
    }
}

/// Reads a pipe to its end on a thread of its own, so a chatty stderr cannot block the
/// child while stdout is read.
private final class ErrorDrain: @unchecked Sendable {
    // `lock` guards `data` and `done`.
    private let lock = NSCondition()
    private var data = Data()
    private var done = false

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            let read = handle.readDataToEndOfFile()
            lock.lock()
            data = read
            done = true
            lock.signal()
            lock.unlock()
        }
    }

    func wait() -> [UInt8] {
        lock.lock()
        while !done { lock.wait() }
        defer { lock.unlock() }
        return Array(data)
    }
}
