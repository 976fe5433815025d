/// Who is asking, as far as a policy can tell: the peer's uid, every group it is in and,
/// when the agent could read it, the executable it runs (`/proc/PID/exe`).
public struct Caller: Sendable, Equatable {
    /// The peer's uid (SO_PEERCRED).
    public var uid: UInt32
    /// The peer's primary gid and its supplementary gids.
    public var gids: Set<UInt32>
    /// The absolute path of the peer's executable, or `nil` when it could not be read;
    /// then no rule with an `exe` key matches.
    public var exe: String?

    /// A caller as the agent found it.
    public init(uid: UInt32, gids: Set<UInt32>, exe: String? = nil) {
        self.uid = uid
        self.gids = gids
        self.exe = exe
    }
}
