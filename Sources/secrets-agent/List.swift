import ArgumentParser
import SecretsClient

extension SecretsAgentCommand {
    /// `secrets-agent list`
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List secrets: names and metadata, never values.")

        @Option(name: .long, help: ArgumentHelp("Only this environment (default: $SECRETS_AGENT_ENV, else development).", valueName: "env"))
        var env: String?
        @Flag(name: .customLong("all-environments"), help: "List every environment.")
        var allEnvironments = false
        @Option(name: .long, help: ArgumentHelp("Only names starting with this prefix.", valueName: "prefix"))
        var prefix: String = ""
        @Flag(name: .long, help: "Print a JSON array.")
        var json = false
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            if allEnvironments && env != nil { throw ValidationError("--env and --all-environments exclude each other") }
        }

        func run() throws {
            let environment = allEnvironments ? nil : (env ?? AgentPaths.defaultEnvironment())
            let secrets = try connection.connect().list(environment: environment, prefix: prefix)
            if json {
                JSONOutput.print(secrets.map { s -> [String: Any] in
                    ["name": s.name, "environment": s.environment, "version": s.currentVersion, "versions": s.versionCount,
                     "created_at": JSONOutput.timestamp(s.createdAtUnixMs), "updated_at": JSONOutput.timestamp(s.updatedAtUnixMs)]
                })
                return
            }
            guard !secrets.isEmpty else { return }
            let width = max(4, secrets.map(\.name.count).max() ?? 0)
            let envWidth = max(11, secrets.map(\.environment.count).max() ?? 0)
            func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
            Terminal.print("\(pad("NAME", width))  \(pad("ENVIRONMENT", envWidth))  VERSION  UPDATED")
            for s in secrets {
                Terminal.print("\(pad(s.name, width))  \(pad(s.environment, envWidth))  \(pad(String(s.currentVersion), 7))  \(JSONOutput.timestamp(s.updatedAtUnixMs))")
            }
        }
    }
}
