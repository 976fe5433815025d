import ArgumentParser
import Foundation
import SecretsCore

extension SecretsAgentCommand {
    /// `secrets-agent audit` and `secrets-agent audit verify`
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "audit", 
            abstract: "Show or verify the audit trail.",
            discussion: "Every access, unlock, lock and denial leaves an entry, hash-chained under a key derived from the master key; entries never hold a value. Admins and viewers may read it.",
            subcommands: [Show.self, Verify.self],
            defaultSubcommand: Show.self
        )

        /// `secrets-agent audit [--since TIME] [--name NAME] [--json]`
        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "show", abstract: "List audit entries, oldest first.")

            @Option(name: .long, help: ArgumentHelp("Only entries since TIME: RFC 3339 (2026-01-02T03:04:05Z), a date (2026-01-02), or an age (30m, 12h, 7d).", valueName: "time"))
            var since: String?
            @Option(name: .long, help: ArgumentHelp("Only entries naming this secret.", valueName: "name"))
            var name: String?
            @Flag(name: .long, help: "Print a JSON array.")
            var json = false
            @OptionGroup var connection: ConnectionOptions

            func validate() throws {
                if let since, AuditTime.parse(since) == nil {
                    throw ValidationError("--since: '\(since)' is not a time (use 2026-01-02T03:04:05Z, 2026-01-02, or an age such as 12h or 7d)")
                }
            }

            func run() throws {
                let entries = try connection.connect().auditEntries(sinceUnixMs: since.flatMap(AuditTime.parse), name: name)
                if json {
                    JSONOutput.print(entries.map { e -> [String: Any] in
                        var object: [String: Any] = [
                            "sequence": e.sequence, "kind": e.kind, "time": JSONOutput.timestamp(e.timeUnixMs),
                            "operation": e.operation, "outcome": e.outcome,
                        ]
                        if e.hasPeerUid { object["uid"] = e.peerUid }
                        if e.hasPeerGid { object["gid"] = e.peerGid }
                        if e.hasPeerPid { object["pid"] = e.peerPid }
                        if e.hasVersion { object["version"] = e.version }
                        for (key, value) in [("exe", e.exe), ("role", e.role), ("name", e.name), ("environment", e.environment),
                                             ("error", e.errorCode), ("detail", e.detail)] where !value.isEmpty {
                            object[key] = value
                        }
                        return object
                    })
                    return
                }
                for e in entries {
                    var line = "\(e.sequence)  \(JSONOutput.timestamp(e.timeUnixMs))  \(e.operation)  \(e.outcome)"
                    if !e.name.isEmpty { line += "  \(e.name)" + (e.environment.isEmpty ? "" : " (\(e.environment))") }
                    if e.hasVersion { line += " v\(e.version)" }
                    if e.hasPeerUid { line += "  uid \(e.peerUid)" + (e.role.isEmpty ? "" : " \(e.role)") }
                    if !e.errorCode.isEmpty { line += "  \(e.errorCode)" }
                    if !e.detail.isEmpty { line += "  \(e.detail)" }
                    Terminal.print(line)
                }
            }
        }

        /// `secrets-agent audit verify`
        struct Verify: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "verify", 
                abstract: "Check the audit trail's hash chain (exit 7 and the first bad entry when it was edited, removed or reordered).")

            @OptionGroup var connection: ConnectionOptions

            func run() throws {
                let result = try connection.connect().verifyAudit()
                guard result.intact else {
                    throw SecretsError.integrityFailure("audit trail broken at entry \(result.firstBadSequence): \(result.reason) (entries were edited, removed or reordered; keep this store for investigation)")
                }
                Terminal.print("audit trail intact: \(result.entriesChecked) entries verified")
            }
        }
    }
}

/// `--since` values: RFC 3339, a date, or an age counted back from now.
enum AuditTime {
    static func parse(_ text: String) -> Int64? {
        let now = Date()
        if let last = text.last, let unit = ["s": 1.0, "m": 60, "h": 3600, "d": 86400][String(last)],
           let count = Double(text.dropLast()), count >= 0 {
            return Int64((now.timeIntervalSince1970 - count * unit) * 1000)
        }
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        return nil
    }
}
