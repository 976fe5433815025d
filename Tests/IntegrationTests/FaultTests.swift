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

    /// Runs `tool` and returns what it printed on stdout, trimmed.
    func output(_ tool: String, _ arguments: [String]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return "" }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The store's disk goes read-only under the running agent, the way ext4 does after an
    /// I/O error with errors=remount-ro (triggered through /sys/fs/ext4/DEV/trigger_fs_error
    /// on a loop image). Writes fail with a clear error, reads keep being served, and after
    /// the disk is repaired and remounted everything stored before is there, intact.
    @Test(.enabled(if: geteuid() == 0, "needs root to mount a loop image"))
    func aDiskTurningReadOnlyRefusesWritesClearlyAndKeepsServingReads() throws {
        var template = Array("/tmp/secrets-agent-rodisk.XXXXXX".utf8CString)
        let home = String(cString: mkdtemp(&template)!)
        let image = home + "/disk.img", data = home + "/data"
        defer { run("/bin/umount", [data]); try? FileManager.default.removeItem(atPath: home) }
        mkdir(data, 0o700)
        run("/usr/bin/truncate", ["-s", "32M", image])
        run("/sbin/mkfs.ext4", ["-q", image])
        run("/bin/mount", ["-o", "loop,errors=remount-ro", image, data])
        let device = URL(fileURLWithPath: output("/bin/findmnt", ["-no", "SOURCE", data])).lastPathComponent
        guard !device.isEmpty, access("/sys/fs/ext4/\(device)/trigger_fs_error", W_OK) == 0 else {
            Issue.record("cannot mount an ext4 loop image here; the read-only scenario was not exercised")
            return
        }
        chmod(data, 0o700)
        let agent = try TestAgent()
        let store = data + "/store.db"
        #expect(agent.run(["init", "--store", store, "--key-file", agent.keyFile]).status == 0)
        func serve() throws -> Process {
            let serve = Process()
            serve.executableURL = URL(fileURLWithPath: TestAgent.binary)
            serve.arguments = ["serve", "--socket", agent.socket, "--store", store, "--unlock-key-file", agent.keyFile]
            serve.environment = ["SWIFT_BACKTRACE": "enable=no", "PATH": "/usr/bin:/bin"]
            let log = FileHandle(forWritingAtPath: agent.logPath) ?? FileHandle.nullDevice
            serve.standardError = log
            serve.standardOutput = log
            try serve.run()
            for _ in 0..<100 where agent.run(["status"]).status != 0 { usleep(50_000) }
            return serve
        }
        FileManager.default.createFile(atPath: agent.logPath, contents: nil)
        var agentProcess = try serve()
        for i in 0..<20 {
            #expect(agent.run(["add", "ro/kept-\(i)", "--stdin"], stdin: Array("kept-before-ro-\(i)".utf8)).status == 0)
        }

        try "secrets-agent test: read-only disk".write(toFile: "/sys/fs/ext4/\(device)/trigger_fs_error",
                                                       atomically: false, encoding: .utf8)
        let refused = agent.run(["add", "ro/new", "--stdin"], stdin: Array("written-while-ro-77".utf8))
        #expect(refused.status == 6)
        #expect(refused.stderr == "secrets-agent: store at \(store) cannot be written: its file system or the file is read-only (remount it read-write or fix the file's owner and mode; reads keep working)\n")
        for i in [0, 7, 19] {
            #expect(agent.run(["get", "ro/kept-\(i)"]).out == "kept-before-ro-\(i)", "reads keep being served")
        }
        #expect(agent.run(["list", "--prefix", "ro/"]).out.contains("ro/kept-19"))
        #expect(agent.run(["status"]).status == 0)
        #expect(agent.log().contains("audit entry held in memory"), "entries that cannot be written are held and logged")
        #expect(!agent.log().contains("written-while-ro-77"))

        // Repair: stop the agent, check and remount the disk, start again.
        agentProcess.terminate()
        agentProcess.waitUntilExit()
        run("/bin/umount", [data])
        run("/sbin/e2fsck", ["-fy", image])
        run("/bin/mount", ["-o", "loop", image, data])
        if SQLiteTool.isInstalled {
            #expect(SQLiteTool.run(store, "PRAGMA integrity_check").out == "ok\n")
        }
        agentProcess = try serve()
        defer { agentProcess.terminate(); agentProcess.waitUntilExit() }
        for i in 0..<20 {
            #expect(agent.run(["get", "ro/kept-\(i)"]).out == "kept-before-ro-\(i)", "nothing stored before was lost")
        }
        #expect(agent.run(["get", "ro/new"]).status == 3, "the refused write did not half-happen")
        #expect(agent.run(["audit", "verify"]).status == 0)
        #expect(agent.run(["add", "ro/after", "--stdin"], stdin: Array("after-repair".utf8)).status == 0, "writes resume")
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
