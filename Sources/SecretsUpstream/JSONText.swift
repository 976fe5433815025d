import SecretsCrypto

/// Writes the few JSON request bodies the upstream needs straight from locked memory into
/// a byte array, so a value or credential never becomes a Swift `String` on the way out.
/// The caller wipes the array after sending it.
enum JSONText {
    /// `"…"`: the bytes as a JSON string, or nil when they are not valid UTF-8.
    static func appendString(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) -> Bool {
        guard String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) != nil else { return false }
        out.append(UInt8(ascii: "\""))
        let hex = Array("0123456789abcdef".utf8)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0..<0x20:
                out += Array("\\u00".utf8)
                out += [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return true
    }

    /// A plain ASCII string literal (field names, numbers) appended as is.
    static func append(_ text: String, to out: inout [UInt8]) {
        out += Array(text.utf8)
    }

    /// `{"options":{"cas":N},"data":{"value":"…"}}`, or `"value_base64"` for a value that
    /// is not UTF-8 text (KV v2 holds JSON, which cannot carry raw bytes).
    static func kvWrite(_ value: SecureBytes, checkAndSet: UInt64?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(value.count * 2 + 64)
        append("{", to: &out)
        if let checkAndSet { append("\"options\":{\"cas\":\(checkAndSet)},", to: &out) }
        append("\"data\":{", to: &out)
        value.withUnsafeBytes { raw in
            var text: [UInt8] = []
            text.reserveCapacity(raw.count * 2 + 2)
            if appendString(raw, to: &text) {
                append("\"value\":", to: &out)
            } else {
                append("\"value_base64\":", to: &out)
                text = Array("\"".utf8) + Base64Bytes.encode(raw) + Array("\"".utf8)
            }
            out += text
            for i in text.indices { text[i] = 0 }
        }
        append("}}", to: &out)
        return out
    }

    /// `{"role_id":"…","secret_id":"…"}` for an AppRole login.
    static func appRoleLogin(roleID: SecureBytes, secretID: SecureBytes) -> [UInt8]? {
        var out = Array("{\"role_id\":".utf8)
        guard roleID.withUnsafeBytes({ appendString($0, to: &out) }) else { return nil }
        append(",\"secret_id\":", to: &out)
        guard secretID.withUnsafeBytes({ appendString($0, to: &out) }) else { return nil }
        append("}", to: &out)
        return out
    }
}

/// Standard base64 with padding, byte to byte.
enum Base64Bytes {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let n = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(i + 1 < bytes.count ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(n & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return out
    }
}
