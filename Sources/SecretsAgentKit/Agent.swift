#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization
import SecretsCore
import SecretsCrypto
import SecretsProtocol
import SecretsStore

/// The daemon: hardens the process, opens the store, listens on the socket and serves each
/// connection on its own thread until SIGTERM or SIGINT.
public final class Agent: Sendable {
    let configuration: AgentConfiguration
    let logger: Logger
    private let keyring = Keyring()
    private let connections = Mutex<Set<Int32>>([])
    private let stopping = Atomic<Bool>(false)

    public init(configuration: AgentConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Allocates the key arena before any key exists and says whether it is really locked.
    private func reportKeyArena() {
        let arena = KeyArena.shared
        if arena.isLocked {
            logger.info("key arena: \(arena.byteCount / 1024) KiB locked in memory")
        } else {
            let size = arena.byteCount / 1024
            logger.warning("key arena: mlock of \(size) KiB failed, key pages may reach swap (raise RLIMIT_MEMLOCK, e.g. LimitMEMLOCK=8M in the unit, or grant CAP_IPC_LOCK)")
        }
    }

    /// Runs in the foreground until SIGTERM/SIGINT: stops accepting, lets in-flight
    /// requests finish, zeroes the master key and removes the socket.
    /// - Throws: `SecretsError` when the agent cannot start (unsafe directory, no store,
    ///   wrong key file, socket in use).
    public func run() throws(SecretsError) {
        let signals = Agent.blockTerminationSignals()
        try Hardening.apply()
        MemoryFootprint.limitArenas()
        reportKeyArena()
        let authorizer: any Authorizer = try configuration.policyPath.map { (path) throws(SecretsError) in
            try PolicyAuthorizer(path: path)
        } ?? OwnerOnlyAuthorizer(ownerUID: geteuid())
        let store = try SecretStore.open(at: configuration.storePath, exclusive: true)
        defer { store.close() }
        let audit = AuditTrail(store: store, logger: logger, reserve: DiskReserve(besideStore: configuration.storePath, logger: logger),
                               defersReadEntries: !configuration.durableReadAudit)
        let startupMethod: UnlockMethod? = if let keyFile = configuration.unlockKeyFile {
            .keyFile(try KeyMaterialFile.read(keyFile))
        } else if let credential = configuration.unlockCredential {
            .systemdCredential(try SystemdCredential.read(credential))
        } else {
            nil
        }
        if let startupMethod {
            let unlocked = try Keyslots.unwrap(startupMethod, slots: try store.keyslots(), storeID: store.storeID)
            try audit.install(masterKey: unlocked.masterKey)
            keyring.install(unlocked.masterKey)
            var context = AuditContext()
            context.operation = "unlock"
            context.detail = "at start, keyslot \(unlocked.slotID) (\(startupMethod.slotKind))"
            try audit.record(context.record(PeerIdentity.ownProcess, outcome: .ok, nowUnixMs: Clock.nowUnixMs()))
        }
        let upstream = try configuration.upstream.map { (settings) throws(SecretsError) in try startUpstream(settings) }
        defer { upstream?.source.stop() }
        let inherited = try SocketActivation.inherited()
        let listener = try Self.openListener(configuration, inherited: inherited.agent,
                                             policy: (authorizer as? PolicyAuthorizer)?.policy, logger: logger)
        let activity = ActivityClock()
        let dispatcher = RequestDispatcher(store: store, keyring: keyring, authorizer: authorizer, audit: audit,
                                           activity: activity, idleLockSeconds: configuration.idleLockSeconds,
                                           upstream: upstream, logger: logger)
        if let upstream { startUpstreamPolling(upstream, dispatcher) }
        let credentialSocket = try CredentialSocket.open(for: configuration, inherited: inherited.credentials,
                                                         dispatcher: dispatcher, logger: logger)
        credentialSocket?.start()
        startIdleLock(activity, audit: audit)
        startSignalWatcher(signals, listener: listener, authorizer: authorizer)
        startAuditPruning(audit)
        startRotationScheduler(dispatcher)
        logger.notice("listening on \(configuration.socketPath) (\(keyring.isLocked ? "locked" : "unlocked"))",
                      metadata: ["agent.store": "\(configuration.storePath)"])

        while let fd = listener.accept() {
            let admitted = connections.withLock { open -> Bool in
                guard open.count < configuration.maxConnections, !stopping.load(ordering: .relaxed) else { return false }
                open.insert(fd)
                return true
            }
            guard admitted else {
                refuse(fd)
                continue
            }
            let connection = Connection(fd: fd, dispatcher: dispatcher, logger: logger)
            let started = DetachedThread.start { [self] in
                connection.serve()
                connections.withLock { _ = $0.remove(fd) }
            }
            if !started {
                connections.withLock { _ = $0.remove(fd) }
                refuse(fd)
            }
        }
        credentialSocket?.stop()
        drainConnections()
        keyring.lock()
        logger.notice("stopped")
    }

    /// Answers RESOURCE_EXHAUSTED to a connection the agent cannot take, and closes it.
    private func refuse(_ fd: Int32) {
        let socket = FramedSocket(fd: fd)
        let error = SecretsError.resourceExhausted("the agent is serving \(configuration.maxConnections) connections (close idle clients and retry)")
        try? socket.write(Connection.errorResponse(error, requestID: 0))
        socket.close()
    }

    /// Waits for connection threads to finish their current request and leave.
    private func drainConnections() {
        let open = connections.withLock { open -> Int in
            for fd in open { shutdown(fd, Int32(SHUT_RD)) }
            return open.count
        }
        guard open > 0 else { return }
        let deadline = Clock.nowUnixMs() + Int64(configuration.shutdownGraceSeconds * 1000)
        while Clock.nowUnixMs() < deadline, connections.withLock({ !$0.isEmpty }) {
            usleep(5_000)
        }
    }

    /// SIGTERM, SIGINT and SIGHUP are blocked in every thread and taken by one watcher
    /// thread, so shutdown and reload run as ordinary code rather than in a signal handler.
    private static func blockTerminationSignals() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGHUP)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        return set
    }

    private func startSignalWatcher(_ signals: sigset_t, listener: UnixListener, authorizer: any Authorizer) {
        let signalSet = signals
        DetachedThread.start { [self] in
            var set = signalSet
            var received: Int32 = 0
            while sigwait(&set, &received) == 0, received == SIGHUP {
                if let policy = authorizer as? PolicyAuthorizer {
                    policy.reload(logger: logger)
                } else {
                    logger.notice("SIGHUP: no policy file to reload")
                }
            }
            logger.notice("stopping on signal \(received)")
            stopping.store(true, ordering: .relaxed)
            listener.shutdownAndUnlink()
        }
    }

    /// `--idle-lock`: locks the agent (and audits it) after that many seconds without a request.
    private func startIdleLock(_ activity: ActivityClock, audit: AuditTrail) {
        let seconds = configuration.idleLockSeconds
        guard seconds > 0 else { return }
        DetachedThread.start { [self] in
            while !stopping.load(ordering: .relaxed) {
                usleep(200_000)
                guard !keyring.isLocked, activity.idleMs >= Int64(seconds) * 1000 else { continue }
                keyring.lock()
                logger.notice("locked after \(seconds) s idle", metadata: ["agent.op": "idle-lock"])
                var context = AuditContext()
                context.operation = "idle-lock"
                context.detail = "\(seconds) s without a request"
                try? audit.record(context.record(PeerIdentity.ownProcess, outcome: .ok, nowUnixMs: Clock.nowUnixMs()))
            }
        }
    }

    /// Every `rotationCheckSeconds` while unlocked: redraws generated secrets that fell due
    /// and logs, once each, secrets that are overdue and need a person.
    private func startRotationScheduler(_ dispatcher: RequestDispatcher) {
        let interval = configuration.rotationCheckSeconds
        DetachedThread.start { [self] in
            var reported = Set<String>()
            while !stopping.load(ordering: .relaxed) {
                for _ in 0..<(interval * 10) where !stopping.load(ordering: .relaxed) { usleep(100_000) }
                let pass = dispatcher.rotateDueSecrets()
                for label in pass.rotated {
                    logger.notice("rotated \(label): it was due", metadata: ["agent.op": "rotate"])
                }
                for label in pass.overdue where !reported.contains(label) {
                    logger.warning("\(label) is overdue for rotation (run: secrets-agent rotate)", metadata: ["agent.op": "rotate"])
                }
                reported = Set(pass.overdue)
            }
        }
    }

    /// Checks the upstream's credentials before the socket opens: refused credentials stop
    /// the agent; an unreachable upstream does not (the cache serves, and the source keeps
    /// trying).
    private func startUpstream(_ settings: UpstreamSettings) throws(SecretsError) -> UpstreamFront {
        let front = UpstreamFront(settings: settings)
        let started = Result { () throws(SecretsError) in try settings.source.start() }
        if case .failure(let failure) = started {
            guard failure.code == .unavailable else { throw failure }
            logger.warning("upstream \(settings.source.summary) is unreachable at start: \(failure.message); serving from the cache until it answers")
        } else {
            logger.notice("upstream: \(settings.source.summary), cache ttl \(settings.cacheTTLSeconds) s, max stale \(settings.maxStaleSeconds) s, poll every \(settings.pollSeconds) s")
        }
        return front
    }

    /// Every `--upstream-poll`: asks the upstream whether cached secrets changed elsewhere,
    /// so watchers (and `exec --on-change`) hear of it.
    private func startUpstreamPolling(_ front: UpstreamFront, _ dispatcher: RequestDispatcher) {
        let tenths = max(1, Int(front.settings.pollSeconds) * 10)
        DetachedThread.start { [self] in
            while !stopping.load(ordering: .relaxed) {
                for _ in 0..<tenths where !stopping.load(ordering: .relaxed) { usleep(100_000) }
                guard !stopping.load(ordering: .relaxed) else { break }
                for label in dispatcher.pollUpstream(front) {
                    logger.notice("upstream change: \(label)", metadata: ["agent.op": "upstream-refresh"])
                }
            }
        }
    }

    /// Prunes audit entries older than the retention, a minute after start and then hourly,
    /// once the audit key exists; pruning leaves a checkpoint entry so verify still holds.
    private func startAuditPruning(_ audit: AuditTrail) {
        let days = configuration.auditRetentionDays
        guard days > 0 else { return }
        DetachedThread.start { [self] in
            var wait: UInt32 = 60
            while !stopping.load(ordering: .relaxed) {
                for _ in 0..<wait where !stopping.load(ordering: .relaxed) { sleep(1) }
                wait = 3600
                guard let key = audit.currentKey, !stopping.load(ordering: .relaxed) else { continue }
                let now = Clock.nowUnixMs()
                do {
                    let pruned = try audit.store.pruneAudit(olderThanUnixMs: now - Int64(days) * 86_400_000, key: key, nowUnixMs: now)
                    if pruned > 0 { logger.notice("pruned \(pruned) audit entries older than \(days) days") }
                } catch {
                    logger.error("cannot prune the audit trail: \((error as? SecretsError)?.message ?? "\(error)")")
                }
            }
        }
    }
}
