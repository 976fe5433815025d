import ArgumentParser

extension SecretsAgentCommand {
    /// `secrets-agent status`
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Show whether the agent is reachable and locked, and what it serves.")

        @OptionGroup var connection: ConnectionOptions

        @Flag(name: .long, help: "Print one JSON object.")
        var json = false

        func run() throws {
            let status = try connection.connect().status()
            if json {
                JSONOutput.print([
                    "socket": connection.socketPath,
                    "locked": status.locked,
                    "agent_version": status.agentVersion,
                    "protocol_version": status.protocolVersion,
                    "store": status.storePath,
                    "store_id": status.storeID,
                    "cipher": status.cipher,
                    "secrets": status.secretCount,
                    "keyslots": status.keyslotCount,
                    "agent_pid": status.agentPid,
                    "uptime_seconds": status.uptimeSeconds,
                    "your_uid": status.peerUid,
                    "your_role": status.peerRole,
                    "your_grant": status.peerRule,
                    "policy": status.policySource.isEmpty ? "none (only the agent's own uid is served)" : status.policySource,
                    "policy_rules": status.policyRuleCount,
                    "locked_memory_bytes": status.lockedMemoryBytes,
                    "memory_locked": status.memoryLocked,
                    "rotation_overdue": status.rotationOverdue,
                    "watchers": status.watchers,
                    "idle_lock_seconds": status.idleLockSeconds,
                    "upstream": status.upstream.isEmpty ? nil : [
                        "url": status.upstream,
                        "reachable": status.upstreamReachable,
                        "error": status.upstreamError,
                        "cached": status.upstreamCached,
                        "stale_reads": status.upstreamStaleReads,
                        "last_contact": status.upstreamLastContactUnixMs == 0 ? "" : JSONOutput.timestamp(status.upstreamLastContactUnixMs),
                        "token_ttl_seconds": status.upstreamTokenTtlSeconds,
                        "oldest_cache_age_seconds": status.upstreamOldestCacheAgeSeconds,
                    ] as [String: Any],
                ].compactMapValues { $0 } as [String: Any])
                return
            }
            Terminal.print("""
            agent:    \(status.locked ? "locked (run: secrets-agent unlock)" : "unlocked"), version \(status.agentVersion), pid \(status.agentPid), up \(status.uptimeSeconds)s
            socket:   \(connection.socketPath)
            store:    \(status.storePath) (\(status.storeID), \(status.cipher), \(status.keyslotCount) keyslot\(status.keyslotCount == 1 ? "" : "s"))
            secrets:  \(status.secretCount)
            memory:   \(status.memoryLocked ? "\(status.lockedMemoryBytes / 1024) KiB locked" : "NOT LOCKED: mlock of the key arena failed, key pages may reach swap (raise LimitMEMLOCK= or grant CAP_IPC_LOCK)")\(status.idleLockSeconds > 0 ? ", idle lock after \(status.idleLockSeconds) s" : "")
            policy:   \(status.policySource.isEmpty ? "none (only the agent's own uid is served)" : "\(status.policySource) (\(status.policyRuleCount) rules)")
            rotation: \(status.rotationOverdue == 0 ? "nothing overdue" : "\(status.rotationOverdue) secret\(status.rotationOverdue == 1 ? "" : "s") OVERDUE (see: secrets-agent list --all-environments)")\(status.watchers > 0 ? ", \(status.watchers) watching" : "")
            you:      uid \(status.peerUid), \(status.peerRule)
            """)
            if !status.upstream.isEmpty {
                let state = status.upstreamReachable
                    ? "reachable"
                    : "UNREACHABLE (\(status.upstreamError)); cached values are served stale"
                Terminal.print("upstream: \(status.upstream), \(state); \(status.upstreamCached) cached, oldest \(Get.age(status.upstreamOldestCacheAgeSeconds)) old, \(status.upstreamStaleReads) stale read\(status.upstreamStaleReads == 1 ? "" : "s")\(status.upstreamTokenTtlSeconds > 0 ? ", token ttl \(status.upstreamTokenTtlSeconds)s" : "")")
            }
        }
    }
}
