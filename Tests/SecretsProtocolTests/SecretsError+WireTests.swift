import SecretsCore
import SecretsProtocol
import Testing

@Suite struct SecretsErrorWireTests {
    static let pairs: [(SecretsError.Code, SecretsAgent_V1_ErrorCode, Int)] = [
        (.invalidArgument, .invalidArgument, 1),
        (.notFound, .notFound, 2),
        (.alreadyExists, .alreadyExists, 3),
        (.permissionDenied, .permissionDenied, 4),
        (.locked, .locked, 5),
        (.conflict, .conflict, 6),
        (.integrityFailure, .integrityFailure, 7),
        (.unavailable, .unavailable, 8),
        (.resourceExhausted, .resourceExhausted, 9),
        (.internal, .internal, 10),
    ]

    @Test func allTenCodesMapBothWays() {
        #expect(Self.pairs.count == 10)
        for (code, wire, number) in Self.pairs {
            #expect(code.wireCode == wire, "\(code)")
            #expect(wire.rawValue == number, "\(code) is \(number) on the wire")
            #expect(SecretsError.Code(wireCode: wire) == code, "\(code)")
        }
    }

    @Test func errorsRoundTripThroughTheWireForm() {
        for (code, wire, _) in Self.pairs {
            let error = SecretsError(code, "message for \(code.rawValue.lowercased())")
            #expect(error.wire.code == wire)
            #expect(error.wire.message == error.message)
            #expect(SecretsError(wire: error.wire) == error)
        }
    }

    @Test func codesUnknownOnEitherSideBecomeInternal() {
        #expect(SecretsError.Code(rawValue: "DEADLINE_EXCEEDED").wireCode == .internal)
        #expect(SecretsError.Code(wireCode: .unspecified) == .internal)
        #expect(SecretsError.Code(wireCode: .UNRECOGNIZED(99)) == .internal)
        var unknown = SecretsAgent_V1_Error()
        unknown.code = .UNRECOGNIZED(42)
        unknown.message = "from a newer agent"
        #expect(SecretsError(wire: unknown) == SecretsError(.internal, "from a newer agent"))
    }

    @Test func lockedKeepsItsMessageAcrossTheWire() {
        #expect(SecretsError(wire: SecretsError.locked.wire) == .locked)
    }
}
