import Foundation
import SecretsClient
import SecretsCore
import SecretsProtocol
#if canImport(Glibc)
import Glibc
#endif

/// The doctor's agent checks: reachable, locked, idle lock, locked memory, rotation, core
/// dumps, and stored values sitting in the caller's own environment.
extension SecretsAgentCommand.Doctor {
    static func agentChecks(socket: String) -> [DoctorCheck] {
        let client: AgentClient
        let status: SecretsAgent_V1_StatusReply
        do {
            client = try AgentClient(socketPath: socket, clientName: "secrets-agent-doctor")
            status = try client.status()
        } catch {
            let fix = error.code == .permissionDenied ? "ask the agent's owner for access (policy)" : "start the agent: secrets-agent serve --socket \(socket)"
            return [.fail("agent", error.message, fix: fix)]
        }
        var checks: [DoctorCheck] = [.ok("agent", "reachable at \(socket), pid \(status.agentPid), version \(status.agentVersion)")]
        checks.append(status.locked
            ? .warn("locked", "the agent is locked: nothing is served", fix: "run: secrets-agent unlock")
            : .ok("locked", "unlocked"))
        checks.append(status.idleLockSeconds > 0
            ? .ok("idle lock", "locks after \(status.idleLockSeconds) s idle")
            : .warn("idle lock", "no idle lock: the key stays in memory until someone locks", fix: "restart the agent with: secrets-agent serve --idle-lock 900"))
        checks.append(status.memoryLocked
            ? .ok("memory locked", "\(status.lockedMemoryBytes / 1024) KiB locked")
            : .fail("memory locked", "mlock of the key arena failed: key pages may reach swap", fix: "raise LimitMEMLOCK= in the unit (or grant CAP_IPC_LOCK), then restart the agent"))
        checks.append(status.rotationOverdue == 0
            ? .ok("rotation", "nothing overdue")
            : .warn("rotation", "\(status.rotationOverdue) secret\(status.rotationOverdue == 1 ? "" : "s") overdue for rotation", fix: "run: secrets-agent list --all-environments"))
        checks += coreDumpChecks(pid: status.agentPid)
        checks += environmentChecks(client: client, locked: status.locked)
        return checks
    }

    /// RLIMIT_CORE of the agent, and whether it is dumpable (readable from /proc only when
    /// the agent runs as a non-root user: a non-dumpable process's /proc/PID files belong to
    /// root). /proc/PID/environ, not the directory: the directory can keep the owner it had
    /// before the agent's prctl.
    static func coreDumpChecks(pid: UInt32) -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let limits = DoctorFile.read("/proc/\(pid)/limits", limit: 8192).map { String(decoding: $0, as: UTF8.self) }
        if let line = limits?.split(separator: "\n").first(where: { $0.hasPrefix("Max core file size") }) {
            let soft = line.dropFirst("Max core file size".count).split(separator: " ").first.map(String.init) ?? "?"
            checks.append(soft == "0"
                ? .ok("core size limit", "agent pid \(pid): max core file size 0")
                : .warn("core size limit", "agent pid \(pid): max core file size \(soft)", fix: "add LimitCORE=0 to the unit, then restart the agent"))
        } else {
            checks.append(.warn("core size limit", "cannot tell: /proc/\(pid)/limits unreadable", fix: "run: grep 'Max core' /proc/\(pid)/limits"))
        }
        let statusText = DoctorFile.read("/proc/\(pid)/status", limit: 16384).map { String(decoding: $0, as: UTF8.self) }
        let uidLine = statusText?.split(separator: "\n").first { $0.hasPrefix("Uid:") }
        let effective = uidLine.flatMap { $0.split(whereSeparator: \.isWhitespace).dropFirst(2).first }.flatMap { UInt32($0) }
        guard let agentUID = effective, let proc = DoctorFile("/proc/\(pid)/environ") else {
            checks.append(.warn("core dumps", "cannot tell: /proc/\(pid) unreadable", fix: "run the doctor in the agent's pid namespace"))
            return checks
        }
        if agentUID == 0 {
            checks.append(.warn("core dumps", "cannot tell: the agent runs as root, so /proc/\(pid) is root's either way", fix: "run the agent as its own user (User= in the unit) to make this checkable"))
        } else if proc.owner == 0 {
            checks.append(.ok("core dumps", "agent pid \(pid) is not dumpable (/proc/\(pid)/environ belongs to root)"))
        } else {
            checks.append(.fail("core dumps", "agent pid \(pid) is dumpable: a core dump could hold keys", fix: "upgrade and restart the agent (it sets PR_SET_DUMPABLE 0 at start)"))
        }
        return checks
    }

    /// Fails for each variable of this process's environment whose value equals a stored
    /// secret the agent lets us read; names only, never the value.
    static func environmentChecks(client: AgentClient, locked: Bool) -> [DoctorCheck] {
        let name = "environment"
        guard !locked else { return [.skip(name, "agent locked: cannot compare the environment with stored values")] }
        let variables = ProcessInfo.processInfo.environment.filter { !$0.value.isEmpty }.map { (name: $0.key, bytes: Array($0.value.utf8)) }
        let secrets: [SecretsAgent_V1_SecretMetadata]
        do { secrets = try client.list(environment: nil) } catch {
            return [.skip(name, "cannot list secrets: \(error.message)")]
        }
        var checks: [DoctorCheck] = []
        var compared = 0
        for secret in secrets.prefix(1000) {
            guard let value = try? client.get(name: secret.name, environment: secret.environment).value else { continue }
            compared += 1
            let matches = value.withUnsafeBytes { stored in
                variables.filter { variable in
                    guard variable.bytes.count == stored.count else { return false }
                    var difference: UInt8 = 0
                    for i in 0..<stored.count { difference |= variable.bytes[i] ^ stored[i] }
                    return difference == 0
                }.map(\.name)
            }
            let env = secret.environment == AgentPaths.defaultEnvironment() ? "" : " --env \(secret.environment)"
            for variable in matches.sorted() {
                checks.append(.fail(name, "$\(variable) holds the value of \(secret.name) (\(secret.environment))",
                                    fix: "unset \(variable); use: secrets-agent exec\(env) --secret \(variable)=\(secret.name) -- …"))
            }
        }
        if checks.isEmpty { checks.append(.ok(name, "no variable holds one of \(compared) readable stored values")) }
        return checks
    }
}
