import SecretsCore
import SecretsCrypto

/// One write of `SecretStore.putBatch`.
public struct BatchWrite: Sendable {
    public var name: SecretName
    public var environment: Environment
    /// What to do when the secret exists or not (as for `put`).
    public var mode: PutMode
    /// Leave an existing secret as it is (the entry is reported as skipped) instead of
    /// applying `mode`.
    public var skipIfExists: Bool
    public var policy: SecretPolicyChange
    /// The entry's audit record, appended in the batch's transaction (its `version` is
    /// filled in); nil writes no entry.
    public var audit: AuditAppend?

    public init(name: SecretName, environment: Environment, mode: PutMode, skipIfExists: Bool = false,
                policy: SecretPolicyChange = SecretPolicyChange(), audit: AuditAppend? = nil) {
        self.name = name
        self.environment = environment
        self.mode = mode
        self.skipIfExists = skipIfExists
        self.policy = policy
        self.audit = audit
    }
}

/// What `putBatch` did, or (in a dry run) would do, with one write.
public enum BatchOutcome: Sendable, Equatable {
    /// A new secret at this version (1).
    case created(UInt64)
    /// A new version of an existing secret.
    case updated(UInt64)
    /// Left as it is, at its current version.
    case skipped(UInt64)
}

extension SecretStore {
    /// Writes many secrets in one `BEGIN IMMEDIATE` transaction, all or nothing (import,
    /// restore): each write behaves as `put` with no expected version, and the first
    /// failure rolls back every write and every audit entry of the batch.
    ///
    /// - Parameters:
    ///   - dryRun: check modes against the store and report the outcomes, writing nothing
    ///     (versions are the ones the writes would get).
    ///   - seal: encrypts the value of write `index` for the version number it is given.
    /// - Returns: one outcome per write, in order.
    /// - Throws: a `SecretsError` whose message starts with the write's name and
    ///   environment: `.alreadyExists` for `.create` on an existing secret, `.notFound` for
    ///   `.update` on a missing one; what `seal` throws; `.invalidArgument` when two writes
    ///   name the same secret; the mapped SQLite error.
    public func putBatch(
        _ writes: [BatchWrite], createdByUID: UInt32, nowUnixMs: Int64, dryRun: Bool = false,
        seal: (Int, UInt64) throws(SecretsError) -> SealedValue
    ) throws(SecretsError) -> [BatchOutcome] {
        var seen = Set<CurrentVersionCache.Key>()
        for write in writes {
            let key = CurrentVersionCache.Key(name: write.name.rawValue, environment: write.environment.rawValue)
            guard seen.insert(key).inserted else {
                throw .invalidArgument("\(write.name) in \(write.environment) appears twice in one batch (keep one)")
            }
        }
        return try withDatabase { (database) throws(SecretsError) -> [BatchOutcome] in
            var written: [(CurrentVersionCache.Key, StoredVersion)] = []
            let body = { () throws(SecretsError) -> [BatchOutcome] in
                var outcomes: [BatchOutcome] = []
                outcomes.reserveCapacity(writes.count)
                for (index, write) in writes.enumerated() {
                    let existing = try Self.currentVersion(database, name: write.name, environment: write.environment)
                    if write.skipIfExists, let existing {
                        if !dryRun, var record = write.audit?.record, let key = write.audit?.key {
                            record.version = existing.version
                            try Self.appendAuditEntry(database, kind: .event, record: record, key: key)
                        }
                        outcomes.append(.skipped(existing.version))
                        continue
                    }
                    try Self.check(write, existing: existing)
                    if dryRun {
                        let version = (existing?.version ?? 0) + 1
                        outcomes.append(existing == nil ? .created(version) : .updated(version))
                        continue
                    }
                    let stored = try Self.writeVersion(
                        database, existing: existing, name: write.name, environment: write.environment, mode: write.mode,
                        expectedVersion: nil, policy: write.policy, createdByUID: createdByUID, nowUnixMs: nowUnixMs,
                        audit: write.audit
                    ) { (version: UInt64) throws(SecretsError) -> SealedValue in try seal(index, version) }
                    written.append((.init(name: write.name.rawValue, environment: write.environment.rawValue), stored))
                    outcomes.append(existing == nil ? .created(stored.version) : .updated(stored.version))
                }
                return outcomes
            }
            let outcomes = dryRun ? try database.readTransaction(body) : try database.immediateTransaction(body)
            for (key, stored) in written { currentVersions?.store(stored, for: key) }
            return outcomes
        }
    }

    /// The mode check of `writeVersion`, for a dry run.
    private static func check(_ write: BatchWrite, existing: (secretID: Int64, version: UInt64)?) throws(SecretsError) {
        switch (write.mode, existing) {
        case (.create, .some):
            throw .alreadyExists("\(write.name) already exists in \(write.environment) (use --overwrite to update it, or --skip-existing)")
        case (.update, .none):
            throw .notFound("\(write.name) not found in \(write.environment)")
        default:
            break
        }
    }
}
