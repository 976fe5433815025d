import ArgumentParser

extension SecretsAgentCommand {
    /// `secrets-agent rm`
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete a secret and all its versions.")

        @Argument(help: ArgumentHelp("The secret's name.", valueName: "name"))
        var name: String
        @OptionGroup var environment: EnvironmentOptions
        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let removed = try connection.connect().delete(name: name, environment: environment.environment)
            Terminal.print("removed \(name) from \(environment.environment) (\(removed) version\(removed == 1 ? "" : "s"))")
        }
    }
}
