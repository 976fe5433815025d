import ArgumentParser
import SecretsCore
import SecretsProtocol

extension SecretsAgentCommand {
    /// `secrets-agent get`
    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", 
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
            var request = SecretsAgent_V1_GetRequest()
            request.name = name
            request.environment = environment.environment
            request.version = version ?? 0
            request.masked = masked
            guard case .get(var reply) = try connection.connect().call(.get(request)) else {
                throw SecretsError.internal("the agent answered a get with another reply (update secrets-agent)")
            }
            defer { reply.value.resetBytes(in: 0..<reply.value.count) }
            if reply.stale {
                Terminal.printError("secrets-agent: note: \(reply.name) in \(reply.environment) is stale: served from the local cache, \(Self.age(reply.cacheAgeSeconds)) old, because \(reply.upstreamError)")
            }
            reply.value.withUnsafeBytes { Terminal.writeStdout($0) }
        }

        /// `42s`, `5m3s`, `2h`: the age of a cached value.
        static func age(_ seconds: UInt64) -> String {
            if seconds < 60 { return "\(seconds)s" }
            if seconds < 3600 { return seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds / 60)m\(seconds % 60)s" }
            return "\(seconds / 3600)h\(seconds % 3600 / 60)m"
        }
    }
}
