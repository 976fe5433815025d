/// The checksum of GitHub's prefixed tokens (`ghp_` `gho_` `ghu_` `ghs_` `ghr_`): after the
/// prefix come 30 random characters and 6 characters that are the CRC-32 (IEEE) of those 30,
/// in base 62 (digits, then A-Z, then a-z), left-padded with `0`.
enum GitHubChecksum {
    /// Whether the 36 letters and digits at `start` carry a valid checksum.
    static func verifies(_ text: ScanText, _ start: Int) -> Bool {
        var crc: UInt32 = 0xFFFF_FFFF
        for k in start..<start + 30 {
            crc = table[Int((crc ^ UInt32(text[k])) & 0xFF)] ^ (crc >> 8)
        }
        crc ^= 0xFFFF_FFFF
        var value: UInt64 = 0
        for k in start + 30..<start + 36 {
            guard let digit = base62Digit(text[k]) else { return false }
            value = value * 62 + UInt64(digit)
        }
        return value == UInt64(crc)
    }

    static func base62Digit(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): b - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "z"): b - UInt8(ascii: "a") + 36
        default: nil
        }
    }

    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
}
