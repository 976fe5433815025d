import Logging
import Synchronization
import SecretsCore
import SecretsCrypto
import SecretsStore

/// One audit entry per operation (DESIGN §7), hash-chained under the audit key
/// HKDF(MK, "secrets-agent/v1/audit").
///
/// The key is derived at the first unlock and kept when the agent locks: it authenticates
/// entries and opens no secret, and keeping it lets lock, unlock attempts and denials made
/// while locked be audited. Before the first unlock there is no key; those entries wait in
/// memory (at most `pendingLimit`) and are chained at unlock.
///
/// Fail closed (DESIGN §7), with one bounded exception: when the store's file system has
/// turned read-only, entries are held in memory (at most `pendingLimit`) and logged, so the
/// agent keeps serving reads while the operator repairs the disk; they are chained before
/// the next entry that can be written. Once the bound is reached, operations are refused.
/// A full disk is handled by `DiskReserve` instead, and every other failure refuses.
///
/// Reads are the one place the agent does not wait for the disk: the entry of a read (or
/// of a denial or failure, which return nothing) is handed to the store's group commit and
/// the reply goes out before the fsync; the entry is committed within
/// `GroupCommit.gatherNanoseconds` (2 ms) with the others queued meanwhile. Waiting for it
/// would put a WAL fsync (~250 us here) into every get, 20x the rest of the request. What
/// this gives up: the entries of the last 2 ms of reads are lost if the agent is killed or
/// the host loses power in that window. What it keeps: every entry is chained, in order,
/// under the audit key; a write (put, delete, rotate, lock, unlock, keyslots) is still
/// acknowledged only once its own entry is durable; and an entry that fails to commit is
/// kept and written before the next one, so the next operation is refused if it still
/// cannot be (fail closed). `serve --durable-read-audit` makes reads wait too.
final class AuditTrail: Sendable {
    static let pendingLimit = 10_000
    let store: SecretStore
    let logger: Logger
    let reserve: DiskReserve?
    /// Whether the entries of reads may be committed after the reply (see above).
    let defersReadEntries: Bool
    private let key = ReadMostly<SecureBytes?>(nil)
    private let pending = Mutex<[AuditRecord]>([])
    private let unwritten = Mutex<[AuditRecord]>([])
    /// Deferred entries whose commit failed, handed over by the writer thread. Never held
    /// while waiting for the store (the writer takes it), unlike `unwritten`.
    private let failedDeferred = Mutex<[AuditRecord]>([])
    /// How many entries `unwritten` and `failedDeferred` hold together, counted down only
    /// as each is written: lets every `record` skip both locks when none is held (the
    /// usual case), while any held entry still makes every operation try it first.
    private let heldCount = Atomic<Int>(0)

    init(store: SecretStore, logger: Logger, reserve: DiskReserve? = nil, defersReadEntries: Bool = true) {
        self.store = store
        self.logger = logger
        self.reserve = reserve
        self.defersReadEntries = defersReadEntries
    }

    /// Derives the audit key from a freshly unwrapped master key and writes what waited.
    /// The key lives in the key arena but stays readable: every operation appends an entry,
    /// and two `mprotect` calls per `get` would cost more than the get itself (see
    /// `ValueKeyCache`). It opens no secret.
    func install(masterKey: SecureBytes) throws(SecretsError) {
        let derived = HKDF.sha256(inputKeyMaterial: masterKey, salt: [], info: Array("secrets-agent/v1/audit".utf8),
                                  outputByteCount: 32).copy(protectWhenIdle: false, arena: .shared)
        key.write { $0 = derived }
        let waiting = pending.withLock { records -> [AuditRecord] in
            defer { records.removeAll() }
            return records
        }
        for record in waiting { _ = try store.appendAudit(record, key: derived) }
    }

    /// The key, once derived.
    var currentKey: SecureBytes? { key.read { $0 } }

    /// Appends `record`; with `read` (an entry whose operation changed nothing), possibly
    /// after returning (see the type's notes).
    /// - Throws: when the entry cannot be written, or an earlier deferred entry still cannot
    ///   be; the caller then refuses the operation.
    func record(_ record: AuditRecord, read: Bool = false) throws(SecretsError) {
        guard let key = currentKey else {
            let dropped = pending.withLock { records -> Bool in
                records.append(record)
                guard records.count > AuditTrail.pendingLimit else { return false }
                records.removeFirst()
                return true
            }
            if dropped { logger.warning("audit entries before the first unlock exceed \(AuditTrail.pendingLimit); dropping the oldest") }
            return
        }
        do {
            try writeUnwritten(key: key)
            if read && defersReadEntries {
                try store.appendAuditDeferred(record, key: key) { [weak self] error in
                    self?.deferredEntryFailed(record, error)
                }
                return
            }
            try append(record, key: key)
        } catch {
            if store.isOnReadOnlyFileSystem, holdWhileReadOnly(record) { return }
            logger.error("cannot write an audit entry: \(error.message)", metadata: ["agent.op": "\(record.operation)"])
            throw .unavailable("cannot write the audit entry, so the operation was refused: \(error.message)")
        }
    }

    /// Entries held because the store's file system is read-only.
    var unwrittenCount: Int { unwritten.withLock { $0.count } }

    /// Keeps `record` in memory and logs it (no value is ever in a record); `false` once
    /// `pendingLimit` entries are held.
    private func holdWhileReadOnly(_ record: AuditRecord) -> Bool {
        let held = unwritten.withLock { records -> Int? in
            guard records.count < AuditTrail.pendingLimit else { return nil }
            records.append(record)
            heldCount.add(1, ordering: .releasing)
            return records.count
        }
        guard let held else { return false }
        logger.warning("store's file system is read-only: audit entry held in memory (\(held) of \(AuditTrail.pendingLimit)) until the store can be written",
                       metadata: ["agent.op": "\(record.operation)", "agent.name": "\(record.name ?? "")",
                                  "agent.peer.uid": "\(record.peerUID.map(String.init) ?? "")", "agent.outcome": "\(record.outcome)"])
        return true
    }

    /// Called on the writer's thread when a deferred entry could not be committed: the
    /// entry is kept (up to `pendingLimit`) for the next `record` to write first.
    private func deferredEntryFailed(_ record: AuditRecord, _ error: SecretsError) {
        let kept = failedDeferred.withLock { records -> Bool in
            guard records.count < AuditTrail.pendingLimit else { return false }
            records.append(record)
            heldCount.add(1, ordering: .releasing)
            return true
        }
        logger.error("cannot write an audit entry after its read was answered: \(error.message)\(kept ? "; it is kept and written before the next operation, which is refused until it can be" : "; too many are waiting: this one is dropped")",
                     metadata: ["agent.op": "\(record.operation)"])
    }

    /// Appends `record` and waits until it is durable; on a full disk, frees the reserve
    /// (once) and tries again in the space that gives.
    private func append(_ record: AuditRecord, key: SecureBytes) throws(SecretsError) {
        do {
            _ = try store.appendAudit(record, key: key)
        } catch where error.code == .resourceExhausted && reserve?.release() == true {
            _ = try store.appendAudit(record, key: key)
        }
    }

    /// Chains held entries, oldest first, before anything newer.
    private func writeUnwritten(key: SecureBytes) throws(SecretsError) {
        guard heldCount.load(ordering: .acquiring) > 0 else { return }
        let failed = failedDeferred.withLock { records -> [AuditRecord] in
            defer { records.removeAll() }
            return records
        }
        if !failed.isEmpty { unwritten.withLock { $0.append(contentsOf: failed) } }
        try unwritten.withLock { (records) throws(SecretsError) in
            while let first = records.first {
                try append(first, key: key)
                records.removeFirst()
                heldCount.subtract(1, ordering: .releasing)
            }
        }
    }

    /// The entry to commit together with a write, in the same transaction.
    func attach(_ record: AuditRecord) -> AuditAppend? {
        currentKey.map { AuditAppend(record: record, key: $0) }
    }
}
