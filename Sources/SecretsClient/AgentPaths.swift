#if canImport(Glibc)
import Glibc
#endif

/// Where the socket and the store are when no flag says (DESIGN §12).
public enum AgentPaths {
    /// `$SECRETS_AGENT_SOCK`, else `$XDG_RUNTIME_DIR/secrets-agent/agent.sock` for a user,
    /// else `/run/secrets-agent/agent.sock` (root, or no runtime directory).
    public static func defaultSocket() -> String {
        if let explicit = variable("SECRETS_AGENT_SOCK") { return explicit }
        if geteuid() != 0, let runtime = variable("XDG_RUNTIME_DIR") { return runtime + "/secrets-agent/agent.sock" }
        return "/run/secrets-agent/agent.sock"
    }

    /// `$SECRETS_AGENT_STORE`, else `$XDG_DATA_HOME/secrets-agent/store.db` (or
    /// `~/.local/share/...`) for a user, else `/var/lib/secrets-agent/store.db` for root.
    public static func defaultStore() -> String {
        if let explicit = variable("SECRETS_AGENT_STORE") { return explicit }
        if geteuid() != 0 {
            if let data = variable("XDG_DATA_HOME") { return data + "/secrets-agent/store.db" }
            if let home = variable("HOME") { return home + "/.local/share/secrets-agent/store.db" }
        }
        return "/var/lib/secrets-agent/store.db"
    }

    /// `$SECRETS_AGENT_ENV`, else `development`.
    public static func defaultEnvironment() -> String {
        variable("SECRETS_AGENT_ENV") ?? "development"
    }

    private static func variable(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        let value = String(cString: raw)
        return value.isEmpty ? nil : value
    }
}
