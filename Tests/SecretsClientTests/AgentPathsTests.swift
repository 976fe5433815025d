#if canImport(Glibc)
import Glibc
#endif
import SecretsClient
import Testing

/// These tests change the process environment, so they run one at a time and restore
/// every variable they touch.
@Suite(.serialized) struct AgentPathsTests {
    /// Runs `body` with `changes` applied (nil: unset), then restores the previous values.
    static func withEnvironment(_ changes: [String: String?], _ body: () throws -> Void) rethrows {
        var saved: [String: String?] = [:]
        for name in changes.keys {
            saved[name] = getenv(name).map { String(cString: $0) }
        }
        defer {
            for (name, value) in saved {
                if let value { setenv(name, value, 1) } else { unsetenv(name) }
            }
        }
        for (name, value) in changes {
            if let value { setenv(name, value, 1) } else { unsetenv(name) }
        }
        try body()
    }

    static let isRoot = geteuid() == 0

    @Test func socketComesFromTheEnvironment() {
        Self.withEnvironment(["SECRETS_AGENT_SOCK": "/tmp/custom/agent.sock"]) {
            #expect(AgentPaths.defaultSocket() == "/tmp/custom/agent.sock")
        }
    }

    @Test func socketDefault() {
        Self.withEnvironment(["SECRETS_AGENT_SOCK": nil, "XDG_RUNTIME_DIR": "/run/user/4242"]) {
            let expected = Self.isRoot ? "/run/secrets-agent/agent.sock" : "/run/user/4242/secrets-agent/agent.sock"
            #expect(AgentPaths.defaultSocket() == expected)
        }
        Self.withEnvironment(["SECRETS_AGENT_SOCK": "", "XDG_RUNTIME_DIR": nil]) {
            #expect(AgentPaths.defaultSocket() == "/run/secrets-agent/agent.sock", "an empty variable counts as unset")
        }
    }

    @Test func storeComesFromTheEnvironment() {
        Self.withEnvironment(["SECRETS_AGENT_STORE": "/srv/secrets/store.db"]) {
            #expect(AgentPaths.defaultStore() == "/srv/secrets/store.db")
        }
    }

    @Test func storeDefault() {
        Self.withEnvironment(["SECRETS_AGENT_STORE": nil, "XDG_DATA_HOME": "/home/u/.data", "HOME": "/home/u"]) {
            let expected = Self.isRoot ? "/var/lib/secrets-agent/store.db" : "/home/u/.data/secrets-agent/store.db"
            #expect(AgentPaths.defaultStore() == expected)
        }
        Self.withEnvironment(["SECRETS_AGENT_STORE": nil, "XDG_DATA_HOME": nil, "HOME": "/home/u"]) {
            let expected = Self.isRoot ? "/var/lib/secrets-agent/store.db" : "/home/u/.local/share/secrets-agent/store.db"
            #expect(AgentPaths.defaultStore() == expected)
        }
        Self.withEnvironment(["SECRETS_AGENT_STORE": ""]) {
            #expect(AgentPaths.defaultStore() != "", "an empty variable counts as unset")
        }
    }

    @Test func environmentComesFromTheEnvironment() {
        Self.withEnvironment(["SECRETS_AGENT_ENV": "production"]) {
            #expect(AgentPaths.defaultEnvironment() == "production")
        }
    }

    @Test func environmentDefaultsToDevelopment() {
        Self.withEnvironment(["SECRETS_AGENT_ENV": nil]) {
            #expect(AgentPaths.defaultEnvironment() == "development")
        }
        Self.withEnvironment(["SECRETS_AGENT_ENV": ""]) {
            #expect(AgentPaths.defaultEnvironment() == "development")
        }
    }

    @Test func theEnvironmentIsRestored() {
        let before = getenv("SECRETS_AGENT_ENV").map { String(cString: $0) }
        Self.withEnvironment(["SECRETS_AGENT_ENV": "staging"]) {
            #expect(AgentPaths.defaultEnvironment() == "staging")
        }
        let after = getenv("SECRETS_AGENT_ENV").map { String(cString: $0) }
        #expect(after == before)
    }
}
