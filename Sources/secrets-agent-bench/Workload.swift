/// Request counts and durations of one run.
struct Workload: Sendable {
    /// Untimed round trips per connection before the latency samples.
    let latencyWarmUp: Int
    /// Timed round trips of each pinned one-client latency row.
    let latencySamples: Int
    /// Timed round trips of each unpinned latency row.
    let unpinnedSamples: Int
    /// Round trips each runner does before the next one takes its turn.
    let latencyBlockSize: Int
    /// Concurrent clients of the throughput rows.
    let clientCounts: [Int]
    /// Untimed round trips each throughput client does before its window opens.
    let throughputWarmUp: Int
    /// Window of each throughput cell, split into `throughputRounds` turns.
    let throughputNanoseconds: UInt64
    let throughputRounds: Int
    /// Secrets in the store (the 1,000 listed ones included).
    let secretCount: Int
    /// Secrets under the listed prefix.
    let listCount: Int
    /// Secrets per BatchPut while populating.
    let populateChunk: Int
    let listSamples: Int
    let batchGetSize: Int
    let batchGetSamples: Int
    let randomGetSamples: Int
    let putSamples: Int
    /// Concurrent writers, each updating its own secret, for `writeNanoseconds`.
    let writers: Int
    let writeNanoseconds: UInt64
    let unlockSamples: Int
    let cliSamples: Int
    /// After this long the agent is killed as hung (the run normally takes a fraction of it).
    let watchdogSeconds: UInt32

    static let full = Workload(
        latencyWarmUp: 1_000, latencySamples: 20_000, unpinnedSamples: 5_000, latencyBlockSize: 1_000,
        clientCounts: [1, 2, 4, 8, 32], throughputWarmUp: 100, throughputNanoseconds: 2_000_000_000, throughputRounds: 4,
        secretCount: 100_000, listCount: 1_000, populateChunk: 5_000, listSamples: 50, batchGetSize: 50,
        batchGetSamples: 500, randomGetSamples: 2_000, putSamples: 2_000, writers: 8, writeNanoseconds: 3_000_000_000,
        unlockSamples: 3, cliSamples: 20, watchdogSeconds: 1_800)
    static let quick = Workload(
        latencyWarmUp: 100, latencySamples: 2_000, unpinnedSamples: 500, latencyBlockSize: 500,
        clientCounts: [1, 2, 4, 8, 32], throughputWarmUp: 10, throughputNanoseconds: 200_000_000, throughputRounds: 2,
        secretCount: 2_000, listCount: 1_000, populateChunk: 1_000, listSamples: 10, batchGetSize: 50,
        batchGetSamples: 50, randomGetSamples: 200, putSamples: 200, writers: 8, writeNanoseconds: 500_000_000,
        unlockSamples: 1, cliSamples: 5, watchdogSeconds: 300)
}
