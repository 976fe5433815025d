import SecretsClient
import SecretsCore

/// Unlock with a passphrase: adds a passphrase keyslot (Argon2id, the agent's default
/// parameters), then `samples` times locks the agent and times `unlock` with that
/// passphrase, the round trip included. A get of the bench secret must work after.
enum UnlockBench {
    /// - Returns: each unlock's duration in milliseconds.
    /// - Throws: `.setup` when a step is refused, `.wrongValue` when the get after is wrong.
    static func measure(socketPath: String, samples: Int, check: BenchSecret) throws(BenchFailure) -> [Double] {
        let client = try ScaleClients.connect(socketPath)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        let passphrase = (0..<32).map { _ in alphabet.randomElement()! }
        let added: Result<Int64, SecretsError> = passphrase.withUnsafeBytes { raw in
            Result { () throws(SecretsError) in try client.addKeyslot(kind: .passphrase, secret: raw) }
        }
        if case .failure(let error) = added { throw .setup("cannot add a passphrase keyslot: \(error.message)") }
        var milliseconds: [Double] = []
        for _ in 0..<max(samples, 1) {
            do {
                try client.lock()
            } catch {
                throw .setup("cannot lock the agent: \(error.message)")
            }
            let start = MonotonicClock.nanoseconds()
            let unlocked: Result<Void, SecretsError> = passphrase.withUnsafeBytes { raw in
                Result { () throws(SecretsError) in try client.unlock(kind: .passphrase, secret: raw) }
            }
            if case .failure(let error) = unlocked { throw .setup("unlock with the passphrase just added failed: \(error.message)") }
            milliseconds.append(Double(MonotonicClock.nanoseconds() - start) / 1e6)
        }
        try GetClient(socketPath: socketPath, secret: check, style: .lent).roundTrip()
        return milliseconds
    }
}
