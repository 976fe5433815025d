/// The checksum of GitHub's `gh?_` tokens (github.blog, 2021-04-05, "Behind GitHub's new
/// authentication token formats"): the last 6 characters are the CRC-32 (IEEE, as zlib) of
/// the 30 random characters before them, in base62 with the alphabet `0-9A-Za-z`,
/// big-endian, left-padded with `0`. npm's `npm_` tokens use the same scheme.
enum GitHubChecksum {
    static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        return crc
    }

    /// CRC-32 (IEEE 802.3, reflected, as zlib's `crc32`).
    static func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// The 6-character checksum of `random`.
    static func checksum(of random: String) -> String {
        var value = crc32(random.utf8)
        var digits: [UInt8] = []
        while value > 0 {
            digits.append(base62[Int(value % 62)])
            value /= 62
        }
        while digits.count < 6 { digits.append(0x30) }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    /// Whether `token` (`prefix_` + 30 random + 6 checksum) carries a correct checksum.
    static func isValid(_ token: String) -> Bool {
        guard let underscore = token.firstIndex(of: "_") else { return false }
        let body = Array(token[token.index(after: underscore)...].utf8)
        guard body.count == 36 else { return false }
        let random = String(decoding: body[0..<30], as: UTF8.self)
        return checksum(of: random) == String(decoding: body[30..<36], as: UTF8.self)
    }
}
