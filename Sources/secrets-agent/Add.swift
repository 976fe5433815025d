import ArgumentParser
import SecretsCore
import SecretsClient
import SecretsProtocol

extension SecretsAgentCommand {
    /// `secrets-agent add`
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", 
            abstract: "Add a new secret (exit 8 if it already exists).",
            discussion: "The value comes from --stdin, --from-file or --generate; it is never printed."
        )

        @Argument(help: ArgumentHelp("The secret's name, e.g. openai/key.", valueName: "name"))
        var name: String
        @OptionGroup var environment: EnvironmentOptions
        @OptionGroup var value: ValueSource
        @OptionGroup var rotation: RotationOptions
        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let version = try Write.put(name: name, environment: environment.environment, value: value, mode: .create,
                                        expectedVersion: nil, rotation: rotation, connection: connection)
            Terminal.print("added \(name) to \(environment.environment) (version \(version))")
        }
    }

    /// `secrets-agent update`
    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "update", 
            abstract: "Store a new version of an existing secret (exit 3 if it does not exist).",
            discussion: "--if-version N makes it a check-and-set: exit 8 unless the current version is N. The last 10 versions are kept."
        )

        @Argument(help: ArgumentHelp("The secret's name.", valueName: "name"))
        var name: String
        @OptionGroup var environment: EnvironmentOptions
        @OptionGroup var value: ValueSource
        @Option(name: .customLong("if-version"), help: ArgumentHelp("Only update if the current version is N.", valueName: "n"))
        var ifVersion: UInt64?
        @OptionGroup var rotation: RotationOptions
        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let version = try Write.put(name: name, environment: environment.environment, value: value, mode: .update,
                                        expectedVersion: ifVersion, rotation: rotation, connection: connection)
            Terminal.print("updated \(name) in \(environment.environment) (version \(version))")
        }
    }
}

/// The shared path of `add` and `update`: validate locally, read the value, send it.
enum Write {
    static func put(name: String, environment: String, value: ValueSource, mode: SecretsAgent_V1_PutMode,
                    expectedVersion: UInt64?, rotation: RotationOptions, connection: ConnectionOptions) throws -> UInt64 {
        _ = try SecretName(name)
        _ = try Environment(environment)
        let bytes = try value.read()
        let options = PutOptions(generator: value.generator, rotateEverySeconds: try rotation.seconds(),
                                 removeRotation: rotation.noRotation)
        let client = try connection.connect()
        return try bytes.withUnsafeBytes { raw in
            try client.put(name: name, environment: environment, value: raw, mode: mode, expectedVersion: expectedVersion,
                           options: options)
        }
    }
}
