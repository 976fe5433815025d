import Foundation
import SecretsClient
import SecretsProtocol
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Crashes and full or read-only disks (issue: faults): acknowledged writes survive kill -9,
/// the store stays consistent, and a disk that refuses writes leaves reads working.
@Suite(.serialized) struct FaultTests {
    func sqlite(_ store: String, _ sql: String) -> String { SQLiteTool.run(store, sql).out }

    @Test(.enabled(if: SQLiteTool.isInstalled))
    func kill9DuringABurstOfConcurrentWritesLosesNothingAcknowledged() throws {
        let agent = try TestAgent()
        try agent.start()
        let acknowledged = LockedBox<[Int]>([])
        let socket = agent.socket
        let pid = agent.pid!
        // Eight writer threads (real threads: concurrentPerform would run only one per core)
        // and a ninth that pulls the plug once a few hundred writes have been acknowledged.
        let finished = DispatchSemaphore(value: 0)
        let killer = Thread {
            while acknowledged.value.count < 300 { usleep(200) }
            kill(pid, SIGKILL)
            finished.signal()
        }
        killer.start()
        for worker in 0..<8 {
            Thread {
                defer { finished.signal() }
                guard let client = try? AgentClient(socketPath: socket) else { return }
                for i in stride(from: worker, to: 1000, by: 8) {
                    let value = Array("burst-value-\(i)-0123456789".utf8)
                    let ok = (try? value.withUnsafeBytes { raw in
                        try client.put(name: "burst/\(i)", environment: "development", value: raw, mode: .unspecified)
                    }) != nil
                    guard ok else { return }
                    acknowledged.update { $0.append(i) }
                }
            }.start()
        }
        for _ in 0..<9 { finished.wait() }
        agent.stop()
        let written = acknowledged.value
        #expect(written.count > 0 && written.count < 1000, "the kill landed mid-burst (\(written.count) acknowledged)")
        #expect(sqlite(agent.store, "PRAGMA integrity_check;") == "ok\n")
        try agent.start()
        let client = try AgentClient(socketPath: agent.socket)
        var missing: [Int] = []
        for i in written {
            let matches = (try? client.get(name: "burst/\(i)", environment: "development") { bytes, _ in
                Array(bytes) == Array("burst-value-\(i)-0123456789".utf8)
            }) ?? false
            if !matches { missing.append(i) }
        }
        #expect(missing.isEmpty, "acknowledged but lost: \(missing.prefix(10))")
    }

    /// Mounts a small tmpfs at `path`; false where mounting is not allowed (then the test
    /// records why and passes nothing off as tested).
    func mountTmpfs(_ path: String, megabytes: Int) -> Bool {
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0700", "tmpfs", path]
        mount.standardError = FileHandle.nullDevice
        try? mount.run()
        mount.waitUntilExit()
        return mount.terminationStatus == 0
    }

    func run(_ tool: String, _ arguments: [String]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to mount a tmpfs"))
    func aFullDiskRefusesWritesClearlyAndKeepsServingReads() throws {
        var template = Array("/tmp/secrets-agent-disk.XXXXXX".utf8CString)
        let home = String(cString: mkdtemp(&template)!)
        defer { run("/bin/umount", [home + "/data"]); try? FileManager.default.removeItem(atPath: home) }
        mkdir(home + "/data", 0o700)
        guard mountTmpfs(home + "/data", megabytes: 4) else {
            Issue.record("cannot mount a tmpfs here; the disk-full scenario was not exercised")
            return
        }
        let agent = try TestAgent()
        let store = home + "/data/store.db"
        #expect(agent.run(["init", "--store", store, "--key-file", agent.keyFile]).status == 0)
        let serve = Process()
        serve.executableURL = URL(fileURLWithPath: TestAgent.binary)
        serve.arguments = ["serve", "--socket", agent.socket, "--store", store, "--unlock-key-file", agent.keyFile]
        serve.environment = ["SWIFT_BACKTRACE": "enable=no", "PATH": "/usr/bin:/bin"]
        serve.standardError = FileHandle.nullDevice
        try serve.run()
        defer { serve.terminate(); serve.waitUntilExit() }
        for _ in 0..<100 where agent.run(["status"]).status != 0 { usleep(50_000) }
        #expect(agent.run(["add", "disk/kept", "--stdin"], stdin: Array("kept-value-before-full".utf8)).status == 0)

        // Fill the disk.
        run("/bin/dd", ["if=/dev/zero", "of=\(home)/data/filler", "bs=64k"])
        let full = agent.run(["add", "disk/new", "--stdin"], stdin: [UInt8](repeating: 0x41, count: 60_000))
        #expect(full.status != 0)
        #expect(full.stderr.contains("disk full") || full.stderr.contains("full"), "\(full.stderr)")
        #expect(agent.run(["get", "disk/kept"]).out == "kept-value-before-full", "reads keep working")

        #expect(access(store + ".reserve", F_OK) != 0, "the reserve was released")
        #expect(agent.run(["audit", "verify"]).status == 0, "audit entries kept being written")

        // Space comes back: writes resume.
        unlink("\(home)/data/filler")
        #expect(agent.run(["add", "disk/after", "--stdin"], stdin: Array("after-value".utf8)).status == 0, "writes resume")
        #expect(agent.run(["get", "disk/kept"]).out == "kept-value-before-full", "nothing already stored was lost")
    }
}
