#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import SecretsCore
import SecretsCrypto
import SecretsProtocol
import SecretsStore
import SwiftProtobuf

/// Fuzz and test support, not used by the agent: the agent's real `RequestDispatcher` on a
/// store of its own, without a socket, so a harness can feed it arbitrary request bytes
/// (`contrib/fuzz/DispatchFuzzer.swift`). Wired as `Agent.run` wires it: a fresh store
/// with one key-file keyslot, opened exclusively and unlocked with that key file, an
/// `AuditTrail` holding the audit key, and an `OwnerOnlyAuthorizer`; the peer is this
/// process, so every request is the owner's (admin), on a connection that said Hello.
public enum FuzzDispatch {
    /// Creates a store at `storeDirectory/store.db` (the directory is created 0700 when
    /// missing) whose only keyslot is the key file `keyFile`, and an unlocked dispatcher
    /// on it.
    /// - Throws: `SecretsError` when the store cannot be made: `.alreadyExists` when one is
    ///   there, `.invalidArgument` for an unsafe directory or a malformed key file.
    public static func makeDispatcher(storeDirectory: String, keyFile: SecureBytes) throws(SecretsError) -> Handle {
        let path = storeDirectory + "/store.db"
        _ = try StoreSetup.initialize(storePath: path, method: .keyFile(keyFile))
        let store = try SecretStore.open(at: path, exclusive: true)
        do {
            let logger = Logger(label: "secrets-agent.fuzz") { _ in SwiftLogNoOpLogHandler() }
            let audit = AuditTrail(store: store, logger: logger)
            let unlocked = try Keyslots.unwrap(.keyFile(keyFile), slots: try store.keyslots(), storeID: store.storeID)
            try audit.install(masterKey: unlocked.masterKey)
            let keyring = Keyring()
            keyring.install(unlocked.masterKey)
            let dispatcher = RequestDispatcher(store: store, keyring: keyring, authorizer: OwnerOnlyAuthorizer(ownerUID: geteuid()),
                                               audit: audit, logger: logger)
            let peer = PeerIdentity(credentials: PeerCredentials(pid: getpid(), uid: geteuid(), gid: getegid()), executable: nil)
            return Handle(store: store, dispatcher: dispatcher, session: Session(peer: peer, saidHello: true))
        } catch {
            store.close()
            throw error
        }
    }

    /// One connection's worth of dispatching. Not thread-safe: one owner at a time.
    public final class Handle {
        private let store: SecretStore
        private let dispatcher: RequestDispatcher
        private var session: Session

        init(store: SecretStore, dispatcher: RequestDispatcher, session: Session) {
            self.store = store
            self.dispatcher = dispatcher
            self.session = session
        }

        /// Answers one request body as the agent would, and wipes the values in the response
        /// after serializing it, as `Connection` does.
        /// - Returns: the serialized `SecretsAgent_V1_Response`, or nil when `requestBytes`
        ///   is not a `SecretsAgent_V1_Request` (the agent closes such a connection).
        /// - Throws: when the response cannot be serialized, which the agent could not send.
        public func handle(_ requestBytes: [UInt8]) throws -> [UInt8]? {
            guard let request = try? SecretsAgent_V1_Request(serializedBytes: requestBytes) else { return nil }
            var response = dispatcher.respond(to: request, in: &session)
            defer { response.wipeSecrets() }
            return try response.serializedBytes()
        }

        /// Closes the store; the caller removes its directory.
        public func close() {
            store.close()
        }
    }
}
