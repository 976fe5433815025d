import ArgumentParser

extension SecretsAgentCommand {
    /// `secrets-agent get`
    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a secret's value to stdout, exactly (no newline added).",
            discussion: "--masked prints only its shape: *** for up to 10 characters, else the first 3 (or 10) and last 3."
        )

        @Argument(help: ArgumentHelp("The secret's name.", valueName: "name"))
        var name: String
        @OptionGroup var environment: EnvironmentOptions
        @Option(name: .long, help: ArgumentHelp("A kept earlier version (see: secrets-agent history).", valueName: "n"))
        var version: UInt64?
        @Flag(name: .long, help: "Print the masked value instead.")
        var masked = false
        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let result = try connection.connect().get(name: name, environment: environment.environment,
                                                      version: version ?? 0, masked: masked)
            result.value.withUnsafeBytes { Terminal.writeStdout($0) }
        }
    }
}
