import ArgumentParser
import SecretsClient
import SecretsCore

/// `--socket`, shared by every command that talks to the agent.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The agent's socket.", valueName: "path"))
    var socket: String?

    var socketPath: String { socket ?? AgentPaths.defaultSocket() }

    /// A connection to the agent, said Hello to.
    func connect() throws(SecretsError) -> AgentClient {
        try AgentClient(socketPath: socketPath, clientName: "secrets-agent-cli")
    }
}

/// `--env`, for commands that name a secret.
struct EnvironmentOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The environment (default: $SECRETS_AGENT_ENV, else development).", valueName: "env"))
    var env: String?

    var environment: String { env ?? AgentPaths.defaultEnvironment() }
}

/// `--store`, for the commands that open the store directly.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store file.", valueName: "path"))
    var store: String?

    var storePath: String { store ?? AgentPaths.defaultStore() }
}
