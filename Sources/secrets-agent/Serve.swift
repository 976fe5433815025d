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
        static let configuration = CommandConfiguration(commandName: "serve", 
            abstract: "Run the agent in the foreground.",
            discussion: """
            Creates the socket's directory (0700) and the socket (0600), refusing a directory that another user owns or that group/other may write to. Every connection's peer is checked with SO_PEERCRED: without a policy only the agent's own uid is served. Starts locked unless --unlock-key-file is given. SIGTERM or SIGINT: stops accepting, finishes in-flight requests, zeroes the master key and removes the socket. With --credential-socket it also serves systemd's LoadCredential=ID:PATH, to units the policy grants with unit = "NAME.service" (the ID is the secret's name as systemd-escape writes it: db-password for db/password).

            With --upstream, secrets live in an OpenBao / Vault KV v2 mount (NAME in ENV at <mount>/<prefix>/<ENV>/<NAME>): reads pass the local policy, then go upstream and are cached in the store, encrypted; while the upstream is unreachable the cache answers, marked stale, up to --max-stale. Writes go upstream first and change nothing locally when they fail.
            """
        )

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var storeOptions: StoreOptions

        @Option(name: .customLong("unlock-key-file"), help: ArgumentHelp("Unlock at start with this key file.", valueName: "file"))
        var unlockKeyFile: String?

        @Option(name: .customLong("unlock-credential"), help: ArgumentHelp("Unlock at start with this systemd credential (from $CREDENTIALS_DIRECTORY).", valueName: "name"))
        var unlockCredential: String?

        @Option(name: .customLong("idle-lock"), help: ArgumentHelp("Lock after this many seconds without a request (0: never).", valueName: "seconds"))
        var idleLock: Int = 0

        @Option(name: .long, help: ArgumentHelp("The policy file (TOML); SIGHUP reloads it. Without one only your own uid is served.", valueName: "file"))
        var policy: String?

        @Option(name: .customLong("socket-mode"), help: ArgumentHelp("The socket's mode in octal, instead of the one the policy implies (0600, 0660 or 0666).", valueName: "mode"))
        var socketMode: String?

        @Option(name: .customLong("audit-retention-days"), help: ArgumentHelp("Prune audit entries older than this, leaving a checkpoint (0: keep all).", valueName: "days"))
        var auditRetentionDays: Int = 90

        @Option(name: .customLong("rotation-check"), help: ArgumentHelp("Look for secrets due for rotation every this many seconds; generated ones are redrawn, others reported overdue.", valueName: "seconds"))
        var rotationCheck: Int = 60

        @OptionGroup(title: "Upstream (OpenBao / Vault)") var upstream: UpstreamOptions

        @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info, notice, warning or error.", valueName: "level"))
        var logLevel: String = "info"

        @Option(name: .customLong("credential-socket"), help: ArgumentHelp("Also serve systemd's LoadCredential=ID:PATH on this socket (0600), to units the policy names with unit = \"NAME.service\".", valueName: "path"))
        var credentialSocket: String?

        @Option(name: .customLong("credential-env"), help: ArgumentHelp("The environment credentials are read from when the unit's rule does not name exactly one (default: $SECRETS_AGENT_ENV, else development).", valueName: "env"))
        var credentialEnv: String?

        @Flag(name: .customLong("durable-read-audit"), help: "Answer a read only once its audit entry is on disk (each get then waits for an fsync; by default read entries are committed within 2 ms of the reply, writes always before theirs).")
        var durableReadAudit = false

        /// `--credential-env`, else $SECRETS_AGENT_ENV, else development.
        var credentialEnvironment: String {
            credentialEnv ?? getenv("SECRETS_AGENT_ENV").map { String(cString: $0) } ?? Environment.development.rawValue
        }

        func validate() throws {
            if let socketMode, UInt32(socketMode, radix: 8).map({ $0 <= 0o777 }) != true {
                throw ValidationError("--socket-mode takes an octal mode such as 0660")
            }
            if auditRetentionDays < 0 { throw ValidationError("--audit-retention-days must be 0 or more") }
            if idleLock < 0 { throw ValidationError("--idle-lock must be 0 or more seconds") }
            if rotationCheck < 1 { throw ValidationError("--rotation-check must be 1 or more seconds") }
            if unlockKeyFile != nil && unlockCredential != nil {
                throw ValidationError("choose one of --unlock-key-file F or --unlock-credential NAME")
            }
            if credentialSocket != nil && policy == nil {
                throw ValidationError("--credential-socket needs --policy FILE: units are served only through rules with unit = \"NAME.service\"")
            }
            if credentialSocket != nil || credentialEnv != nil {
                do { _ = try Environment(credentialEnvironment) } catch {
                    throw ValidationError("--credential-env: \(error.message)")
                }
            }
        }

        func run() throws {
            Serve.disableCrashBacktracer()
            var configuration = AgentConfiguration(socketPath: connection.socketPath, storePath: storeOptions.storePath)
            configuration.unlockKeyFile = unlockKeyFile
            configuration.unlockCredential = unlockCredential
            configuration.idleLockSeconds = idleLock
            configuration.policyPath = policy
            configuration.socketMode = socketMode.flatMap { UInt32($0, radix: 8) }
            configuration.auditRetentionDays = auditRetentionDays
            configuration.rotationCheckSeconds = rotationCheck
            configuration.credentialSocketPath = credentialSocket
            configuration.durableReadAudit = durableReadAudit
            if credentialSocket != nil { configuration.credentialEnvironment = try Environment(credentialEnvironment) }
            let logger = AgentLogging.makeLogger(level: .init(rawValue: logLevel) ?? .info)
            configuration.upstream = try upstream.settings(logger: logger)
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
