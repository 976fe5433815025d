/// What a caller may do (DESIGN §6). Until a policy is loaded the agent's own uid is
/// `admin` and every other uid is denied.
public enum Role: String, Sendable, CaseIterable {
    case admin, viewer, agent
}
