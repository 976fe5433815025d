import Foundation
import SecretsCore
import SecretsCrypto
import SecretsScan
#if canImport(Glibc)
import Glibc
#endif

/// What `scan` reads — files and directories, standard input, a repository's history —
/// gathered into one report. A path that cannot be read gets one line on stderr and the
/// scan goes on with the others.
struct ScanInput {
    let scanner: SecretsScan.Scanner
    let walk: FileWalk
    var report = ScanReport()

    init(scanner: SecretsScan.Scanner, walk: FileWalk) {
        self.scanner = scanner
        self.walk = walk
    }

    /// The fingerprint of matched bytes: lowercase hex SHA-256.
    static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> String {
        SHA256.hexDigest(bytes)
    }

    /// Scans a file, or a directory's files.
    mutating func scan(_ path: String) {
        let walk = self.walk, scanner = self.scanner
        let listed = walk.gitignore ? ScanInput.gitListedFiles(path) : nil
        var report = self.report
        defer { self.report = report }
        walk.walk(path, listed: listed) { event in
            switch event {
            case .file(let file, let contents):
                report.scanned += 1
                let findings = scanner.scan(contents)
                contents.withUnsafeBytes { bytes in
                    for finding in findings {
                        report.entries.append(ScanReport.Entry(finding, matched: UnsafeRawBufferPointer(rebasing: bytes[finding.start..<finding.end]),
                                                               file: file, fingerprint: ScanInput.fingerprint))
                    }
                }
            case .skipped:
                report.skipped += 1
            case .unreadable(let file, let code):
                report.unreadable += 1
                Terminal.printError("secrets-agent: cannot read \(file): \(ScanInput.reason(code))")
            }
        }
    }

    /// Scans standard input as a stream (any size, bounded memory), reported as `-`.
    mutating func scanStandardInput() {
        report.scanned += 1
        var engine = StreamScan(scanner: scanner, redacting: false)
        var none: [UInt8] = []
        var entries: [ScanReport.Entry] = []
        let record = { (finding: Finding, matched: UnsafeRawBufferPointer) in
            entries.append(ScanReport.Entry(finding, matched: matched, file: "-", fingerprint: ScanInput.fingerprint))
        }
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                report.unreadable += 1
                Terminal.printError("secrets-agent: cannot read standard input: \(ScanInput.reason(errno))")
                break
            }
            if n == 0 { break }
            chunk.withUnsafeBytes { engine.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n]), output: &none, found: record) }
        }
        engine.finish(output: &none, found: record)
        report.entries += entries
    }

    /// A small file's bytes (a baseline).
    static func readSmallFile(_ path: String) throws(ReadFailure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadFailure(code: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw ReadFailure(code: errno) }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
            if bytes.count > 256 << 20 { throw ReadFailure(code: EFBIG) }
        }
    }

    struct ReadFailure: Error {
        let code: Int32
    }

    static func reason(_ failure: ReadFailure) -> String { reason(failure.code) }

    /// Why a path could not be read, and what to do: `no such file or directory (check the path)`.
    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file or directory (check the path)"
        case EACCES, EPERM: "permission denied (run as a user who may read it, or leave it out)"
        case ELOOP: "too many levels of symbolic links (check where the link points)"
        case EISDIR: "is a directory (name a file)"
        case ENOTDIR: "a component of the path is not a directory (check the path)"
        case EFBIG: "file too large (use a smaller file)"
        default: "\(String(cString: strerror(code)).lowercased()) (check the path)"
        }
    }
}
