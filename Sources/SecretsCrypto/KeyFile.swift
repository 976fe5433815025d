internal import CSodium

/// The key file format: 32 random bytes written as 64 hex characters, optionally surrounded
/// by ASCII whitespace (a trailing newline is usual). Used by key-file keyslots and
/// systemd credentials.
public enum KeyFile {
    /// The length of the key a key file holds.
    static let keyByteCount = 32
    private static let hexCount = 2 * keyByteCount

    /// Parses key file contents into the 32-byte key.
    ///
    /// The hex is decoded straight into secure memory with `sodium_hex2bin`; no `String`
    /// copy of the key is made. Error messages give lengths only, never the contents.
    ///
    /// - Throws: `.invalidInput` if, after trimming ASCII whitespace, the contents are not
    ///   exactly 64 hex characters (either case).
    public static func parse(_ contents: UnsafeRawBufferPointer) throws(CryptoError) -> SecureBytes {
        Sodium.ensureInitialized()
        var start = 0
        var end = contents.count
        while start < end, isASCIIWhitespace(contents[start]) { start += 1 }
        while end > start, isASCIIWhitespace(contents[end - 1]) { end -= 1 }
        guard end - start == hexCount else {
            throw CryptoError(.invalidInput,
                              "key file must hold \(hexCount) hex characters, found \(end - start) "
                                  + "(generate one with: secrets-agent init --generate-key-file FILE)")
        }
        let key = SecureBytes(count: keyByteCount)
        var decodedByteCount = 0
        let result = key.withUnsafeMutableBytes { output in
            sodium_hex2bin(output.baseAddress!.assumingMemoryBound(to: UInt8.self), keyByteCount,
                           (contents.baseAddress! + start).assumingMemoryBound(to: CChar.self), hexCount,
                           nil, &decodedByteCount, nil)
        }
        guard result == 0, decodedByteCount == keyByteCount else {
            throw CryptoError(.invalidInput,
                              "key file is not hex: it must hold \(hexCount) characters 0-9 and a-f, and nothing else")
        }
        return key
    }

    /// Returns the contents of a new key file: 32 random bytes as 64 lowercase hex
    /// characters and a newline, in secure memory.
    public static func generateContents() -> SecureBytes {
        let key = SecureBytes.random(count: keyByteCount)
        let contents = SecureBytes(count: hexCount + 1)
        key.withUnsafeBytes { keyBytes in
            contents.withUnsafeMutableBytes { output in
                // Writes 64 characters and a terminating NUL, which the newline replaces.
                _ = sodium_bin2hex(output.baseAddress!.assumingMemoryBound(to: CChar.self), hexCount + 1,
                                   keyBytes.baseAddress!.assumingMemoryBound(to: UInt8.self), keyByteCount)
                output[hexCount] = UInt8(ascii: "\n")
            }
        }
        return contents
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0d).contains(byte)
    }
}
