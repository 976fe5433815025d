import SecretsCore
import Testing

/// `CredentialRequest`: the abstract address systemd binds before reading a
/// `LoadCredential=` socket, and the systemd-escaped credential ID it names a secret by.
@Suite struct CredentialRequestTests {
    /// The `sun_path` bytes `getpeername` reports for systemd's bind name `@<hex>/unit/<unit>/<id>`.
    static func address(_ name: String) -> [UInt8] { [0] + Array(name.utf8) }

    @Test func systemdsAddressNamesTheUnitAndTheSecret() throws {
        let request = try CredentialRequest(peerAddress: Self.address("0123456789abcdef/unit/web.service/db-password"))
        #expect(request.unit.rawValue == "web.service")
        #expect(request.credentialID == "db-password")
        #expect(request.secret.rawValue == "db/password")
        // PRIx64 does not pad: one hex digit is as valid as sixteen.
        #expect(try CredentialRequest(peerAddress: Self.address("7/unit/worker@1.service/token")).unit.rawValue == "worker@1.service")
    }

    @Test func escapedDashesAndHexStandForThemselves() throws {
        #expect(try CredentialRequest.secretName(credentialID: #"my\x2dkey"#).rawValue == "my-key")
        #expect(try CredentialRequest.secretName(credentialID: #"db-my\x2Dkey"#).rawValue == "db/my-key")
        #expect(try CredentialRequest.secretName(credentialID: "openai-prod-key").rawValue == "openai/prod/key")
        #expect(try CredentialRequest.secretName(credentialID: #"a\x2fb"#).rawValue == "a/b")
        #expect(try CredentialRequest.secretName(credentialID: "a.b_c").rawValue == "a.b_c")
        let request = try CredentialRequest(peerAddress: Self.address(#"ab/unit/web.service/my\x2dkey"#))
        #expect(request.secret.rawValue == "my-key")
    }

    @Test(arguments: ["db/password", "my-key", "a/b-c/d", "x.y_z", "a//b", "a/"])
    func escapingRoundTrips(_ name: String) throws {
        let secret = try SecretName(name)
        let id = CredentialRequest.credentialID(for: secret)
        #expect(!id.contains("/"))
        #expect(try CredentialRequest.secretName(credentialID: id) == secret)
    }

    @Test func theIDOfASecretIsWhatSystemdEscapeWrites() throws {
        #expect(CredentialRequest.credentialID(for: try SecretName("db/password")) == "db-password")
        #expect(CredentialRequest.credentialID(for: try SecretName("my-key")) == #"my\x2dkey"#)
    }

    @Test(arguments: [
        #"my\x2"#, #"my\x"#, #"my\"#, #"my\y2dkey"#, #"my\x2gkey"#, #"\\x41"#,
        "..", "db-..-x", "-db", ".hidden", #"\x2e\x2e"#, #"a\x00b"#, #"a\xffb"#, "",
    ])
    func invalidIDsAreRefused(_ id: String) {
        #expect(throws: SecretsError.self) { try CredentialRequest.secretName(credentialID: id) }
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        let label: String
        let bytes: [UInt8]
        let reason: String
        var testDescription: String { label }
    }

    static let malformed: [Malformed] = [
        Malformed(label: "unbound (no address)", bytes: [], reason: "has no address"),
        Malformed(label: "a path", bytes: Array("/run/x.sock".utf8), reason: "bound to a path"),
        Malformed(label: "autobind", bytes: address("0a1b2"), reason: "is not <random>/unit/<unit>/<ID>"),
        Malformed(label: "no random part", bytes: address("/unit/web.service/db-password"), reason: "1-16 lowercase hex"),
        Malformed(label: "17 hex digits", bytes: address("0123456789abcdef0/unit/web.service/x"), reason: "1-16 lowercase hex"),
        Malformed(label: "upper-case hex", bytes: address("ABCDEF/unit/web.service/x"), reason: "1-16 lowercase hex"),
        Malformed(label: "not /unit/", bytes: address("abc/units/web.service/x"), reason: "is not <random>/unit/<unit>/<ID>"),
        Malformed(label: "too few parts", bytes: address("abc/unit/web.service"), reason: "is not <random>/unit/<unit>/<ID>"),
        Malformed(label: "too many parts", bytes: address("abc/unit/web.service/db/password"), reason: "is not <random>/unit/<unit>/<ID>"),
        Malformed(label: "empty ID", bytes: address("abc/unit/web.service/"), reason: "invalid secret name"),
        Malformed(label: "empty unit", bytes: address("abc/unit//x"), reason: "invalid unit name"),
        Malformed(label: "bad unit type", bytes: address("abc/unit/web.servic/x"), reason: "is not a unit type"),
        Malformed(label: "template unit", bytes: address("abc/unit/worker@.service/x"), reason: "template"),
        Malformed(label: "space in unit", bytes: address("abc/unit/we b.service/x"), reason: "is not allowed"),
        Malformed(label: "NUL inside", bytes: address("abc/unit/web.service/db") + [0] + Array("x".utf8), reason: "outside printable ASCII"),
        Malformed(label: "trailing NUL", bytes: address("abc/unit/web.service/db-password") + [0], reason: "outside printable ASCII"),
        Malformed(label: "control byte in ID", bytes: address("abc/unit/web.service/db\npassword"), reason: "outside printable ASCII"),
        Malformed(label: "dot-dot in ID", bytes: address("abc/unit/web.service/db-..-etc"), reason: "'..' segments are not allowed"),
        Malformed(label: "overlong", bytes: address("abc/unit/web.service/" + String(repeating: "a", count: 100)), reason: "over the 107"),
    ]

    @Test(arguments: malformed)
    func malformedAddressesAreRefusedWithAReason(_ c: Malformed) {
        #expect {
            _ = try CredentialRequest(peerAddress: c.bytes)
        } throws: { error in
            guard let error = error as? SecretsError else { return false }
            return error.code == .invalidArgument && error.message.contains(c.reason)
                && !error.message.unicodeScalars.contains { $0.value < 0x20 }
        }
    }

    @Test func theLongestAddressFits() throws {
        let prefix = "0123456789abcdef/unit/web.service/"
        let id = String(repeating: "a", count: CredentialRequest.maxNameBytes - prefix.utf8.count)
        #expect(try CredentialRequest(peerAddress: Self.address(prefix + id)).credentialID == id)
        #expect(throws: SecretsError.self) { try CredentialRequest(peerAddress: Self.address(prefix + id + "a")) }
    }
}
