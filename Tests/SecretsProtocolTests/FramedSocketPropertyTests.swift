import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SecretsProtocol
import SwiftProtobuf
import Testing

/// Random byte strings fed to `FramedSocket.read`: it never crashes, never hangs, and
/// answers exactly what a reference reading of the framing rules predicts.
@Suite struct FramedSocketPropertyTests {
    typealias Request = SecretsAgent_V1_Request

    /// What one read returns.
    enum Outcome: Equatable, CustomStringConvertible {
        case message(Request)
        case end
        case failure(FrameError)

        var description: String {
            switch self {
            case .message(let m): "message \(m.requestID)"
            case .end: "end"
            case .failure(let e): "\(e)"
            }
        }
    }

    /// The reads DESIGN §3 predicts for `bytes` followed by the end of the stream, up to and
    /// including the first that is not a message.
    static func predicted(_ bytes: [UInt8]) -> [Outcome] {
        var outcomes: [Outcome] = []
        var offset = 0
        while true {
            let remaining = bytes.count - offset
            if remaining == 0 { return outcomes + [.end] }
            if remaining < 4 { return outcomes + [.failure(.truncated)] }
            let length = bytes[offset..<offset + 4].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if length == 0 { return outcomes + [.failure(.zeroLength)] }
            if length > 1 << 20 { return outcomes + [.failure(.oversize(length))] }
            if UInt64(remaining - 4) < length { return outcomes + [.failure(.truncated)] }
            let body = bytes[(offset + 4)..<(offset + 4 + Int(length))]
            guard let message = try? Request(serializedBytes: Array(body)) else {
                return outcomes + [.failure(.undecodable)]
            }
            outcomes.append(.message(message))
            offset += 4 + Int(length)
        }
    }

    /// What `FramedSocket` actually returns for `bytes`.
    static func observed(_ bytes: [UInt8]) throws -> [Outcome] {
        let (a, b) = try makeSocketPair()
        let reader = FramedSocket(fd: b)
        let written = writeRaw(a, bytes)  // small enough for the socket buffer
        close(a)
        guard written else { throw POSIXError(.EIO) }
        var outcomes: [Outcome] = []
        while outcomes.count <= bytes.count {  // each message takes at least 5 bytes
            do throws(FrameError) {
                guard let message = try reader.readRequest() else { return outcomes + [.end] }
                outcomes.append(.message(message))
            } catch {
                return outcomes + [.failure(error)]
            }
        }
        return outcomes + [.failure(.io(-1))]  // impossible unless reads never end
    }

    static func randomBytes(_ count: Int, _ rng: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    static func randomRequest(_ rng: inout SplitMix64) -> Request {
        var request = Request()
        request.requestID = UInt64.random(in: 0...UInt64.max, using: &rng) >> UInt64.random(in: 0...63, using: &rng)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:
            var hello = SecretsAgent_V1_Hello()
            hello.protocolVersion = UInt32.random(in: 0...3, using: &rng)
            hello.client = String(repeating: "c", count: Int.random(in: 0...20, using: &rng))
            request.op = .hello(hello)
        case 1:
            var get = SecretsAgent_V1_GetRequest()
            get.name = "a/" + String(repeating: "n", count: Int.random(in: 0...30, using: &rng))
            get.environment = "production"
            get.version = UInt64.random(in: 0...20, using: &rng)
            get.masked = Bool.random(using: &rng)
            request.op = .get(get)
        case 2:
            var put = SecretsAgent_V1_PutRequest()
            put.name = "db/pass"
            put.value = Data(randomBytes(Int.random(in: 0...100, using: &rng), &rng))
            put.mode = .create
            request.op = .put(put)
        default:
            request.op = .lock(SecretsAgent_V1_LockRequest())
        }
        return request
    }

    /// One random input: raw noise, plausible headers, or real frames with damage.
    static func randomInput(_ rng: inout SplitMix64) throws -> [UInt8] {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:  // noise
            return randomBytes(Int.random(in: 0...64, using: &rng), &rng)
        case 1:  // a small header and about that many bytes
            let length = Int.random(in: 1...300, using: &rng)
            let count = max(0, length + Int.random(in: -3...3, using: &rng))
            return [0, 0, UInt8(length >> 8), UInt8(length & 0xFF)] + randomBytes(count, &rng)
        case 2:  // a header past the limit
            let length = UInt32.random(in: (1 << 20)...UInt32.max, using: &rng)
            return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
                + randomBytes(Int.random(in: 0...8, using: &rng), &rng)
        case 3:  // a zero header
            return [0, 0, 0, 0] + randomBytes(Int.random(in: 0...8, using: &rng), &rng)
        default:  // real frames, then damage
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let request = randomRequest(&rng)
                let body: [UInt8] = try request.serializedBytes()
                bytes += body.isEmpty ? [] : try FrameCodec.frame(body)
            }
            if !bytes.isEmpty && Bool.random(using: &rng) {
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                }
            }
            if !bytes.isEmpty && Int.random(in: 0..<4, using: &rng) == 0 {
                bytes.removeLast(Int.random(in: 1...bytes.count, using: &rng))
            }
            if Int.random(in: 0..<4, using: &rng) == 0 {
                bytes += randomBytes(Int.random(in: 1...12, using: &rng), &rng)
            }
            return bytes
        }
    }

    static func ending(_ outcome: Outcome?) -> String {
        switch outcome {
        case .end?: "end"
        case .failure(.zeroLength)?: "zeroLength"
        case .failure(.oversize)?: "oversize"
        case .failure(.truncated)?: "truncated"
        case .failure(.undecodable)?: "undecodable"
        case .failure(.io)?: "io"
        case .message?, nil: "none"
        }
    }

    @Test func randomInputsGetExactlyThePredictedAnswers() throws {
        // Set SECRETS_FRAME_FUZZ_SEED to replay or to explore other inputs.
        let seed = ProcessInfo.processInfo.environment["SECRETS_FRAME_FUZZ_SEED"].flatMap { UInt64($0) }
            ?? 0x5EC2_E75A_6E47
        var rng = SplitMix64(seed: seed)
        var endings: [String: Int] = [:]
        var casesWithMessages = 0
        for index in 0..<500 {
            let input = try Self.randomInput(&rng)
            let expected = Self.predicted(input)
            let actual = try Self.observed(input)
            #expect(actual == expected, "seed \(seed) case \(index) (rerun with SECRETS_FRAME_FUZZ_SEED=\(seed))")
            endings[Self.ending(expected.last), default: 0] += 1
            if expected.count > 1 { casesWithMessages += 1 }
        }
        // The generator must reach every kind of answer, or the test proves little.
        for ending in ["end", "zeroLength", "oversize", "truncated", "undecodable"] {
            #expect(endings[ending, default: 0] > 0, "seed \(seed): no case ended in \(ending)")
        }
        #expect(casesWithMessages > 0, "seed \(seed): no case decoded a message")
    }
}
