import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The CLI contract end to end through the real binary (DESIGN §11-§12).
@Suite struct CLILifecycleTests {
    let value = "sk-proj-INTEGRATIONvalue-0123456789abcdef"
    let updated = "updated-value-fedcba9876543210-XYZ"

    @Test func addGetListUpdateHistoryRemove() throws {
        let agent = try TestAgent()
        try agent.start()

        #expect(agent.run(["add", "openai/key", "--env", "production", "--stdin"], stdin: Array(value.utf8)).status == 0)
        let got = agent.run(["get", "openai/key", "--env", "production"])
        #expect(got.status == 0)
        #expect(got.stdout == Array(value.utf8), "get must print the value exactly, no newline added")

        let list = agent.run(["list", "--env", "production", "--json"])
        #expect(list.status == 0)
        let entries = try JSONSerialization.jsonObject(with: Data(list.stdout)) as? [[String: Any]]
        #expect(entries?.count == 1)
        #expect(entries?.first?["name"] as? String == "openai/key")
        #expect(entries?.first?["version"] as? Int == 1)

        let duplicate = agent.run(["add", "openai/key", "--env", "production", "--stdin"], stdin: Array("x".utf8))
        #expect(duplicate.status == 8)
        #expect(duplicate.stderr == "secrets-agent: openai/key already exists in production (use: secrets-agent update)\n")

        #expect(agent.run(["update", "openai/key", "--env", "production", "--stdin"], stdin: Array(updated.utf8)).status == 0)
        #expect(agent.run(["get", "openai/key", "--env", "production"]).stdout == Array(updated.utf8))
        #expect(agent.run(["get", "openai/key", "--env", "production", "--version", "1"]).stdout == Array(value.utf8))

        let history = agent.run(["history", "openai/key", "--env", "production", "--json"])
        let versions = (try JSONSerialization.jsonObject(with: Data(history.stdout)) as? [String: Any])?["versions"] as? [[String: Any]]
        #expect(versions?.map { $0["version"] as? Int } == [2, 1])
        #expect(versions?.first?["current"] as? Bool == true)

        #expect(agent.run(["get", "openai/key", "--env", "staging"]).status == 3, "environments are separate")
        #expect(agent.run(["rm", "openai/key", "--env", "production"]).status == 0)
        let gone = agent.run(["get", "openai/key", "--env", "production"])
        #expect(gone.status == 3)
        #expect(gone.stderr.hasPrefix("secrets-agent: openai/key not found in production"))

        agent.expectNeverPrinted(value)
        agent.expectNeverPrinted(updated)
    }

    @Test func updateOfMissingSecretExits3AndStaleVersionExits8() throws {
        let agent = try TestAgent()
        try agent.start()
        #expect(agent.run(["update", "db/pass", "--stdin"], stdin: Array("abc".utf8)).status == 3)
        #expect(agent.run(["add", "db/pass", "--stdin"], stdin: Array("abc".utf8)).status == 0)
        #expect(agent.run(["update", "db/pass", "--if-version", "7", "--stdin"], stdin: Array("def".utf8)).status == 8)
        #expect(agent.run(["update", "db/pass", "--if-version", "1", "--stdin"], stdin: Array("def".utf8)).status == 0)
    }

    @Test func binaryAndMultiLineValuesRoundTrip() throws {
        let agent = try TestAgent()
        try agent.start()
        let binary: [UInt8] = (0...255).map { UInt8($0) } + [0, 0, 10, 13, 255]
        #expect(agent.run(["add", "blob/bin", "--stdin"], stdin: binary).status == 0)
        #expect(agent.run(["get", "blob/bin"]).stdout == binary)
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"
        let file = agent.home + "/key.pem"
        FileManager.default.createFile(atPath: file, contents: Data(pem.utf8))
        #expect(agent.run(["add", "tls/key", "--from-file", file]).status == 0)
        #expect(agent.run(["get", "tls/key"]).out == pem)
    }

    @Test func generatedValuesArePrintedNowhere() throws {
        let agent = try TestAgent()
        try agent.start()
        let add = agent.run(["add", "gen/token", "--generate", "32"])
        #expect(add.status == 0)
        let value = agent.run(["get", "gen/token"]).out
        #expect(value.count == 64)
        #expect(value.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(!add.out.contains(value) && !add.stderr.contains(value))
        #expect(agent.run(["add", "gen/b64", "--generate", "30", "--format", "base64url"]).status == 0)
        #expect(agent.run(["get", "gen/b64"]).out.count == 40)
    }

    @Test func invalidInputIsAUsageErrorThatNamesTheRule() throws {
        let agent = try TestAgent()
        try agent.start()
        let badName = agent.run(["add", "../etc/passwd", "--stdin"], stdin: Array("x".utf8))
        #expect(badName.status == 64)
        #expect(badName.stderr.contains("invalid secret name '../etc/passwd'"))
        #expect(badName.stderr.contains("names are 1-255 characters"))
        let badEnv = agent.run(["add", "a/b", "--env", "Prod", "--stdin"], stdin: Array("x".utf8))
        #expect(badEnv.status == 64)
        #expect(badEnv.stderr.contains("environments are 1-32 characters"))
        #expect(agent.run(["add", "a/b"]).status == 64, "a value source is required")
        #expect(agent.run(["add", "a/b", "--value", "abc"]).status == 64, "values are never taken from argv")
        let empty = agent.run(["add", "a/b", "--stdin"], stdin: [])
        #expect(empty.status == 64)
        #expect(empty.stderr == "secrets-agent: value is empty (a value is 1 byte to 64 KiB)\n")
        let huge = agent.run(["add", "a/b", "--stdin"], stdin: [UInt8](repeating: 0x41, count: 64 * 1024 + 1))
        #expect(huge.status == 64)
        #expect(agent.run(["add", "a/b", "--stdin"], stdin: [UInt8](repeating: 0x41, count: 64 * 1024)).status == 0)
    }

    @Test func lockedAgentExits5AndSaysHowToUnlock() throws {
        let agent = try TestAgent()
        try agent.start()
        #expect(agent.run(["add", "a/b", "--stdin"], stdin: Array("value-1".utf8)).status == 0)
        #expect(agent.run(["lock"]).status == 0)
        let locked = agent.run(["get", "a/b"])
        #expect(locked.status == 5)
        #expect(locked.stderr == "secrets-agent: agent is locked (run: secrets-agent unlock)\n")
        let status = agent.run(["status", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(status.stdout)) as? [String: Any])?["locked"] as? Bool == true)
        #expect(agent.run(["unlock", "--key-file", agent.keyFile]).status == 0)
        #expect(agent.run(["get", "a/b"]).out == "value-1")
    }

    @Test func startsLockedWithoutAKeyFile() throws {
        let agent = try TestAgent()
        try agent.start(unlocked: false)
        #expect(agent.run(["get", "a/b"]).status == 5)
        let wrongKey = agent.home + "/wrong.key"
        FileManager.default.createFile(atPath: wrongKey, contents: Data(String(repeating: "ab", count: 32).utf8), attributes: [.posixPermissions: 0o600])
        let refused = agent.run(["unlock", "--key-file", wrongKey])
        #expect(refused.status == 4)
        #expect(refused.stderr == "secrets-agent: unlock failed: no keyslot accepts this key file (check that it belongs to this store)\n")
        chmod(agent.keyFile, 0o644)
        let open = agent.run(["unlock", "--key-file", agent.keyFile])
        #expect(open.status == 64)
        #expect(open.stderr == "secrets-agent: cannot read \(agent.keyFile): mode 0644 is too open (run: chmod 600 \(agent.keyFile))\n")
        chmod(agent.keyFile, 0o600)
        usleep(1_100_000)  // a failed unlock costs a second before the next attempt
        #expect(agent.run(["unlock", "--key-file", agent.keyFile]).status == 0)
        #expect(agent.run(["get", "a/b"]).status == 3)
    }

    @Test func noAgentExits6AndNamesThePathTried() throws {
        let agent = try TestAgent()
        let missing = agent.home + "/nobody.sock"
        let result = agent.run(["get", "a/b"], environment: ["SECRETS_AGENT_SOCK": missing])
        #expect(result.status == 6)
        #expect(result.stderr == "secrets-agent: cannot connect to \(missing): no such file or directory (start the agent: secrets-agent serve)\n")
        let flag = agent.run(["status", "--socket", missing])
        #expect(flag.status == 6)
        #expect(flag.stderr.contains(missing))
    }

    @Test func storeAndSocketAreOwnerOnlyAndHoldNoPlaintext() throws {
        let agent = try TestAgent()
        try agent.start()
        let canary = "canary-plaintext-Q7w8E9r0T1y2U3i4O5p6"
        #expect(agent.run(["add", "canary/secret", "--stdin"], stdin: Array(canary.utf8)).status == 0)
        var info = stat()
        #expect(stat(agent.socket, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(stat(agent.store, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(stat(agent.home + "/run", &info) == 0 && info.st_mode & 0o777 == 0o700)
        for file in [agent.store, agent.store + "-wal"] {
            let bytes = Array(FileManager.default.contents(atPath: file) ?? Data())
            let plaintext = agent.contains(bytes, Array(canary.utf8))
            #expect(!plaintext, "plaintext in \(file)")
        }
        #expect(agent.stop() == 0)
        #expect(access(agent.socket, F_OK) != 0, "SIGTERM removes the socket")
        agent.expectNeverPrinted(canary)
    }

    @Test func refusesASocketDirectoryOthersCanWrite() throws {
        let agent = try TestAgent()
        mkdir(agent.home + "/run", 0o777)
        chmod(agent.home + "/run", 0o777)
        #expect(throws: TestFailure.self) { try agent.start() }
        #expect(agent.log().contains("refusing to start: \(agent.home)/run has mode 0777, which lets others replace what is in it; want 0700 (run: chmod 700 \(agent.home)/run)"))
    }
}
