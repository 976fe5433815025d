import SecretsCore
import SecretsCrypto

/// The plaintext inside an encrypted backup (`SealedBackup`): every exported secret with
/// its environment, rotation interval, generator and value.
///
/// Layout, version 1 (integers big-endian): the time of the export, 8 bytes (Unix ms, signed);
/// then, until the end, one record per secret: name length (2 bytes), name, environment
/// length (1 byte), environment, rotation interval in seconds (8 bytes, 0: none), generator
/// length (1 byte, 0: none), generator (`ValueGenerator.spec`, e.g. `32:hex`: how the agent
/// drew the value), value length (4 bytes), value. The payload is authenticated by the
/// backup's tag, so a record that does not parse means a bug, not an attack; it is still
/// refused cleanly.
public enum BackupPayload {
    /// One secret in a payload; its value is a range of the payload's bytes.
    public struct Entry: Sendable, Equatable {
        public var name: SecretName
        public var environment: Environment
        /// 0: no rotation policy.
        public var rotateEverySeconds: UInt64
        /// How the agent drew the value (it can redraw it on rotation); `nil` when a caller
        /// supplied it.
        public var generator: ValueGenerator?
        public var value: Range<Int>
    }

    /// Assembles a payload in secure memory.
    public struct Writer {
        private var buffer = SecureBytesBuilder(capacity: 64 * 1024)
        /// Secrets written so far.
        public private(set) var count = 0

        public init(createdAtUnixMs: Int64) {
            var head: [UInt8] = []
            head.appendBigEndian(UInt64(bitPattern: createdAtUnixMs))
            buffer.append(head)
        }

        /// Adds one secret.
        /// - Parameter generator: how the agent drew the value; `nil` when a caller supplied it.
        public mutating func append(name: SecretName, environment: Environment, rotateEverySeconds: UInt64,
                                    generator: ValueGenerator? = nil, value: UnsafeRawBufferPointer) {
            var head: [UInt8] = []
            head.appendBigEndian(UInt16(name.rawValue.utf8.count))
            head += name.rawValue.utf8
            head.append(UInt8(environment.rawValue.utf8.count))
            head += environment.rawValue.utf8
            head.appendBigEndian(rotateEverySeconds)
            let spec = generator?.spec ?? ""
            head.append(UInt8(spec.utf8.count))
            head += spec.utf8
            head.appendBigEndian(UInt32(value.count))
            buffer.append(head)
            buffer.append(value)
            count += 1
        }

        /// The payload so far.
        public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            try buffer.withUnsafeBytes(body)
        }
    }

    /// Reads a payload.
    /// - Returns: the export time and the secrets, each value a range of `bytes`.
    /// - Throws: `.integrityFailure` when a record is truncated or holds an invalid name,
    ///   environment, generator or value size.
    public static func entries(in bytes: UnsafeRawBufferPointer) throws(SecretsError) -> (createdAtUnixMs: Int64, entries: [Entry]) {
        var at = 0
        var entries: [Entry] = []
        func damaged(_ why: String) -> SecretsError {
            .integrityFailure("the backup's contents are malformed: \(why) (make a new backup with this version of secrets-agent)")
        }
        func take(_ n: Int) throws(SecretsError) -> Range<Int> {
            guard n >= 0, bytes.count - at >= n else { throw damaged("record \(entries.count + 1) is truncated") }
            defer { at += n }
            return at..<(at + n)
        }
        func integer(_ n: Int) throws(SecretsError) -> UInt64 {
            try bytes[take(n)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        let createdAt = Int64(bitPattern: try integer(8))
        while at < bytes.count {
            let name = text(try take(Int(try integer(2))))
            let environment = text(try take(Int(try integer(1))))
            let rotate = try integer(8)
            let spec = text(try take(Int(try integer(1))))
            let value = try take(Int(try integer(4)))
            guard let validName = try? SecretName(name), let validEnvironment = try? Environment(environment) else {
                throw damaged("record \(entries.count + 1) has an invalid name or environment")
            }
            guard (try? SecretLimits.checkValueSize(value.count)) != nil else {
                throw damaged("\(validName) in \(validEnvironment) has a value of \(value.count) bytes")
            }
            var generator: ValueGenerator?
            if !spec.isEmpty {
                guard let valid = ValueGenerator(spec: spec) else {
                    throw damaged("\(validName) in \(validEnvironment) names an unknown generator")
                }
                generator = valid
            }
            entries.append(Entry(name: validName, environment: validEnvironment, rotateEverySeconds: rotate,
                                 generator: generator, value: value))
        }
        return (createdAt, entries)
    }
}

extension [UInt8] {
    /// Appends `value` as big-endian bytes.
    fileprivate mutating func appendBigEndian(_ value: some FixedWidthInteger) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
