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
final class AuditTrail: Sendable {
    static let pendingLimit = 10_000
    let store: SecretStore
    let logger: Logger
    let reserve: DiskReserve?
    private let key = Mutex<SecureBytes?>(nil)
    private let pending = Mutex<[AuditRecord]>([])
    private let unwritten = Mutex<[AuditRecord]>([])

    init(store: SecretStore, logger: Logger, reserve: DiskReserve? = nil) {
        self.store = store
        self.logger = logger
        self.reserve = reserve
    }

    /// Derives the audit key from a freshly unwrapped master key and writes what waited.
    /// The key lives in the key arena but stays readable: every operation appends an entry,
    /// and two `mprotect` calls per `get` would cost more than the get itself (see
    /// `ValueKeyCache`). It opens no secret.
    func install(masterKey: SecureBytes) throws(SecretsError) {
        let derived = HKDF.sha256(inputKeyMaterial: masterKey, salt: [], info: Array("secrets-agent/v1/audit".utf8),
                                  outputByteCount: 32).copy(protectWhenIdle: false, arena: .shared)
        key.withLock { $0 = derived }
        let waiting = pending.withLock { records -> [AuditRecord] in
            defer { records.removeAll() }
            return records
        }
        for record in waiting { _ = try store.appendAudit(record, key: derived) }
    }

    /// The key, once derived.
    var currentKey: SecureBytes? { key.withLock { $0 } }

    /// Appends `record`.
    /// - Throws: when the entry cannot be written; the caller then refuses the operation.
    func record(_ record: AuditRecord) throws(SecretsError) {
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
            do {
                _ = try store.appendAudit(record, key: key)
            } catch where error.code == .resourceExhausted && reserve?.release() == true {
                _ = try store.appendAudit(record, key: key)  // once more, in the space just freed
            }
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
            return records.count
        }
        guard let held else { return false }
        logger.warning("store's file system is read-only: audit entry held in memory (\(held) of \(AuditTrail.pendingLimit)) until the store can be written",
                       metadata: ["agent.op": "\(record.operation)", "agent.name": "\(record.name ?? "")",
                                  "agent.peer.uid": "\(record.peerUID.map(String.init) ?? "")", "agent.outcome": "\(record.outcome)"])
        return true
    }

    /// Chains held entries, oldest first, before anything newer.
    private func writeUnwritten(key: SecureBytes) throws(SecretsError) {
        try unwritten.withLock { (records) throws(SecretsError) in
            while let first = records.first {
                _ = try store.appendAudit(first, key: key)
                records.removeFirst()
            }
        }
    }

    /// The entry to commit together with a write, in the same transaction.
    func attach(_ record: AuditRecord) -> AuditAppend? {
        currentKey.map { AuditAppend(record: record, key: $0) }
    }
}
