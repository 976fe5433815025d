import ArgumentParser
import SecretsAgentKit
import SecretsCore
#if canImport(Glibc)
import Glibc
#endif

extension SecretsAgentCommand {
    /// `secrets-agent policy check FILE` and `secrets-agent policy explain --uid N`
    struct PolicyCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "policy",
            abstract: "Validate a policy file, or show which rule applies to a caller.",
            subcommands: [Check.self, Explain.self]
        )

        /// `secrets-agent policy check FILE`
        struct Check: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "check", 
                abstract: "Validate a policy file and print its effective rules (exit 64 with file:line when invalid).")

            @Argument(help: ArgumentHelp("The policy file.", valueName: "file"))
            var file: String

            func run() throws {
                for line in try PolicyReport.check(file) { Terminal.print(line) }
            }
        }

        /// `secrets-agent policy explain (--uid N [--exe PATH] | --unit NAME)`
        struct Explain: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "explain", abstract: "Print which rule of a policy applies to a uid (and executable) or to a systemd unit's LoadCredential=, and what it grants.")

            @Option(name: .long, help: ArgumentHelp("The caller's uid.", valueName: "n"))
            var uid: UInt32?
            @Option(name: .long, help: ArgumentHelp("The caller's executable, as /proc/PID/exe shows it.", valueName: "path"))
            var exe: String?
            @Option(name: .long, help: ArgumentHelp("A systemd unit reading credentials from the credential socket, e.g. web.service.", valueName: "name"))
            var unit: String?
            @Option(name: .long, help: ArgumentHelp("The policy file (default: $SECRETS_AGENT_POLICY, else /etc/secrets-agent/policy.toml).", valueName: "file"))
            var policy: String?

            func validate() throws {
                if (uid == nil) == (unit == nil) { throw ValidationError("give one of --uid N or --unit NAME") }
                if unit != nil && exe != nil { throw ValidationError("--exe goes with --uid, not --unit") }
            }

            func run() throws {
                let path = policy ?? getenv("SECRETS_AGENT_POLICY").map { String(cString: $0) } ?? "/etc/secrets-agent/policy.toml"
                if let unit {
                    Terminal.print(try PolicyReport.explain(path, unit: unit))
                } else if let uid {
                    Terminal.print(try PolicyReport.explain(path, uid: uid, exe: exe))
                }
            }
        }
    }
}
