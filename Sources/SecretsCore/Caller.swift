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
    /// The systemd unit a credential-socket request is for (`CredentialRequest`); `nil` for
    /// every peer of the agent's own socket. Only rules with a `unit` key match a caller
    /// with a unit, and only callers with that unit match them.
    public var unit: UnitName?

    /// A caller as the agent found it.
    public init(uid: UInt32, gids: Set<UInt32>, exe: String? = nil, unit: UnitName? = nil) {
        self.uid = uid
        self.gids = gids
        self.exe = exe
        self.unit = unit
    }

    /// A credential-socket request for `unit`, as the policy sees it: nothing but the unit.
    public static func unit(_ unit: UnitName) -> Caller {
        Caller(uid: UInt32.max, gids: [], exe: nil, unit: unit)
    }
}
