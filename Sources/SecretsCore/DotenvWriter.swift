/// Writes `KEY="VALUE"` lines that `DotenvParser` reads back exactly (plaintext export).
///
/// Every value is double-quoted; `\`, `"`, LF, CR and tab are escaped, every other byte is
/// written as it is (binary-safe). Bytes go to a sink in small pieces, so the value never
/// needs a second buffer.
public enum DotenvWriter {
    /// Writes one `KEY="VALUE"` line to `sink`.
    /// - Precondition: `key` is one or more of `A-Z a-z 0-9 _ . / -` (every secret name is).
    public static func write(key: String, value: UnsafeRawBufferPointer,
                             to sink: (UnsafeRawBufferPointer) -> Void) {
        precondition(!key.isEmpty && key.utf8.allSatisfy(DotenvParser.isKeyByte), "not a dotenv key")
        Array(key.utf8 + [0x3D, 0x22]).withUnsafeBytes(sink)
        var start = 0
        for index in 0..<value.count {
            let escaped: UInt8? = switch value[index] {
            case 0x5C: 0x5C
            case 0x22: 0x22
            case 0x0A: 0x6E
            case 0x0D: 0x72
            case 0x09: 0x74
            default: nil
            }
            guard let escaped else { continue }
            if index > start { sink(UnsafeRawBufferPointer(rebasing: value[start..<index])) }
            ([0x5C, escaped] as [UInt8]).withUnsafeBytes(sink)
            start = index + 1
        }
        if value.count > start { sink(UnsafeRawBufferPointer(rebasing: value[start..<value.count])) }
        ([0x22, 0x0A] as [UInt8]).withUnsafeBytes(sink)
    }
}
