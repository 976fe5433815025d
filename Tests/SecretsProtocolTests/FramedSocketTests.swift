import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SecretsCore
import SecretsProtocol
import SwiftProtobuf
import Synchronization
import Testing

@Suite struct FramedSocketTests {
    typealias Request = SecretsAgent_V1_Request
    typealias Response = SecretsAgent_V1_Response

    static func hello(id: UInt64, client: String = "framed-socket-tests") -> Request {
        var request = Request()
        request.requestID = id
        var hello = SecretsAgent_V1_Hello()
        hello.protocolVersion = 1
        hello.client = client
        request.op = .hello(hello)
        return request
    }

    static func put(id: UInt64, value: [UInt8]) -> Request {
        var put = SecretsAgent_V1_PutRequest()
        put.name = "db/prod.pass-1"
        put.environment = "production"
        put.value = Data(value)
        put.mode = .update
        put.expectedVersion = 3
        var request = Request()
        request.requestID = id
        request.op = .put(put)
        return request
    }

    static func getReply(id: UInt64, value: [UInt8]) -> Response {
        var get = SecretsAgent_V1_GetReply()
        get.name = "openai/key"
        get.environment = "development"
        get.version = 7
        get.value = Data(value)
        var response = Response()
        response.requestID = id
        response.result = .get(get)
        return response
    }

    /// A pair of framed sockets: `writer` sends to `reader`.
    static func pair(readerBuffer: Int = 64 * 1024) throws -> (writer: FramedSocket, reader: FramedSocket) {
        let (a, b) = try makeSocketPair()
        return (FramedSocket(fd: a), FramedSocket(fd: b, bufferByteCount: readerBuffer))
    }

    // MARK: - Round trips

    @Test func writingToAClosedPeerIsAnErrorNotASIGPIPE() throws {
        let (writer, reader) = try Self.pair()
        reader.close()
        // Without MSG_NOSIGNAL this kills the test process (SIGPIPE is not ignored here).
        let error = #expect(throws: FrameError.self) { try writer.write(Self.hello(id: 1)) }
        #expect(error == .io(EPIPE))
    }

    @Test func requestRoundTrip() throws {
        let (writer, reader) = try Self.pair()
        let requests = [Self.hello(id: 1), Self.put(id: 2, value: Array(0...255)), Self.hello(id: UInt64.max, client: "")]
        for request in requests { try writer.write(request) }
        for request in requests {
            #expect(try reader.read(Request.self) == request)
        }
    }

    @Test func responseRoundTrip() throws {
        let (writer, reader) = try Self.pair()
        var error = Response()
        error.requestID = 9
        error.result = .error(SecretsError(.notFound, "no secret a/b in development").wire)
        var hello = SecretsAgent_V1_HelloReply()
        hello.agentVersion = "0.1.0"
        hello.protocolVersion = 1
        hello.locked = true
        var helloResponse = Response()
        helloResponse.requestID = 1
        helloResponse.result = .hello(hello)
        let responses = [helloResponse, Self.getReply(id: 2, value: [0, 0xFF, 0x0A, 0x00]), error]
        for response in responses { try writer.write(response) }
        for response in responses {
            #expect(try reader.read(Response.self) == response)
        }
    }

    @Test func theWireFormIsALengthPrefixedProtobufMessage() throws {
        let (a, b) = try makeSocketPair()
        defer { close(b) }
        let writer = FramedSocket(fd: a)
        let request = Self.hello(id: 300)
        try writer.write(request)
        let body: [UInt8] = try request.serializedBytes()
        var received = [UInt8](repeating: 0, count: 4 + body.count + 16)
        let n = received.withUnsafeMutableBytes { read(b, $0.baseAddress!, $0.count) }
        #expect(n == 4 + body.count, "one frame, nothing else")
        #expect(Array(received.prefix(4)) == [0, 0, 0, UInt8(body.count)])
        #expect(Array(received[4..<(4 + body.count)]) == body)
    }

    @Test func aDecodedMessageOutlivesTheReadBuffer() throws {
        let (writer, reader) = try Self.pair()
        let value: [UInt8] = Array(repeating: 0x41, count: 100)
        try writer.write(Self.put(id: 1, value: value))
        try writer.write(Self.put(id: 2, value: Array(repeating: 0x42, count: 100)))
        let first = try #require(try reader.read(Request.self))
        _ = try reader.read(Request.self)
        reader.close()  // wipes the buffer the first message was decoded from
        let intact = first.put.value == Data(value)
        #expect(intact, "the first message's value changed when the buffer was reused or wiped")
    }

    @Test func manyFramesInOneWriteAreReadOneByOne() throws {
        let (a, b) = try makeSocketPair()
        let reader = FramedSocket(fd: b)
        var bytes: [UInt8] = []
        for id in 1...200 as ClosedRange<UInt64> {
            let request = id % 3 == 0 ? Self.put(id: id, value: Array(repeating: UInt8(id & 0xFF), count: Int(id))) : Self.hello(id: id)
            bytes += try FrameCodec.frame(try request.serializedBytes() as [UInt8])
        }
        #expect(writeRaw(a, bytes))
        close(a)
        var ids: [UInt64] = []
        while let request = try reader.read(Request.self) {
            ids.append(request.requestID)
            if request.requestID % 3 == 0 {
                #expect(request.put.value.count == Int(request.requestID))
            }
        }
        #expect(ids == Array(1...200))
    }

    @Test func aFrameWrittenOneByteAtATimeIsReassembled() throws {
        let (a, b) = try makeSocketPair()
        let reader = FramedSocket(fd: b)
        let first = Self.hello(id: 1, client: "slow writer")
        let second = Self.put(id: 2, value: Array("abc".utf8))
        let bytes = try FrameCodec.frame(try first.serializedBytes() as [UInt8]) + FrameCodec.frame(try second.serializedBytes() as [UInt8])
        let writer = TestThread { () -> Bool in
            defer { close(a) }
            for byte in bytes {
                guard writeRaw(a, [byte]) else { return false }
                usleep(200)
            }
            return true
        }
        #expect(try reader.read(Request.self) == first)
        #expect(try reader.read(Request.self) == second)
        #expect(try reader.read(Request.self) == nil)
        #expect(writer.join() == true)
    }

    @Test func aFrameLargerThanTheBufferIsRead() throws {
        let (a, b) = try makeSocketPair()
        let reader = FramedSocket(fd: b)  // 64 KiB to start with
        let value = (0..<(900 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let response = Self.getReply(id: 5, value: value)
        let writer = TestThread { () -> String? in
            let socket = FramedSocket(fd: a)
            defer { socket.close() }
            do { try socket.write(response) } catch { return "\(error)" }
            return nil
        }
        defer { drain(reader.fd) }  // on failure, lets the writer finish before the reader closes
        let received = try #require(try reader.read(Response.self))
        #expect(received.requestID == 5)
        let same = received.get.value == Data(value)
        #expect(same, "the 900 KiB value came back different")
        #expect(try reader.read(Response.self) == nil)
        #expect(writer.join() == .some(nil), "the writer failed")
    }

    @Test func aBodyOfExactly1MiBIsWrittenAndReadButOneByteMoreIsRefused() throws {
        // Find the value length whose response serializes to exactly 1 MiB.
        var length = (1 << 20) - 64
        var response = Self.getReply(id: 1, value: Array(repeating: 0x33, count: length))
        while try (response.serializedBytes() as [UInt8]).count < 1 << 20 {
            length += 1
            response = Self.getReply(id: 1, value: Array(repeating: 0x33, count: length))
        }
        try #require((try response.serializedBytes() as [UInt8]).count == 1 << 20)

        let (a, b) = try makeSocketPair()
        let reader = FramedSocket(fd: b)
        let exact = response
        let writer = TestThread { () -> String? in
            let socket = FramedSocket(fd: a)
            defer { socket.close() }
            do { try socket.write(exact) } catch { return "\(error)" }
            var bigger = exact
            bigger.get.value.append(0x33)
            do throws(FrameError) {
                try socket.write(bigger)
                return "a body over 1 MiB was written"
            } catch {
                return error == .oversize(1_048_577) ? nil : "wrong error: \(error)"
            }
        }
        defer { drain(reader.fd) }
        let received = try #require(try reader.read(Response.self))
        #expect(received.get.value.count == length)
        #expect(try reader.read(Response.self) == nil, "nothing is sent for the refused message")
        #expect(writer.join() == .some(nil))
    }

    @Test(arguments: [0, 1, 4, 5, 8, 64 * 1024])
    func framesOfMixedSizesThroughASmallBuffer(_ bufferByteCount: Int) throws {
        let (a, b) = try makeSocketPair()
        let reader = FramedSocket(fd: b, bufferByteCount: bufferByteCount)
        let sizes = [1, 5, 100, 3, 2000, 7, 1, 70_000, 4, 9]
        let bodies = sizes.enumerated().map { index, size in
            (0..<size).map { UInt8(truncatingIfNeeded: $0 + index * 17) }
        }
        let bytes = try bodies.flatMap { try FrameCodec.frame($0) }
        let writer = TestThread { () -> Bool in
            defer { close(a) }
            return writeRaw(a, bytes)
        }
        defer { drain(reader.fd) }
        for (index, body) in bodies.enumerated() {
            let got = try #require(try reader.readFrameBody(), "frame \(index) missing")
            let same = Array(got) == body
            #expect(same, "frame \(index) of \(body.count) bytes came back as \(got.count) different bytes")
        }
        #expect(try reader.readFrameBody() == nil)
        #expect(writer.join() == true)
    }

    // MARK: - Ends and malformed frames

    @Test func aCleanEndOfStreamIsNil() throws {
        let (a, b) = try makeSocketPair()
        let reader = FramedSocket(fd: b)
        close(a)
        #expect(try reader.read(Request.self) == nil)
        #expect(try reader.read(Request.self) == nil, "and stays nil")
    }

    @Test func endOfStreamAfterAFrameIsNil() throws {
        let (writer, reader) = try Self.pair()
        try writer.write(Self.hello(id: 1))
        writer.close()
        #expect(try reader.read(Request.self)?.requestID == 1)
        #expect(try reader.read(Request.self) == nil)
    }

    @Test(arguments: [
        [0x00] as [UInt8],
        [0x00, 0x00, 0x00],
        [0x00, 0x00, 0x00, 0x0A],
        [0x00, 0x00, 0x00, 0x0A, 1, 2, 3],
        [0x00, 0x00, 0x00, 0x0A, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    ])
    func endOfStreamInsideAFrameIsTruncated(_ bytes: [UInt8]) throws {
        let (a, b) = try makeSocketPair()
        let reader = FramedSocket(fd: b)
        #expect(writeRaw(a, bytes))
        close(a)
        #expect(throws: FrameError.truncated) { try reader.read(Request.self) }
    }

    @Test func endOfStreamInsideTheSecondFrameIsTruncated() throws {
        let (a, b) = try makeSocketPair()
        let reader = FramedSocket(fd: b)
        let whole = try FrameCodec.frame(try Self.hello(id: 4).serializedBytes() as [UInt8])
        #expect(writeRaw(a, whole + whole.dropLast()))
        close(a)
        #expect(try reader.read(Request.self)?.requestID == 4)
        #expect(throws: FrameError.truncated) { try reader.read(Request.self) }
    }

    @Test func aZeroLengthHeaderIsRefused() throws {
        let (a, b) = try makeSocketPair()
        defer { close(a) }
        let reader = FramedSocket(fd: b)
        #expect(writeRaw(a, [0, 0, 0, 0, 0x08, 0x01]))
        #expect(throws: FrameError.zeroLength) { try reader.read(Request.self) }
    }

    @Test(arguments: [
        ([0x80, 0x00, 0x00, 0x00] as [UInt8], UInt64(2_147_483_648)),
        ([0x00, 0x10, 0x00, 0x01], UInt64(1_048_577)),
        ([0xFF, 0xFF, 0xFF, 0xFF], UInt64(4_294_967_295)),
    ])
    func anOversizeHeaderIsRefusedBeforeAnyBodyArrives(_ header: [UInt8], _ size: UInt64) throws {
        let (a, b) = try makeSocketPair()
        defer { close(a) }  // kept open: a reader that waited for the body would time out
        let reader = FramedSocket(fd: b)
        #expect(writeRaw(a, header))
        #expect(throws: FrameError.oversize(size)) { try reader.read(Request.self) }
    }

    @Test(arguments: [
        [0xFF, 0xFF, 0xFF] as [UInt8],  // an unfinished varint tag
        [0x0A, 0x05, 0x01],  // a length-delimited field longer than the frame
        [0x00],  // field number 0
        [0x08],  // a tag with no value
    ])
    func aGarbageBodyIsUndecodable(_ body: [UInt8]) throws {
        let (a, b) = try makeSocketPair()
        defer { close(a) }
        let reader = FramedSocket(fd: b)
        #expect(writeRaw(a, try FrameCodec.frame(body)))
        #expect(throws: FrameError.undecodable) { try reader.read(Request.self) }
    }

    @Test func anUndecodableFrameIsConsumedWhole() throws {
        let (a, b) = try makeSocketPair()
        let reader = FramedSocket(fd: b)
        let good = try FrameCodec.frame(try Self.hello(id: 8).serializedBytes() as [UInt8])
        #expect(writeRaw(a, try FrameCodec.frame([0xFF, 0xFF, 0xFF]) + good))
        close(a)
        #expect(throws: FrameError.undecodable) { try reader.read(Request.self) }
        #expect(try reader.read(Request.self)?.requestID == 8, "the next frame starts after the bad one")
    }

    @Test func socketErrorsCarryErrno() throws {
        let socket = FramedSocket(fd: -1)
        #expect(throws: FrameError.io(EBADF)) { try socket.read(Request.self) }
        #expect(throws: FrameError.io(EBADF)) { try socket.write(Self.hello(id: 1)) }
        #expect(throws: FrameError.io(EBADF)) { try socket.writeAll([1, 2, 3]) }
    }

    @Test func writingAnEmptyMessageIsRefused() throws {
        // An all-default message encodes to zero bytes, which no frame may carry.
        let (writer, reader) = try Self.pair()
        #expect(throws: FrameError.zeroLength) { try writer.write(Response()) }
        writer.close()
        #expect(try reader.read(Response.self) == nil, "nothing was sent")
    }

    @Test func closeIsIdempotent() throws {
        let (a, b) = try makeSocketPair()
        let socket = FramedSocket(fd: a)
        socket.close()
        socket.close()  // a second close must not close whatever now has that number
        let reader = FramedSocket(fd: b)
        #expect(try reader.read(Request.self) == nil, "the peer sees the end of the stream")
    }
}
