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
    /// Which of the client library's two get calls to use.
    enum Style: Sendable {
        /// `get(name:environment:) { bytes, version in }`: the value is lent, then wiped;
        /// no allocation per call. The figure the targets judge.
        case lent
        /// `get(name:environment:) -> (SecretValue, UInt64)`: the value is copied into
        /// locked memory (`sodium_malloc`) that the caller owns.
        case secretValue
    }

    private let client: AgentClient
    private let secret: BenchSecret
    private let style: Style

    /// Connects to the agent at `socketPath` and says Hello.
    /// - Throws: `.setup` with the agent's reason when it cannot be reached.
    init(socketPath: String, secret: BenchSecret, style: Style) throws(BenchFailure) {
        do {
            client = try AgentClient(socketPath: socketPath, clientName: "secrets-agent-bench")
        } catch {
            throw .setup("cannot reach the agent: \(error.message)")
        }
        self.secret = secret
        self.style = style
    }

    func roundTrip() throws(BenchFailure) {
        let expected = secret.value
        let (matches, count): (Bool, Int)
        do {
            switch style {
            case .lent:
                (matches, count) = try client.get(name: secret.name, environment: secret.environment) { bytes, _ in
                    (Self.equal(bytes, expected), bytes.count)
                }
            case .secretValue:
                let reply = try client.get(name: secret.name, environment: secret.environment)
                (matches, count) = reply.value.withUnsafeBytes { (Self.equal($0, expected), $0.count) }
            }
        } catch {
            throw .setup("get \(secret.name) failed: \(error.message)")
        }
        guard matches else {
            throw .wrongValue("get \(secret.name) returned \(count) bytes that differ from the \(expected.count) bytes put (the agent returned a wrong value)")
        }
    }

    private static func equal(_ received: UnsafeRawBufferPointer, _ expected: [UInt8]) -> Bool {
        expected.withUnsafeBytes { wanted in
            received.count == wanted.count && (wanted.isEmpty || memcmp(received.baseAddress!, wanted.baseAddress!, wanted.count) == 0)
        }
    }
}
