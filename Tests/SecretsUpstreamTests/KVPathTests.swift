import SecretsCore
import Testing
@testable import SecretsUpstream

@Suite struct KVPathTests {
    @Test func nameInEnvironmentLivesUnderTheEnvironment() throws {
        let path = KVPath(mount: "secret", prefix: "", name: try SecretName("openai/key"), environment: try Environment("production"))
        #expect(path.display == "secret/production/openai/key")
        #expect(path.dataPath == "/v1/secret/data/production/openai/key")
        #expect(path.metadataPath == "/v1/secret/metadata/production/openai/key")
    }

    @Test func aPrefixComesBeforeTheEnvironmentAndSlashesAreTrimmed() throws {
        let path = KVPath(mount: "/kv/", prefix: "/teams/billing/", name: try SecretName("db.pass"), environment: try Environment("staging"))
        #expect(path.display == "kv/teams/billing/staging/db.pass")
        #expect(path.dataPath == "/v1/kv/data/teams/billing/staging/db.pass")
    }

    @Test func mountsAndPrefixesWithTraversalOrOddCharactersAreRefused() {
        #expect(throws: SecretsError.self) { try KVPath.validate(mount: "", prefix: "") }
        #expect(throws: SecretsError.self) { try KVPath.validate(mount: "secret", prefix: "a/../b") }
        #expect(throws: SecretsError.self) { try KVPath.validate(mount: "secret", prefix: "a//b") }
        #expect(throws: SecretsError.self) { try KVPath.validate(mount: "sec ret", prefix: "") }
        #expect(throws: SecretsError.self) { try KVPath.validate(mount: "secret?x=1", prefix: "") }
        #expect(throws: Never.self) { try KVPath.validate(mount: "secret", prefix: "") }
        #expect(throws: Never.self) { try KVPath.validate(mount: "kv-v2", prefix: "teams/billing") }
    }
}
