import Synchronization
import SecretsCore

/// The agent's side of an upstream: the settings, and what `status` reports about it
/// (stale reads served). The reads and writes themselves are in
/// `RequestDispatcher+Upstream.swift`.
final class UpstreamFront: Sendable {
    let settings: UpstreamSettings
    private let staleReadCount = Atomic<UInt64>(0)

    init(settings: UpstreamSettings) {
        self.settings = settings
    }

    var source: any UpstreamSource { settings.source }

    /// Reads answered from the cache because the upstream could not be reached.
    var staleReads: UInt64 { staleReadCount.load(ordering: .relaxed) }

    func countStaleRead() {
        staleReadCount.add(1, ordering: .relaxed)
    }

    /// `90s`, `5m`, `2h3m`: an age as people read it.
    static func age(_ seconds: UInt64) -> String {
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds / 60)m\(seconds % 60)s" }
        if seconds < 86_400 { return seconds % 3600 / 60 == 0 ? "\(seconds / 3600)h" : "\(seconds / 3600)h\(seconds % 3600 / 60)m" }
        return "\(seconds / 86_400)d\(seconds % 86_400 / 3600)h"
    }
}
