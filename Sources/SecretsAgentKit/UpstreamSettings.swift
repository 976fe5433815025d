/// How the agent fronts an upstream (`serve --upstream`): the source, and how long its
/// values may be served from the local cache.
public struct UpstreamSettings: Sendable {
    /// The upstream.
    public var source: any UpstreamSource
    /// A cached value younger than this (since the upstream last confirmed it) is served
    /// without asking the upstream; 0 asks every time. `--cache-ttl`, default 5 minutes.
    public var cacheTTLSeconds: UInt64 = 300
    /// When the upstream cannot be reached, a cached value up to this old is still served,
    /// marked stale; older ones make the read UNAVAILABLE. `--max-stale`, default 24 hours.
    public var maxStaleSeconds: UInt64 = 86_400
    /// How often the agent asks the upstream whether cached secrets changed, so that a
    /// change made elsewhere reaches watchers. `--upstream-poll`, default 30 seconds.
    public var pollSeconds: UInt64 = 30

    /// Settings with the documented defaults.
    public init(source: any UpstreamSource) {
        self.source = source
    }
}
