import Foundation
import SwiftProtobuf

/// Hand-written protobuf for the message pair that dominates the agent's traffic: a
/// `Request` carrying a `get`, and the `Response` carrying its `GetReply`, both ways (the
/// agent decodes requests and encodes replies, clients the reverse). SwiftProtobuf's
/// generic decoder and encoder cost about 3 µs of a 29 µs get here (perf: runtime metadata
/// lookups and visitor calls for a 34-byte request and a 78-byte reply).
///
/// Only the canonical shapes are handled, and anything else is left to SwiftProtobuf (the
/// functions return nil / false): every field at most once, varints in their shortest
/// form, strings valid UTF-8, `masked` 0 or 1, no unknown fields. So the fast path never
/// accepts a frame SwiftProtobuf would reject, and never reads one differently; the tests
/// check both on random and mutated frames, and fail when the .proto gives `GetRequest`
/// or `GetReply` a field this file does not know.
public enum GetFrameFastPath {
    // Tags: field number << 3 | wire type (0 varint, 2 length-delimited).
    private static let requestIDTag: UInt64 = 1 << 3 | 0
    private static let getTag: UInt64 = 15 << 3 | 2
    private static let nameTag: UInt64 = 1 << 3 | 2
    private static let environmentTag: UInt64 = 2 << 3 | 2
    private static let versionTag: UInt64 = 3 << 3 | 0
    private static let requestMaskedTag: UInt64 = 4 << 3 | 0
    private static let valueTag: UInt64 = 4 << 3 | 2
    private static let replyMaskedTag: UInt64 = 5 << 3 | 0

    /// The request in `body` when it is a canonical `get` request; nil for anything else
    /// (decode it with SwiftProtobuf then).
    public static func decodeRequest(_ body: UnsafeRawBufferPointer) -> SecretsAgent_V1_Request? {
        guard let (requestID, get) = decodeEnvelope(body, payload: decodeGetRequest) else { return nil }
        var request = SecretsAgent_V1_Request()
        request.requestID = requestID
        request.get = get
        return request
    }

    /// `request_id` (optional) and field 15 (`get` in both `Request` and `Response`), each
    /// at most once and nothing else, with field 15 read by `payload`.
    private static func decodeEnvelope<Payload>(
        _ body: UnsafeRawBufferPointer, payload decodePayload: (UnsafeRawBufferPointer) -> Payload?
    ) -> (UInt64, Payload)? {
        var reader = WireReader(body)
        var requestID: UInt64?
        var payload: Payload?
        while !reader.isAtEnd {
            switch reader.varint() {
            case requestIDTag? where requestID == nil:
                guard let id = reader.varint() else { return nil }
                requestID = id
            case getTag? where payload == nil:
                guard let inner = reader.lengthDelimited(), let decoded = decodePayload(inner) else { return nil }
                payload = decoded
            default:
                return nil
            }
        }
        guard let payload else { return nil }
        return (requestID ?? 0, payload)
    }

    private static func decodeGetRequest(_ body: UnsafeRawBufferPointer) -> SecretsAgent_V1_GetRequest? {
        var reader = WireReader(body)
        var name: String?, environment: String?, version: UInt64?, masked: Bool?
        while !reader.isAtEnd {
            switch reader.varint() {
            case nameTag? where name == nil:
                guard let text = reader.string() else { return nil }
                name = text
            case environmentTag? where environment == nil:
                guard let text = reader.string() else { return nil }
                environment = text
            case versionTag? where version == nil:
                guard let number = reader.varint() else { return nil }
                version = number
            case requestMaskedTag? where masked == nil:
                switch reader.varint() {
                case 0?: masked = false
                case 1?: masked = true
                default: return nil
                }
            default:
                return nil
            }
        }
        var request = SecretsAgent_V1_GetRequest()
        request.name = name ?? ""
        request.environment = environment ?? ""
        request.version = version ?? 0
        request.masked = masked ?? false
        return request
    }

    /// Appends the encoding of `response` to `out` when it is a `get` reply setting only
    /// name, environment, version, value and masked, exactly as SwiftProtobuf would encode
    /// it; returns false, leaving `out` alone, for any other response.
    public static func encodeResponse(_ response: SecretsAgent_V1_Response, into out: inout [UInt8]) -> Bool {
        guard case .get(let reply)? = response.result, response.unknownFields.data.isEmpty,
              reply.unknownFields.data.isEmpty, !reply.stale, reply.cacheAgeSeconds == 0,
              reply.upstreamError.isEmpty else { return false }
        let nameCount = reply.name.utf8.count, environmentCount = reply.environment.utf8.count
        let valueCount = reply.value.count
        var replyCount = 0
        if nameCount > 0 { replyCount += 1 + varintSize(UInt64(nameCount)) + nameCount }
        if environmentCount > 0 { replyCount += 1 + varintSize(UInt64(environmentCount)) + environmentCount }
        if reply.version != 0 { replyCount += 1 + varintSize(reply.version) }
        if valueCount > 0 { replyCount += 1 + varintSize(UInt64(valueCount)) + valueCount }
        if reply.masked { replyCount += 2 }
        out.reserveCapacity(out.count + 12 + varintSize(UInt64(replyCount)) + replyCount)
        if response.requestID != 0 {
            appendVarint(requestIDTag, to: &out)
            appendVarint(response.requestID, to: &out)
        }
        appendVarint(getTag, to: &out)
        appendVarint(UInt64(replyCount), to: &out)
        appendString(reply.name, tag: nameTag, to: &out)
        appendString(reply.environment, tag: environmentTag, to: &out)
        if reply.version != 0 {
            appendVarint(versionTag, to: &out)
            appendVarint(reply.version, to: &out)
        }
        if valueCount > 0 {
            appendVarint(valueTag, to: &out)
            appendVarint(UInt64(valueCount), to: &out)
            reply.value.withUnsafeBytes { out.append(contentsOf: $0) }
        }
        if reply.masked {
            appendVarint(replyMaskedTag, to: &out)
            out.append(1)
        }
        return true
    }

    /// Appends the encoding of `request` to `out` when it is a `get` request (exactly as
    /// SwiftProtobuf would encode it); returns false, leaving `out` alone, otherwise.
    public static func encodeRequest(_ request: SecretsAgent_V1_Request, into out: inout [UInt8]) -> Bool {
        guard case .get(let get)? = request.op, request.unknownFields.data.isEmpty,
              get.unknownFields.data.isEmpty else { return false }
        let nameCount = get.name.utf8.count, environmentCount = get.environment.utf8.count
        var getCount = 0
        if nameCount > 0 { getCount += 1 + varintSize(UInt64(nameCount)) + nameCount }
        if environmentCount > 0 { getCount += 1 + varintSize(UInt64(environmentCount)) + environmentCount }
        if get.version != 0 { getCount += 1 + varintSize(get.version) }
        if get.masked { getCount += 2 }
        out.reserveCapacity(out.count + 12 + varintSize(UInt64(getCount)) + getCount)
        if request.requestID != 0 {
            appendVarint(requestIDTag, to: &out)
            appendVarint(request.requestID, to: &out)
        }
        appendVarint(getTag, to: &out)
        appendVarint(UInt64(getCount), to: &out)
        appendString(get.name, tag: nameTag, to: &out)
        appendString(get.environment, tag: environmentTag, to: &out)
        if get.version != 0 {
            appendVarint(versionTag, to: &out)
            appendVarint(get.version, to: &out)
        }
        if get.masked {
            appendVarint(requestMaskedTag, to: &out)
            out.append(1)
        }
        return true
    }

    /// The response in `body` when it is a canonical `get` reply setting at most name,
    /// environment, version, value and masked; nil for anything else (use SwiftProtobuf).
    public static func decodeResponse(_ body: UnsafeRawBufferPointer) -> SecretsAgent_V1_Response? {
        guard let (requestID, reply) = decodeEnvelope(body, payload: decodeGetReply) else { return nil }
        var response = SecretsAgent_V1_Response()
        response.requestID = requestID
        response.get = reply
        return response
    }

    private static func decodeGetReply(_ body: UnsafeRawBufferPointer) -> SecretsAgent_V1_GetReply? {
        var reader = WireReader(body)
        var name: String?, environment: String?, version: UInt64?, value: Data?, masked: Bool?
        while !reader.isAtEnd {
            switch reader.varint() {
            case nameTag? where name == nil:
                guard let text = reader.string() else { return nil }
                name = text
            case environmentTag? where environment == nil:
                guard let text = reader.string() else { return nil }
                environment = text
            case versionTag? where version == nil:
                guard let number = reader.varint() else { return nil }
                version = number
            case valueTag? where value == nil:
                guard let bytes = reader.lengthDelimited() else { return nil }
                value = Data(bytes)
            case replyMaskedTag? where masked == nil:
                switch reader.varint() {
                case 0?: masked = false
                case 1?: masked = true
                default: return nil
                }
            default:
                return nil
            }
        }
        var reply = SecretsAgent_V1_GetReply()
        reply.name = name ?? ""
        reply.environment = environment ?? ""
        reply.version = version ?? 0
        reply.value = value ?? Data()
        reply.masked = masked ?? false
        return reply
    }

    private static func appendString(_ text: String, tag: UInt64, to out: inout [UInt8]) {
        let count = text.utf8.count
        guard count > 0 else { return }
        appendVarint(tag, to: &out)
        appendVarint(UInt64(count), to: &out)
        out.append(contentsOf: text.utf8)
    }

    private static func varintSize(_ value: UInt64) -> Int {
        (64 - value.leadingZeroBitCount + 6) / 7 + (value == 0 ? 1 : 0)
    }

    private static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
    }
}

/// Reads protobuf wire primitives from a buffer, refusing (nil) anything out of bounds,
/// over-long or not in its shortest form.
private struct WireReader {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { offset >= bytes.count }

    /// A varint of at most 10 bytes whose last byte is not a redundant zero.
    mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            if shift == 63 && byte > 1 { return nil }  // past 64 bits
            if shift > 0 && byte == 0 { return nil }   // not the shortest form
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }

    /// A length-delimited field's bytes.
    mutating func lengthDelimited() -> UnsafeRawBufferPointer? {
        guard let length = varint(), length <= UInt64(bytes.count - offset) else { return nil }
        let start = offset
        offset += Int(length)
        return UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
    }

    /// A length-delimited field holding valid UTF-8.
    mutating func string() -> String? {
        guard let raw = lengthDelimited() else { return nil }
        return String(validating: raw.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
    }
}
