import SecretsCore
import SecretsStore

/// Failed unlocks back off exponentially (DESIGN §10): after n consecutive failures every
/// attempt, right or wrong, is refused for min(2^(n-1), 300) seconds after the last one.
/// The counter lives in the store, so restarting the agent does not reset it.
enum UnlockBackoff {
    static let maximumSeconds: Int64 = 300

    static func delaySeconds(afterFailures count: Int) -> Int64 {
        guard count > 0 else { return 0 }
        return min(Int64(1) << Int64(min(count - 1, 20)), maximumSeconds)
    }

    /// - Throws: `.resourceExhausted` with the wait while inside the back-off window.
    static func check(_ store: SecretStore, nowUnixMs: Int64) throws(SecretsError) {
        let failures = try store.unlockFailures()
        let until = failures.lastUnixMs + delaySeconds(afterFailures: failures.count) * 1000
        guard nowUnixMs >= until else {
            let wait = (until - nowUnixMs + 999) / 1000
            throw .resourceExhausted("too many failed unlocks (\(failures.count) in a row): try again in \(wait) s")
        }
    }
}
