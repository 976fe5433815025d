/// Writes a flat JSON object of names to string values (plaintext export with
/// `--format json`), which `JSONSecretsParser` reads back exactly.
///
/// JSON holds text only: a value that is not valid UTF-8 is refused. `"`, `\` and control
/// characters are escaped. Bytes go to a sink in small pieces, so the value never needs a
/// second buffer.
public struct JSONSecretsWriter {
    private var count = 0

    public init() {}

    /// Writes the opening brace.
    public func begin(to sink: (UnsafeRawBufferPointer) -> Void) {
        Array("{".utf8).withUnsafeBytes(sink)
    }

    /// Writes one `"name": "value"` member.
    /// - Throws: `.invalidArgument` naming `key` when the value is not UTF-8 text; nothing
    ///   is written then.
    public mutating func write(key: String, value: UnsafeRawBufferPointer,
                               to sink: (UnsafeRawBufferPointer) -> Void) throws(SecretsError) {
        guard Self.isUTF8(value) else {
            throw .invalidArgument("\(SecretName.quoted(key)) is not UTF-8 text, so JSON cannot hold it (use --format dotenv, or an encrypted backup)")
        }
        var head = Array((count == 0 ? "\n  " : ",\n  ").utf8)
        Self.appendEscaped(Array(key.utf8), to: &head)
        head += Array(": \"".utf8)
        head.withUnsafeBytes(sink)
        var start = 0
        for index in 0..<value.count {
            let b = value[index]
            guard b == 0x22 || b == 0x5C || b < 0x20 else { continue }
            if index > start { sink(UnsafeRawBufferPointer(rebasing: value[start..<index])) }
            Self.escape(b).withUnsafeBytes(sink)
            start = index + 1
        }
        if value.count > start { sink(UnsafeRawBufferPointer(rebasing: value[start..<value.count])) }
        Array("\"".utf8).withUnsafeBytes(sink)
        count += 1
    }

    /// Writes the closing brace and a newline.
    public func end(to sink: (UnsafeRawBufferPointer) -> Void) {
        Array((count == 0 ? "}\n" : "\n}\n").utf8).withUnsafeBytes(sink)
    }

    /// A key, quoted and escaped.
    private static func appendEscaped(_ bytes: [UInt8], to out: inout [UInt8]) {
        out.append(0x22)
        for b in bytes {
            if b == 0x22 || b == 0x5C || b < 0x20 { out += escape(b) } else { out.append(b) }
        }
        out.append(0x22)
    }

    private static func escape(_ b: UInt8) -> [UInt8] {
        switch b {
        case 0x22: return Array("\\\"".utf8)
        case 0x5C: return Array("\\\\".utf8)
        case 0x0A: return Array("\\n".utf8)
        case 0x0D: return Array("\\r".utf8)
        case 0x09: return Array("\\t".utf8)
        default:
            let hex = Array("0123456789abcdef".utf8)
            return Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0x0F)]]
        }
    }

    /// Whether `bytes` is valid UTF-8, checked without copying them anywhere.
    static func isUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
