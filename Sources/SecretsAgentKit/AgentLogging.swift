import Logging

/// The agent's logger: one line per event on stderr (journald adds the timestamp under
/// systemd). Metadata keys are namespaced `agent.*`; no value is ever logged.
public enum AgentLogging {
    /// Bootstraps swift-log once and returns the agent's logger.
    public static func makeLogger(level: Logger.Level = .info) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "secrets-agent")
    }
}
