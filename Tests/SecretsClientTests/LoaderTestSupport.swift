#if canImport(Glibc)
import Glibc
#endif
@testable import SecretsClient
import Synchronization

/// What a `SecretStorage` release observer saw: the bytes right after the wipe, just
/// before `sodium_free` unmapped them.
final class ReleaseSnapshot: Sendable {
    private let seen = Mutex<[UInt8]?>(nil)

    func record(_ bytes: UnsafeRawBufferPointer) {
        let copy = Array(bytes)
        seen.withLock { $0 = copy }
    }

    /// `nil` if the storage was never released.
    var bytes: [UInt8]? { seen.withLock { $0 } }
}

/// Runs `body` with the process's file descriptor 2 pointing at a pipe, restores it, and
/// returns everything written to it meanwhile. Callers must be serialized with each other.
/// The pipe's write end is non-blocking, so another test that writes a lot to stderr at
/// the same moment loses output instead of hanging.
func capturingStandardError(_ body: () throws -> Void) throws -> String {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw LoaderTestFailure("pipe failed") }
    _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
    let saved = dup(2)
    guard saved >= 0, dup2(ends[1], 2) >= 0 else { throw LoaderTestFailure("dup2 failed") }
    close(ends[1])
    var restored = false
    func restore() {
        guard !restored else { return }
        restored = true
        dup2(saved, 2)
        close(saved)
    }
    defer { restore(); close(ends[0]) }
    try body()
    restore()
    // Every write end is closed now, so this reads to end of file.
    var captured: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(ends[0], $0.baseAddress!, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        captured += chunk[0..<n]
    }
    return String(decoding: captured, as: UTF8.self)
}

/// Runs `body` with `changes` applied to the environment (nil: unset), then restores
/// the previous values. Callers must be serialized with each other.
func withEnvironment(_ changes: [String: String?], _ body: () throws -> Void) rethrows {
    var saved: [String: String?] = [:]
    for name in changes.keys {
        saved[name] = getenv(name).map { String(cString: $0) }
    }
    defer {
        for (name, value) in saved {
            if let value { setenv(name, value, 1) } else { unsetenv(name) }
        }
    }
    for (name, value) in changes {
        if let value { setenv(name, value, 1) } else { unsetenv(name) }
    }
    try body()
}

struct LoaderTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Calls the deprecated `Secret.fromEnvironment(_:)` through a protocol requirement, so
/// the tests that must exercise it do not each raise a deprecation warning.
protocol EnvironmentSecretLoading {
    static func fromEnvironment(_ variable: String) throws(LoaderError) -> Secret
}

extension Secret: EnvironmentSecretLoading {}

func loadFromEnvironment(_ variable: String) throws(LoaderError) -> Secret {
    try (Secret.self as EnvironmentSecretLoading.Type).fromEnvironment(variable)
}
