import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SecretsCore
import SecretsProtocol

/// The async face of the agent for Swift services: one connection, whose blocking calls
/// run one at a time on a private serial queue, so callers never block the cooperative
/// thread pool. Values come back as `SecretValue`, which zeroes itself and prints as
/// `[REDACTED]`.
///
/// ```swift
/// let agent = try await AsyncAgentClient.connect()          // $SECRETS_AGENT_SOCK or the default
/// let key = try await agent.get("openai/key", environment: "production")
/// key.withUnsafeBytes { bytes in useKey(bytes) }            // never print it: it shows [REDACTED]
/// for try await change in agent.watch(["openai/key"]) {     // a stream of rotations
///     print("\(change.name) is now version \(change.version)")
/// }
/// ```
/// `secrets-agent-example` (Sources/secrets-agent-example) is this, runnable.
public final class AsyncAgentClient: Sendable {
    /// The socket this client talks to.
    public let socketPath: String
    private let queue: DispatchQueue
    private let connection: Connection

    /// The blocking client, touched only on `queue`.
    private final class Connection: @unchecked Sendable {
        let client: AgentClient
        init(_ client: AgentClient) { self.client = client }
    }

    private init(socketPath: String, client: AgentClient, queue: DispatchQueue) {
        self.socketPath = socketPath
        self.connection = Connection(client)
        self.queue = queue
    }

    /// Connects to the agent at `socket` (default: `$SECRETS_AGENT_SOCK`, else the per-user
    /// or system path of DESIGN §12) and says Hello.
    /// - Throws: `.unavailable` when no agent answers, `.permissionDenied` when refused.
    public static func connect(socket: String? = nil) async throws(SecretsError) -> AsyncAgentClient {
        let path = socket ?? AgentPaths.defaultSocket()
        let queue = DispatchQueue(label: "secrets-agent.client")
        return try await Self.perform(on: queue) { () throws(SecretsError) in
            AsyncAgentClient(socketPath: path, client: try AgentClient(socketPath: path, clientName: "secrets-agent-swift"), queue: queue)
        }
    }

    /// The current value (or `version`) of `name` in `environment` (default:
    /// `$SECRETS_AGENT_ENV`, else development).
    public func get(_ name: String, environment: String? = nil, version: UInt64 = 0) async throws(SecretsError) -> SecretValue {
        let environment = environment ?? AgentPaths.defaultEnvironment()
        return try await run { client throws(SecretsError) in
            try client.get(name: name, environment: environment, version: version).value
        }
    }

    /// Several current values in one round trip, in order; all or nothing.
    public func batchGet(_ names: [String], environment: String? = nil) async throws(SecretsError) -> [SecretValue] {
        let environment = environment ?? AgentPaths.defaultEnvironment()
        return try await run { client throws(SecretsError) in
            try client.batchGet(names.map { AgentClient.BatchItem(name: $0, environment: environment) }).map(\.value)
        }
    }

    /// Names and metadata (never values) in `environment` (nil: all you may list).
    public func list(environment: String? = nil, prefix: String = "") async throws(SecretsError) -> [SecretsAgent_V1_SecretMetadata] {
        try await run { client throws(SecretsError) in try client.list(environment: environment, prefix: prefix) }
    }

    /// Creates or updates `name` with `value`. - Returns: the new version.
    public func put(_ name: String, value: SecretValue, environment: String? = nil,
                    expectedVersion: UInt64? = nil) async throws(SecretsError) -> UInt64 {
        let environment = environment ?? AgentPaths.defaultEnvironment()
        return try await run { client throws(SecretsError) in
            try value.withUnsafeBytes { raw in
                Result { () throws(SecretsError) in
                    try client.put(name: name, environment: environment, value: raw, mode: .unspecified, expectedVersion: expectedVersion)
                }
            }.get()
        }
    }

    /// A new version of `name`: `value`, or (nil) one the agent draws like the first.
    public func rotate(_ name: String, value: SecretValue? = nil, environment: String? = nil) async throws(SecretsError) -> UInt64 {
        let environment = environment ?? AgentPaths.defaultEnvironment()
        return try await run { client throws(SecretsError) in
            guard let value else { return try client.rotate(name: name, environment: environment) }
            return try value.withUnsafeBytes { raw in
                Result { () throws(SecretsError) in try client.rotate(name: name, environment: environment, value: raw) }
            }.get()
        }
    }

    /// Changes to `names` (empty: every name you may list) in `environment` (nil: all), on
    /// a connection of its own, until the consumer stops iterating (which closes it) or
    /// the agent goes away (the stream then ends, or throws `SecretsError`).
    public func watch(_ names: [String] = [], environment: String? = nil) -> AsyncThrowingStream<SecretChange, any Error> {
        let path = socketPath
        return AsyncThrowingStream { continuation in
            let watcher: AgentClient
            do throws(SecretsError) {
                watcher = try AgentClient(socketPath: path, clientName: "secrets-agent-swift-watch")
                try watcher.watch(names: names, environment: environment)
            } catch {
                continuation.finish(throwing: error)
                return
            }
            let stream = Connection(watcher)
            continuation.onTermination = { _ in shutdown(stream.client.fileDescriptor, Int32(SHUT_RDWR)) }
            DetachedThread.start {
                do throws(SecretsError) {
                    while let event = try stream.client.nextChange() {
                        if case .terminated = continuation.yield(SecretChange(event)) { return }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
        }
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable (AgentClient) throws(SecretsError) -> T) async throws(SecretsError) -> T {
        let connection = self.connection
        return try await Self.perform(on: queue) { () throws(SecretsError) in try body(connection.client) }
    }

    private static func perform<T: Sendable>(on queue: DispatchQueue,
                                             _ body: @escaping @Sendable () throws(SecretsError) -> T) async throws(SecretsError) -> T {
        let result: Result<T, SecretsError> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Result { () throws(SecretsError) in try body() })
            }
        }
        return try result.get()
    }
}
