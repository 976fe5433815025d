import SecretsScan

/// Deterministic test inputs: random strings from a seeded `SplitMix64`, GitHub tokens with
/// a valid checksum, and scanning helpers that show a finding as its rule and matched text.
enum Fixture {
    static let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    static let lower = "abcdefghijklmnopqrstuvwxyz"
    static let digits = "0123456789"
    static let alnum = upper + lower + digits
    static let letters = upper + lower
    static let hex = "0123456789abcdef"
    static let base32 = upper + "234567"
    static let base64 = alnum + "+/"
    static let base64url = alnum + "_-"

    /// `count` characters of `alphabet`, the same for the same seed.
    static func random(_ count: Int, _ alphabet: String, seed: UInt64) -> String {
        var generator = SplitMix64(seed: seed)
        let characters = Array(alphabet)
        return String((0..<count).map { _ in characters[Int(generator.next() % UInt64(characters.count))] })
    }

    /// A GitHub token: `prefix`, 30 random letters and digits, and their checksum.
    static func githubToken(_ prefix: String, seed: UInt64) -> String {
        githubToken(prefix, random: random(30, alnum, seed: seed))
    }

    /// `prefix` + `random` (30 characters) + base62(CRC-32(random)), left-padded to 6.
    static func githubToken(_ prefix: String, random: String) -> String {
        prefix + random + base62(crc32(Array(random.utf8)))
    }

    /// `text` in unpadded base64url (RFC 4648 §5), as in a JWT.
    static func base64url(_ text: String) -> String {
        let alphabet = Array(upper + lower + digits + "-_")
        let bytes = Array(text.utf8)
        var out = ""
        var k = 0
        while k < bytes.count {
            let chunk = Array(bytes[k..<min(k + 3, bytes.count)])
            let n = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for j in 0...chunk.count { out.append(alphabet[Int(n >> (18 - 6 * UInt32(j)) & 63)]) }
            k += 3
        }
        return out
    }

    /// A JWT with `header` and `payload` (JSON text) and a random signature.
    static func jwt(header: String = #"{"alg":"HS256","typ":"JWT"}"#, payload: String = #"{"sub":"1234567890","iat":1516239022}"#,
                    signatureLength: Int = 43, seed: UInt64 = 1) -> String {
        base64url(header) + "." + base64url(payload) + "." + random(signatureLength, base64url, seed: seed)
    }

    /// CRC-32 (IEEE 802.3, reflected, as zlib computes it), bit by bit.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// `value` in base 62 (0-9, A-Z, a-z), left-padded with `0` to 6 characters.
    static func base62(_ value: UInt32) -> String {
        let alphabet = Array(digits + upper + lower)
        var n = value
        var out = ""
        repeat {
            out = String(alphabet[Int(n % 62)]) + out
            n /= 62
        } while n > 0
        return String(repeating: "0", count: max(0, 6 - out.count)) + out
    }
}

/// A finding as a person reads it: the rule and the bytes it covers.
struct Match: Equatable, CustomStringConvertible {
    let rule: String
    let text: String
    init(_ rule: String, _ text: String) {
        self.rule = rule
        self.text = text
    }
    var description: String { "\(rule): \(text)" }
}

/// The findings of a scanner with `rules` (nil: all) in `text`.
func scan(_ text: String, rules: Set<String>? = nil) -> [Finding] {
    Scanner(ruleIDs: rules).scan(Array(text.utf8))
}

/// The findings in `text` as rule and matched text.
func matches(_ text: String, rules: Set<String>? = nil) -> [Match] {
    let bytes = Array(text.utf8)
    return Scanner(ruleIDs: rules).scan(bytes).map { Match($0.rule, String(decoding: bytes[$0.start..<$0.end], as: UTF8.self)) }
}

/// The UTF-8 offset of the first `needle` in `text`.
func offset(of needle: String, in text: String) -> Int {
    let haystack = Array(text.utf8), bytes = Array(needle.utf8)
    for start in 0...(haystack.count - bytes.count) where Array(haystack[start..<start + bytes.count]) == bytes {
        return start
    }
    fatalError("\(needle) not in \(text)")
}
