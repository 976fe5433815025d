import SecretsCore
import SecretsCrypto
import SecretsStore

/// Wrapping and unwrapping the master key with keyslots, LUKS-style (DESIGN §4).
enum Keyslots {
    /// A new keyslot record holding `masterKey` wrapped for `method`.
    static func record(for method: UnlockMethod, masterKey: SecureBytes, storeID: [UInt8],
                       argon2: Argon2idParameters, nowUnixMs: Int64) throws(SecretsError) -> KeyslotRecord {
        let wrapped: WrappedMasterKey
        do {
            switch method {
            case .passphrase(let passphrase):
                wrapped = try KeyslotSealing.wrap(masterKey: masterKey, passphrase: passphrase, parameters: argon2, storeID: storeID)
            case .keyFile(let contents), .systemdCredential(let contents):
                let key = try parseKeyFile(contents)
                wrapped = try KeyslotSealing.wrap(masterKey: masterKey, keyFileKey: key, storeID: storeID)
            }
        } catch let error as CryptoError {
            throw .invalidArgument(error.message)
        } catch {
            throw error as! SecretsError
        }
        return KeyslotRecord(id: 0, kind: method.slotKind, salt: wrapped.salt, nonce: wrapped.nonce,
                             wrappedKey: wrapped.ciphertext, argon2OpsLimit: wrapped.argon2?.opsLimit,
                             argon2MemLimitBytes: wrapped.argon2?.memLimitBytes, createdAtUnixMs: nowUnixMs)
    }

    /// The master key, from the first keyslot of the method's kind that accepts it.
    /// - Throws: `.permissionDenied` when no slot accepts it, `.notFound` when the store
    ///   has no slot of that kind.
    static func unwrap(_ method: UnlockMethod, slots: [KeyslotRecord], storeID: [UInt8]) throws(SecretsError) -> (masterKey: SecureBytes, slotID: Int64) {
        // A credential holds a key file's contents, so it also opens key-file slots.
        let kinds: Set<String> = if case .systemdCredential = method { ["systemd-credential", "key-file"] } else { [method.slotKind] }
        let candidates = slots.filter { kinds.contains($0.kind) }
        guard !candidates.isEmpty else {
            let kinds = Set(slots.map(\.kind)).sorted().joined(separator: ", ")
            if kinds.isEmpty { throw .notFound("the store has no keyslots (restore it from a backup)") }
            throw .notFound("the store has no \(method.slotKind) keyslot (it has: \(kinds))")
        }
        var keyFileKey: SecureBytes?
        switch method {
        case .keyFile(let contents), .systemdCredential(let contents):
            keyFileKey = try parseKeyFile(contents)
        case .passphrase:
            break
        }
        for slot in candidates {
            var argon2: Argon2idParameters?
            if let ops = slot.argon2OpsLimit, let mem = slot.argon2MemLimitBytes {
                argon2 = Argon2idParameters(opsLimit: ops, memLimitBytes: mem)
            }
            let wrapped = WrappedMasterKey(salt: slot.salt, nonce: slot.nonce, ciphertext: slot.wrappedKey, argon2: argon2)
            do {
                let key: SecureBytes
                switch method {
                case .passphrase(let passphrase):
                    key = try KeyslotSealing.unwrap(wrapped, passphrase: passphrase, storeID: storeID)
                case .keyFile, .systemdCredential:
                    key = try KeyslotSealing.unwrap(wrapped, keyFileKey: keyFileKey!, storeID: storeID)
                }
                return (key, slot.id)
            } catch where error.kind == .authenticationFailed {
                continue
            } catch {
                throw .internal("keyslot \(slot.id) cannot be opened: \(error.message)")
            }
        }
        switch method {
        case .passphrase: throw .permissionDenied("unlock failed: wrong passphrase (try again, or use another keyslot)")
        case .keyFile, .systemdCredential: throw .permissionDenied("unlock failed: no keyslot accepts this key file (check that it belongs to this store)")
        }
    }

    /// The 32-byte key in a key file's contents (64 hex characters).
    static func parseKeyFile(_ contents: SecureBytes) throws(SecretsError) -> SecureBytes {
        do {
            return try contents.withUnsafeBytes { raw in try KeyFile.parse(raw) }
        } catch let error as CryptoError {
            throw .invalidArgument(error.message)
        } catch {
            throw .internal("cannot parse the key file")
        }
    }
}
