import Foundation
import SecretsCore
import SecretsCrypto
import SecretsProtocol

/// BatchPut: many writes in one store transaction, all or nothing (import, restore).
extension AgentClient {
    /// One write of `batchPut`; its value is a range of the buffer given alongside.
    public struct BatchPutItem: Sendable {
        public var name: String
        public var environment: String
        public var mode: SecretsAgent_V1_BatchPutMode
        /// 0 keeps the current rotation policy (none for a new secret).
        public var rotateEverySeconds: UInt64
        /// The generator that drew the value (a restored generated secret): the agent keeps
        /// it so rotation can redraw the value. `nil` when a person supplied the value.
        public var generator: ValueGenerator?
        public var value: Range<Int>

        public init(name: String, environment: String, mode: SecretsAgent_V1_BatchPutMode,
                    rotateEverySeconds: UInt64 = 0, generator: ValueGenerator? = nil, value: Range<Int>) {
            self.name = name
            self.environment = environment
            self.mode = mode
            self.rotateEverySeconds = rotateEverySeconds
            self.generator = generator
            self.value = value
        }
    }

    /// Largest request body this client builds: a frame holds 1 MiB, less room for the
    /// envelope.
    static let batchPutChunkBytes = SecretLimits.maxFrameBytes - 64 * 1024

    /// Writes `items` all or nothing: the agent checks every item, then writes them in one
    /// transaction. Items that do not fit one frame are sent in several requests on this
    /// connection, held by the agent until the last.
    ///
    /// - Parameters:
    ///   - values: the buffer the items' value ranges point into.
    ///   - dryRun: report what would happen; write nothing.
    /// - Returns: one result per item, in order, with the item's name and environment.
    /// - Throws: the agent's error, naming the item (`.alreadyExists`, `.notFound`,
    ///   `.permissionDenied`, `.invalidArgument`, `.locked`, …); nothing was written then.
    public func batchPut(_ items: [BatchPutItem], values: UnsafeRawBufferPointer,
                         dryRun: Bool = false) throws(SecretsError) -> [SecretsAgent_V1_BatchPutResult] {
        var results: [SecretsAgent_V1_BatchPutResult] = []
        var request = SecretsAgent_V1_BatchPutRequest()
        request.dryRun = dryRun
        var size = 0
        func send(more: Bool) throws(SecretsError) {
            request.more = more
            defer {
                for index in request.entries.indices {
                    request.entries[index].value.resetBytes(in: 0..<request.entries[index].value.count)
                }
                request.entries.removeAll()
                size = 0
            }
            guard case .batchPut(let reply) = try call(.batchPut(request)) else { throw unexpectedReply() }
            results += reply.results
        }
        for item in items {
            var entry = SecretsAgent_V1_BatchPutEntry()
            entry.name = item.name
            entry.environment = item.environment
            entry.mode = item.mode
            entry.rotateEverySeconds = item.rotateEverySeconds
            if let generator = item.generator { entry.generator = generator.wire }
            entry.value = Data(UnsafeRawBufferPointer(rebasing: values[item.value]))
            let entrySize = entry.value.count + item.name.utf8.count + item.environment.utf8.count + 32
            if size + entrySize > Self.batchPutChunkBytes, !request.entries.isEmpty { try send(more: true) }
            request.entries.append(entry)
            size += entrySize
        }
        try send(more: false)
        // The agent answers in request order without names (so 100,000 results fit a frame).
        guard results.count == items.count else {
            throw .internal("the agent answered \(results.count) results for a batch of \(items.count) (is it the same version as this client?)")
        }
        for index in results.indices {
            results[index].name = items[index].name
            results[index].environment = items[index].environment
        }
        return results
    }
}

extension SecretsAgent_V1_SecretMetadata {
    /// How the agent drew the current value (it redraws it on rotation); `nil` when a caller
    /// supplied it, or when the agent names a generator this client does not know.
    public var valueGenerator: ValueGenerator? {
        guard hasGenerator, let format = ValueGenerator.Format(rawValue: generator.format.isEmpty ? "hex" : generator.format) else {
            return nil
        }
        return try? ValueGenerator(byteCount: Int(generator.bytes), format: format)
    }
}
