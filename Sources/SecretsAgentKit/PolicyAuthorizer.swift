import Logging
import Synchronization
import SecretsCore

/// Grants from a policy file: first matching rule wins, no match is denied (DESIGN §6).
/// `reload()` (on SIGHUP) swaps in a new policy only when the file is valid; otherwise
/// the old one stays and the reason, with its line, is logged.
final class PolicyAuthorizer: Authorizer {
    let path: String
    private let current: Mutex<ResolvedPolicy>

    /// Loads `path`; the agent refuses to start when it is invalid.
    init(path: String) throws(SecretsError) {
        self.path = path
        current = Mutex(try ResolvedPolicy.load(path))
    }

    var policy: Policy { current.withLock { $0.policy } }

    var policySummary: (source: String, rules: Int)? { (path, policy.rules.count) }

    /// Re-reads the file. - Returns: the error when the old policy was kept.
    @discardableResult
    func reload(logger: Logger) -> SecretsError? {
        do {
            let fresh = try ResolvedPolicy.load(path)
            current.withLock { $0 = fresh }
            logger.notice("policy reloaded", metadata: ["agent.policy": "\(path)", "agent.policy.rules": "\(fresh.policy.rules.count)"])
            return nil
        } catch {
            logger.error("policy not reloaded, keeping the previous one: \(error.message)", metadata: ["agent.policy": "\(path)"])
            return error
        }
    }

    func grant(for peer: PeerIdentity) -> Result<Grant, SecretsError> {
        let resolved = current.withLock { $0 }
        let caller = resolved.caller(for: peer)
        guard let rule = resolved.policy.rule(for: caller) else {
            let exe = peer.executable.map { " running \($0)" } ?? ""
            return .failure(.permissionDenied("\(peer.who)\(exe) may not use this agent: no rule in \(path) matches it (add a [[rule]] for it)"))
        }
        return .success(Grant(role: rule.role, rule: rule, source: path, who: peer.who))
    }

    func grant(forUnit unit: UnitName) -> Result<Grant, SecretsError> {
        let policy = current.withLock { $0.policy }
        guard let rule = policy.rule(for: .unit(unit)) else {
            return .failure(.permissionDenied("unit \(unit) may not read credentials: no rule in \(path) has unit = \"\(unit)\" (add a [[rule]] for it)"))
        }
        return .success(Grant(role: rule.role, rule: rule, source: path, who: "unit \(unit)"))
    }
}
