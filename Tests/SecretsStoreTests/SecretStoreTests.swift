import Foundation
import SecretsCore
import SecretsCrypto
import SecretsStore
import Testing

@Suite struct SecretStoreTests {
    @Test func createThenOpenPreservesStoreIDAndCipher() throws {
        let dir = try TestDirectory()
        let created = try dir.createStore(cipher: .aes256gcm)
        #expect(created.storeID == Fixtures.storeID)
        #expect(created.cipher == .aes256gcm)
        #expect(created.path == dir.storePath)
        created.close()

        let opened = try SecretStore.open(at: dir.storePath)
        #expect(opened.storeID == Fixtures.storeID)
        #expect(opened.cipher == .aes256gcm)
        #expect(try opened.secretCount() == 0)
    }

    @Test func storeFileAndSideFilesAreMode0600() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        try Fixtures.put(store, "a")
        #expect(fileMode(dir.storePath) == 0o600)
        for suffix in ["-wal", "-shm"] {
            let mode = fileMode(dir.storePath + suffix)
            #expect(mode == nil || mode == 0o600, "\(suffix) has mode \(String(mode ?? 0, radix: 8))")
        }
        #expect(fileMode(dir.storePath + "-wal") != nil, "the store should be in WAL mode")
    }

    @Test func createRefusesAnExistingFile() throws {
        let dir = try TestDirectory()
        _ = try dir.createStore()
        let error = #expect(throws: SecretsError.self) { try dir.createStore() }
        #expect(error?.code == .alreadyExists)
        #expect(error?.message == "store already exists at \(dir.storePath) (use it, or remove it first)")
        // The first store is untouched.
        #expect(try SecretStore.open(at: dir.storePath).storeID == Fixtures.storeID)
    }

    @Test func createRefusesAnEmptyStoreID() throws {
        let dir = try TestDirectory()
        let error = #expect(throws: SecretsError.self) {
            try SecretStore.create(at: dir.storePath, storeID: [], cipher: .xchacha20poly1305)
        }
        #expect(error?.code == .invalidArgument)
        #expect(fileMode(dir.storePath) == nil)
    }

    @Test func createRefusesAnOpenDirectoryWithTheChmodHint() throws {
        let dir = try TestDirectory()
        #expect(chmod(dir.path, 0o755) == 0)
        let error = #expect(throws: SecretsError.self) { try dir.createStore() }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "refusing to use \(dir.path): mode 0755 is too open, want 0700 (run: chmod 700 \(dir.path))")
        #expect(fileMode(dir.storePath) == nil, "nothing is created in a refused directory")
    }

    @Test func createRefusesAMissingDirectory() throws {
        let dir = try TestDirectory()
        let error = #expect(throws: SecretsError.self) {
            try SecretStore.create(at: dir.path + "/missing/store.db", storeID: Fixtures.storeID, cipher: .xchacha20poly1305)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("run: mkdir -m 700 \(dir.path)/missing") == true)
    }

    @Test func openRefusesAnOpenDirectory() throws {
        let dir = try TestDirectory()
        try dir.createStore().close()
        #expect(chmod(dir.path, 0o750) == 0)
        let error = #expect(throws: SecretsError.self) { try SecretStore.open(at: dir.storePath) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "refusing to use \(dir.path): mode 0750 is too open, want 0700 (run: chmod 700 \(dir.path))")
    }

    @Test func openRefusesAStoreFileWithGroupOrOtherBits() throws {
        let dir = try TestDirectory()
        try dir.createStore().close()
        #expect(chmod(dir.storePath, 0o640) == 0)
        let error = #expect(throws: SecretsError.self) { try SecretStore.open(at: dir.storePath) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "refusing to use \(dir.storePath): mode 0640 is too open, want 0600 (run: chmod 600 \(dir.storePath))")
    }

    @Test func openRefusesASymbolicLink() throws {
        let dir = try TestDirectory()
        try dir.createStore().close()
        let link = dir.path + "/link.db"
        #expect(symlink(dir.storePath, link) == 0)
        let error = #expect(throws: SecretsError.self) { try SecretStore.open(at: link) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("symbolic link") == true)
    }

    @Test func openOfAMissingStoreIsNotFound() throws {
        let dir = try TestDirectory()
        let error = #expect(throws: SecretsError.self) { try SecretStore.open(at: dir.storePath) }
        #expect(error?.code == .notFound)
        #expect(error?.message.hasPrefix("no store at \(dir.storePath) (run: secrets-agent init --store \(dir.storePath)") == true)
    }

    @Test func openOfAFileThatIsNotAStoreIsAnIntegrityFailure() throws {
        let dir = try TestDirectory()
        let garbage = Data(repeating: 0x5A, count: 4096)
        #expect(FileManager.default.createFile(atPath: dir.storePath, contents: garbage, attributes: [.posixPermissions: 0o600]))
        let error = #expect(throws: SecretsError.self) { try SecretStore.open(at: dir.storePath) }
        #expect(error?.code == .integrityFailure)
    }

    @Test func reopenAfterCloseKeepsEverything() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        for version in 1...3 { try Fixtures.put(store, "db/password", env: "production", now: Int64(version)) }
        try Fixtures.put(store, "api-key")
        let slot = try store.addKeyslot(KeyslotRecord(kind: "key-file", salt: [1], nonce: [2], wrappedKey: [3], createdAtUnixMs: 5))
        let listed = try store.list(environment: nil, prefix: "")
        let history = try store.history(name: Fixtures.name("db/password"), environment: Fixtures.env("production"))
        store.close()

        let reopened = try SecretStore.open(at: dir.storePath)
        #expect(try reopened.list(environment: nil, prefix: "") == listed)
        #expect(try reopened.history(name: Fixtures.name("db/password"), environment: Fixtures.env("production")) == history)
        #expect(try reopened.keyslots().map(\.id) == [slot])
        let current = try reopened.version(name: Fixtures.name("db/password"), environment: Fixtures.env("production"), version: nil)
        #expect(current.version == 3)
        #expect(current.sealed == Fixtures.sealed("db/password", "production", 3))
    }

    @Test func aClosedStoreRefusesWork() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        store.close()
        store.close()
        let error = #expect(throws: SecretsError.self) { try store.secretCount() }
        #expect(error?.code == .unavailable)
    }
}
