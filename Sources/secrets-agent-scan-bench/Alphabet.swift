/// A set of characters random strings are drawn from.
struct Alphabet: Sendable {
    let bytes: [UInt8]

    init(_ characters: String) { bytes = Array(characters.utf8) }

    static let upper = Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    static let lower = Alphabet("abcdefghijklmnopqrstuvwxyz")
    static let digits = Alphabet("0123456789")
    static let letters = Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    static let alnum = Alphabet("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    static let lowerAlnum = Alphabet("0123456789abcdefghijklmnopqrstuvwxyz")
    static let upperAlnum = Alphabet("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    static let hexLower = Alphabet("0123456789abcdef")
    static let hexUpper = Alphabet("0123456789ABCDEF")
    /// RFC 4648 base32: the alphabet of AWS access key ids after `AKIA`.
    static let base32 = Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    static let base64 = Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    static let base64URL = Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    /// Characters of a generated password: no quotes, backslash, `$`, `#` or spaces, so
    /// the value reads the same in every file format.
    static let password = Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!%^*+-_.~")

    /// Prefixes of credential formats that random text of any alphabet could spell by
    /// chance; `scrub` breaks each one up.
    static let riskyPrefixes: [[UInt8]] = [
        "AKIA", "AIza", "eyJ", "EAAA", "ATATT", "npm_", "hf_", "sk-", "sk_", "rk_", "SG.", "glpat", "dapi",
        "xox", "dop_", "shpat", "whsec", "lin_", "pypi", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_",
        "key-", "dp.", "SK", "-us",
    ].map { Array($0.utf8) }

    /// Replaces the first byte of every risky prefix in `bytes` with `Q` (which starts none
    /// of them), until none is left.
    static func scrub(_ bytes: inout [UInt8]) {
        var changed = true
        while changed {
            changed = false
            var index = 0
            while index < bytes.count {
                for prefix in riskyPrefixes where bytes[index] == prefix[0] && index + prefix.count <= bytes.count {
                    if bytes[index..<(index + prefix.count)].elementsEqual(prefix) {
                        bytes[index] = 0x51  // Q
                        changed = true
                        break
                    }
                }
                index += 1
            }
        }
    }

    /// Standard base64 of `data`, with padding.
    static func base64Encoded(_ data: [UInt8]) -> String {
        encode(data, base64.bytes, pad: true)
    }

    /// Base64url of `data`, without padding (as in JWTs).
    static func base64URLEncoded(_ data: [UInt8]) -> String {
        encode(data, base64URL.bytes, pad: false)
    }

    private static func encode(_ data: [UInt8], _ table: [UInt8], pad: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((data.count + 2) / 3 * 4)
        var index = 0
        while index < data.count {
            let b0 = UInt32(data[index])
            let b1 = index + 1 < data.count ? UInt32(data[index + 1]) : 0
            let b2 = index + 2 < data.count ? UInt32(data[index + 2]) : 0
            let word = b0 << 16 | b1 << 8 | b2
            let available = min(3, data.count - index)
            for slot in 0..<4 {
                if slot <= available {
                    out.append(table[Int(word >> UInt32(18 - 6 * slot) & 0x3F)])
                } else if pad {
                    out.append(0x3D)
                }
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
