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
    var format: GeneratedFormat = .hex

    func validate() throws {
        let chosen = [stdin, fromFile != nil, generate != nil].filter { $0 }.count
        guard chosen == 1 else {
            throw ValidationError("give the value with exactly one of --stdin, --from-file FILE or --generate BYTES (values are never taken from the command line)")
        }
        if let generate, !(1...4096).contains(generate) {
            throw ValidationError("--generate takes 1 to 4096 bytes")
        }
    }

    /// The value, in locked memory.
    func read() throws(SecretsError) -> SecureBytes {
        if let generate { return format.encode(SecureBytes.random(count: generate)) }
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

/// How `--generate` encodes its random bytes.
enum GeneratedFormat: String, ExpressibleByArgument, CaseIterable {
    case hex, base64, base64url, raw

    func encode(_ random: SecureBytes) -> SecureBytes {
        switch self {
        case .raw:
            return random
        case .hex:
            let digits = Array("0123456789abcdef".utf8)
            let out = SecureBytes(count: random.count * 2)
            random.withUnsafeBytes { source in
                out.withUnsafeMutableBytes { target in
                    for (i, byte) in source.enumerated() {
                        target[2 * i] = digits[Int(byte >> 4)]
                        target[2 * i + 1] = digits[Int(byte & 0x0F)]
                    }
                }
            }
            return out
        case .base64, .base64url:
            var encoded = random.withUnsafeBytes { Base64.encode($0, variant: self == .base64 ? .standard : .urlSafeNoPadding) }
            defer { encoded.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) } }
            return SecureBytes(copying: encoded)
        }
    }
}
