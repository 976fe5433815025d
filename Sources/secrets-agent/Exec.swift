import ArgumentParser
import SecretsCore
import SecretsExec
#if canImport(Glibc)
import Glibc
#endif

extension SecretsAgentCommand {
    /// `secrets-agent exec`
    struct Exec: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "exec", 
            abstract: "Run a command with secrets in its environment (or files), its output redacted.",
            discussion: """
            Each --secret VAR=NAME adds VAR to the command's environment with the value of NAME; nothing else \
            changes, and no value ever appears in this command's own arguments or environment. If a secret is \
            missing or denied, nothing is started (exit 3 or 4).

            By default the command's stdout and stderr pass through a redactor that replaces every injected \
            value with [REDACTED:NAME], even split across reads; when this command's output is a terminal, the \
            child gets a pseudo-terminal so colours, line editing and window size keep working. --no-redact \
            (without --files or --on-change) replaces this process with the command.

            --files DIR creates DIR (0700; it must not exist; best under /dev/shm or $XDG_RUNTIME_DIR), writes \
            each secret as a 0400 file DIR/VAR, sets $CREDENTIALS_DIRECTORY=DIR for the command (as systemd \
            does) instead of the variables, and overwrites and removes the files when the command exits.

            --on-change restart|signal:NAME|none follows rotations (secrets-agent rotate): files are rewritten \
            atomically, then the command is sent NAME (e.g. signal:HUP) or stopped (TERM, then KILL after \
            --restart-timeout) and started again with the new values.

            Signals INT, TERM, HUP, USR1, USR2, WINCH and QUIT are forwarded. The exit status is the command's, \
            or 128+N when it was killed by signal N.

            Example: secrets-agent exec --secret OPENAI_API_KEY=openai/key -- python3 app.py
            """
        )

        @OptionGroup var environment: EnvironmentOptions
        @Option(name: .customLong("secret"), help: ArgumentHelp("Give secret NAME as variable VAR (repeatable).", valueName: "VAR=NAME"))
        var secrets: [String] = []
        @Option(name: .long, help: ArgumentHelp("Write the secrets as files in this new directory instead of variables.", valueName: "dir"))
        var files: String?
        @Flag(name: .customLong("no-redact"), help: "Do not filter the command's output.")
        var noRedact = false
        @Option(name: .customLong("on-change"), help: ArgumentHelp("When an injected secret is rotated: restart, signal:NAME or none.", valueName: "action"))
        var onChange: String = "none"
        @Option(name: .customLong("restart-timeout"), help: ArgumentHelp("Seconds a restart waits after TERM before KILL.", valueName: "seconds"))
        var restartTimeout: Double = 10
        @OptionGroup var connection: ConnectionOptions
        @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The command and its arguments, after --.", valueName: "command"))
        var command: [String] = []

        func validate() throws {
            // Passthrough capture takes a lone --help as the command; before any --secret or
            // "--", it is a request for this help.
            if secrets.isEmpty, let first = self.command.first, first == "--help" || first == "-h" {
                throw CleanExit.helpRequest(self)
            }
            let command = self.command.first == "--" ? Array(self.command.dropFirst()) : self.command
            guard !command.isEmpty else { throw ValidationError("give the command to run after --, e.g. -- python3 app.py") }
            guard !secrets.isEmpty else { throw ValidationError("name at least one --secret VAR=NAME") }
            if !(0...3600).contains(restartTimeout) { throw ValidationError("--restart-timeout takes 0 to 3600 seconds") }
        }

        mutating func run() throws {
            if command.first == "--" { command.removeFirst() }
            let bindings = try secrets.map { (text) throws(SecretsError) in try SecretBinding(parsing: text) }
            let variables = bindings.map(\.variable)
            if let duplicate = variables.first(where: { variable in variables.filter { $0 == variable }.count > 1 }) {
                throw SecretsError.invalidArgument("--secret \(duplicate)=… is given twice (each variable once)")
            }
            _ = try Environment(environment.environment)
            var options = ExecOptions(bindings: bindings, environment: environment.environment, command: command)
            options.filesDirectory = files
            options.redact = !noRedact
            options.onChange = try OnChange(parsing: onChange)
            options.restartTimeoutSeconds = restartTimeout
            if options.onChange != .none, files == nil, options.onChange != .restart {
                Terminal.printError("secrets-agent: exec: --on-change \(onChange) without --files: a running process cannot see new environment values (use --files DIR, or --on-change restart)")
            }
            let session = ExecSession(options: options, socketPath: connection.socketPath) { message in
                Terminal.printError("secrets-agent: exec: \(message)")
            }
            do {
                let status = try session.run()
                Glibc.exit(status)
            } catch let failure as ExecFailure {
                Terminal.printError("secrets-agent: \(failure.message)")
                Glibc.exit(failure.exitCode)
            }
        }
    }
}
