// libFuzzer target `frame`: the bytes a client could send on a connection, read back with
// `FramedSocket` through a real socketpair, checked against a reference reader that
// applies DESIGN §3 framing by hand. Build and run with contrib/scripts/fuzz.sh frame.
//
// Checks, for every input:
// - `FramedSocket.read(SecretsAgent_V1_Request.self)` yields exactly the messages and then
//   exactly the end (clean EOF, or the first FrameError) that the reference reader
//   finds, with a 64 KiB buffer and with a 5-byte one (which forces the buffer to compact
//   and grow); `readFrameBody()` yields the same bodies;
// - `FrameCodec.bodyLength` agrees with the big-endian reading of the first 4 bytes and
//   the 1...1 MiB rule, and `appendHeader`/`frame` give those bytes back;
// - every decoded request written with `FramedSocket.write` reads back equal.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SecretsProtocol
import SwiftProtobuf

/// Inputs are capped so one `send` always fits the socket buffer (the reader runs after
/// the writer, on the same thread).
private let maxInputBytes = 64 * 1024

private enum Outcome: Equatable {
    case message(SecretsAgent_V1_Request)
    case body([UInt8])
    case end
    case failure(FrameError)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func frameFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: min(size, maxInputBytes)))
    checkHeader(input)
    let expected = referenceRead(input, decode: true)
    for bufferByteCount in [64 * 1024, 5] {
        let got = socketRead(input, bufferByteCount: bufferByteCount, decode: true)
        guard got == expected else {
            fatalError("FramedSocket(bufferByteCount: \(bufferByteCount)).read gave \(describe(got)), reference \(describe(expected))")
        }
    }
    let bodies = socketRead(input, bufferByteCount: 5, decode: false)
    let expectedBodies = referenceRead(input, decode: false)
    guard bodies == expectedBodies else {
        fatalError("readFrameBody gave \(describe(bodies)), reference \(describe(expectedBodies))")
    }
    for case .message(let request) in expected { checkWriteReadBack(request) }
    return 0
}

/// DESIGN §3 by hand: a 4-byte big-endian length N with 1 ≤ N ≤ 1 MiB, then N bytes of one
/// protobuf Request; stop at the first problem.
private func referenceRead(_ input: [UInt8], decode: Bool) -> [Outcome] {
    var out: [Outcome] = []
    var pos = 0
    while true {
        if pos == input.count { out.append(.end); return out }
        guard input.count - pos >= 4 else { out.append(.failure(.truncated)); return out }
        let n = input[pos..<pos + 4].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        if n == 0 { out.append(.failure(.zeroLength)); return out }
        if n > 1 << 20 { out.append(.failure(.oversize(n))); return out }
        guard UInt64(input.count - pos - 4) >= n else { out.append(.failure(.truncated)); return out }
        let body = Array(input[(pos + 4)..<(pos + 4 + Int(n))])
        pos += 4 + Int(n)
        guard decode else { out.append(.body(body)); continue }
        guard let message = try? SecretsAgent_V1_Request(serializedBytes: body) else {
            out.append(.failure(.undecodable))
            return out
        }
        out.append(.message(message))
    }
}

/// Writes `input` into one end of a socketpair, shuts that end down, and reads frames from
/// the other until the end or the first error.
private func socketRead(_ input: [UInt8], bufferByteCount: Int, decode: Bool) -> [Outcome] {
    let (reader, writer) = socketPair()
    send(input, to: writer)
    shutdown(writer, Int32(SHUT_WR))
    defer { close(writer) }
    let socket = FramedSocket(fd: reader, bufferByteCount: bufferByteCount)
    defer { socket.close() }
    var out: [Outcome] = []
    while true {
        do throws(FrameError) {
            if decode {
                guard let message = try socket.read(SecretsAgent_V1_Request.self) else { out.append(.end); return out }
                out.append(.message(message))
            } else {
                guard let body = try socket.readFrameBody() else { out.append(.end); return out }
                out.append(.body(Array(body)))
            }
        } catch {
            out.append(.failure(error))
            return out
        }
    }
}

private func checkHeader(_ input: [UInt8]) {
    guard input.count >= 4 else { return }
    let n = UInt32(input[0]) << 24 | UInt32(input[1]) << 16 | UInt32(input[2]) << 8 | UInt32(input[3])
    let result = Result { () throws(FrameError) in try FrameCodec.bodyLength(header: input[0], input[1], input[2], input[3]) }
    switch result {
    case .success(let length):
        precondition(n >= 1 && n <= 1 << 20 && length == Int(n), "bodyLength accepted \(n) as \(length)")
        var header: [UInt8] = []
        precondition((try? FrameCodec.appendHeader(bodyCount: length, to: &header)) != nil && header == Array(input[0..<4]),
                     "appendHeader(\(length)) gave \(header), want \(input[0..<4])")
    case .failure(.zeroLength):
        precondition(n == 0, "bodyLength called \(n) zero")
    case .failure(.oversize(let reported)):
        precondition(n > 1 << 20 && reported == UInt64(n), "bodyLength called \(n) oversize \(reported)")
    case .failure(let other):
        preconditionFailure("bodyLength threw \(other) for \(n)")
    }
    if input.count > 4, input.count - 4 <= 1 << 20 {
        let body = input[4...]
        guard let framed = try? FrameCodec.frame(body) else { preconditionFailure("frame refused \(body.count) bytes") }
        precondition(framed.count == input.count && framed[4...] == body, "frame(body) does not end with the body")
    }
}

/// A decoded request written with `FramedSocket.write` reads back equal.
private func checkWriteReadBack(_ request: SecretsAgent_V1_Request) {
    guard let size = (try? request.serializedBytes() as [UInt8])?.count, size > 0, size <= 32 * 1024 else { return }
    let (reader, writer) = socketPair()
    let out = FramedSocket(fd: writer)
    let back = FramedSocket(fd: reader)
    defer { out.close(); back.close() }
    do {
        try out.write(request)
        guard let read = try back.read(SecretsAgent_V1_Request.self) else { preconditionFailure("write then read gave EOF") }
        precondition(read == request, "write then read changed the request")
    } catch {
        preconditionFailure("write then read failed: \(error)")
    }
}

private func socketPair() -> (Int32, Int32) {
    var fds: [Int32] = [-1, -1]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
        fatalError("socketpair: errno \(errno)")
    }
    var size = Int32(4 * maxInputBytes)
    setsockopt(fds[1], SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    setsockopt(fds[0], SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    // A reader that waits for bytes that will never come is a bug; fail rather than hang.
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fds[0], SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    return (fds[0], fds[1])
}

private func send(_ bytes: [UInt8], to fd: Int32) {
    var offset = 0
    bytes.withUnsafeBytes { raw in
        while offset < raw.count {
            let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { fatalError("send: errno \(errno)") }
            offset += n
        }
    }
}

private func describe(_ outcomes: [Outcome]) -> String {
    outcomes.map { outcome in
        switch outcome {
        case .message(let m): "message(\(m.textFormatString().prefix(200)))"
        case .body(let b): "body(\(b.count) bytes)"
        case .end: "end"
        case .failure(let e): "failure(\(e))"
        }
    }.joined(separator: ", ")
}
