#if canImport(Glibc)
import Glibc
#endif
import SecretsClient

/// The secret every get asks for, and the bytes the agent must return for it.
struct BenchSecret: Sendable {
    let name: String
    let environment: String
    /// The value put; compared with every reply and never printed.
    let value: [UInt8]

    /// `count` random printable bytes under `bench/openai-key` in `production`, the shape
    /// of a typical API key.
    static func random(count: Int = 40) -> BenchSecret {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        var generator = SystemRandomNumberGenerator()
        let value = (0..<count).map { _ in alphabet.randomElement(using: &generator)! }
        return BenchSecret(name: "bench/openai-key", environment: "production", value: value)
    }
}

/// A real client of the agent, through the public `AgentClient`: each round trip is one
/// `get`, and the value returned must equal the value put, byte for byte.
final class GetClient: RoundTripClient {
    private let client: AgentClient
    private let secret: BenchSecret

    /// Connects to the agent at `socketPath` and says Hello.
    /// - Throws: `.setup` with the agent's reason when it cannot be reached.
    init(socketPath: String, secret: BenchSecret) throws(BenchFailure) {
        do {
            client = try AgentClient(socketPath: socketPath, clientName: "secrets-agent-bench")
        } catch {
            throw .setup("cannot reach the agent: \(error.message)")
        }
        self.secret = secret
    }

    func roundTrip() throws(BenchFailure) {
        let reply: (value: SecretValue, version: UInt64)
        do {
            reply = try client.get(name: secret.name, environment: secret.environment)
        } catch {
            throw .setup("get \(secret.name) failed: \(error.message)")
        }
        let expected = secret.value
        let matches = reply.value.withUnsafeBytes { received in
            expected.withUnsafeBytes { wanted in
                received.count == wanted.count && memcmp(received.baseAddress!, wanted.baseAddress!, wanted.count) == 0
            }
        }
        guard matches else {
            throw .wrongValue("get \(secret.name) returned \(reply.value.count) bytes that differ from the \(expected.count) bytes put (the agent returned a wrong value)")
        }
    }
}
