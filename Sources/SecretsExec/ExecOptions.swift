import SecretsCore

/// Everything `secrets-agent exec` was asked to do.
public struct ExecOptions: Sendable {
    public var bindings: [SecretBinding]
    /// The environment the secrets are read from.
    public var environment: String
    /// Files mode: the directory to create, or `nil` to inject environment variables.
    public var filesDirectory: String?
    /// Pass the child's output through the redactor.
    public var redact = true
    public var onChange: OnChange = .none
    /// How long a restart waits after TERM before KILL.
    public var restartTimeoutSeconds: Double = 10
    /// The command and its arguments.
    public var command: [String]

    public init(bindings: [SecretBinding], environment: String, command: [String]) {
        self.bindings = bindings
        self.environment = environment
        self.command = command
    }
}
