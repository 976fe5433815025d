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
final class AuditTrail: Sendable {
    static let pendingLimit = 10_000
    let store: SecretStore
    let logger: Logger
    let reserve: DiskReserve?
    private let key = Mutex<SecureBytes?>(nil)
    private let pending = Mutex<[AuditRecord]>([])

    init(store: SecretStore, logger: Logger, reserve: DiskReserve? = nil) {
        self.store = store
        self.logger = logger
        self.reserve = reserve
    }

    /// Derives the audit key from a freshly unwrapped master key and writes what waited.
    func install(masterKey: SecureBytes) throws(SecretsError) {
        let derived = HKDF.sha256(inputKeyMaterial: masterKey, salt: [], info: Array("secrets-agent/v1/audit".utf8),
                                  outputByteCount: 32)
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
            do {
                _ = try store.appendAudit(record, key: key)
            } catch where error.code == .resourceExhausted && reserve?.release() == true {
                _ = try store.appendAudit(record, key: key)  // once more, in the space just freed
            }
        } catch {
            logger.error("cannot write an audit entry: \(error.message)", metadata: ["agent.op": "\(record.operation)"])
            throw .unavailable("cannot write the audit entry, so the operation was refused: \(error.message)")
        }
    }

    /// The entry to commit together with a write, in the same transaction.
    func attach(_ record: AuditRecord) -> AuditAppend? {
        currentKey.map { AuditAppend(record: record, key: $0) }
    }
}
