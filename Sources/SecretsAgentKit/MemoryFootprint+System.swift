internal import CShims

/// Keeps the agent's resident memory near what it holds (issue 9: < 40 MiB at 100,000
/// secrets). With one thread per connection, glibc's malloc would give busy threads
/// separate heap arenas (up to 8 per CPU), each keeping what it freed; two arenas hold the
/// same data in less memory at no measured cost to throughput on this 2-CPU machine.
/// Measured with `secrets-agent-bench`: RSS after 100,000 secrets 71 MiB by default,
/// 52 MiB with two arenas.
enum MemoryFootprint {
    /// Limits malloc to two arenas; call before the agent starts threads.
    static func limitArenas() {
        _ = cshims_limit_malloc_arenas(2)
    }

    /// Hands freed heap memory back to the system, after work that allocates a lot at once
    /// (a BatchPut of thousands of secrets).
    static func trim() {
        _ = cshims_malloc_trim()
    }
}
