import ArgumentParser
import Foundation
import SecretsClient
import SecretsCore
import SecretsProtocol

extension SecretsAgentCommand {
    /// `secrets-agent list`
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List secrets: names and metadata, never values.")

        @Option(name: .long, help: ArgumentHelp("Only this environment (default: $SECRETS_AGENT_ENV, else development).", valueName: "env"))
        var env: String?
        @Flag(name: .customLong("all-environments"), help: "List every environment.")
        var allEnvironments = false
        @Option(name: .long, help: ArgumentHelp("Only names starting with this prefix.", valueName: "prefix"))
        var prefix: String = ""
        @Flag(name: .long, help: "Print a JSON array.")
        var json = false
        @OptionGroup var connection: ConnectionOptions

        /// `-`, `every 30d, due 2026-12-01T…`, or `OVERDUE since …` (`, auto` when the agent redraws it).
        static func rotation(_ s: SecretsAgent_V1_SecretMetadata, now: Int64) -> String {
            guard s.rotateEverySeconds > 0 else { return "-" }
            let every = "every \(DurationText.format(s.rotateEverySeconds))\(s.autoRotates ? ", auto" : "")"
            if s.rotationDueUnixMs <= now { return "OVERDUE since \(JSONOutput.timestamp(s.rotationDueUnixMs)) (\(every))" }
            return "\(every), due \(JSONOutput.timestamp(s.rotationDueUnixMs))"
        }

        func validate() throws {
            if allEnvironments && env != nil { throw ValidationError("--env and --all-environments exclude each other") }
        }

        func run() throws {
            let environment = allEnvironments ? nil : (env ?? AgentPaths.defaultEnvironment())
            let secrets = try connection.connect().list(environment: environment, prefix: prefix)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            if json {
                JSONOutput.print(secrets.map { s -> [String: Any] in
                    var entry: [String: Any] = [
                        "name": s.name, "environment": s.environment, "version": s.currentVersion, "versions": s.versionCount,
                        "created_at": JSONOutput.timestamp(s.createdAtUnixMs), "updated_at": JSONOutput.timestamp(s.updatedAtUnixMs),
                    ]
                    if s.rotateEverySeconds > 0 {
                        entry["rotate_every"] = DurationText.format(s.rotateEverySeconds)
                        entry["rotation_due"] = JSONOutput.timestamp(s.rotationDueUnixMs)
                        entry["overdue"] = s.rotationDueUnixMs <= now
                        entry["auto_rotates"] = s.autoRotates
                    }
                    if let generator = s.valueGenerator {
                        entry["generator"] = ["bytes": generator.byteCount, "format": generator.format.rawValue]
                    }
                    return entry
                })
                return
            }
            guard !secrets.isEmpty else { return }
            let width = max(4, secrets.map(\.name.count).max() ?? 0)
            let envWidth = max(11, secrets.map(\.environment.count).max() ?? 0)
            func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
            Terminal.print("\(pad("NAME", width))  \(pad("ENVIRONMENT", envWidth))  VERSION  \(pad("UPDATED", 20))  ROTATION")
            for s in secrets {
                Terminal.print("\(pad(s.name, width))  \(pad(s.environment, envWidth))  \(pad(String(s.currentVersion), 7))  \(JSONOutput.timestamp(s.updatedAtUnixMs))  \(List.rotation(s, now: now))")
            }
        }
    }
}
