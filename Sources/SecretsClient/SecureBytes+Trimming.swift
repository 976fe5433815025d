import SecretsCrypto

extension SecureBytes {
    /// A copy without the leading and trailing ASCII whitespace (space, tab, CR, LF, VT,
    /// FF), in new secure memory, or `nil` when nothing else is left. Returns `self` when
    /// there is nothing to trim. No `String` or array copy of the bytes is made.
    func trimmingASCIIWhitespace() -> SecureBytes? {
        let (start, end) = withUnsafeBytes { raw -> (Int, Int) in
            var start = 0
            var end = raw.count
            while start < end, Self.isASCIIWhitespace(raw[start]) { start += 1 }
            while end > start, Self.isASCIIWhitespace(raw[end - 1]) { end -= 1 }
            return (start, end)
        }
        if start == end { return nil }
        if start == 0 && end == count { return self }
        let trimmed = SecureBytes(count: end - start)
        trimmed.withUnsafeMutableBytes { output in
            withUnsafeBytes { raw in
                output.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[start..<end]))
            }
        }
        return trimmed
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0d).contains(byte)
    }
}
