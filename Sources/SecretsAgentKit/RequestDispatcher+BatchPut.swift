import SecretsCore
import SecretsCrypto
import SecretsProtocol
import SecretsStore

/// Entries of a BatchPut sent in several requests (`more`), held on the connection until
/// the last one; values in locked memory.
struct PendingBatch: Sendable {
    static let maxEntries = 100_000
    static let maxValueBytes = 64 << 20

    var entries: [(name: String, environment: String, mode: SecretsAgent_V1_BatchPutMode, rotate: UInt64,
                   generator: SecretsAgent_V1_Generator?, value: Range<Int>)] = []
    var values = SecureBytesBuilder(capacity: 64 * 1024)

    /// Copies `request`'s entries in.
    /// - Throws: `.resourceExhausted` past `maxEntries` or `maxValueBytes`.
    mutating func add(_ request: SecretsAgent_V1_BatchPutRequest) throws(SecretsError) {
        for entry in request.entries {
            guard entries.count < Self.maxEntries, values.count + entry.value.count <= Self.maxValueBytes else {
                throw .resourceExhausted("a batch holds at most \(Self.maxEntries) secrets and 64 MiB of values (import in several parts)")
            }
            let start = values.count
            entry.value.withUnsafeBytes { values.append($0) }
            entries.append((entry.name, entry.environment, entry.mode, entry.rotateEverySeconds,
                            entry.hasGenerator ? entry.generator : nil, start..<values.count))
        }
    }
}

/// BatchPut: import and restore write many secrets all or nothing.
extension RequestDispatcher {
    /// Checks every entry (name, environment, value size, the caller's grant for put), then
    /// writes them all in one store transaction with one audit entry each, and tells the
    /// watchers after the commit. The first failure is the reply and nothing is written.
    func handleBatchPut(_ request: SecretsAgent_V1_BatchPutRequest, _ session: inout Session, _ grant: Grant,
                        _ context: inout AuditContext) throws -> SecretsAgent_V1_BatchPutReply {
        context.operation = "put"
        var pending = session.pendingBatch ?? PendingBatch()
        session.pendingBatch = nil
        try grant.check(.put)
        try pending.add(request)
        if request.more {
            session.pendingBatch = pending
            context.operation = nil  // audited when the batch is written
            return SecretsAgent_V1_BatchPutReply()
        }
        let count = pending.entries.count
        guard count > 0 else { throw SecretsError.invalidArgument("a batch holds no secrets (nothing to write)") }
        context.detail = "batch of \(count)"
        // A batch of thousands leaves megabytes of freed requests and rows behind.
        defer { if count >= 1_000 { MemoryFootprint.trim() } }

        var contexts: [AuditContext] = []
        var writes: [BatchWrite] = []
        for entry in pending.entries {
            var item = AuditContext()
            item.grant = grant
            item.operation = "put"
            do {
                let (name, environment) = try nameAndEnvironment(entry.name, entry.environment, &item)
                try grant.check(.put, name: name, environment: environment)
                do {
                    try SecretLimits.checkValueSize(entry.value.count)
                } catch {
                    throw SecretsError.invalidArgument("\(name) in \(environment): \(error.message)")
                }
                // Stored as for a generated put, so rotation can redraw the value.
                var generator: ValueGenerator?
                if let wire = entry.generator {
                    do {
                        generator = try ValueGenerator(wire: wire)
                    } catch {
                        throw SecretsError.invalidArgument("\(name) in \(environment): \(error.message)")
                    }
                }
                let skip = entry.mode == .skipExisting
                let mode: PutMode = switch entry.mode {
                case .create, .skipExisting: .create
                case .update: .update
                default: .upsert
                }
                item.detail = "batch of \(count)" + (skip ? ", skip if it exists" : "")
                writes.append(BatchWrite(
                    name: name, environment: environment, mode: mode, skipIfExists: skip,
                    policy: SecretPolicyChange(rotation: entry.rotate > 0 ? .every(entry.rotate) : .keep,
                                               generator: generator?.spec)))
                contexts.append(item)
            } catch {
                context = item
                throw error
            }
        }

        let masterKey = try keyring.current().masterKey
        let storeID = store.storeID
        let cipher = store.cipher
        let now = Clock.nowUnixMs()
        if !request.dryRun {
            for index in writes.indices {
                writes[index].audit = audit.attach(contexts[index].record(session.peer, outcome: .ok, nowUnixMs: now))
            }
        } else {
            context.detail = "dry run of \(count), nothing written"
        }
        let values = pending.values
        let outcomes = try store.putBatch(writes, createdByUID: session.peer.credentials.uid, nowUnixMs: now,
                                          dryRun: request.dryRun) { (index: Int, version: UInt64) throws(SecretsError) -> SealedValue in
            let write = writes[index]
            let binding = ValueBinding(storeID: storeID, name: write.name.rawValue, environment: write.environment.rawValue,
                                       version: version)
            let range = pending.entries[index].value
            do {
                return try values.withUnsafeBytes { all in
                    try ValueSealing.seal(UnsafeRawBufferPointer(rebasing: all[range]), masterKey: masterKey,
                                          binding: binding, algorithm: cipher)
                }
            } catch {
                throw .internal("cannot seal the value of \(write.name): \((error as? CryptoError)?.message ?? "unknown error")")
            }
        }

        // Results carry no name or environment: in request order, the 100,000 results of
        // the largest batch take ~0.6 MiB and fit one frame; with names they would not.
        var reply = SecretsAgent_V1_BatchPutReply()
        for outcome in outcomes {
            var result = SecretsAgent_V1_BatchPutResult()
            switch outcome {
            case .created(let version):
                result.outcome = .created
                result.version = request.dryRun ? 0 : version
            case .updated(let version):
                result.outcome = .updated
                result.version = request.dryRun ? 0 : version
            case .skipped(let version):
                result.outcome = .skipped
                result.version = version
            }
            reply.results.append(result)
        }
        guard !request.dryRun else { return reply }
        for index in writes.indices where writes[index].audit == nil {
            // Only before the first unlock's audit key exists, which a write cannot be.
            var item = contexts[index]
            item.version = reply.results[index].version
            try audit.record(item.record(session.peer, outcome: .ok, nowUnixMs: now))
        }
        context.committed = true  // every entry has its own audit entry
        for (write, result) in zip(writes, reply.results) where result.outcome != .skipped {
            changes.publish(.changePut, name: write.name, environment: write.environment, version: result.version, atUnixMs: now)
        }
        return reply
    }
}
