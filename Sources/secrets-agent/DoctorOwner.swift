import Foundation
import SecretsClient
#if canImport(Glibc)
import Glibc
#endif

/// Whose the store, the socket directory and key files should be: the agent's user. That is
/// the running agent's uid when it answers, else the unit's `User=`, else the caller's own
/// (a user running their own agent).
struct DoctorOwner {
    let uid: uid_t
    /// How checks name it: "yours", or "the agent's user secrets-agent (uid 986)".
    let label: String
    /// What `chown` is given in a fix.
    let chownName: String

    static func resolve(socket: String, unit: String?) -> DoctorOwner {
        if let uid = runningAgentUID(socket: socket) { return owner(uid, source: "the agent's user") }
        if let unit, let user = unitUser(unit), let entry = getpwnam(user) {
            return owner(entry.pointee.pw_uid, source: "the unit's user")
        }
        return owner(geteuid(), source: "")
    }

    func owns(_ file: DoctorFile) -> Bool { file.owner == uid }

    private static func owner(_ uid: uid_t, source: String) -> DoctorOwner {
        let name = getpwuid(uid).map { String(cString: $0.pointee.pw_name) }
        guard uid != geteuid() else { return DoctorOwner(uid: uid, label: "yours", chownName: name ?? String(uid)) }
        let who = name.map { "\($0) (uid \(uid))" } ?? "uid \(uid)"
        return DoctorOwner(uid: uid, label: "\(source) \(who)", chownName: name ?? String(uid))
    }

    /// The effective uid of the agent answering on `socket`, from /proc/PID/status.
    private static func runningAgentUID(socket: String) -> uid_t? {
        guard let client = try? AgentClient(socketPath: socket, clientName: "secrets-agent-doctor"),
              let status = try? client.status(),
              let text = DoctorFile.read("/proc/\(status.agentPid)/status", limit: 16384).map({ String(decoding: $0, as: UTF8.self) }),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }),
              let effective = line.split(whereSeparator: \.isWhitespace).dropFirst(2).first else { return nil }
        return uid_t(effective)
    }

    /// `User=` of a unit file, if it names one.
    private static func unitUser(_ path: String) -> String? {
        guard let bytes = DoctorFile.read(path, limit: 1 << 20) else { return nil }
        return String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .last { $0.hasPrefix("User=") }
            .map { String($0.dropFirst("User=".count)) }
            .flatMap { $0.isEmpty ? nil : $0 }
    }
}
