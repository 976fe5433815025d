import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SecretsProtocol
import SwiftProtobuf
import Testing

/// The hand-written `get` codec agrees with SwiftProtobuf: every request it decodes is the
/// message SwiftProtobuf decodes from the same bytes, every reply it encodes is the bytes
/// SwiftProtobuf writes, and what it does not handle is left to SwiftProtobuf.
@Suite struct GetFrameFastPathTests {
    typealias Request = SecretsAgent_V1_Request
    typealias Response = SecretsAgent_V1_Response

    static let texts = ["", "a", "db/password", "production", "ünïcødé/ключ", "😀/x", String(repeating: "n", count: 127),
                        String(repeating: "m", count: 128), String(repeating: "l", count: 300)]

    static func randomText(_ rng: inout SplitMix64) -> String {
        texts[Int.random(in: 0..<texts.count, using: &rng)]
    }

    static func randomNumber(_ rng: inout SplitMix64) -> UInt64 {
        UInt64.random(in: 0...UInt64.max, using: &rng) >> UInt64.random(in: 0...63, using: &rng)
    }

    static func randomGetRequest(_ rng: inout SplitMix64) -> Request {
        var get = SecretsAgent_V1_GetRequest()
        get.name = randomText(&rng)
        get.environment = randomText(&rng)
        get.version = Bool.random(using: &rng) ? 0 : randomNumber(&rng)
        get.masked = Bool.random(using: &rng)
        var request = Request()
        request.requestID = Bool.random(using: &rng) ? 0 : randomNumber(&rng)
        request.get = get
        return request
    }

    static func fastDecode(_ bytes: [UInt8]) -> Request? {
        bytes.withUnsafeBytes { GetFrameFastPath.decodeRequest($0) }
    }

    @Test func everyGetRequestSwiftProtobufWritesIsDecodedToTheSameMessage() throws {
        var rng = SplitMix64(seed: 0x6e7)
        for _ in 0..<3_000 {
            let request = Self.randomGetRequest(&rng)
            let bytes: [UInt8] = try request.serializedBytes()
            let fast = try #require(Self.fastDecode(bytes), "a canonical get request: \(bytes)")
            #expect(fast == request)
            #expect(fast == (try Request(serializedBytes: bytes)))
        }
    }

    @Test func aDamagedFrameIsReadAsSwiftProtobufReadsItOrLeftToIt() throws {
        var rng = SplitMix64(seed: 0xfa57)
        var accepted = 0, declined = 0
        for _ in 0..<20_000 {
            var bytes: [UInt8] = try Self.randomGetRequest(&rng).serializedBytes()
            switch Int.random(in: 0..<5, using: &rng) {
            case 0:  // flip bytes
                for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                }
            case 1:  // cut
                bytes.removeLast(Int.random(in: 0...bytes.count, using: &rng))
            case 2:  // insert noise
                let noise = (0..<Int.random(in: 1...4, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                bytes.insert(contentsOf: noise, at: Int.random(in: 0...bytes.count, using: &rng))
            case 3:  // a second copy of the message: every field twice
                bytes += bytes
            default:  // unchanged
                break
            }
            let reference = try? Request(serializedBytes: bytes)
            if let fast = Self.fastDecode(bytes) {
                accepted += 1
                #expect(fast == reference, "bytes \(bytes)")
            } else {
                declined += 1
            }
        }
        #expect(accepted > 1_000 && declined > 1_000, "both paths exercised: \(accepted) fast, \(declined) left")
    }

    @Test(arguments: [
        ("another operation", [0x08, 0x01, 0x6a, 0x00]),                       // lock (field 13)
        ("no operation", [0x08, 0x01]),
        ("get twice (SwiftProtobuf merges)", [0x7a, 0x02, 0x0a, 0x00, 0x7a, 0x02, 0x18, 0x01]),
        ("request id twice", [0x08, 0x01, 0x08, 0x02, 0x7a, 0x00]),
        ("an unknown field", [0x7a, 0x00, 0xf8, 0x01, 0x01]),
        ("an unknown field inside get", [0x7a, 0x02, 0x30, 0x01]),
        ("a varint not in its shortest form", [0x08, 0x81, 0x00, 0x7a, 0x00]),
        ("masked 2", [0x7a, 0x02, 0x20, 0x02]),
        ("a name that is not UTF-8", [0x7a, 0x04, 0x0a, 0x02, 0xc3, 0x28]),
        ("a length past the end", [0x7a, 0x05, 0x0a, 0x00]),
        ("a varint past 64 bits", [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x7a, 0x00]),
    ] as [(String, [UInt8])])
    func aShapeOutsideTheFastPathIsLeftToSwiftProtobuf(_ shape: String, _ bytes: [UInt8]) {
        #expect(Self.fastDecode(bytes) == nil, "\(shape)")
    }

    @Test func everyGetReplyIsEncodedByteForByteAsSwiftProtobufEncodesIt() throws {
        var rng = SplitMix64(seed: 0x2e91)
        for _ in 0..<3_000 {
            var reply = SecretsAgent_V1_GetReply()
            reply.name = Self.randomText(&rng)
            reply.environment = Self.randomText(&rng)
            reply.version = Bool.random(using: &rng) ? 0 : Self.randomNumber(&rng)
            let valueCount = [0, 1, 40, 127, 128, 300, 70_000][Int.random(in: 0..<7, using: &rng)]
            reply.value = Data((0..<valueCount).map { _ in UInt8.random(in: 0...255, using: &rng) })
            reply.masked = Bool.random(using: &rng)
            var response = Response()
            response.requestID = Bool.random(using: &rng) ? 0 : Self.randomNumber(&rng)
            response.get = reply
            var fast: [UInt8] = [9, 9]
            #expect(GetFrameFastPath.encodeResponse(response, into: &fast))
            let reference: [UInt8] = try response.serializedBytes()
            #expect(fast == [9, 9] + reference, "appended after what was there, exactly SwiftProtobuf's bytes")
        }
    }

    @Test func aReplyOutsideTheFastPathIsLeftToSwiftProtobuf() throws {
        var stale = Response()
        stale.get.stale = true
        var aged = Response()
        aged.get.cacheAgeSeconds = 3
        var upstream = Response()
        upstream.get.upstreamError = "unreachable"
        var error = Response()
        error.error = SecretsAgent_V1_Error()
        // A reply naming "a" with an unknown field 40 (as from a newer agent).
        let unknown = try Response(serializedBytes: [0x7a, 0x06, 0x0a, 0x01, 0x61, 0xc0, 0x02, 0x01] as [UInt8])
        #expect(unknown.get.name == "a" && !unknown.get.unknownFields.data.isEmpty)
        for response in [stale, aged, upstream, error, unknown, Response()] {
            var out: [UInt8] = [7]
            #expect(!GetFrameFastPath.encodeResponse(response, into: &out))
            #expect(out == [7], "nothing appended")
        }
    }

    static func randomGetReply(_ rng: inout SplitMix64) -> Response {
        var reply = SecretsAgent_V1_GetReply()
        reply.name = randomText(&rng)
        reply.environment = randomText(&rng)
        reply.version = Bool.random(using: &rng) ? 0 : randomNumber(&rng)
        let valueCount = [0, 1, 40, 127, 128, 300][Int.random(in: 0..<6, using: &rng)]
        reply.value = Data((0..<valueCount).map { _ in UInt8.random(in: 0...255, using: &rng) })
        reply.masked = Bool.random(using: &rng)
        var response = Response()
        response.requestID = Bool.random(using: &rng) ? 0 : randomNumber(&rng)
        response.get = reply
        return response
    }

    static func fastDecodeResponse(_ bytes: [UInt8]) -> Response? {
        bytes.withUnsafeBytes { GetFrameFastPath.decodeResponse($0) }
    }

    @Test func clientsEncodeEveryGetRequestAsSwiftProtobufDoes() throws {
        var rng = SplitMix64(seed: 0xc11e)
        for _ in 0..<3_000 {
            let request = Self.randomGetRequest(&rng)
            var fast: [UInt8] = [9]
            #expect(GetFrameFastPath.encodeRequest(request, into: &fast))
            #expect(fast == [9] + (try request.serializedBytes() as [UInt8]))
        }
        var lock = Request()
        lock.lock = SecretsAgent_V1_LockRequest()
        var out: [UInt8] = [7]
        #expect(!GetFrameFastPath.encodeRequest(lock, into: &out) && out == [7], "another operation is left alone")
    }

    @Test func clientsDecodeEveryGetReplyAsSwiftProtobufDoesOrLeaveItToIt() throws {
        var rng = SplitMix64(seed: 0xdec0)
        var accepted = 0, declined = 0
        for round in 0..<20_000 {
            var bytes: [UInt8] = try Self.randomGetReply(&rng).serializedBytes()
            if round % 4 == 0 {
                let reference = try Response(serializedBytes: bytes)
                #expect(Self.fastDecodeResponse(bytes) == reference, "an undamaged reply is decoded")
            }
            switch Int.random(in: 0..<4, using: &rng) {
            case 0:
                for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                }
            case 1:
                bytes.removeLast(Int.random(in: 0...bytes.count, using: &rng))
            case 2:
                let noise = (0..<Int.random(in: 1...4, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                bytes.insert(contentsOf: noise, at: Int.random(in: 0...bytes.count, using: &rng))
            default:
                break
            }
            let reference = try? Response(serializedBytes: bytes)
            if let fast = Self.fastDecodeResponse(bytes) {
                accepted += 1
                #expect(fast == reference, "bytes \(bytes)")
            } else {
                declined += 1
            }
        }
        #expect(accepted > 1_000 && declined > 1_000, "both paths exercised: \(accepted) fast, \(declined) left")
        var stale = Response()
        stale.get.stale = true
        #expect(Self.fastDecodeResponse(try stale.serializedBytes()) == nil, "a stale reply is left to SwiftProtobuf")
    }

    /// A field added to GetRequest or GetReply must be taught to `GetFrameFastPath` first:
    /// it would otherwise be dropped (reply) or declined (request) without a word.
    @Test func theFastPathKnowsEveryFieldOfGetRequestAndGetReply() throws {
        let proto = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("proto/secrets_agent/v1/agent.proto")
        let text = try String(contentsOf: proto, encoding: .utf8)
        #expect(try Self.fieldNumbers(of: "GetRequest", in: text) == [1, 2, 3, 4])
        #expect(try Self.fieldNumbers(of: "GetReply", in: text) == [1, 2, 3, 4, 5, 31, 32, 33])
        let request = try Self.fieldNumbers(of: "Request", in: text)
        let response = try Self.fieldNumbers(of: "Response", in: text)
        #expect(request.contains(1) && request.contains(15) && response.contains(1) && response.contains(15))
    }

    /// The field numbers declared in `message NAME { … }` (one level, comments dropped).
    static func fieldNumbers(of message: String, in proto: String) throws -> [Int] {
        let start = try #require(proto.range(of: "message \(message) {"))
        var numbers: [Int] = []
        var depth = 0
        for line in proto[start.upperBound...].split(separator: "\n") {
            let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if code.contains("}") && depth == 0 { break }
            if code.contains("{") { depth += 1 }
            if code.contains("}") { depth -= 1 }
            if let equals = code.lastIndex(of: "="),
               let number = Int(code[code.index(after: equals)...].trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: ";")))) {
                numbers.append(number)
            }
        }
        return numbers.sorted()
    }

    @Test func aGetCrossesASocketThroughTheFastPathBothWays() throws {
        let (a, b) = try makeSocketPair()
        let client = FramedSocket(fd: a), agent = FramedSocket(fd: b)
        var request = Request()
        request.requestID = 41
        request.get.name = "db/password"
        request.get.environment = "production"
        try client.writeRequest(request)
        #expect(try agent.readRequest() == request)
        var response = Response()
        response.requestID = 41
        response.get.name = "db/password"
        response.get.environment = "production"
        response.get.version = 3
        response.get.value = Data("correct horse".utf8)
        try agent.writeResponse(response)
        #expect(try client.readResponse() == response)
    }
}
