import ArgumentParser

extension SecretsAgentCommand {
    /// `secrets-agent lock`
    struct Lock: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "lock", abstract: "Lock the agent: it forgets the master key at once.")

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            try connection.connect().lock()
            Terminal.print("locked")
        }
    }
}
