import ArgumentParser
import SecretsCore
import SecretsProtocol

extension SecretsAgentCommand {
    /// `secrets-agent watch`
    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "watch", 
            abstract: "Print a line for every change to secrets you may list, until interrupted.",
            discussion: "Each line: time, what happened (put, rotate or delete), name, environment and version. Never a value."
        )

        @Argument(help: ArgumentHelp("Only these names (default: every name).", valueName: "name"))
        var names: [String] = []
        @Option(name: .long, help: ArgumentHelp("Only this environment (default: every environment).", valueName: "env"))
        var env: String?
        @Flag(name: .long, help: "Print one JSON object per line.")
        var json = false
        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            for name in names { _ = try SecretName(name) }
            if let env { _ = try Environment(env) }
            let client = try connection.connect()
            try client.watch(names: names, environment: env)
            while let event = try client.nextChange() {
                let kind = switch event.kind {
                case .changePut: "put"
                case .changeRotate: "rotate"
                case .changeDelete: "delete"
                default: "change"
                }
                if json {
                    JSONOutput.printLine(["time": JSONOutput.timestamp(event.atUnixMs), "change": kind, "name": event.name,
                                          "environment": event.environment, "version": event.version] as [String: Any])
                } else {
                    Terminal.print("\(JSONOutput.timestamp(event.atUnixMs))  \(kind)  \(event.name)  \(event.environment)  version \(event.version)")
                }
            }
        }
    }
}
