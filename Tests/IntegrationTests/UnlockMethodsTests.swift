import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Keyslots, passphrase and systemd-credential unlock, idle lock, unlock back-off and
/// locked memory, through the real binary (DESIGN §4, §10).
@Suite struct UnlockMethodsTests {
    func statusJSON(_ agent: TestAgent) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(agent.run(["status", "--json"]).stdout))) as? [String: Any] ?? [:]
    }

    func ownerOnlyFile(_ path: String, _ contents: String) {
        FileManager.default.createFile(atPath: path, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600])
    }

    @Test func keyslotsAddListRemoveAndPassphraseUnlock() throws {
        let agent = try TestAgent()
        try agent.start()
        #expect(agent.run(["add", "slot/key", "--stdin"], stdin: Array("keyslot-value-98765".utf8)).status == 0)
        let passphrase = agent.home + "/passphrase"
        ownerOnlyFile(passphrase, "correct horse battery staple\n")
        let added = agent.run(["keyslot", "add", "--passphrase-file", passphrase])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.out == "added keyslot 2\n")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(agent.run(["keyslot", "list", "--json"]).stdout)) as? [[String: Any]])
        #expect(list.map { $0["kind"] as? String } == ["key-file", "passphrase"])
        #expect(list[1]["argon2_mem_mib"] as? Int == 256 && list[1]["argon2_ops"] as? Int == 3)

        #expect(agent.run(["lock"]).status == 0)
        ownerOnlyFile(agent.home + "/wrong", "not the passphrase\n")
        #expect(agent.run(["unlock", "--passphrase-file", agent.home + "/wrong"]).status == 4)
        usleep(1_100_000)  // the back-off after one failure
        #expect(agent.run(["unlock", "--passphrase-file", passphrase]).status == 0)
        #expect(agent.run(["get", "slot/key"]).out == "keyslot-value-98765")

        #expect(agent.run(["keyslot", "rm", "1"]).status == 0)
        let last = agent.run(["keyslot", "rm", "2"])
        #expect(last.status == 64)
        #expect(last.stderr == "secrets-agent: cannot remove the last keyslot (add another first: secrets-agent keyslot add)\n")
        // The key file no longer opens the store.
        #expect(agent.run(["lock"]).status == 0)
        #expect(agent.run(["unlock", "--key-file", agent.keyFile]).status == 3)
        agent.expectNeverPrinted("correct horse battery staple")
    }

    @Test func systemdCredentialUnlocksAtStartAndOnDemand() throws {
        let agent = try TestAgent()
        let credentials = agent.home + "/credentials"
        mkdir(credentials, 0o700)
        let key = try String(contentsOfFile: agent.keyFile, encoding: .utf8)
        ownerOnlyFile(credentials + "/master-key", key)
        try agent.start(unlocked: false, extra: ["--unlock-credential", "master-key"],
                        environment: ["CREDENTIALS_DIRECTORY": credentials])
        #expect((statusJSON(agent)["locked"] as? Bool) == false)
        #expect(agent.run(["lock"]).status == 0)
        let byCredential = agent.run(["unlock", "--credential", "master-key"], environment: ["CREDENTIALS_DIRECTORY": credentials])
        #expect(byCredential.status == 0, "\(byCredential.stderr)")
        let relative = agent.run(["unlock", "--credential", "master-key"], environment: ["CREDENTIALS_DIRECTORY": "credentials"])
        #expect(relative.stderr == "secrets-agent: cannot read credential master-key: $CREDENTIALS_DIRECTORY is 'credentials', not an absolute path\n")
        let slash = agent.run(["unlock", "--credential", "../master.key"], environment: ["CREDENTIALS_DIRECTORY": credentials])
        #expect(slash.status == 64)
        chmod(credentials + "/master-key", 0o640)
        let open = agent.run(["unlock", "--credential", "master-key"], environment: ["CREDENTIALS_DIRECTORY": credentials])
        #expect(open.stderr.contains("mode 0640 is too open"))
    }

    @Test func idleLockLocksAfterInactivity() throws {
        let agent = try TestAgent()
        try agent.start(extra: ["--idle-lock", "1"])
        #expect(agent.run(["add", "idle/key", "--stdin"], stdin: Array("idle-value-000111".utf8)).status == 0)
        #expect((statusJSON(agent)["idle_lock_seconds"] as? Int) == 1)
        usleep(2_000_000)
        #expect((statusJSON(agent)["locked"] as? Bool) == true, "locked after 1 s without a request")
        #expect(agent.run(["get", "idle/key"]).status == 5)
        #expect(agent.run(["unlock", "--key-file", agent.keyFile]).status == 0)
        let trail = agent.run(["audit", "--json"]).out
        #expect(trail.contains("\"idle-lock\""))
    }

    @Test func failedUnlocksBackOffExponentiallyAcrossRestarts() throws {
        let agent = try TestAgent()
        try agent.start(unlocked: false)
        ownerOnlyFile(agent.home + "/wrong.key", String(repeating: "ef", count: 32))
        #expect(agent.run(["unlock", "--key-file", agent.home + "/wrong.key"]).status == 4)
        #expect(agent.run(["unlock", "--key-file", agent.home + "/wrong.key"]).status == 1, "inside the 1 s window")
        usleep(1_100_000)
        #expect(agent.run(["unlock", "--key-file", agent.home + "/wrong.key"]).status == 4)  // second failure: 2 s
        // Even the right key is refused inside the window, and a restart does not reset it.
        agent.stop()
        try agent.start(unlocked: false)
        let refused = agent.run(["unlock", "--key-file", agent.keyFile])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("secrets-agent: too many failed unlocks (2 in a row): try again in "))
        usleep(2_100_000)
        #expect(agent.run(["unlock", "--key-file", agent.keyFile]).status == 0)
    }

    @Test func keyMaterialIsInLockedMemoryWhileUnlocked() throws {
        let agent = try TestAgent()
        try agent.start()
        let status = statusJSON(agent)
        #expect((status["locked_memory_bytes"] as? Int ?? 0) > 0)
        #expect(status["memory_locked"] as? Bool == true)
        let proc = try String(contentsOfFile: "/proc/\(agent.pid!)/status", encoding: .utf8)
        let vmLck = proc.split(separator: "\n").first { $0.hasPrefix("VmLck:") }
        let kilobytes = vmLck.flatMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first }.flatMap { Int($0) } ?? 0
        #expect(kilobytes >= 1024, "the 1 MiB key arena is locked")
    }

    @Test func statusSaysSoWhenTheKeyArenaCannotBeLocked() throws {
        let agent = try TestAgent()
        // Without CAP_IPC_LOCK, a 64 KiB RLIMIT_MEMLOCK cannot lock the 1 MiB arena;
        // sodium_malloc alone would carry on silently.
        try agent.start(launcher: ["/usr/bin/prlimit", "--memlock=65536:65536", "/usr/bin/setpriv",
                                   "--bounding-set=-ipc_lock", "--inh-caps=-ipc_lock"])
        let status = statusJSON(agent)
        #expect(status["memory_locked"] as? Bool == false)
        let text = agent.run(["status"]).out
        #expect(text.contains("memory:   NOT LOCKED: mlock of the key arena failed"), "\(text)")
        #expect(agent.log().contains("key arena: mlock of 1024 KiB failed"))
        // It still serves.
        #expect(agent.run(["add", "arena/key", "--stdin"], stdin: Array("unlocked-but-swappable-1".utf8)).status == 0)
        #expect(agent.run(["get", "arena/key"]).out == "unlocked-but-swappable-1")
    }

    @Test func nothingSecretInCmdlineOrEnvironOfAgentOrCLI() throws {
        let agent = try TestAgent()
        try agent.start()
        let value = "proc-visible-value-5544332211"
        // Hold a CLI process open on its stdin and look at it from outside.
        let cli = Process()
        cli.executableURL = URL(fileURLWithPath: TestAgent.binary)
        cli.arguments = ["add", "proc/key", "--stdin", "--socket", agent.socket]
        let input = Pipe()
        cli.standardInput = input
        cli.standardOutput = FileHandle.nullDevice
        try cli.run()
        input.fileHandleForWriting.write(Data(value.utf8))
        usleep(200_000)
        for pid in [cli.processIdentifier, agent.pid!] {
            for file in ["cmdline", "environ"] {
                let bytes = Array(FileManager.default.contents(atPath: "/proc/\(pid)/\(file)") ?? Data())
                let leaked = agent.contains(bytes, Array(value.utf8))
                #expect(!leaked, "value in /proc/\(pid)/\(file)")
            }
        }
        try input.fileHandleForWriting.close()
        cli.waitUntilExit()
        #expect(cli.terminationStatus == 0)
        #expect(agent.run(["get", "proc/key"]).out == value)
    }
}
