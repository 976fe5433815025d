/// How the agent authenticates to the upstream. Both files are read like key files:
/// regular, owned by the agent's user, no group or other permissions (DESIGN §4).
public enum UpstreamCredentials: Sendable, Equatable {
    /// A token in a file (`--upstream-token-file`); the file is read again when the token
    /// cannot be renewed, so an operator can replace it without restarting the agent.
    case tokenFile(String)
    /// AppRole (`--upstream-role-id-file`, `--upstream-secret-id-file`): the agent logs in
    /// at start and again whenever its token cannot be renewed.
    case appRole(roleIDFile: String, secretIDFile: String)

    /// How the credentials are named in messages: the flags, never the contents.
    var label: String {
        switch self {
        case .tokenFile(let path): "the token in \(path)"
        case .appRole(let roleID, let secretID): "the AppRole role_id in \(roleID) and secret_id in \(secretID)"
        }
    }

    /// What to check when they are refused.
    var fix: String {
        switch self {
        case .tokenFile: "check --upstream-token-file"
        case .appRole: "check --upstream-role-id-file and --upstream-secret-id-file"
        }
    }
}
