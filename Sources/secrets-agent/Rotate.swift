import ArgumentParser
import SecretsClient
import SecretsCore
import SecretsCrypto

extension SecretsAgentCommand {
    /// `secrets-agent rotate`
    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rotate", 
            abstract: "Store a new version of an existing secret and tell everyone watching it.",
            discussion: """
            The new value comes from --stdin, or --generate BYTES (drawn by the agent). With neither, a secret \
            the agent generated is redrawn with the same size and format. Processes started by \
            `secrets-agent exec --on-change` pick the new value up without a restart.
            """
        )

        @Argument(help: ArgumentHelp("The secret's name.", valueName: "name"))
        var name: String
        @OptionGroup var environment: EnvironmentOptions
        @Flag(name: .long, help: "Read the new value from standard input (binary-safe, nothing trimmed).")
        var stdin = false
        @Option(name: .long, help: ArgumentHelp("Let the agent draw BYTES random bytes; the value is printed nowhere.", valueName: "bytes"))
        var generate: Int?
        @Option(name: .long, help: ArgumentHelp("Encoding of a generated value: hex, base64, base64url or raw.", valueName: "format"))
        var format: ValueGenerator.Format = .hex
        @Option(name: .customLong("if-version"), help: ArgumentHelp("Only rotate if the current version is N (exit 8 otherwise).", valueName: "n"))
        var ifVersion: UInt64?
        @Option(name: .customLong("rotate-every"), help: ArgumentHelp("Also set the rotation policy, e.g. 30d.", valueName: "duration"))
        var rotateEvery: String?
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            if stdin && generate != nil { throw ValidationError("choose one of --stdin or --generate BYTES") }
            if let generate, !ValueGenerator.byteCountRange.contains(generate) { throw ValidationError("--generate takes 1 to 4096 bytes") }
            if let rotateEvery {
                do { _ = try DurationText.seconds(rotateEvery) } catch { throw ValidationError(error.message) }
            }
        }

        func run() throws {
            _ = try SecretName(name)
            let env = environment.environment
            _ = try Environment(env)
            let generator = try generate.map { try ValueGenerator(byteCount: $0, format: format) }
            let every = try rotateEvery.map { (text) throws(SecretsError) in try DurationText.seconds(text) }
            let client = try connection.connect()
            let version: UInt64
            if stdin {
                let value = try ValueSource.readAll(0, what: "standard input")
                guard value.count > 0 else {
                    throw SecretsError.invalidArgument("standard input was empty (pipe the new value in, or use --generate BYTES)")
                }
                version = try value.withUnsafeBytes { raw in
                    try client.rotate(name: name, environment: env, value: raw, expectedVersion: ifVersion, rotateEverySeconds: every)
                }
            } else {
                version = try client.rotate(name: name, environment: env, generator: generator, expectedVersion: ifVersion,
                                            rotateEverySeconds: every)
            }
            Terminal.print("rotated \(name) in \(env) (version \(version))")
        }
    }

    /// `secrets-agent derive`
    struct Derive: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "derive", 
            abstract: "Print a subkey of a secret for one purpose, as hex (HKDF-SHA256, domain-separated).",
            discussion: "The same secret and domain always give the same key; different domains give unrelated keys. Equal to SecretKey.derive(fromToken:domain:) in the client library."
        )

        @Argument(help: ArgumentHelp("The secret's name.", valueName: "name"))
        var name: String
        @Option(name: .long, help: ArgumentHelp("What the key is for, e.g. billing/webhook-signing.", valueName: "domain"))
        var domain: String
        @Option(name: .long, help: ArgumentHelp("Key length in bytes, 16 to 64.", valueName: "bytes"))
        var length: Int = 32
        @OptionGroup var environment: EnvironmentOptions
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            if domain.isEmpty { throw ValidationError("--domain must name what the key is for") }
            if !(16...64).contains(length) { throw ValidationError("--length takes 16 to 64 bytes") }
        }

        func run() throws {
            let (key, _) = try connection.connect().derive(name: name, environment: environment.environment,
                                                           domain: domain, length: length)
            let hex = key.withUnsafeBytes { raw in Hex.encodeSecure(raw) }
            hex.withUnsafeBytes { Terminal.writeStdout($0) }
            Terminal.write(fd: 1, [0x0A])
        }
    }

    /// `secrets-agent verify`
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "verify", 
            abstract: "Check a token on stdin against a secret: exit 0 if it matches, 1 if not.",
            discussion: "The agent compares in constant time and answers only match or no match. A trailing newline on stdin is not part of the token unless the secret has one."
        )

        @Argument(help: ArgumentHelp("The secret's name.", valueName: "name"))
        var name: String
        @OptionGroup var environment: EnvironmentOptions
        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let token = try ValueSource.readAll(0, what: "standard input")
            let client = try connection.connect()
            var matches = try token.withUnsafeBytes { raw in
                try client.verify(name: name, environment: environment.environment, token: raw)
            }
            if !matches, token.count > 0, token.withUnsafeBytes({ $0[$0.count - 1] == 0x0A }) {
                let trimmed = token.count - (token.withUnsafeBytes { $0.count >= 2 && $0[$0.count - 2] == 0x0D } ? 2 : 1)
                matches = try token.withUnsafeBytes { raw in
                    try client.verify(name: name, environment: environment.environment,
                                      token: UnsafeRawBufferPointer(rebasing: raw[0..<trimmed]))
                }
            }
            Terminal.print(matches ? "match" : "no match")
            if !matches { throw ExitCode(1) }
        }
    }
}
