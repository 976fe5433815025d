import SecretsCrypto

/// A child's environment as `execve` wants it (`NAME=value\0` strings and a
/// NULL-terminated pointer array), built in locked memory that is zeroed when released, so
/// secret values never pass through Swift strings or the CLI's own environment.
public final class EnvironmentBlock {
    private let storage: SecureBytes
    private let offsets: [Int]

    /// `base` (the CLI's environment, minus variables named in `secrets`) plus each secret.
    /// - Parameter secrets: variable name and value; the value bytes are copied once.
    public init(base: [(String, String)], secrets: [(variable: String, value: SecretValueBytes)]) {
        let overridden = Set(secrets.map(\.variable))
        let kept = base.filter { !overridden.contains($0.0) && !$0.0.isEmpty && !$0.0.contains("=") }
        var size = 0
        for (name, value) in kept { size += name.utf8.count + 1 + value.utf8.count + 1 }
        for secret in secrets { size += secret.variable.utf8.count + 1 + secret.value.count + 1 }
        storage = SecureBytes(count: max(size, 1))
        var offsets: [Int] = []
        storage.withUnsafeMutableBytes { raw in
            var at = 0
            func append(_ bytes: some Collection<UInt8>) {
                for byte in bytes { raw[at] = byte; at += 1 }
            }
            for (name, value) in kept {
                offsets.append(at)
                append(name.utf8); append(CollectionOfOne(UInt8(ascii: "="))); append(value.utf8); append(CollectionOfOne(0))
            }
            for secret in secrets {
                offsets.append(at)
                append(secret.variable.utf8); append(CollectionOfOne(UInt8(ascii: "=")))
                secret.value.withUnsafeBytes { value in
                    (raw.baseAddress! + at).copyMemory(from: value.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, byteCount: value.count)
                    at += value.count
                }
                append(CollectionOfOne(0))
            }
        }
        self.offsets = offsets
    }

    /// Lends `body` a NULL-terminated `envp`; the pointers must not escape it.
    public func withEnvp<R>(_ body: ([UnsafeMutablePointer<CChar>?]) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { raw in
            let base = UnsafeMutableRawPointer(mutating: raw.baseAddress!)
            let pointers: [UnsafeMutablePointer<CChar>?] = offsets.map { (base + $0).assumingMemoryBound(to: CChar.self) } + [nil]
            return try body(pointers)
        }
    }

    /// How many variables.
    public var count: Int { offsets.count }
}

/// A secret's bytes as the exec machinery needs them: length and a way to read them.
public protocol SecretValueBytes {
    var count: Int { get }
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension SecureBytes: SecretValueBytes {}
