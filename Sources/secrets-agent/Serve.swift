import ArgumentParser
import SecretsAgentKit
import SecretsClient
import SecretsCore
#if canImport(Glibc)
import Glibc
#endif

extension SecretsAgentCommand {
    /// `secrets-agent serve`
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the agent in the foreground.",
            discussion: """
            Creates the socket's directory (0700) and the socket (0600), refusing a directory that another user owns or that group/other may write to. Every connection's peer is checked with SO_PEERCRED: without a policy only the agent's own uid is served. Starts locked unless --unlock-key-file is given. SIGTERM or SIGINT: stops accepting, finishes in-flight requests, zeroes the master key and removes the socket.
            """
        )

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var storeOptions: StoreOptions

        @Option(name: .customLong("unlock-key-file"), help: ArgumentHelp("Unlock at start with this key file.", valueName: "file"))
        var unlockKeyFile: String?

        @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info, notice, warning or error.", valueName: "level"))
        var logLevel: String = "info"

        func run() throws {
            Serve.disableCrashBacktracer()
            var configuration = AgentConfiguration(socketPath: connection.socketPath, storePath: storeOptions.storePath)
            configuration.unlockKeyFile = unlockKeyFile
            let logger = AgentLogging.makeLogger(level: .init(rawValue: logLevel) ?? .info)
            try Agent(configuration: configuration, logger: logger).run()
        }

        /// Swift's crash backtracer prints memory near every register to stderr, even when the
        /// process is not dumpable; the agent holds keys, so it re-executes itself with
        /// SWIFT_BACKTRACE=enable=no when that is not already set (DESIGN §10).
        static func disableCrashBacktracer() {
            if let current = getenv("SWIFT_BACKTRACE"), String(cString: current) == "enable=no" { return }
            setenv("SWIFT_BACKTRACE", "enable=no", 1)
            let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
            execv("/proc/self/exe", arguments)
            // exec failed: keep running; the variable is set for any child at least.
        }
    }
}
