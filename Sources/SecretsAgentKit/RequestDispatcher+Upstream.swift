import Foundation
import SecretsCore
import SecretsCrypto
import SecretsProtocol
import SecretsStore

/// With an upstream (DESIGN §9): reads go through the local policy, then to the upstream,
/// and are cached in the store sealed exactly like local values; when the upstream cannot
/// be reached the cache answers, marked stale, up to `--max-stale`. Writes go to the
/// upstream first and only then refresh the cache, so a failed write changes nothing here.
extension RequestDispatcher {
    /// The operations that go to the upstream; nil for the others, which run as in local mode.
    func dispatchUpstream(_ front: UpstreamFront, _ op: SecretsAgent_V1_Request.OneOf_Op, _ session: Session, _ grant: Grant,
                          _ context: inout AuditContext) throws -> SecretsAgent_V1_Response.OneOf_Result? {
        switch op {
        case .put(let put): .put(try handleUpstreamPut(front, put, session, grant, &context))
        case .list(let list): .list(try handleUpstreamList(list, grant, &context))
        case .delete(let delete): .delete(try handleUpstreamDelete(front, delete, grant, &context))
        case .history(let history): .history(try handleUpstreamHistory(front, history, grant, &context))
        case .rotate(let rotate): .rotate(try handleUpstreamRotate(front, rotate, grant, &context))
        case .batchPut:
            try {
                context.operation = "import"
                throw SecretsError.invalidArgument("import writes to the local store, and this agent fronts an upstream (import into OpenBao itself, e.g. bao kv put, or into an agent without --upstream)")
            }()
        default: nil
        }
    }

    /// The upstream's part of `status`.
    func upstreamStatus(_ front: UpstreamFront, into reply: inout SecretsAgent_V1_StatusReply) {
        let health = front.source.health
        reply.upstream = front.source.summary
        reply.upstreamReachable = health.reachable
        reply.upstreamError = health.lastError ?? ""
        reply.upstreamLastContactUnixMs = health.lastContactUnixMs
        reply.upstreamTokenTtlSeconds = health.tokenTTLSeconds
        reply.upstreamStaleReads = front.staleReads
        let cached = (try? store.cachedValues()) ?? []
        reply.upstreamCached = UInt64(cached.count)
        if let oldest = cached.map(\.fetchedAtUnixMs).min() {
            reply.upstreamOldestCacheAgeSeconds = UInt64(max(0, Clock.nowUnixMs() - oldest) / 1000)
        }
    }

    /// Where a value came from.
    struct Provenance {
        var version: UInt64
        /// Set when the cache answered because the upstream could not: its age and why.
        var stale: (ageSeconds: UInt64, reason: String)?
    }

    /// Lends the value of a secret (current, or `version`) to `body`: from a fresh cache
    /// entry, else from the upstream (refreshing the cache), else from a stale cache entry.
    func withUpstreamValue<R>(_ front: UpstreamFront, _ name: SecretName, _ environment: Environment, version: UInt64?,
                              _ body: (UnsafeRawBufferPointer) -> R) throws -> (R, Provenance) {
        let keys = try keyring.current()
        let now = Clock.nowUnixMs()
        let cached = try store.cachedValue(name: name, environment: environment)
        let usable = cached.flatMap { version == nil || $0.version == version ? $0 : nil }
        if let usable, version == nil, front.settings.cacheTTLSeconds > 0,
           now - usable.fetchedAtUnixMs < Int64(clamping: front.settings.cacheTTLSeconds) * 1000 {
            return (try openCached(usable, keys, body), Provenance(version: usable.version))
        }
        let fetched = Result { () throws(SecretsError) in try front.source.read(name, in: environment, version: version) }
        switch fetched {
        case .success(let upstream):
            if version == nil || version == cached?.version {
                refreshCache(name, environment, upstream, keys, nowUnixMs: now, previous: cached?.version)
            }
            return (upstream.value.withUnsafeBytes(body), Provenance(version: upstream.version))
        case .failure(let failure) where failure.code == .notFound:
            if version == nil { _ = try? store.removeCached(name: name, environment: environment) }
            throw failure
        case .failure(let failure) where failure.code == .unavailable:
            let reason = failure.message
            guard let usable else {
                throw SecretsError.unavailable("cannot read \(name) in \(environment): \(reason); nothing is cached for it (retry when the upstream is back)")
            }
            let age = UInt64(max(0, now - usable.fetchedAtUnixMs) / 1000)
            guard age <= front.settings.maxStaleSeconds else {
                throw SecretsError.unavailable("cannot read \(name) in \(environment): \(reason); the cached copy is \(UpstreamFront.age(age)) old, beyond --max-stale \(UpstreamFront.age(front.settings.maxStaleSeconds)) (bring the upstream back or raise --max-stale)")
            }
            front.countStaleRead()
            logger.warning("serving a stale cached value", metadata: [
                "agent.secret": "\(name)", "agent.env": "\(environment)", "agent.cache.age_s": "\(age)",
            ])
            return (try openCached(usable, keys, body), Provenance(version: usable.version, stale: (age, reason)))
        case .failure(let failure):
            throw failure
        }
    }

    private func openCached<R>(_ entry: CachedValue, _ keys: Keyring.Keys, _ body: (UnsafeRawBufferPointer) -> R) throws -> R {
        let binding = CachedValue.binding(storeID: store.storeID, name: entry.name, environment: entry.environment, version: entry.version)
        do {
            return try ValueSealing.open(entry.sealed, masterKey: keys.masterKey, binding: binding, keyCache: keys.valueKeys, body)
        } catch {
            _ = try? store.removeCached(name: entry.name, environment: entry.environment)
            throw SecretsError.integrityFailure("the cached \(entry.name) in \(entry.environment) version \(entry.version) failed its integrity check and was dropped (read it again when the upstream is reachable)")
        }
    }

    /// Seals `upstream` into the cache (best effort: the upstream already holds the truth)
    /// and tells watchers when the version moved.
    func refreshCache(_ name: SecretName, _ environment: Environment, _ upstream: UpstreamValue, _ keys: Keyring.Keys,
                      nowUnixMs: Int64, previous: UInt64?) {
        let binding = CachedValue.binding(storeID: store.storeID, name: name, environment: environment, version: upstream.version)
        do {
            let sealed = try upstream.value.withUnsafeBytes { raw in
                try ValueSealing.seal(raw, masterKey: keys.masterKey, binding: binding, algorithm: store.cipher)
            }
            try store.storeCached(CachedValue(name: name, environment: environment, version: upstream.version,
                                              sealed: sealed, fetchedAtUnixMs: nowUnixMs))
        } catch {
            _ = try? store.removeCached(name: name, environment: environment)
            logger.error("cannot cache an upstream value", metadata: ["agent.secret": "\(name)", "agent.env": "\(environment)"])
        }
        if let previous, previous != upstream.version {
            changes.publish(.changeRotate, name: name, environment: environment, version: upstream.version, atUnixMs: nowUnixMs)
        }
    }

    func handleUpstreamGet(_ front: UpstreamFront, _ request: SecretsAgent_V1_GetRequest, _ grant: Grant,
                           _ context: inout AuditContext) throws -> SecretsAgent_V1_GetReply {
        context.operation = request.masked ? "get-masked" : "get"
        let (name, environment) = try nameAndEnvironment(request.name, request.environment, &context)
        try grant.check(request.masked ? .getMasked : .getValue, name: name, environment: environment)
        let (value, provenance) = try withUpstreamValue(front, name, environment, version: request.version == 0 ? nil : request.version) { plaintext in
            request.masked ? Data(Masking.mask(plaintext).utf8) : Data(plaintext)
        }
        context.version = provenance.version
        var reply = SecretsAgent_V1_GetReply()
        reply.name = name.rawValue
        reply.environment = environment.rawValue
        reply.version = provenance.version
        reply.masked = request.masked
        reply.value = value
        if let stale = provenance.stale {
            reply.stale = true
            reply.cacheAgeSeconds = stale.ageSeconds
            reply.upstreamError = stale.reason
            context.detail = "stale: from the cache, \(UpstreamFront.age(stale.ageSeconds)) old"
        }
        return reply
    }

    /// Put with an upstream: the mode and expected version become a KV v2 check-and-set.
    func handleUpstreamPut(_ front: UpstreamFront, _ request: SecretsAgent_V1_PutRequest, _ session: Session, _ grant: Grant,
                           _ context: inout AuditContext) throws -> SecretsAgent_V1_PutReply {
        context.operation = "put"
        let (name, environment) = try nameAndEnvironment(request.name, request.environment, &context)
        try grant.check(.put, name: name, environment: environment)
        guard request.rotateEverySeconds == 0, !request.removeRotation else {
            throw SecretsError.invalidArgument("rotation policies are local-only; with an upstream, rotate with secrets-agent rotate or in OpenBao itself")
        }
        let keys = try keyring.current()
        let generator = request.hasGenerate ? try ValueGenerator(wire: request.generate) : nil
        if generator != nil, !request.value.isEmpty {
            throw SecretsError.invalidArgument("a put carries either a value or a generator, not both (update the client)")
        }
        let value: SecureBytes = generator?.generate() ?? request.value.withUnsafeBytes { SecureBytes(copying: $0) }
        try SecretLimits.checkValueSize(value.count)
        let expected: UInt64? = request.hasExpectedVersion ? request.expectedVersion : nil
        let checkAndSet: UInt64?
        switch request.mode {
        case .create: checkAndSet = 0
        case .update:
            checkAndSet = try expected ?? upstreamMetadata(front, name, environment).currentVersion
        default: checkAndSet = expected
        }
        var reply = SecretsAgent_V1_PutReply()
        reply.version = try writeUpstream(front, name, environment, value, checkAndSet: checkAndSet,
                                          creating: request.mode == .create, change: .changePut, keys, &context)
        return reply
    }

    func handleUpstreamRotate(_ front: UpstreamFront, _ request: SecretsAgent_V1_RotateRequest, _ grant: Grant,
                              _ context: inout AuditContext) throws -> SecretsAgent_V1_RotateReply {
        context.operation = "rotate"
        let (name, environment) = try nameAndEnvironment(request.name, request.environment, &context)
        try grant.check(.put, name: name, environment: environment)
        let keys = try keyring.current()
        let value: SecureBytes
        if request.hasGenerate {
            guard request.value.isEmpty else {
                throw SecretsError.invalidArgument("a rotate carries either a value or a generator, not both (update the client)")
            }
            value = try ValueGenerator(wire: request.generate).generate()
        } else if request.value.isEmpty {
            throw SecretsError.invalidArgument("with an upstream, rotating \(name) in \(environment) needs a new value (use: --stdin or --generate BYTES)")
        } else {
            value = request.value.withUnsafeBytes { SecureBytes(copying: $0) }
        }
        try SecretLimits.checkValueSize(value.count)
        let checkAndSet = try request.hasExpectedVersion ? request.expectedVersion : upstreamMetadata(front, name, environment).currentVersion
        var reply = SecretsAgent_V1_RotateReply()
        reply.version = try writeUpstream(front, name, environment, value, checkAndSet: checkAndSet, creating: false,
                                          change: .changeRotate, keys, &context)
        return reply
    }

    private func writeUpstream(_ front: UpstreamFront, _ name: SecretName, _ environment: Environment, _ value: SecureBytes,
                               checkAndSet: UInt64?, creating: Bool, change: SecretsAgent_V1_ChangeKind,
                               _ keys: Keyring.Keys, _ context: inout AuditContext) throws -> UInt64 {
        let written = Result { () throws(SecretsError) in
            try front.source.write(name, in: environment, value: value, checkAndSet: checkAndSet)
        }
        let version: UInt64
        switch written {
        case .success(let v): version = v
        case .failure(let failure) where failure.code == .conflict && creating:
            throw SecretsError.alreadyExists("\(name) already exists in \(environment) (use: secrets-agent update)")
        case .failure(let failure) where failure.code == .unavailable:
            throw SecretsError.unavailable("cannot write \(name) in \(environment): \(failure.message); nothing was changed (retry when the upstream is back)")
        case .failure(let failure): throw failure
        }
        context.version = version
        let now = Clock.nowUnixMs()
        refreshCache(name, environment, UpstreamValue(value: value, version: version), keys, nowUnixMs: now, previous: nil)
        changes.publish(change, name: name, environment: environment, version: version, atUnixMs: now)
        return version
    }

    private func upstreamMetadata(_ front: UpstreamFront, _ name: SecretName, _ environment: Environment) throws -> UpstreamMetadata {
        let result = Result { () throws(SecretsError) in try front.source.metadata(name, in: environment) }
        if case .failure(let failure) = result, failure.code == .unavailable {
            throw SecretsError.unavailable("cannot write \(name) in \(environment): \(failure.message); nothing was changed (retry when the upstream is back)")
        }
        return try result.get()
    }

    func handleUpstreamDelete(_ front: UpstreamFront, _ request: SecretsAgent_V1_DeleteRequest, _ grant: Grant,
                              _ context: inout AuditContext) throws -> SecretsAgent_V1_DeleteReply {
        context.operation = "delete"
        let (name, environment) = try nameAndEnvironment(request.name, request.environment, &context)
        try grant.check(.delete, name: name, environment: environment)
        _ = try keyring.current()
        let metadata = try upstreamMetadata(front, name, environment)
        let deleted = Result { () throws(SecretsError) in try front.source.delete(name, in: environment) }
        if case .failure(let failure) = deleted, failure.code == .unavailable {
            throw SecretsError.unavailable("cannot remove \(name) in \(environment): \(failure.message); nothing was changed (retry when the upstream is back)")
        }
        try deleted.get()
        _ = try? store.removeCached(name: name, environment: environment)
        changes.publish(.changeDelete, name: name, environment: environment, version: 0, atUnixMs: Clock.nowUnixMs())
        var reply = SecretsAgent_V1_DeleteReply()
        reply.versionsRemoved = UInt32(clamping: metadata.versions.count)
        return reply
    }

    /// History with an upstream: the KV v2 versions, newest first.
    func handleUpstreamHistory(_ front: UpstreamFront, _ request: SecretsAgent_V1_HistoryRequest, _ grant: Grant,
                               _ context: inout AuditContext) throws -> SecretsAgent_V1_HistoryReply {
        context.operation = "history"
        let (name, environment) = try nameAndEnvironment(request.name, request.environment, &context)
        try grant.check(.history, name: name, environment: environment)
        _ = try keyring.current()
        let metadata = try front.source.metadata(name, in: environment)
        var reply = SecretsAgent_V1_HistoryReply()
        reply.name = name.rawValue
        reply.environment = environment.rawValue
        reply.versions = metadata.versions.map { v in
            var info = SecretsAgent_V1_VersionInfo()
            info.version = v.version
            info.createdAtUnixMs = v.createdAtUnixMs
            info.current = v.version == metadata.currentVersion
            info.deleted = v.deleted
            info.destroyed = v.destroyed
            return info
        }
        return reply
    }

    /// List with an upstream: the secrets this agent holds in its cache.
    func handleUpstreamList(_ request: SecretsAgent_V1_ListRequest, _ grant: Grant,
                            _ context: inout AuditContext) throws -> SecretsAgent_V1_ListReply {
        let environment = try listedEnvironment(request, grant, &context)
        var reply = SecretsAgent_V1_ListReply()
        reply.secrets = try store.cachedValues()
            .filter { (environment == nil || $0.environment == environment) && $0.name.rawValue.hasPrefix(request.prefix) }
            .filter { grant.allows(environment: $0.environment) && grant.allows(name: $0.name) }
            .map { entry in
                var m = SecretsAgent_V1_SecretMetadata()
                m.name = entry.name.rawValue
                m.environment = entry.environment.rawValue
                m.currentVersion = entry.version
                m.updatedAtUnixMs = entry.fetchedAtUnixMs
                m.versionCount = 1
                return m
            }
        context.detail = "\(reply.secrets.count) listed from the upstream cache"
        return reply
    }

    /// One poll of the upstream: for every cached secret, asks for its current version;
    /// a secret changed elsewhere is fetched, re-cached and announced to watchers, one
    /// removed elsewhere is dropped and announced. Stops at the first unreachable answer.
    /// Does nothing while locked. Returns the labels of the secrets that changed.
    func pollUpstream(_ front: UpstreamFront) -> [String] {
        guard let keys = try? keyring.current(), let entries = try? store.cachedValues() else { return [] }
        var changed: [String] = []
        for entry in entries {
            let name = entry.name, environment = entry.environment
            let now = Clock.nowUnixMs()
            let metadata = Result { () throws(SecretsError) in try front.source.metadata(name, in: environment) }
            switch metadata {
            case .failure(let failure) where failure.code == .notFound:
                _ = try? store.removeCached(name: name, environment: environment)
                changes.publish(.changeDelete, name: name, environment: environment, version: 0, atUnixMs: now)
                changed.append("\(name) in \(environment) (removed upstream)")
                auditRefresh(name, environment, version: nil, detail: "removed upstream: dropped from the cache")
            case .failure(let failure) where failure.code == .unavailable:
                return changed
            case .failure:
                continue
            case .success(let meta) where meta.currentVersion == entry.version:
                try? store.confirmCached(name: name, environment: environment, version: entry.version, nowUnixMs: now)
            case .success:
                guard let fresh = try? front.source.read(name, in: environment, version: nil) else { continue }
                refreshCache(name, environment, fresh, keys, nowUnixMs: now, previous: entry.version)
                changed.append("\(name) in \(environment) (version \(fresh.version))")
                auditRefresh(name, environment, version: fresh.version, detail: "changed upstream: version \(entry.version) → \(fresh.version)")
            }
        }
        return changed
    }

    private func auditRefresh(_ name: SecretName, _ environment: Environment, version: UInt64?, detail: String) {
        var context = AuditContext()
        context.operation = "upstream-refresh"
        context.name = name.rawValue
        context.environment = environment.rawValue
        context.version = version
        context.detail = detail
        try? audit.record(context.record(PeerIdentity.ownProcess, outcome: .ok, nowUnixMs: Clock.nowUnixMs()))
    }
}
