internal import CSodium

/// Hexadecimal encoding, in constant time (libsodium's `sodium_bin2hex`/`sodium_hex2bin`)
/// so it is safe for key material.
public enum Hex {
    /// Returns `bytes` as lowercase hex in locked memory, for secret material.
    public static func encodeSecure(_ bytes: UnsafeRawBufferPointer) -> SecureBytes {
        let digits: StaticString = "0123456789abcdef"
        let out = SecureBytes(count: bytes.count * 2)
        out.withUnsafeMutableBytes { target in
            digits.withUTF8Buffer { digits in
                for (i, byte) in bytes.enumerated() {
                    target[2 * i] = digits[Int(byte >> 4)]
                    target[2 * i + 1] = digits[Int(byte & 0x0F)]
                }
            }
        }
        return out
    }

    /// Returns `bytes` as lowercase hex.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        Sodium.ensureInitialized()
        let input = Array(bytes)
        var output = [CChar](repeating: 0, count: 2 * input.count + 1)
        _ = sodium_bin2hex(&output, output.count, input, input.count)
        return String(decoding: output.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Decodes hex of either case; `nil` if `text` has odd length or any non-hex character
    /// (whitespace included).
    public static func decode(_ text: String) -> [UInt8]? {
        Sodium.ensureInitialized()
        var text = text
        return text.withUTF8 { hex -> [UInt8]? in
            guard hex.count % 2 == 0 else { return nil }
            guard let hexBase = hex.baseAddress, !hex.isEmpty else { return [] }
            var output = [UInt8](repeating: 0, count: hex.count / 2)
            var decodedByteCount = 0
            let result = hexBase.withMemoryRebound(to: CChar.self, capacity: hex.count) { characters in
                sodium_hex2bin(&output, output.count, characters, hex.count, nil, &decodedByteCount, nil)
            }
            return result == 0 && decodedByteCount == output.count ? output : nil
        }
    }
}

/// Base64 encoding, in constant time (libsodium's `sodium_bin2base64`).
public enum Base64 {
    /// The alphabet and padding.
    public enum Variant: Sendable {
        /// RFC 4648 §4: `+` and `/`, padded with `=`.
        case standard
        /// RFC 4648 §5: `-` and `_`, no padding.
        case urlSafeNoPadding
    }

    /// Returns `bytes` encoded as ASCII bytes (bytes, not a `String`, so a secret can stay
    /// out of Swift strings until the edge that prints it).
    public static func encode(_ bytes: UnsafeRawBufferPointer, variant: Variant) -> [UInt8] {
        Sodium.ensureInitialized()
        let sodiumVariant = switch variant {
        case .standard: sodium_base64_VARIANT_ORIGINAL
        case .urlSafeNoPadding: sodium_base64_VARIANT_URLSAFE_NO_PADDING
        }
        let capacity = sodium_base64_encoded_len(bytes.count, sodiumVariant)
        var output = [UInt8](repeating: 0, count: capacity)
        output.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: capacity) { characters in
                _ = sodium_bin2base64(characters, capacity,
                                      bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count,
                                      sodiumVariant)
            }
        }
        output.removeLast()  // the terminating NUL
        return output
    }
}
