#if canImport(Glibc)
import Glibc
#endif
import SecretsClient
import SecretsProtocol

/// The reads of the store at scale, each a `RoundTripClient` over `AgentClient`, each
/// checking everything it gets back against `ScaleStore`.
enum ScaleClients {
    /// Connects as the bench. - Throws: `.setup` with the agent's reason.
    static func connect(_ socketPath: String) throws(BenchFailure) -> AgentClient {
        do {
            return try AgentClient(socketPath: socketPath, clientName: "secrets-agent-bench")
        } catch {
            throw .setup("cannot reach the agent: \(error.message)")
        }
    }

    /// Whether the bytes lent or owned equal the expected ones.
    static func equal(_ received: UnsafeRawBufferPointer, _ expected: ArraySlice<UInt8>) -> Bool {
        received.count == expected.count && expected.withUnsafeBytes {
            $0.isEmpty || memcmp(received.baseAddress!, $0.baseAddress!, $0.count) == 0
        }
    }
}

/// `list(environment: production, prefix: bench/list/)`: must name exactly the listed secrets.
final class ListClient: RoundTripClient {
    private let client: AgentClient
    private let store: ScaleStore

    init(socketPath: String, store: ScaleStore) throws(BenchFailure) {
        client = try ScaleClients.connect(socketPath)
        self.store = store
    }

    func roundTrip() throws(BenchFailure) {
        let listed: [SecretsAgent_V1_SecretMetadata]
        do {
            listed = try client.list(environment: ScaleStore.environment, prefix: ScaleStore.listPrefix)
        } catch {
            throw .setup("list \(ScaleStore.listPrefix) failed: \(error.message)")
        }
        let expected = store.listedNames
        guard listed.count == expected.count,
              listed.allSatisfy({ $0.environment == ScaleStore.environment }),
              listed.map(\.name).sorted().elementsEqual(expected) else {
            throw .wrongValue("list \(ScaleStore.listPrefix) in \(ScaleStore.environment) returned \(listed.count) names that are not exactly the \(expected.count) put (the agent listed wrong names)")
        }
    }
}

/// `batchGet` of `size` names drawn at random from the whole store: every value must match.
final class BatchGetClient: RoundTripClient {
    private let client: AgentClient
    private let store: ScaleStore
    private let size: Int
    private var generator = SystemRandomNumberGenerator()

    init(socketPath: String, store: ScaleStore, size: Int) throws(BenchFailure) {
        client = try ScaleClients.connect(socketPath)
        self.store = store
        self.size = size
    }

    func roundTrip() throws(BenchFailure) {
        let picks = (0..<size).map { _ in Int.random(in: 0..<store.names.count, using: &generator) }
        let items = picks.map { AgentClient.BatchItem(name: store.names[$0], environment: ScaleStore.environment) }
        let values: [(value: SecretValue, version: UInt64)]
        do {
            values = try client.batchGet(items)
        } catch {
            throw .setup("batchGet of \(size) failed: \(error.message)")
        }
        guard values.count == picks.count else {
            throw .wrongValue("batchGet of \(size) returned \(values.count) values (the agent returned a wrong batch)")
        }
        for (pick, reply) in zip(picks, values) where !reply.value.withUnsafeBytes({ ScaleClients.equal($0, store.value(at: pick)) }) {
            throw .wrongValue("batchGet returned \(reply.value.count) bytes for \(store.names[pick]) that differ from the \(ScaleStore.valueByteCount) bytes put (the agent returned a wrong value)")
        }
    }
}

/// `get` (lending the value) of a name drawn at random from the whole store: the path of a
/// secret no recent request touched.
final class RandomGetClient: RoundTripClient {
    private let client: AgentClient
    private let store: ScaleStore
    private var generator = SystemRandomNumberGenerator()

    init(socketPath: String, store: ScaleStore) throws(BenchFailure) {
        client = try ScaleClients.connect(socketPath)
        self.store = store
    }

    func roundTrip() throws(BenchFailure) {
        let pick = Int.random(in: 0..<store.names.count, using: &generator)
        let expected = store.value(at: pick)
        let (matches, count): (Bool, Int)
        do {
            (matches, count) = try client.get(name: store.names[pick], environment: ScaleStore.environment) { bytes, _ in
                (ScaleClients.equal(bytes, expected), bytes.count)
            }
        } catch {
            throw .setup("get \(store.names[pick]) failed: \(error.message)")
        }
        guard matches else {
            throw .wrongValue("get \(store.names[pick]) returned \(count) bytes that differ from the \(expected.count) bytes put (the agent returned a wrong value)")
        }
    }
}
