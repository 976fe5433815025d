/// Versions spoken on the wire.
public enum ProtocolVersion {
    /// The protocol version this build speaks.
    public static let current: UInt32 = 1
    /// The agent and CLI version.
    public static let agentVersion = "0.1.0"
}
