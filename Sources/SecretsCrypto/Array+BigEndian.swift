extension [UInt8] {
    /// Appends `bytes` preceded by their length as 4 bytes big-endian.
    mutating func appendLengthPrefixed(_ bytes: some Collection<UInt8>) {
        precondition(bytes.count <= Int(UInt32.max), "field longer than 4 GiB")
        appendBigEndian(UInt32(bytes.count))
        append(contentsOf: bytes)
    }

    /// Appends `value` as big-endian bytes.
    mutating func appendBigEndian(_ value: some FixedWidthInteger) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
