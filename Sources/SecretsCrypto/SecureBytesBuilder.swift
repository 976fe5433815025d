/// A growable buffer in secure memory, for assembling something secret whose final size
/// is not known up front (a backup payload, a file read from a pipe).
///
/// It grows by doubling into a new `SecureBytes`; the old region is zeroed and freed as
/// it is released, so no copy of the bytes is left behind in ordinary memory.
public struct SecureBytesBuilder: Sendable {
    private var storage: SecureBytes
    /// The bytes appended so far.
    public private(set) var count = 0

    /// An empty buffer with room for `capacity` bytes before it first grows.
    public init(capacity: Int = 4096) {
        storage = SecureBytes(count: max(capacity, 16))
    }

    /// Makes room for `additional` more bytes.
    public mutating func reserve(_ additional: Int) {
        let needed = count + additional
        guard needed > storage.count else { return }
        var capacity = storage.count
        while capacity < needed { capacity *= 2 }
        let grown = SecureBytes(count: capacity)
        let used = count
        storage.withUnsafeBytes { old in
            grown.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: old[0..<used])) }
        }
        storage = grown
    }

    /// Appends `bytes`.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        reserve(bytes.count)
        let at = count
        storage.withUnsafeMutableBytes { UnsafeMutableRawBufferPointer(rebasing: $0[at..<(at + bytes.count)]).copyMemory(from: bytes) }
        count += bytes.count
    }

    /// Appends non-secret bytes (lengths, names).
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Lets `body` write up to `maximum` bytes at the end; it returns how many it wrote.
    public mutating func appendUsing(maximum: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int) {
        reserve(maximum)
        let at = count
        let written = storage.withUnsafeMutableBytes { body(UnsafeMutableRawBufferPointer(rebasing: $0[at..<(at + maximum)])) }
        precondition(written >= 0 && written <= maximum, "wrote outside the reserved space")
        count += written
    }

    /// Lends the bytes appended so far.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    /// The bytes appended so far, in secure memory of exactly that size.
    public func finish() -> SecureBytes {
        withUnsafeBytes { SecureBytes(copying: $0) }
    }
}
