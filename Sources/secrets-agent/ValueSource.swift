import ArgumentParser
import SecretsCore
import SecretsCrypto
#if canImport(Glibc)
import Glibc
#endif

/// Where a new value comes from: stdin, a file, or a generator. Never argv.
struct ValueSource: ParsableArguments {
    @Flag(name: .long, help: "Read the value from standard input (binary-safe, nothing trimmed).")
    var stdin = false

    @Option(name: .customLong("from-file"), help: ArgumentHelp("Read the value from a file (binary-safe).", valueName: "file"))
    var fromFile: String?

    @Option(name: .long, help: ArgumentHelp("Generate BYTES random bytes; the value is printed nowhere.", valueName: "bytes"))
    var generate: Int?

    @Option(name: .long, help: ArgumentHelp("Encoding of a generated value: hex, base64, base64url or raw.", valueName: "format"))
    var format: ValueGenerator.Format = .hex

    func validate() throws {
        let chosen = [stdin, fromFile != nil, generate != nil].filter { $0 }.count
        guard chosen == 1 else {
            throw ValidationError("give the value with exactly one of --stdin, --from-file FILE or --generate BYTES (values are never taken from the command line)")
        }
        if let generate, !(1...4096).contains(generate) {
            throw ValidationError("--generate takes 1 to 4096 bytes")
        }
    }

    /// The agent draws a generated value itself (so it can redraw it when due).
    var generator: ValueGenerator? {
        generate.flatMap { try? ValueGenerator(byteCount: $0, format: format) }
    }

    /// The value given on stdin or in a file, in locked memory; empty when generated.
    func read() throws(SecretsError) -> SecureBytes {
        if generate != nil { return SecureBytes(count: 0) }
        if let fromFile {
            let fd = open(fromFile, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw .invalidArgument("cannot read \(fromFile): \(String(cString: strerror(errno)).lowercased()) (check the path)")
            }
            defer { close(fd) }
            return try ValueSource.readAll(fd, what: fromFile)
        }
        return try ValueSource.readAll(0, what: "standard input")
    }

    /// Reads to EOF, refusing more than the value limit without buffering it all.
    static func readAll(_ fd: Int32, what: String) throws(SecretsError) -> SecureBytes {
        let limit = SecretLimits.maxValueBytes
        let buffer = SecureBytes(count: limit + 1)
        let count = buffer.withUnsafeMutableBytes { raw -> Int in
            var count = 0
            while count < raw.count {
                let n = Glibc.read(fd, raw.baseAddress! + count, raw.count - count)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                count += n
            }
            return count
        }
        guard count <= limit else {
            throw .invalidArgument("value from \(what) is over the 64 KiB limit (store large blobs elsewhere and keep their key here)")
        }
        try SecretLimits.checkValueSize(count)
        return buffer.withUnsafeBytes { SecureBytes(copying: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }
}

extension ValueGenerator.Format: ExpressibleByArgument {}
