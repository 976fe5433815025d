import ArgumentParser
import Foundation

extension SecretsAgentCommand {
    /// `secrets-agent history`
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "history", abstract: "List the kept versions of a secret, newest first (metadata only).")

        @Argument(help: ArgumentHelp("The secret's name.", valueName: "name"))
        var name: String
        @OptionGroup var environment: EnvironmentOptions
        @Flag(name: .long, help: "Print a JSON object with a versions array.")
        var json = false
        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let versions = try connection.connect().history(name: name, environment: environment.environment)
            if json {
                JSONOutput.print([
                    "name": name, "environment": environment.environment,
                    "versions": versions.map { v -> [String: Any] in
                        ["version": v.version, "created_at": JSONOutput.timestamp(v.createdAtUnixMs),
                         "created_by_uid": v.createdByUid, "current": v.current, "deleted": v.deleted, "destroyed": v.destroyed]
                    },
                ] as [String: Any])
                return
            }
            Terminal.print("VERSION  CREATED               BY UID")
            for v in versions {
                Terminal.print("\(String(v.version).padding(toLength: 7, withPad: " ", startingAt: 0))  \(JSONOutput.timestamp(v.createdAtUnixMs))  \(v.createdByUid)\(v.current ? "  (current)" : "")\(v.destroyed ? "  (destroyed)" : v.deleted ? "  (deleted)" : "")")
            }
        }
    }
}
