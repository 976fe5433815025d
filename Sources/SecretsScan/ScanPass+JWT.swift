/// JSON Web Tokens: three base64url segments, the first two starting `eyJ` (`{"`), the first
/// decoding to a JSON object with an `"alg"` key.
extension ScanPass {
    static let maximumJWTHeader = 4096
    static let maximumJWTPayload = 32768
    static let maximumJWTSignature = 4096

    /// The JWT starting at `i`. Only a header that decodes reads a payload, and a payload is
    /// not itself a header (its `eyJ` follows a `.`), so no byte is read by two JWTs.
    mutating func jwt(_ i: Int) {
        guard on(.jwt), text.has("eyJ", at: i), text.boundary(before: i, .base64url),
              text.at(i - 1) != UInt8(ascii: ".") else { return }
        let header = text.run(.base64url, from: i, limit: ScanPass.maximumJWTHeader + 1)
        guard header - i <= ScanPass.maximumJWTHeader, (header - i) % 4 != 1, text.at(header) == UInt8(ascii: "."),
              text.has("eyJ", at: header + 1), headerHasAlgorithm(i, header) else { return }
        let payload = text.run(.base64url, from: header + 1, limit: ScanPass.maximumJWTPayload + 1)
        guard payload - (header + 1) <= ScanPass.maximumJWTPayload, (payload - header - 1) % 4 != 1,
              text.at(payload) == UInt8(ascii: ".") else { return }
        let end = text.run(.base64url, from: payload + 1, limit: ScanPass.maximumJWTSignature + 1)
        let signature = end - (payload + 1)
        guard signature >= 1, signature <= ScanPass.maximumJWTSignature, signature % 4 != 1,
              text.boundary(at: end, .base64url),
              !Placeholder.exampleJWTSignatures.contains(where: { text.equals(payload + 1, end, $0) }) else { return }
        add(.jwt, i, end)
    }

    /// Whether the base64url in `start..<end` decodes to `{ … }` with an `"alg":` in it
    /// (decoded as it is read, without a buffer).
    private func headerHasAlgorithm(_ start: Int, _ end: Int) -> Bool {
        var accumulator: UInt32 = 0
        var bits = 0
        var recent: UInt64 = 0  // the last non-blank bytes decoded, the latest lowest
        var first: UInt8 = 0
        var last: UInt8 = 0
        var algorithm = false
        for k in start..<end {
            accumulator = (accumulator << 6 | UInt32(ScanPass.sextet(text[k]))) & 0x3FFF
            bits += 6
            guard bits >= 8 else { continue }
            bits -= 8
            let byte = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
            if ByteSet.isWhitespace(byte) { continue }
            if first == 0 { first = byte }
            last = byte
            if byte == UInt8(ascii: ":"), recent & 0xFF_FFFF_FFFF == 0x22_61_6C_67_22 { algorithm = true }  // "alg"
            recent = recent << 8 | UInt64(byte)
        }
        return first == UInt8(ascii: "{") && last == UInt8(ascii: "}") && algorithm
    }

    /// The value of a base64url (or base64) digit.
    @inline(__always) static func sextet(_ b: UInt8) -> UInt8 {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): b - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): b - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"), UInt8(ascii: "+"): 62
        default: 63
        }
    }
}
