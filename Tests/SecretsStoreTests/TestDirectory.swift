import Foundation
import SecretsCore
import SecretsCrypto
import SecretsStore

/// A fresh mode-0700 directory for one test, removed when released.
final class TestDirectory {
    let path: String

    init() throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array("\(base)/secrets-store-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        path = String(cString: made)
        guard chmod(path, 0o700) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Where tests put the store.
    var storePath: String { path + "/store.db" }

    /// Creates a store with a fixed id at `storePath`.
    func createStore(cipher: AEADAlgorithm = .xchacha20poly1305) throws -> SecretStore {
        try SecretStore.create(at: storePath, storeID: Fixtures.storeID, cipher: cipher)
    }

    /// Creates a store and opens it the way the agent does (exclusively: with the
    /// current-version cache and the group commit).
    func createExclusiveStore() throws -> SecretStore {
        try createStore().close()
        return try SecretStore.open(at: storePath, exclusive: true)
    }
}

/// Permission bits of `path` (lstat), or nil when it does not exist.
func fileMode(_ path: String) -> mode_t? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o7777
}

enum Fixtures {
    static let storeID: [UInt8] = Array(0..<16)

    static func name(_ raw: String) -> SecretName { try! SecretName(raw) }
    static func env(_ raw: String) -> Environment { try! Environment(raw) }

    /// A stand-in for real sealing: deterministic bytes from name, environment and version,
    /// so a row read back can be checked against what was written. The store never
    /// looks inside, which is what is under test.
    static func sealed(_ name: String, _ env: String, _ version: UInt64) -> SealedValue {
        SealedValue(
            algorithm: .xchacha20poly1305,
            salt: Array(repeating: UInt8(truncatingIfNeeded: version), count: 32),
            nonce: Array(repeating: UInt8(truncatingIfNeeded: name.utf8.count), count: 24),
            ciphertext: Array("\(env)|\(name)|\(version)".utf8))
    }

    /// Puts a fake-sealed value and returns the new version.
    @discardableResult
    static func put(
        _ store: SecretStore, _ name: String, env: String = "development", mode: PutMode = .upsert,
        expected: UInt64? = nil, uid: UInt32 = 1000, now: Int64 = 1_700_000_000_000
    ) throws(SecretsError) -> UInt64 {
        try store.put(
            name: Fixtures.name(name), environment: Fixtures.env(env), mode: mode, expectedVersion: expected,
            createdByUID: uid, nowUnixMs: now
        ) { version in sealed(name, env, version) }
    }
}
