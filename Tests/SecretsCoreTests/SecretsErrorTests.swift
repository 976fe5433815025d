import SecretsCore
import Testing

@Suite struct SecretsErrorTests {
    @Test func codesAreTheWireNamesOfDesign3() {
        let codes: [SecretsError.Code] = [
            .invalidArgument, .notFound, .alreadyExists, .permissionDenied, .locked, .conflict,
            .integrityFailure, .unavailable, .resourceExhausted, .internal,
        ]
        #expect(codes.map(\.rawValue) == [
            "INVALID_ARGUMENT", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "LOCKED", "CONFLICT",
            "INTEGRITY_FAILURE", "UNAVAILABLE", "RESOURCE_EXHAUSTED", "INTERNAL",
        ])
        #expect(codes.map(\.description) == codes.map(\.rawValue))
        #expect(Set(codes).count == 10)
    }

    @Test func codesAreExtensible() {
        let future = SecretsError.Code(rawValue: "DEADLINE_EXCEEDED")
        #expect(future.rawValue == "DEADLINE_EXCEEDED")
        #expect(future != .internal)
        #expect(SecretsError.Code(rawValue: "NOT_FOUND") == .notFound)
    }

    @Test func constructorsSetTheirCode() {
        let made: [(SecretsError, SecretsError.Code)] = [
            (.invalidArgument("m"), .invalidArgument), (.notFound("m"), .notFound),
            (.alreadyExists("m"), .alreadyExists), (.permissionDenied("m"), .permissionDenied),
            (.conflict("m"), .conflict), (.integrityFailure("m"), .integrityFailure),
            (.unavailable("m"), .unavailable), (.resourceExhausted("m"), .resourceExhausted),
            (.internal("m"), .internal),
        ]
        for (error, code) in made {
            #expect(error.code == code)
            #expect(error.message == "m")
            #expect(error == SecretsError(code, "m"))
        }
    }

    @Test func lockedHasAFixedMessage() {
        #expect(SecretsError.locked.code == .locked)
        #expect(SecretsError.locked.message == "agent is locked (run: secrets-agent unlock)")
    }

    @Test func equalityNeedsTheSameCodeAndMessage() {
        #expect(SecretsError(.notFound, "a") == SecretsError(.notFound, "a"))
        #expect(SecretsError(.notFound, "a") != SecretsError(.notFound, "b"))
        #expect(SecretsError(.notFound, "a") != SecretsError(.internal, "a"))
    }

    @Test func descriptionIsTheMessage() {
        let error = SecretsError.notFound("no secret db/pass in production (list them: secrets-agent list)")
        #expect(error.description == "no secret db/pass in production (list them: secrets-agent list)")
        #expect("\(error)" == "no secret db/pass in production (list them: secrets-agent list)")
    }
}
