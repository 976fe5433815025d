#if canImport(Glibc)
import Glibc
#endif
@testable import SecretsAgentKit
import SecretsCore
import SecretsCrypto
import SecretsStore
import Testing

@Suite struct StoreSetupTests {
    @Test func initializeMakesAStoreTheSameKeyFileOpens() throws {
        let dir = try TestDirectory()
        let storePath = dir.path + "/data/store.db"
        let keyFile = KeyFile.generateContents()
        let storeID = try StoreSetup.initialize(storePath: storePath, method: .keyFile(keyFile), argon2: .minimum)

        #expect(storeID.count == 32)
        #expect(storeID.allSatisfy { "0123456789abcdef".contains($0) }, "lowercase hex")
        #expect(fileMode(dir.path + "/data") == 0o700, "the missing directory was created 0700")
        #expect(fileMode(storePath) == 0o600)

        let store = try SecretStore.open(at: storePath)
        defer { store.close() }
        #expect(Hex.encode(store.storeID) == storeID)
        #expect(store.cipher == .xchacha20poly1305)
        let slots = try store.keyslots()
        #expect(slots.map(\.kind) == ["key-file"])

        let opened = try Keyslots.unwrap(.keyFile(keyFile), slots: slots, storeID: store.storeID)
        #expect(opened.masterKey.count == 32)
        #expect(opened.slotID == slots[0].id)

        let error = #expect(throws: SecretsError.self) {
            try Keyslots.unwrap(.keyFile(KeyFile.generateContents()), slots: slots, storeID: store.storeID)
        }
        #expect(error?.code == .permissionDenied)
    }

    @Test func initializeWithAPassphrase() throws {
        let dir = try TestDirectory()
        let storePath = dir.path + "/store.db"
        let passphrase = SecureBytes(copying: Array("a long passphrase".utf8))
        let storeID = try StoreSetup.initialize(storePath: storePath, method: .passphrase(passphrase), argon2: .minimum)
        let store = try SecretStore.open(at: storePath)
        defer { store.close() }
        #expect(Hex.encode(store.storeID) == storeID)
        let slots = try store.keyslots()
        #expect(slots.map(\.kind) == ["passphrase"])
        #expect(slots.first?.argon2OpsLimit == 3)
        #expect(slots.first?.argon2MemLimitBytes == 64 << 20)
        let opened = try Keyslots.unwrap(.passphrase(passphrase), slots: slots, storeID: store.storeID)
        #expect(opened.masterKey.count == 32)
    }

    @Test func twoStoresGetDifferentIdsAndKeys() throws {
        let dir = try TestDirectory()
        let keyFile = KeyFile.generateContents()
        let a = try StoreSetup.initialize(storePath: dir.path + "/a.db", method: .keyFile(keyFile), argon2: .minimum)
        let b = try StoreSetup.initialize(storePath: dir.path + "/b.db", method: .keyFile(keyFile), argon2: .minimum)
        #expect(a != b)
        let storeA = try SecretStore.open(at: dir.path + "/a.db")
        let storeB = try SecretStore.open(at: dir.path + "/b.db")
        defer { storeA.close(); storeB.close() }
        let keyA = try Keyslots.unwrap(.keyFile(keyFile), slots: storeA.keyslots(), storeID: storeA.storeID).masterKey
        let keyB = try Keyslots.unwrap(.keyFile(keyFile), slots: storeB.keyslots(), storeID: storeB.storeID).masterKey
        #expect(!keyA.constantTimeEquals(keyB), "each store has its own random master key")
        // A slot only opens for the store it was made for.
        #expect(throws: SecretsError.self) {
            try Keyslots.unwrap(.keyFile(keyFile), slots: storeA.keyslots(), storeID: storeB.storeID)
        }
    }

    @Test func anExistingStoreIsNotReplaced() throws {
        let dir = try TestDirectory()
        let storePath = dir.path + "/store.db"
        let keyFile = KeyFile.generateContents()
        let first = try StoreSetup.initialize(storePath: storePath, method: .keyFile(keyFile), argon2: .minimum)
        let error = #expect(throws: SecretsError.self) {
            try StoreSetup.initialize(storePath: storePath, method: .keyFile(KeyFile.generateContents()), argon2: .minimum)
        }
        #expect(error == .alreadyExists("store already exists at \(storePath) (use it, or remove it first)"))
        let store = try SecretStore.open(at: storePath)
        defer { store.close() }
        #expect(Hex.encode(store.storeID) == first)
        #expect(try store.keyslots().count == 1)
    }

    @Test func aDirectoryOthersCanWriteIsRefused() throws {
        let dir = try TestDirectory()
        let open = try dir.directory("open", mode: 0o777)
        let error = #expect(throws: SecretsError.self) {
            try StoreSetup.initialize(storePath: open + "/store.db", method: .keyFile(KeyFile.generateContents()), argon2: .minimum)
        }
        #expect(error == .invalidArgument(
            "refusing to start: \(open) has mode 0777, which lets others replace what is in it; want 0700 (run: chmod 700 \(open))"))
        #expect(fileMode(open + "/store.db") == nil)
    }

    @Test func aDirectoryOthersCanReadIsRefusedByTheStore() throws {
        // PrivateDirectory lets 0755 pass (fine for a socket); the store itself wants 0700.
        let dir = try TestDirectory()
        let readable = try dir.directory("readable", mode: 0o755)
        let error = #expect(throws: SecretsError.self) {
            try StoreSetup.initialize(storePath: readable + "/store.db", method: .keyFile(KeyFile.generateContents()),
                                      argon2: .minimum)
        }
        #expect(error == .invalidArgument("refusing to use \(readable): mode 0755 is too open, want 0700 (run: chmod 700 \(readable))"))
        #expect(fileMode(readable + "/store.db") == nil)
    }

    @Test func aMalformedKeyFileCreatesNothing() throws {
        let dir = try TestDirectory()
        let storePath = dir.path + "/data/store.db"
        let error = #expect(throws: SecretsError.self) {
            try StoreSetup.initialize(storePath: storePath, method: .keyFile(SecureBytes(copying: Array("nope".utf8))),
                                      argon2: .minimum)
        }
        #expect(error?.code == .invalidArgument)
        #expect(fileMode(storePath) == nil, "no store without a keyslot")
    }
}
