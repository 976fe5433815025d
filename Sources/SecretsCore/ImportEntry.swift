/// One key and value read from an import file (dotenv or JSON).
///
/// The value is not held here: the parsers decode values into a buffer the caller owns
/// (locked memory in the CLI), and the entry records where its bytes lie in it.
public struct ImportEntry: Sendable, Equatable {
    /// The key as written: a dotenv variable name, or the JSON keys of a nested object
    /// joined with `/`.
    public var key: String
    /// The 1-based line where the entry starts, for error messages.
    public var line: Int
    /// The decoded value's bytes in the caller's output buffer.
    public var value: Range<Int>

    public init(key: String, line: Int, value: Range<Int>) {
        self.key = key
        self.line = line
        self.value = value
    }
}

/// Parsing helpers shared by `DotenvParser` and `JSONSecretsParser`.
enum ImportText {
    /// Refuses an output buffer that may be too small: a decoded value is never longer
    /// than the text it came from.
    static func checkCapacity(input: Int, output: Int) {
        precondition(output >= input, "the output buffer must be at least as large as the input")
    }

    /// Runs `parse` over an array and copies the values out (for tests and tools; the CLI
    /// keeps values in locked memory with the parsers' `parse(_:into:)`).
    static func copyingValues(_ bytes: [UInt8],
                              _ parse: (UnsafeRawBufferPointer, UnsafeMutableRawBufferPointer) throws(SecretsError) -> [ImportEntry])
        throws(SecretsError) -> [(key: String, line: Int, value: [UInt8])] {
        var output = [UInt8](repeating: 0, count: bytes.count)
        let parsed = bytes.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                Result { () throws(SecretsError) in try parse(input, out) }
            }
        }
        let entries = try parsed.get()
        return entries.map { ($0.key, $0.line, Array(output[$0.value])) }
    }

    /// Throws when `key` was already seen, naming both lines; records it otherwise.
    static func checkDuplicate(_ key: String, line: Int, seen: inout [String: Int]) throws(SecretsError) {
        if let first = seen[key] {
            throw .invalidArgument("line \(line): \(SecretName.quoted(key)) is already set at line \(first) (keep one of them)")
        }
        seen[key] = line
    }
}
