import SecretsCore
import Testing
@testable import SecretsUpstream

/// Answers recorded from `bao server -dev` (OpenBao 2.x), values replaced.
@Suite struct VaultResponseTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func tokenLookUpGivesTheRemainingLife() throws {
        let body = Self.bytes(#"{"request_id":"x","data":{"accessor":"a","creation_ttl":60,"renewable":true,"ttl":42,"policies":["default"]},"auth":null}"#)
        #expect(try VaultResponse.tokenLookup(body) == .init(ttlSeconds: 42, renewable: true))
        let root = Self.bytes(#"{"data":{"ttl":0,"renewable":false,"policies":["root"]}}"#)
        #expect(try VaultResponse.tokenLookup(root) == .init(ttlSeconds: 0, renewable: false))
    }

    @Test func loginGivesTheTokenInLockedMemoryAndItsLife() throws {
        let body = Self.bytes(#"{"auth":{"client_token":"s.abc123","accessor":"x","policies":["default"],"lease_duration":3,"renewable":true}}"#)
        let login = try VaultResponse.login(body)
        #expect(login.life == .init(ttlSeconds: 3, renewable: true))
        #expect(login.token.copyToArray() == Array("s.abc123".utf8))
        #expect("\(login.token)" == "[REDACTED]")
    }

    @Test func aKVReadGivesTheValueAndVersion() throws {
        let body = Self.bytes(#"{"data":{"data":{"value":"line1\nq\"uote"},"metadata":{"created_time":"2026-01-02T03:04:05.678Z","version":7,"destroyed":false}}}"#)
        let value = try VaultResponse.secret(body)
        #expect(value.version == 7)
        #expect(value.value.copyToArray() == Array("line1\nq\"uote".utf8))
        let binary = Self.bytes(#"{"data":{"data":{"value_base64":"AP8Q"},"metadata":{"version":1}}}"#)
        #expect(try VaultResponse.secret(binary).value.copyToArray() == [0x00, 0xFF, 0x10])
    }

    @Test func aSecretWithoutAValueFieldIsExplained() {
        let body = Self.bytes(#"{"data":{"data":{"password":"x"},"metadata":{"version":1}}}"#)
        #expect { try VaultResponse.secret(body) } throws: { error in
            (error as? SecretsError)?.message.contains("value=") == true
        }
    }

    @Test func metadataListsVersionsNewestFirstWithDeletions() throws {
        let body = Self.bytes("""
            {"data":{"current_version":3,"oldest_version":0,"versions":{
              "1":{"created_time":"2026-01-02T03:04:05.5Z","deletion_time":"","destroyed":true},
              "2":{"created_time":"2026-01-02T03:04:06Z","deletion_time":"2026-01-03T00:00:00Z","destroyed":false},
              "3":{"created_time":"2026-01-02T03:04:07.123456789Z","deletion_time":"","destroyed":false}}}}
            """)
        let metadata = try VaultResponse.metadata(body)
        #expect(metadata.currentVersion == 3)
        #expect(metadata.versions.map(\.version) == [3, 2, 1])
        #expect(metadata.versions.map(\.deleted) == [false, true, false])
        #expect(metadata.versions.map(\.destroyed) == [false, false, true])
        #expect(metadata.versions[0].createdAtUnixMs == 1_767_323_047_123)
        #expect(metadata.versions[2].createdAtUnixMs == 1_767_323_045_500)
    }

    @Test func writesGiveTheNewVersionAndErrorsAreSummarized() throws {
        #expect(try VaultResponse.writtenVersion(Self.bytes(#"{"data":{"created_time":"x","version":4}}"#)) == 4)
        let errors = Self.bytes(#"{"errors":["check-and-set parameter did not match the current version"]}"#)
        #expect(VaultResponse.errors(errors) == "check-and-set parameter did not match the current version")
        #expect(VaultResponse.errors(Self.bytes("not json")) == "")
        #expect(throws: SecretsError.self) { try VaultResponse.writtenVersion(Self.bytes("<html>")) }
    }

    @Test func writeBodiesEscapeTextAndCarryBinaryAsBase64() {
        let text = JSONText.kvWrite(.init(copying: Array("a\"b\\c\nd\u{1}é".utf8)), checkAndSet: 2)
        #expect(String(decoding: text, as: UTF8.self) == #"{"options":{"cas":2},"data":{"value":"a\"b\\c\u000ad\u0001é"}}"#)
        let binary = JSONText.kvWrite(.init(copying: [0x00, 0xFF, 0x10] as [UInt8]), checkAndSet: nil)
        #expect(String(decoding: binary, as: UTF8.self) == #"{"data":{"value_base64":"AP8Q"}}"#)
    }
}
