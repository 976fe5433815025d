import ArgumentParser
import SecretsCore
#if canImport(Glibc)
import Glibc
#endif

/// `secrets-agent`: the root command. Thin: parses, calls the client or the agent library,
/// prints. Every failure is one line on stderr and an exit code from `ExitStatus`.
///
/// Every command names itself (`commandName:`): without it ArgumentParser derives the name
/// with `String(describing:)` on the type, a dynamic cast that scans every protocol
/// conformance in this static binary, once per command at every start (measured: half of
/// `secrets-agent --version`'s 17 ms; 10 ms without).
@main
struct SecretsAgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets-agent",
        abstract: "A per-host secrets agent: encrypted secrets served over a Unix socket to local processes.",
        discussion: """
        Values are never taken from the command line: use --stdin, --from-file or --generate.

        Socket: --socket, else $SECRETS_AGENT_SOCK, else $XDG_RUNTIME_DIR/secrets-agent/agent.sock (or /run/secrets-agent/agent.sock as root). Store: --store, else $SECRETS_AGENT_STORE, else $XDG_DATA_HOME/secrets-agent/store.db (or /var/lib/secrets-agent/store.db as root). Environment: --env, else $SECRETS_AGENT_ENV, else development.

        Exit codes: 0 ok, 1 other failure, 3 not found, 4 permission denied, 5 agent locked, 6 no agent reachable, 7 integrity failure, 8 already exists or version conflict, 64 usage.
        """,
        version: "0.1.0",
        subcommands: [
            Init.self, Serve.self, Unlock.self, Lock.self, Status.self,
            Add.self, Update.self, Rotate.self, Get.self, List.self, Remove.self, History.self,
            Exec.self, Watch.self, Derive.self, Verify.self,
            Inject.self,
            Import.self, Export.self, Restore.self,
            Scan.self, Redact.self,
            Keyslot.self, Audit.self, PolicyCommand.self,
            Doctor.self,
        ]
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as SecretsError {
            ExitStatus.fail(error)
        } catch {
            exit(withError: error)
        }
    }
}
