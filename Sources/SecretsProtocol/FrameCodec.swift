import SecretsCore

/// DESIGN §3 framing: a 4-byte big-endian length N, then N bytes of one protobuf message,
/// with 1 ≤ N ≤ 1 MiB. Pure functions; `FramedSocket` does the I/O.
public enum FrameCodec {
    /// Bytes in the length prefix.
    public static let headerByteCount = 4
    /// Largest body accepted or sent.
    public static let maxBodyByteCount = SecretLimits.maxFrameBytes

    /// Validates a length prefix before any body is read (as ssh-agent does).
    /// - Throws: `FrameError.zeroLength` or `.oversize`.
    public static func bodyLength(header b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) throws(FrameError) -> Int {
        let length = UInt32(b0) << 24 | UInt32(b1) << 16 | UInt32(b2) << 8 | UInt32(b3)
        guard length != 0 else { throw .zeroLength }
        guard length <= UInt32(maxBodyByteCount) else { throw .oversize(UInt64(length)) }
        return Int(length)
    }

    /// Appends the 4-byte big-endian header for a body of `count` bytes.
    /// - Throws: `FrameError.zeroLength` or `.oversize` when `count` is outside 1...1 MiB.
    public static func appendHeader(bodyCount count: Int, to buffer: inout [UInt8]) throws(FrameError) {
        guard count != 0 else { throw .zeroLength }
        guard count <= maxBodyByteCount else { throw .oversize(UInt64(count)) }
        let n = UInt32(count)
        buffer.append(UInt8(n >> 24)); buffer.append(UInt8(n >> 16 & 0xFF))
        buffer.append(UInt8(n >> 8 & 0xFF)); buffer.append(UInt8(n & 0xFF))
    }

    /// Overwrites the first 4 bytes of `frame` with the header for a body of `count` bytes.
    /// - Throws: `FrameError.zeroLength` or `.oversize` when `count` is outside 1...1 MiB.
    /// - Precondition: `frame` holds at least 4 bytes.
    public static func writeHeader(bodyCount count: Int, into frame: inout [UInt8]) throws(FrameError) {
        guard count != 0 else { throw .zeroLength }
        guard count <= maxBodyByteCount else { throw .oversize(UInt64(count)) }
        let n = UInt32(count)
        frame[0] = UInt8(n >> 24); frame[1] = UInt8(n >> 16 & 0xFF)
        frame[2] = UInt8(n >> 8 & 0xFF); frame[3] = UInt8(n & 0xFF)
    }

    /// A complete frame (header and body) for `body`.
    public static func frame(_ body: some Collection<UInt8>) throws(FrameError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(headerByteCount + body.count)
        try appendHeader(bodyCount: body.count, to: &out)
        out.append(contentsOf: body)
        return out
    }
}

/// Why a frame was rejected. Never carries frame contents.
public enum FrameError: Error, Sendable, Equatable, CustomStringConvertible {
    case zeroLength
    case oversize(UInt64)
    case truncated
    case undecodable
    case io(Int32)

    public var description: String {
        switch self {
        case .zeroLength: "zero-length frame"
        case .oversize(let n): "frame of \(n) bytes exceeds the 1 MiB limit"
        case .truncated: "connection closed in the middle of a frame"
        case .undecodable: "frame is not a valid protobuf message"
        case .io(let errno): "socket error \(errno)"
        }
    }
}
