import ArgumentParser
import Foundation
import SecretsCore
import SecretsCrypto
import SecretsScan
#if canImport(Glibc)
import Glibc
#endif

extension SecretsAgentCommand {
    /// `secrets-agent scan`
    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "scan", 
            abstract: "Find credentials in files, directories, stdin or git history; print where they are, never their values.",
            discussion: """
            Without PATH, scans standard input (reported as -). Directories are walked recursively, leaving out .git, binary files (a NUL byte in the first 8 KiB), files over --max-size and symbolic links (a PATH named here is followed). --gitignore also leaves out what .gitignore excludes (in a git work tree: what git ls-files leaves out). --git scans the lines each commit of the repository at PATH (default .) added, since REV with --since; each finding names its commit.

            One line per finding: PATH:LINE:COLUMN: RULE (CONFIDENCE): MASKED (COMMIT:PATH:… with --git); a summary on stderr. --json prints one array of {"file", "line", "column", "end_line", "end_column", "rule", "confidence", "masked"} (and "commit" with --git); lines and columns are 1-based, columns count bytes, end_column is exclusive. --sarif prints SARIF 2.1.0 for code scanning.

            A line containing secrets-agent:allow is not reported. --write-baseline F records every finding in F as {file, rule, hash} (hash: SHA-256 of the value, so F holds no secret) and exits 0; --baseline F then leaves those out.

            Exit status: 1 when something is found (or a path could not be read), 0 when clean, 64 for usage errors.
            """
        )

        @Argument(help: ArgumentHelp("Files or directories to scan (default: standard input; with --git, the repository, default .).", valueName: "path"))
        var paths: [String] = []
        @Flag(name: .long, help: "Print one JSON array of findings.")
        var json = false
        @Flag(name: .long, help: "Print a SARIF 2.1.0 log.")
        var sarif = false
        @Option(name: .long, help: ArgumentHelp("Leave out the findings recorded in this file.", valueName: "file"))
        var baseline: String?
        @Option(name: .customLong("write-baseline"), help: ArgumentHelp("Record every finding in this file (mode 0644) and exit 0.", valueName: "file"))
        var writeBaseline: String?
        @Flag(name: .long, help: "Scan the lines added by each commit of the repository at PATH.")
        var git = false
        @Option(name: .long, help: ArgumentHelp("With --git: only the commits after this revision (REV..HEAD).", valueName: "rev"))
        var since: String?
        @Flag(name: .long, help: "Leave out what .gitignore excludes.")
        var gitignore = false
        @Option(name: .customLong("max-size"), help: ArgumentHelp("Leave out files larger than this.", valueName: "bytes"))
        var maxSize: Int = FileWalk.defaultMaxSize
        @Option(name: .long, help: ArgumentHelp("Only these rules (comma-separated ids).", valueName: "id,..."))
        var rules: String?

        func validate() throws {
            if json && sarif { throw ValidationError("--json and --sarif exclude each other") }
            if since != nil && !git { throw ValidationError("--since needs --git") }
            if let since, since.isEmpty || since.hasPrefix("-") { throw ValidationError("--since needs a revision, e.g. --since v1.2 or --since HEAD~10") }
            if git && paths.count > 1 { throw ValidationError("--git scans one repository: give at most one path") }
            if git && paths.first == "-" { throw ValidationError("--git needs a repository, not standard input") }
            if maxSize < 1 { throw ValidationError("--max-size must be at least 1") }
            if baseline?.isEmpty == true || writeBaseline?.isEmpty == true { throw ValidationError("--baseline and --write-baseline need a file name") }
            _ = try ruleSet()
        }

        /// The rule ids of `--rules` (nil: all).
        func ruleSet() throws -> Set<String>? {
            guard let rules else { return nil }
            let known = Set(SecretsScan.Scanner.rules.map(\.id))
            let wanted = rules.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !wanted.isEmpty else { throw ValidationError("--rules needs at least one rule id") }
            if let unknown = wanted.first(where: { !known.contains($0) }) {
                throw ValidationError("unknown rule '\(unknown)' (known: \(SecretsScan.Scanner.rules.map(\.id).joined(separator: ", ")))")
            }
            return Set(wanted)
        }

        func run() throws {
            let scanner = SecretsScan.Scanner(ruleIDs: try ruleSet())
            let accepted = try baseline.map(Scan.loadBaseline)
            var input = ScanInput(scanner: scanner, walk: FileWalk(maxSize: maxSize, gitignore: gitignore))
            if git {
                input.scanHistory(repository: paths.first ?? ".", since: since)
            } else if paths.isEmpty {
                input.scanStandardInput()
            } else {
                for path in paths {
                    if path == "-" { input.scanStandardInput() } else { input.scan(path) }
                }
            }
            let found = input.report
            let report = accepted?.filter(found) ?? found
            print(report, rules: SecretsScan.Scanner.rules.filter { scanner.enabled.contains($0.id) })
            if let writeBaseline { try Scan.write(Baseline(accepting: found), to: writeBaseline) }
            Terminal.printError(report.summary(unit: git ? "commit" : "file"))
            if found.unreadable > 0 || (writeBaseline == nil && !report.entries.isEmpty) { throw ExitCode(1) }
        }

        private func print(_ report: ScanReport, rules: [Rule]) {
            if json {
                Terminal.write(fd: 1, Array(report.json(history: git).utf8))
            } else if sarif {
                Terminal.write(fd: 1, SarifLog(report: report, rules: rules, toolVersion: SecretsAgentCommand.configuration.version).encoded())
            } else {
                var text: [UInt8] = []
                for entry in report.entries { text += Array((entry.text + "\n").utf8) }
                Terminal.write(fd: 1, text)
            }
        }

        /// Reads `--baseline F`.
        static func loadBaseline(_ path: String) throws -> Baseline {
            let bytes: [UInt8]
            do { bytes = try ScanInput.readSmallFile(path) } catch {
                throw SecretsError(.internal, "cannot read baseline \(path): \(ScanInput.reason(error)) (write one: secrets-agent scan --write-baseline \(path))")
            }
            do { return try Baseline(decoding: bytes) } catch {
                throw SecretsError(.internal, "cannot read baseline \(path): \(error.message) (write one: secrets-agent scan --write-baseline \(path))")
            }
        }

        /// Writes `baseline` to `path` (mode 0644) through a new file renamed over it.
        static func write(_ baseline: Baseline, to path: String) throws {
            let temporary = path + ".tmp-\(getpid())"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw SecretsError(.internal, "cannot write baseline \(path): \(ScanInput.reason(errno)) (check the directory exists and is writable)")
            }
            fchmod(fd, 0o644)
            let bytes = baseline.encoded()
            var offset = 0
            var failure: Int32 = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { failure = errno; break }
                offset += n
            }
            if failure == 0 && fsync(fd) != 0 { failure = errno }
            close(fd)
            if failure == 0 && rename(temporary, path) != 0 { failure = errno }
            if failure != 0 {
                unlink(temporary)
                throw SecretsError(.internal, "cannot write baseline \(path): \(ScanInput.reason(failure)) (check the disk and the directory)")
            }
        }
    }
}
