/// An encrypted backup file: a fixed header, then the XChaCha20-Poly1305 ciphertext of the
/// payload under a key derived from a passphrase with Argon2id.
///
/// Layout, version 1 (all integers big-endian; 80 header bytes):
///
/// | bytes | field |
/// |---|---|
/// | 21 | magic `secrets-agent-backup\n` |
/// | 1 | format version, 1 |
/// | 1 | key derivation, 1 = Argon2id 1.3 (`crypto_pwhash_ALG_ARGON2ID13`) |
/// | 1 | cipher, 1 = XChaCha20-Poly1305 (IETF) |
/// | 8 | Argon2id opslimit (passes) |
/// | 8 | Argon2id memlimit in bytes |
/// | 16 | Argon2id salt |
/// | 24 | nonce |
/// | rest | ciphertext of the payload, then the 16-byte tag |
///
/// The key is Argon2id(passphrase, salt, opslimit, memlimit), 32 bytes. The associated
/// data is the whole 80-byte header, so no header field can be changed without the tag
/// failing. The payload is opaque here (see `BackupPayload` in SecretsClient).
public enum SealedBackup {
    /// The file's first bytes.
    public static let magic = Array("secrets-agent-backup\n".utf8)
    /// The format version this code writes and reads.
    public static let formatVersion: UInt8 = 1
    /// The length of the header.
    public static let headerByteCount = magic.count + 3 + 8 + 8 + Argon2id.saltByteCount + 24
    /// The most a backup may ask of Argon2id when opened: 32 passes over 4 GiB, so a
    /// hostile file cannot make `open` run for hours or exhaust memory.
    public static let maximumParameters = Argon2idParameters(opsLimit: 32, memLimitBytes: 4 << 30)

    private static let kdfArgon2id: UInt8 = 1
    private static let cipherXChaCha20Poly1305: UInt8 = 1

    /// Seals `payload` under `passphrase`.
    ///
    /// - Parameter parameters: Argon2id cost; the default is libsodium's MODERATE limits
    ///   (DESIGN §4), stored in the header.
    /// - Returns: the whole file: header and ciphertext.
    /// - Throws: `.weakParameters` below `Argon2idParameters.minimum`; `.invalidInput` for an
    ///   empty passphrase; `.unavailable` when Argon2id cannot allocate its memory.
    public static func seal(_ payload: UnsafeRawBufferPointer, passphrase: SecureBytes,
                            parameters: Argon2idParameters = .moderate) throws(CryptoError) -> [UInt8] {
        let salt = SecureRandom.bytes(Argon2id.saltByteCount)
        let nonce = SecureRandom.bytes(AEAD.nonceByteCount(.xchacha20poly1305))
        let key = try Argon2id.deriveKey(passphrase: passphrase, salt: salt, parameters: parameters)
        var header = magic
        header += [formatVersion, kdfArgon2id, cipherXChaCha20Poly1305]
        header.appendBigEndian(parameters.opsLimit)
        header.appendBigEndian(parameters.memLimitBytes)
        header += salt
        header += nonce
        let ciphertext = try key.withUnsafeBytes { keyBytes in
            Result { () throws(CryptoError) in
                try AEAD.seal(payload, key: keyBytes, nonce: nonce, associatedData: header, algorithm: .xchacha20poly1305)
            }
        }.get()
        return header + ciphertext
    }

    /// The Argon2id parameters a backup's header names (to tell the user what opening it
    /// will cost), after checking the magic and version.
    /// - Throws: as `open`, for the header alone.
    public static func parameters(of file: [UInt8]) throws(CryptoError) -> Argon2idParameters {
        try Header(file).parameters
    }

    /// Opens a backup made by `seal`.
    ///
    /// - Returns: the payload, in secure memory.
    /// - Throws: `.invalidInput` when the file is not a backup (wrong magic, too short) or
    ///   uses a format version, key derivation or cipher this code does not know;
    ///   `.weakParameters` when its Argon2id parameters are below the minimum or above
    ///   `maximumParameters`; `.authenticationFailed` when the passphrase is wrong or any
    ///   byte of the file was changed; `.unavailable` when Argon2id cannot allocate memory.
    public static func open(_ file: [UInt8], passphrase: SecureBytes) throws(CryptoError) -> SecureBytes {
        let header = try Header(file)
        let key = try Argon2id.deriveKey(passphrase: passphrase, salt: header.salt, parameters: header.parameters)
        do {
            return try AEAD.open(ciphertext: Array(file[headerByteCount...]), nonce: header.nonce, key: key,
                                 associatedData: Array(file[..<headerByteCount]), algorithm: .xchacha20poly1305)
        } catch where error.kind == .authenticationFailed {
            throw CryptoError(.authenticationFailed, "wrong passphrase or damaged file")
        }
    }

    /// The parsed header of a file.
    private struct Header {
        let parameters: Argon2idParameters
        let salt: [UInt8]
        let nonce: [UInt8]

        init(_ file: [UInt8]) throws(CryptoError) {
            guard file.count >= SealedBackup.headerByteCount + AEAD.tagByteCount,
                  Array(file.prefix(SealedBackup.magic.count)) == SealedBackup.magic else {
                if Array(file.prefix(SealedBackup.magic.count)) == SealedBackup.magic {
                    throw CryptoError(.authenticationFailed, "the file is truncated")
                }
                throw CryptoError(.invalidInput, "not a secrets-agent backup (it does not start with the backup header)")
            }
            var at = SealedBackup.magic.count
            let version = file[at]
            guard version == SealedBackup.formatVersion else {
                throw CryptoError(.invalidInput, "backup format version \(version) is not supported; this secrets-agent reads version \(SealedBackup.formatVersion) (use a newer secrets-agent)")
            }
            guard file[at + 1] == SealedBackup.kdfArgon2id, file[at + 2] == SealedBackup.cipherXChaCha20Poly1305 else {
                throw CryptoError(.invalidInput, "backup names key derivation \(file[at + 1]) and cipher \(file[at + 2]), which this secrets-agent does not know (use a newer secrets-agent)")
            }
            at += 3
            func uint64(_ offset: Int) -> UInt64 {
                file[offset..<(offset + 8)].reduce(0) { $0 << 8 | UInt64($1) }
            }
            parameters = Argon2idParameters(opsLimit: uint64(at), memLimitBytes: uint64(at + 8))
            at += 16
            let maximum = SealedBackup.maximumParameters
            guard parameters.opsLimit <= maximum.opsLimit, parameters.memLimitBytes <= maximum.memLimitBytes else {
                throw CryptoError(.weakParameters, "backup asks for argon2id with \(parameters.opsLimit) passes over \(parameters.memLimitBytes >> 20) MiB, over the limit of \(maximum.opsLimit) passes over \(maximum.memLimitBytes >> 20) MiB")
            }
            salt = Array(file[at..<(at + Argon2id.saltByteCount)])
            at += Argon2id.saltByteCount
            nonce = Array(file[at..<(at + 24)])
        }
    }
}
