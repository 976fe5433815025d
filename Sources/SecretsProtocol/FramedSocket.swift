#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SwiftProtobuf
import SecretsCore

/// Blocking frame I/O on a connected stream socket, for the agent's per-connection threads
/// and for clients. Reads are buffered so a request usually costs one `read(2)`; a write is
/// one `write(2)` of header and body. Not thread-safe: one owner at a time.
public final class FramedSocket {
    /// The socket descriptor; closed by `close()` or deinit.
    public let fd: Int32
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var outgoing: [UInt8] = []
    private var closed = false

    /// Takes ownership of `fd`.
    public init(fd: Int32, bufferByteCount: Int = 64 * 1024) {
        self.fd = fd
        self.buffer = [UInt8](repeating: 0, count: bufferByteCount)
    }

    deinit { close() }

    /// Closes the descriptor and wipes buffered bytes (they may have held a value).
    public func close() {
        guard !closed else { return }
        closed = true
        wipe(&buffer)
        wipe(&outgoing)
        _ = Glibc.close(fd)
    }

    /// Reads one frame body (a copy; `read(_:)` decodes in place instead).
    /// - Returns: nil on a clean end of stream at a frame boundary.
    /// - Throws: `FrameError` for a zero, oversize or truncated frame, or a socket error.
    public func readFrameBody() throws(FrameError) -> ArraySlice<UInt8>? {
        guard let range = try nextFrame() else { return nil }
        return ArraySlice(buffer[range])
    }

    /// Reads and decodes one message. The frame is decoded where it was read and then
    /// wiped from the buffer, since it may hold a value.
    /// - Returns: nil on a clean end of stream.
    public func read<M: SwiftProtobuf.Message>(_ type: M.Type) throws(FrameError) -> M? {
        try read { _ in nil }
    }

    /// `read(_:)`, trying `fastPath` on the frame before SwiftProtobuf.
    private func read<M: SwiftProtobuf.Message>(fastPath: (UnsafeRawBufferPointer) -> M?) throws(FrameError) -> M? {
        guard let range = try nextFrame() else { return nil }
        let decoded = buffer.withUnsafeMutableBytes { raw -> M? in
            let frame = UnsafeMutableRawBufferPointer(rebasing: raw[range])
            defer { _ = memset(frame.baseAddress!, 0, frame.count) }
            if let fast = fastPath(UnsafeRawBufferPointer(frame)) { return fast }
            let view = Data(bytesNoCopy: frame.baseAddress!, count: frame.count, deallocator: .none)
            return try? M(serializedBytes: view)
        }
        guard let decoded else { throw .undecodable }
        return decoded
    }

    /// `read(SecretsAgent_V1_Request.self)`, compiled for that type here: the agent calls
    /// this for every request, and a call to the generic `read` from another module runs
    /// SwiftProtobuf's decoder unspecialized (runtime metadata lookups on every field). A
    /// `get` is decoded by `GetFrameFastPath`.
    public func readRequest() throws(FrameError) -> SecretsAgent_V1_Request? {
        try read(fastPath: GetFrameFastPath.decodeRequest)
    }

    /// `write(_:)` for a response, compiled for that type here (see `readRequest()`); a
    /// `get` reply is encoded by `GetFrameFastPath`.
    public func writeResponse(_ response: SecretsAgent_V1_Response) throws(FrameError) {
        outgoing.removeAll(keepingCapacity: true)
        outgoing.append(contentsOf: [0, 0, 0, 0])
        guard GetFrameFastPath.encodeResponse(response, into: &outgoing) else { return try write(response) }
        try sendOutgoing()
    }

    /// `read(SecretsAgent_V1_Response.self)`, for clients (see `readRequest()`).
    public func readResponse() throws(FrameError) -> SecretsAgent_V1_Response? {
        try read(fastPath: GetFrameFastPath.decodeResponse)
    }

    /// `write(_:)` for a request, for clients (see `readRequest()`).
    public func writeRequest(_ request: SecretsAgent_V1_Request) throws(FrameError) {
        outgoing.removeAll(keepingCapacity: true)
        outgoing.append(contentsOf: [0, 0, 0, 0])
        guard GetFrameFastPath.encodeRequest(request, into: &outgoing) else { return try write(request) }
        try sendOutgoing()
    }

    /// Buffers the next frame and returns where its body lies in `buffer`.
    private func nextFrame() throws(FrameError) -> Range<Int>? {
        guard try fill(atLeast: FrameCodec.headerByteCount, eofAllowed: true) else { return nil }
        let length = try FrameCodec.bodyLength(header: buffer[start], buffer[start + 1], buffer[start + 2], buffer[start + 3])
        let total = FrameCodec.headerByteCount + length
        guard try fill(atLeast: total, eofAllowed: false) else { throw .truncated }
        let body = (start + FrameCodec.headerByteCount)..<(start + total)
        start += total
        return body
    }

    /// Encodes and writes one message as a frame.
    public func write(_ message: some SwiftProtobuf.Message) throws(FrameError) {
        outgoing.removeAll(keepingCapacity: true)
        outgoing.append(contentsOf: [0, 0, 0, 0])
        do {
            var body: [UInt8] = try message.serializedBytes()
            outgoing.append(contentsOf: body)
            wipe(&body)
        } catch {
            throw .undecodable
        }
        try sendOutgoing()
    }

    /// Fills in the header of the frame in `outgoing` (4 placeholder bytes, then the
    /// body), writes it and wipes it.
    private func sendOutgoing() throws(FrameError) {
        defer { wipe(&outgoing) }
        let count = outgoing.count - FrameCodec.headerByteCount
        try FrameCodec.writeHeader(bodyCount: count, into: &outgoing)
        try writeAll(outgoing)
    }

    /// Writes raw bytes (tests use this to send malformed frames).
    public func writeAll(_ bytes: [UInt8]) throws(FrameError) {
        var offset = 0
        let result: Int32? = bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                // send(MSG_NOSIGNAL): a peer that hung up is an error here, never a SIGPIPE
                // that kills a client which did not ignore the signal.
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return nil
        }
        if let result { throw .io(result) }
    }

    /// Ensures `count` unread bytes are buffered. Returns false on EOF before any byte of
    /// a new frame when `eofAllowed`.
    private func fill(atLeast count: Int, eofAllowed: Bool) throws(FrameError) -> Bool {
        if end - start >= count { return true }
        if buffer.count - start < count {
            // Compact, then grow when a frame is larger than the buffer.
            let pending = end - start
            if pending > 0 && start > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: pending)
                }
            }
            start = 0
            end = pending
            if buffer.count < count {
                var bigger = [UInt8](repeating: 0, count: max(count, buffer.count * 2))
                bigger.replaceSubrange(0..<pending, with: buffer[0..<pending])
                wipe(&buffer)
                buffer = bigger
            }
        }
        while end - start < count {
            let n = buffer.withUnsafeMutableBytes { raw in
                Glibc.read(fd, raw.baseAddress! + end, raw.count - end)
            }
            if n > 0 { end += n; continue }
            if n == 0 {
                if eofAllowed && end == start { return false }
                throw .truncated
            }
            if errno == EINTR { continue }
            throw .io(errno)
        }
        return true
    }

    private func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            _ = memset(base, 0, raw.count)
        }
    }
}
