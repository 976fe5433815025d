import Foundation
import SecretsProtocol
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The running agent is hardened as DESIGN §10 says, seen from outside through /proc.
@Suite struct HardeningTests {
    func procFile(_ pid: Int32, _ name: String) -> String {
        let data = FileManager.default.contents(atPath: "/proc/\(pid)/\(name)") ?? Data()
        return String(decoding: data.map { $0 == 0 ? 0x0A : $0 }, as: UTF8.self)
    }

    @Test func noCoreDumpsOwnerOnlyUmaskAndNoCrashBacktracer() throws {
        let agent = try TestAgent()
        try agent.start(backtracerPreset: false)
        let pid = try #require(agent.pid)
        let limits = procFile(pid, "limits").split(separator: "\n").first { $0.hasPrefix("Max core file size") }
        let coreLimit = limits.map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(coreLimit?[4] == "0" && coreLimit?[5] == "0", "RLIMIT_CORE is 0/0")
        #expect(procFile(pid, "status").contains("Umask:\t0077"))
        let environment = procFile(pid, "environ").split(separator: "\n")
        #expect(environment.contains("SWIFT_BACKTRACE=enable=no"), "serve re-executes itself with the backtracer off")
        let argv = procFile(pid, "cmdline").split(separator: "\n")
        #expect(argv.dropFirst().first == "serve", "the re-exec keeps the arguments")
        #expect(agent.run(["status"]).status == 0)
    }

    @Test func sigtermWithAnIdleClientConnectedStopsPromptly() throws {
        let agent = try TestAgent()
        try agent.start()
        // An idle client holding a connection open must not hold up shutdown.
        guard case .success(let fd)? = try? UnixSocketAddress.connect(agent.socket) else {
            Issue.record("connect failed"); return
        }
        defer { close(fd) }
        let started = Date()
        #expect(agent.stop() == 0)
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(access(agent.socket, F_OK) != 0)
        #expect(agent.log().contains("stopped"))
    }
}
