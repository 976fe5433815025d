import SecretsClient
import SecretsCore
import SecretsProtocol

/// The store at scale: `count` secrets in `production`, `listCount` of them under
/// `bench/list/` (the prefix the list rows ask for) and the rest under `bench/scale/`,
/// each with 32 random bytes, written by BatchPut in chunks. The values are kept here to
/// check every read.
struct ScaleStore: Sendable {
    static let environment = "production"
    static let listPrefix = "bench/list/"
    static let valueByteCount = 32

    /// Every name, the listed ones first.
    let names: [String]
    /// The values, `valueByteCount` bytes each, in the order of `names`.
    let values: [UInt8]
    let listCount: Int
    /// How long populating took, all chunks included.
    let populateNanoseconds: UInt64

    /// The listed names, in the order the agent lists them (by name).
    var listedNames: ArraySlice<String> { names[0..<listCount] }

    func value(at index: Int) -> ArraySlice<UInt8> {
        values[(index * Self.valueByteCount)..<((index + 1) * Self.valueByteCount)]
    }

    /// Writes the secrets through `AgentClient.batchPut`, `chunk` at a time (each chunk one
    /// transaction; the agent takes up to 100,000 per batch), all mode create.
    /// - Throws: `.setup` when a batch is refused or a result is not "created".
    static func populate(socketPath: String, count: Int, listCount: Int, chunk: Int) throws(BenchFailure) -> ScaleStore {
        precondition(count >= listCount && chunk > 0)
        let names = (0..<listCount).map { "\(listPrefix)\(digits($0, 4))" }
            + (0..<(count - listCount)).map { "bench/scale/\(digits($0, 6))" }
        var generator = SystemRandomNumberGenerator()
        var values = [UInt8](repeating: 0, count: count * valueByteCount)
        values.withUnsafeMutableBytes { raw in
            for word in 0..<(raw.count / 8) { raw.storeBytes(of: generator.next() as UInt64, toByteOffset: word * 8, as: UInt64.self) }
        }
        let client: AgentClient
        do {
            client = try AgentClient(socketPath: socketPath, clientName: "secrets-agent-bench")
        } catch {
            throw .setup("cannot reach the agent to populate the store: \(error.message)")
        }
        let start = MonotonicClock.nanoseconds()
        for first in stride(from: 0, to: count, by: chunk) {
            let range = first..<min(first + chunk, count)
            let items = range.map { index in
                AgentClient.BatchPutItem(name: names[index], environment: environment, mode: .create,
                                         value: ((index - first) * valueByteCount)..<((index - first + 1) * valueByteCount))
            }
            let result: Result<[SecretsAgent_V1_BatchPutResult], SecretsError> =
                values[(first * valueByteCount)..<(range.upperBound * valueByteCount)].withUnsafeBytes { raw in
                    Result { () throws(SecretsError) in try client.batchPut(items, values: raw) }
                }
            let results: [SecretsAgent_V1_BatchPutResult]
            switch result {
            case .success(let value): results = value
            case .failure(let error):
                throw .setup("cannot populate the store (secrets \(range.lowerBound) to \(range.upperBound - 1) of \(count)): \(error.message)")
            }
            guard results.count == items.count, results.allSatisfy({ $0.outcome == .created && $0.version >= 1 }) else {
                throw .setup("the agent's BatchPut of \(items.count) secrets answered \(results.count) results, not all \"created\"")
            }
        }
        return ScaleStore(names: names, values: values, listCount: listCount,
                          populateNanoseconds: MonotonicClock.nanoseconds() - start)
    }

    /// `value` in decimal, zero-padded to `width`.
    private static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(width - text.count, 0)) + text
    }
}
