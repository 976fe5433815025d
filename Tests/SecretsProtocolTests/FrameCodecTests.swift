import SecretsProtocol
import Testing

@Suite struct FrameCodecTests {
    @Test func limits() {
        #expect(FrameCodec.headerByteCount == 4)
        #expect(FrameCodec.maxBodyByteCount == 1_048_576)
    }

    @Test(arguments: [
        ([0x00, 0x00, 0x00, 0x01] as [UInt8], 1),
        ([0x00, 0x00, 0x01, 0x00], 256),
        ([0x00, 0x01, 0x02, 0x03], 0x010203),
        ([0x00, 0x0F, 0xFF, 0xFF], 1_048_575),
        ([0x00, 0x10, 0x00, 0x00], 1_048_576),
    ])
    func bodyLengthIsBigEndian(_ header: [UInt8], _ expected: Int) throws {
        #expect(try FrameCodec.bodyLength(header: header[0], header[1], header[2], header[3]) == expected)
    }

    @Test func aZeroLengthIsRefused() {
        #expect(throws: FrameError.zeroLength) { try FrameCodec.bodyLength(header: 0, 0, 0, 0) }
    }

    @Test(arguments: [
        ([0x00, 0x10, 0x00, 0x01] as [UInt8], UInt64(1_048_577)),
        ([0x01, 0x00, 0x00, 0x00], UInt64(16_777_216)),
        ([0x80, 0x00, 0x00, 0x00], UInt64(2_147_483_648)),
        ([0xFF, 0xFF, 0xFF, 0xFF], UInt64(4_294_967_295)),
    ])
    func anOversizeLengthIsRefusedWithItsSize(_ header: [UInt8], _ size: UInt64) {
        #expect(throws: FrameError.oversize(size)) {
            try FrameCodec.bodyLength(header: header[0], header[1], header[2], header[3])
        }
    }

    @Test(arguments: [
        (1, [0x00, 0x00, 0x00, 0x01] as [UInt8]),
        (255, [0x00, 0x00, 0x00, 0xFF]),
        (0x010203, [0x00, 0x01, 0x02, 0x03]),
        (1_048_576, [0x00, 0x10, 0x00, 0x00]),
    ])
    func appendHeaderWritesBigEndian(_ count: Int, _ expected: [UInt8]) throws {
        var buffer: [UInt8] = [0xAA]
        try FrameCodec.appendHeader(bodyCount: count, to: &buffer)
        #expect(buffer == [0xAA] + expected, "existing bytes are kept")
    }

    @Test func appendHeaderRefusesWhatTheReaderWouldRefuse() {
        var buffer: [UInt8] = [7]
        #expect(throws: FrameError.zeroLength) { try FrameCodec.appendHeader(bodyCount: 0, to: &buffer) }
        #expect(throws: FrameError.oversize(1_048_577)) { try FrameCodec.appendHeader(bodyCount: 1_048_577, to: &buffer) }
        #expect(throws: FrameError.oversize(1 << 32)) { try FrameCodec.appendHeader(bodyCount: 1 << 32, to: &buffer) }
        #expect(buffer == [7], "nothing is appended on failure")
    }

    @Test func headerRoundTrips() throws {
        for count in [1, 2, 127, 128, 65_535, 65_536, 65_537, 1_048_575, 1_048_576] {
            var header: [UInt8] = []
            try FrameCodec.appendHeader(bodyCount: count, to: &header)
            #expect(try FrameCodec.bodyLength(header: header[0], header[1], header[2], header[3]) == count)
        }
    }

    @Test func frameIsHeaderThenBody() throws {
        #expect(try FrameCodec.frame([0xAA, 0xBB, 0xCC]) == [0, 0, 0, 3, 0xAA, 0xBB, 0xCC])
        #expect(try FrameCodec.frame([0x00]) == [0, 0, 0, 1, 0x00])
        let body = [UInt8](repeating: 0x5A, count: 300)
        #expect(try FrameCodec.frame(body[10...]) == [0, 0, 1, 0x22] + body[10...])
        let largest = [UInt8](repeating: 1, count: 1 << 20)
        let framed = try FrameCodec.frame(largest)
        #expect(framed.count == (1 << 20) + 4)
        #expect(Array(framed.prefix(4)) == [0, 0x10, 0, 0])
    }

    @Test func frameRefusesEmptyAndOversizeBodies() {
        #expect(throws: FrameError.zeroLength) { try FrameCodec.frame([UInt8]()) }
        #expect(throws: FrameError.oversize(1_048_577)) { try FrameCodec.frame([UInt8](repeating: 0, count: 1_048_577)) }
    }

    @Test func frameErrorDescriptions() {
        #expect(FrameError.zeroLength.description == "zero-length frame")
        #expect(FrameError.oversize(2_147_483_648).description == "frame of 2147483648 bytes exceeds the 1 MiB limit")
        #expect(FrameError.truncated.description == "connection closed in the middle of a frame")
        #expect(FrameError.undecodable.description == "frame is not a valid protobuf message")
        #expect(FrameError.io(32).description == "socket error 32")
    }
}
