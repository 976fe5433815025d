/// When to renew an upstream token, and how long to wait after a failure. Pure arithmetic,
/// so the schedule is tested without a clock.
public enum TokenRenewal {
    /// Seconds to wait before renewing a token that has `ttlSeconds` left: two thirds of
    /// the way through its life (as Vault Agent does), at least 1 s; nil for a token that
    /// does not expire (ttl 0, e.g. a root token) or is not renewable.
    public static func delay(ttlSeconds: UInt64, renewable: Bool) -> UInt64? {
        guard ttlSeconds > 0 else { return nil }
        guard renewable else {
            // Not renewable: log in again shortly before it expires, if that is possible.
            return max(1, ttlSeconds - min(ttlSeconds / 10, 30))
        }
        return max(1, ttlSeconds * 2 / 3)
    }

    /// Seconds to wait before retrying after `failures` failed attempts in a row:
    /// 1, 2, 4 … capped at 30.
    public static func retryDelay(failures: Int) -> UInt64 {
        guard failures > 0 else { return 1 }
        return min(30, UInt64(1) << UInt64(min(failures - 1, 5)))
    }
}
