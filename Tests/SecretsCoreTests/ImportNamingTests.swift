import SecretsCore
import Testing

@Suite struct ImportNamingTests {
    @Test func plainKeysAreNames() throws {
        let naming = try ImportNaming()
        #expect(try naming.name(forKey: "GITHUB_TOKEN")?.rawValue == "GITHUB_TOKEN")
        #expect(try naming.name(forKey: "db/password")?.rawValue == "db/password")
        #expect(throws: SecretsError.self) { try naming.name(forKey: "a/../b") }
    }

    @Test func prefixSelectsAndMaps() throws {
        let naming = try ImportNaming(prefix: "APP")
        #expect(try naming.name(forKey: "APP_GITHUB_TOKEN")?.rawValue == "github/token")
        #expect(try naming.name(forKey: "APP_DB_PASSWORD")?.rawValue == "db/password")
        #expect(try naming.name(forKey: "APPX_TOKEN") == nil)
        #expect(try naming.name(forKey: "OTHER_TOKEN") == nil)
        #expect(naming.key(forName: try SecretName("github/token")) == "APP_GITHUB_TOKEN")
        #expect(try ImportNaming(prefix: "APP_") == naming)
    }

    @Test func badMappingsNameTheKey() throws {
        let naming = try ImportNaming(prefix: "APP")
        do {
            _ = try naming.name(forKey: "APP__X")
            Issue.record("accepted a key mapping to a name with a leading /")
        } catch {
            #expect(error.message.hasPrefix("'APP__X' maps to an invalid name"))
        }
    }

    @Test func invalidPrefixes() {
        for prefix in ["", "_", "1APP", "A-B", "A B"] {
            #expect(throws: SecretsError.self, "\(prefix)") { try ImportNaming(prefix: prefix) }
        }
    }
}
