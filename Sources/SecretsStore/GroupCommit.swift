import Dispatch
import SecretsCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Group commit: one writer thread runs queued writes in a shared `BEGIN IMMEDIATE …
/// COMMIT`, each inside its own savepoint, so many writes cost one WAL fsync
/// (`synchronous=FULL` stays on: DESIGN §5).
///
/// Two kinds of job:
/// - waited (a `put`, an audit entry that must be durable before the caller goes on): the
///   caller blocks until the transaction holding its job has committed and synced, and
///   gets its own job's error, if any. An acknowledged write is therefore durable, as
///   without group commit.
/// - deferred (the audit entry of a read): the caller goes on at once; the writer commits
///   the job within `gatherNanoseconds`, together with whatever else queued meanwhile, and
///   reports a failure to the job's `onFailure`.
///
/// A job that throws is rolled back to its savepoint and fails alone; a failing `COMMIT`
/// fails every job of the batch. `afterCommit` hooks run on the writer thread, in commit
/// order, still holding the connection's lock (the current-version cache relies on this).
final class GroupCommit: Sendable {
    /// One unit of work. The submitter of a waited job blocks until `done` is signalled, so
    /// the closures (which may capture non-Sendable state of that caller's stack) are only
    /// ever used by one thread at a time: that is why this is `@unchecked Sendable`.
    final class Job: @unchecked Sendable {
        enum Completion {
            case waited(DispatchSemaphore)
            case deferred(@Sendable (SecretsError) -> Void)
        }

        /// Both closures are dropped before the submitter is released: a waited job's closures
        /// come from `withoutActuallyEscaping`, which traps if they outlive the call.
        fileprivate var body: ((Database) throws(SecretsError) -> Void)?
        fileprivate var afterCommit: (() -> Void)?
        fileprivate let completion: Completion
        /// Set by the writer before completion; read by the submitter after `done`.
        fileprivate(set) var failure: SecretsError?

        init(body: @escaping (Database) throws(SecretsError) -> Void, afterCommit: @escaping () -> Void,
             completion: Completion) {
            self.body = body
            self.afterCommit = afterCommit
            self.completion = completion
        }

        var isWaited: Bool {
            if case .waited = completion { return true }
            return false
        }
    }

    /// How long deferred jobs may wait for company before they are committed alone. A
    /// waited job cuts the wait short and takes them along.
    static let gatherNanoseconds: UInt64 = 2_000_000
    /// Jobs per transaction, at most.
    static let batchLimit = 1_000
    /// Deferred jobs queued, at most; beyond this a submitter waits (back-pressure).
    static let deferredLimit = 1_000

    private struct State {
        var jobs: [Job] = []
        var waitedCount = 0
        /// When the oldest queued job arrived (`DispatchTime` uptime, ns).
        var oldestArrival: UInt64 = 0
        var writerSleeping = false
        var writerGathering = false
        var stopped = false
    }

    private enum Step {
        case sleep
        case gather(until: DispatchTime)
        case commit([Job])
        case exit
    }

    /// Runs `body` with the connection under the store's lock; throws when the store is closed.
    typealias Transact = @Sendable ((Database) throws(SecretsError) -> Void) throws(SecretsError) -> Void

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)
    private let transact: Transact

    /// Starts the writer thread. - Returns: nil when no thread could be created.
    init?(transact: @escaping Transact) {
        self.transact = transact
        let started = DetachedThread.start { [self] in self.writerLoop() }
        guard started else { return nil }
    }

    /// What `submit` did with a job.
    enum Submission: Equatable {
        case queued
        /// The writer has stopped; the job is not run.
        case stopped
        /// A deferred job found `deferredLimit` jobs queued; it is not queued (the caller
        /// should submit it as a waited job, which makes room).
        case full
    }

    /// Queues `job` (one lock, taken once: eight readers contend for it).
    func submit(_ job: Job) -> Submission {
        let (submission, signal) = state.withLock { state -> (Submission, Bool) in
            guard !state.stopped else { return (.stopped, false) }
            if !job.isWaited && state.jobs.count >= Self.deferredLimit { return (.full, false) }
            if state.jobs.isEmpty { state.oldestArrival = DispatchTime.now().uptimeNanoseconds }
            state.jobs.append(job)
            if job.isWaited { state.waitedCount += 1 }
            if state.writerSleeping || (state.writerGathering && (job.isWaited || state.jobs.count >= Self.batchLimit)) {
                state.writerSleeping = false
                state.writerGathering = false
                return (.queued, true)
            }
            return (.queued, false)
        }
        if signal { wake.signal() }
        return submission
    }

    /// Commits what is queued, then stops the writer; later submissions fail. Safe to call twice.
    func stop() {
        let first = state.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard first else { return }
        wake.signal()
        exited.wait()
    }

    // MARK: - The writer

    private func writerLoop() {
        // Below the threads that answer requests: a commit is worth a few hundred
        // microseconds of delay, a get is not (measured: with the writer at the same
        // priority, one client's unpinned get p99 was 2-4x higher while reads were audited).
        // On Linux the nice value is per thread, and `who` 0 names the calling thread.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        while true {
            switch nextStep() {
            case .sleep: wake.wait()
            case .gather(let deadline): _ = wake.wait(timeout: deadline)
            case .commit(let batch): commit(batch)
            case .exit:
                exited.signal()
                return
            }
        }
    }

    private func nextStep() -> Step {
        state.withLock { state -> Step in
            state.writerSleeping = false
            state.writerGathering = false
            guard !state.jobs.isEmpty else {
                if state.stopped { return .exit }
                state.writerSleeping = true
                return .sleep
            }
            let now = DispatchTime.now().uptimeNanoseconds
            let due = state.oldestArrival &+ Self.gatherNanoseconds
            guard state.waitedCount > 0 || state.stopped || state.jobs.count >= Self.batchLimit || now >= due else {
                state.writerGathering = true
                return .gather(until: DispatchTime(uptimeNanoseconds: due))
            }
            let count = min(state.jobs.count, Self.batchLimit)
            let batch = Array(state.jobs.prefix(count))
            state.jobs.removeFirst(count)
            state.waitedCount -= batch.reduce(0) { $0 + ($1.isWaited ? 1 : 0) }
            state.oldestArrival = now
            return .commit(batch)
        }
    }

    /// One transaction for the whole batch; each job in its own savepoint.
    private func commit(_ batch: [Job]) {
        do {
            try transact { (database) throws(SecretsError) in
                try database.immediateTransaction { () throws(SecretsError) in
                    for job in batch {
                        guard let body = job.body else { continue }
                        job.failure = database.savepoint { () throws(SecretsError) in try body(database) }
                    }
                }
                for job in batch where job.failure == nil { job.afterCommit?() }
            }
        } catch {
            for job in batch where job.failure == nil { job.failure = error }
        }
        for job in batch {
            job.body = nil
            job.afterCommit = nil
            switch job.completion {
            case .waited(let done): done.signal()
            case .deferred(let onFailure): if let failure = job.failure { onFailure(failure) }
            }
        }
    }
}
