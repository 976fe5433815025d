/// PEM private key blocks (`private-key`, `openssh-private-key`, `pgp-private-key`).
extension ScanPass {
    /// The longest block considered (an 8192-bit RSA key is about 6.5 KiB).
    static let maximumPEMBlock = 128 * 1024

    /// `-----BEGIN <label>-----`, lines of base64 (with `Name: value` header lines), then
    /// `-----END <label>-----` with the same label: one finding over the whole block. Inside a
    /// string the lines may be separated by the two characters `\n` instead (or `\\n`, in a
    /// string escaped twice).
    ///
    /// Linear overall: the lines read before the block fails or ends hold no other BEGIN (a
    /// line with `-----` that is not the END line fails the block).
    mutating func pemBlock(_ i: Int) {
        guard text.has("-----BEGIN ", at: i) else { return }
        let labelStart = i + 11
        let labelEnd = text.run(.pemLabel, from: labelStart, limit: 32)
        guard text.has("-----", at: labelEnd) else { return }
        let rule: RuleID
        if text.equals(labelStart, labelEnd, "OPENSSH PRIVATE KEY") {
            rule = .opensshPrivateKey
        } else if text.equals(labelStart, labelEnd, "PGP PRIVATE KEY BLOCK") {
            rule = .pgpPrivateKey
        } else if text.equals(labelStart, labelEnd, "PRIVATE KEY") || text.equals(labelStart, labelEnd, "RSA PRIVATE KEY")
                    || text.equals(labelStart, labelEnd, "EC PRIVATE KEY") || text.equals(labelStart, labelEnd, "DSA PRIVATE KEY")
                    || text.equals(labelStart, labelEnd, "ENCRYPTED PRIVATE KEY") {
            rule = .privateKey
        } else {
            return
        }
        guard on(rule) else { return }

        var p = labelEnd + 5
        // In a string: the separator is 1 or 2 backslashes and `n`.
        let backslashes = text.at(p) != 0x5C ? 0 : text.at(p + 1) == 0x5C ? 2 : 1
        guard backslashes == 0 || text.at(p + backslashes) == UInt8(ascii: "n") else { return }
        let escaped = backslashes > 0
        if escaped {
            p += backslashes + 1
        } else {
            // Whatever follows on the BEGIN line (a comment), then the line feed.
            let lineEnd = text.run(.notNewline, from: p, limit: 256)
            guard text.at(lineEnd) == 0x0A else { return }
            p = lineEnd + 1
        }
        let cap = min(text.count, i + ScanPass.maximumPEMBlock)
        var body = 0
        var first: UInt8 = 0
        var varied = false
        while p < cap {
            while p < cap, ByteSet.isBlank(text[p]) { p += 1 }
            if text.has("-----END ", at: p) {
                let endLabel = p + 9
                guard text.has("-----", at: endLabel + (labelEnd - labelStart)),
                      sameBytes(labelStart, endLabel, labelEnd - labelStart), body >= 32, varied else { return }
                add(rule, i, endLabel + (labelEnd - labelStart) + 5)
                return
            }
            // A header line: a name of letters, digits and dashes, a colon, printable text.
            let name = text.run(.keyName, from: p, limit: 64)
            let header = name > p && text.at(name) == UInt8(ascii: ":")
            var dashes = 0
            var q = header ? name + 1 : p
            while q < cap {
                let b = text[q]
                if escaped ? b == 0x5C : b == 0x0A { break }
                if b == UInt8(ascii: "-") {
                    dashes += 1
                    if dashes == 5 { return }
                } else {
                    dashes = 0
                }
                if header {
                    guard b >= 0x20 && b < 0x7F || b == 0x09 || (b == 0x0D && !escaped) else { return }
                } else if ByteSet.isAlnum(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=") {
                    body += 1
                    if first == 0 { first = b } else if b != first { varied = true }
                } else {
                    guard ByteSet.isBlank(b) || (b == 0x0D && !escaped) else { return }
                }
                q += 1
            }
            guard q < cap else { return }
            if escaped {
                guard backslashes == 1 || text.at(q + 1) == 0x5C, text.at(q + backslashes) == UInt8(ascii: "n") else { return }
                p = q + backslashes + 1
            } else {
                p = q + 1
            }
        }
    }

    /// Whether the `count` bytes at `a` and at `b` are equal.
    private func sameBytes(_ a: Int, _ b: Int, _ count: Int) -> Bool {
        for k in 0..<count where text[a + k] != text[b + k] { return false }
        return true
    }
}

extension ScanText {
    /// Whether `start..<end` is exactly `literal`.
    func equals(_ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
        end - start == literal.utf8CodeUnitCount && has(literal, at: start)
    }
}
