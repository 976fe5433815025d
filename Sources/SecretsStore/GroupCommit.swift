import Dispatch
import SecretsCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Group commit: one writer thread runs queued writes in a shared `BEGIN IMMEDIATE …
/// COMMIT`, inside savepoints, so many writes cost one WAL fsync (`synchronous=FULL`
/// stays on: DESIGN §5).
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
/// A batch runs the deferred jobs first, in the order they were queued, then the waited
/// ones. A job that throws is rolled back to its savepoint and fails alone; a failing `COMMIT`
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
        /// A deferred job's place in the submission stack: the address of the job pushed
        /// before it, or `emptyStack`.
        fileprivate var older: UInt = 0
        /// When a deferred job was queued (`DispatchTime` uptime, ns).
        fileprivate var arrival: UInt64 = 0

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
    /// Deferred jobs that end the wait at once when this many are queued.
    static let batchLimit = 1_000
    /// Deferred jobs queued and not yet taken by the writer, at most; beyond this a
    /// submitter waits until the writer takes them (back-pressure).
    static let deferredLimit = 1_000
    /// Jobs per transaction, at most, counting the deferred ones the writer takes while it
    /// is already committing.
    static let transactionLimit = 4_000
    /// Deferred jobs sharing one savepoint, at most: between runs the writer looks for
    /// submitters waiting for room.
    static let runLimit = 64

    /// Waited jobs and the stop flag: rare, so behind a lock.
    private struct State {
        var waited: [Job] = []
        var stopped = false
    }

    /// What the writer is doing, for submitters deciding whether to wake it.
    private enum WriterState: Int {
        /// Running: it looks at both queues before it parks again.
        case busy
        /// Parked with nothing queued: any job wakes it.
        case sleeping
        /// Parked until the oldest deferred job is due: a waited job, `batchLimit` deferred
        /// ones or `stop` wakes it.
        case gathering
    }

    /// The deferred stack's top when it is empty, and once the writer has exited (a push
    /// that meets `closedStack` is refused). Other values are `Unmanaged<Job>` addresses.
    private static let emptyStack: UInt = 0
    private static let closedStack: UInt = 1

    private let state = Mutex(State())
    /// The address of the newest deferred job (`Unmanaged<Job>`, retained), each pointing to the one pushed
    /// before it: a lock-free stack, so the eight readers that each queue an entry per get
    /// never wait for one another or for a preempted lock holder (measured: the lock this
    /// replaces was 5% of the agent's CPU, spinning, with 8 clients). The writer takes it
    /// whole with one exchange.
    private let deferredStack = Atomic<UInt>(emptyStack)
    /// Deferred jobs pushed and not yet taken by the writer.
    private let deferredCount = Atomic<Int>(0)
    /// Submitters waiting for the writer to take the full stack, and their semaphore.
    private let roomWaiters = Atomic<Int>(0)
    private let room = DispatchSemaphore(value: 0)
    private let writerState = Atomic<Int>(WriterState.busy.rawValue)
    private let wake = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)
    private let transact: Transact

    /// Runs `body` with the connection under the store's lock; throws when the store is closed.
    typealias Transact = @Sendable ((Database) throws(SecretsError) -> Void) throws(SecretsError) -> Void

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
    }

    /// Queues `job`: a deferred one without taking a lock (after waiting for room when
    /// `deferredLimit` are queued), a waited one under the lock.
    func submit(_ job: Job) -> Submission {
        guard !job.isWaited else { return submitWaited(job) }
        while deferredCount.load(ordering: .sequentiallyConsistent) >= Self.deferredLimit {
            // Back-pressure: wait for the writer to take what is queued, which it does at
            // its next look (it is woken for that), even in the middle of a transaction;
            // not for an fsync. A spurious signal only means looking again.
            roomWaiters.add(1, ordering: .sequentiallyConsistent)
            wakeWriter(evenIfGathering: true)
            room.wait()
        }
        job.arrival = DispatchTime.now().uptimeNanoseconds
        let node = UInt(bitPattern: Unmanaged.passRetained(job).toOpaque())
        var top = deferredStack.load(ordering: .relaxed)
        while true {
            if top == Self.closedStack {
                Unmanaged.passUnretained(job).release()
                return .stopped
            }
            job.older = top
            let (exchanged, current) = deferredStack.compareExchange(
                expected: top, desired: node, ordering: .sequentiallyConsistent)
            if exchanged { break }
            top = current
        }
        let queued = deferredCount.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
        wakeWriter(evenIfGathering: queued >= Self.batchLimit)
        return .queued
    }

    private func submitWaited(_ job: Job) -> Submission {
        let queued = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.waited.append(job)
            return true
        }
        guard queued else { return .stopped }
        wakeWriter(evenIfGathering: true)
        return .queued
    }

    /// Commits what is queued, then stops the writer; later submissions fail. Safe to call twice.
    func stop() {
        let first = state.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard first else { return }
        wakeWriter(evenIfGathering: true)
        exited.wait()
    }

    /// Signals the writer if it is sleeping (or, with `evenIfGathering`, gathering);
    /// exactly one submitter wins the change to `busy` and signals, so every signal is
    /// consumed by the writer.
    private func wakeWriter(evenIfGathering: Bool) {
        let current = writerState.load(ordering: .sequentiallyConsistent)
        guard current == WriterState.sleeping.rawValue
                || (evenIfGathering && current == WriterState.gathering.rawValue) else { return }
        if writerState.compareExchange(expected: current, desired: WriterState.busy.rawValue,
                                       ordering: .sequentiallyConsistent).exchanged {
            wake.signal()
        }
    }

    // MARK: - The writer

    private func writerLoop() {
        // Below the threads that answer requests: a commit is worth a few hundred
        // microseconds of delay, a get is not (measured: with the writer at the same
        // priority, one client's unpinned get p99 was 2-4x higher while reads were audited).
        // On Linux the nice value is per thread, and `who` 0 names the calling thread.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        var deferred: [Job] = []  // taken from the stack, oldest first, not yet committed
        while true {
            // Waited jobs first, then the stack: a thread's deferred jobs were pushed before
            // it queued its waited one, so they are all taken by now and go first. (Taking
            // the stack first would let a waited job overtake deferred ones its own thread
            // pushed between the two takes.)
            let (waited, stopped) = state.withLock { state -> ([Job], Bool) in
                defer { state.waited.removeAll(keepingCapacity: true) }
                return (state.waited, state.stopped)
            }
            takeDeferred(into: &deferred, closing: false)
            if stopped {
                // `submitWaited` is refused from here on, and closing the stack refuses
                // deferred pushes: what is taken now is the last of it.
                takeDeferred(into: &deferred, closing: true)
                commit(deferred + waited, draining: false)
                exited.signal()
                return
            }
            let due = deferred.first.map { $0.arrival &+ Self.gatherNanoseconds }
            if !waited.isEmpty || deferred.count >= Self.batchLimit
                || due.map({ DispatchTime.now().uptimeNanoseconds >= $0 }) == true {
                commit(deferred + waited, draining: true)
                deferred.removeAll(keepingCapacity: true)
                continue
            }
            park(until: due)
        }
    }

    /// Moves the stacked deferred jobs, oldest first, to the end of `jobs`, and lets the
    /// submitters waiting for room go on.
    private func takeDeferred(into jobs: inout [Job], closing: Bool) {
        var cursor = deferredStack.exchange(closing ? Self.closedStack : Self.emptyStack, ordering: .sequentiallyConsistent)
        let firstNew = jobs.count
        while cursor != Self.emptyStack && cursor != Self.closedStack, let node = UnsafeRawPointer(bitPattern: cursor) {
            let job = Unmanaged<Job>.fromOpaque(node).takeRetainedValue()
            cursor = job.older
            job.older = Self.emptyStack
            jobs.append(job)
        }
        jobs[firstNew...].reverse()
        deferredCount.subtract(jobs.count - firstNew, ordering: .sequentiallyConsistent)
        let waiting = roomWaiters.exchange(0, ordering: .sequentiallyConsistent)
        for _ in 0..<waiting { room.signal() }
    }

    /// Waits for work: until a job is queued (`due` nil), or until `due` unless a waited job
    /// or `batchLimit` deferred ones come first.
    private func park(until due: UInt64?) {
        let parked: WriterState = due == nil ? .sleeping : .gathering
        writerState.store(parked.rawValue, ordering: .sequentiallyConsistent)
        // A submitter that looked before the store above did not wake us: look again.
        let stackNonEmpty = deferredStack.load(ordering: .sequentiallyConsistent) != Self.emptyStack
        let pending = (parked == .sleeping && stackNonEmpty)
            || (parked == .gathering && deferredCount.load(ordering: .sequentiallyConsistent) >= Self.batchLimit)
            || state.withLock { !$0.waited.isEmpty || $0.stopped }
        if pending {
            if writerState.compareExchange(expected: parked.rawValue, desired: WriterState.busy.rawValue,
                                           ordering: .sequentiallyConsistent).exchanged { return }
            wake.wait()  // a submitter won the change and is signalling
            return
        }
        if let due {
            guard wake.wait(timeout: DispatchTime(uptimeNanoseconds: due)) == .timedOut else { return }
        } else {
            wake.wait()
            return
        }
        // Timed out: become busy, unless a submitter just did that and owes us a signal.
        if !writerState.compareExchange(expected: parked.rawValue, desired: WriterState.busy.rawValue,
                                        ordering: .sequentiallyConsistent).exchanged {
            wake.wait()
        }
    }

    /// One transaction for the whole batch. A waited job runs in its own savepoint; a run of
    /// consecutive deferred jobs shares one (two statements fewer per read's entry), and if
    /// any of them throws, the run is rolled back and run again one job per savepoint, so
    /// only the failing job fails. Deferred bodies must therefore be safe to run again after
    /// a rollback (an audit append is: the rollback restores the pending head it chains to).
    ///
    /// With `draining`, deferred jobs queued meanwhile join the open transaction (up to
    /// `transactionLimit` jobs), so readers are not held up by a writer that is behind.
    private func commit(_ initial: [Job], draining: Bool) {
        var batch = initial
        do {
            try transact { (database) throws(SecretsError) in
                try database.immediateTransaction { () throws(SecretsError) in
                    var start = batch.startIndex
                    while start < batch.endIndex {
                        var end = start + 1
                        if !batch[start].isWaited {
                            while end < batch.endIndex && end - start < Self.runLimit && !batch[end].isWaited { end += 1 }
                        }
                        Self.run(batch[start..<end], in: database)
                        start = end
                        // Between runs, take what was queued meanwhile: at the end, or at once
                        // when submitters are waiting for room.
                        if draining && batch.count < Self.transactionLimit
                            && (start == batch.endIndex || roomWaiters.load(ordering: .relaxed) > 0) {
                            takeDeferred(into: &batch, closing: false)
                        }
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

    /// Runs `jobs` in one savepoint; when that fails and there is more than one, each
    /// again in its own, recording each job's own failure.
    private static func run(_ jobs: ArraySlice<Job>, in database: Database) {
        if jobs.count > 1 {
            let failure = database.savepoint { () throws(SecretsError) in
                for job in jobs { try job.body?(database) }
            }
            guard failure != nil else { return }
        }
        for job in jobs {
            guard let body = job.body else { continue }
            job.failure = database.savepoint { () throws(SecretsError) in try body(database) }
        }
    }
}
