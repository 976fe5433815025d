import ArgumentParser
import Logging
import SecretsAgentKit
import SecretsCore
import SecretsUpstream

/// `serve`'s upstream flags (DESIGN §9): an OpenBao / Vault KV v2 mount as the source of
/// truth, the local store as its encrypted cache. Without `--upstream`, nothing changes.
struct UpstreamOptions: ParsableArguments {
    @Option(name: .customLong("upstream"), help: ArgumentHelp("An OpenBao or Vault server (https://host:8200) whose KV v2 mount holds the secrets; the store becomes its encrypted cache.", valueName: "url"))
    var url: String?

    @Option(name: .customLong("upstream-mount"), help: ArgumentHelp("The KV v2 mount.", valueName: "name"))
    var mount: String = "secret"

    @Option(name: .customLong("upstream-prefix"), help: ArgumentHelp("A path inside the mount: NAME in ENV lives at <prefix>/<ENV>/<NAME>.", valueName: "path"))
    var prefix: String = ""

    @Option(name: .customLong("upstream-token-file"), help: ArgumentHelp("Authenticate with the token in this file (owner-only, like a key file).", valueName: "file"))
    var tokenFile: String?

    @Option(name: .customLong("upstream-role-id-file"), help: ArgumentHelp("Authenticate with AppRole: the role_id in this file.", valueName: "file"))
    var roleIDFile: String?

    @Option(name: .customLong("upstream-secret-id-file"), help: ArgumentHelp("Authenticate with AppRole: the secret_id in this file (owner-only).", valueName: "file"))
    var secretIDFile: String?

    @Option(name: .customLong("upstream-ca-file"), help: ArgumentHelp("Trust the CA certificates in this PEM file for the upstream's TLS.", valueName: "file"))
    var caFile: String?

    @Option(name: .customLong("cache-ttl"), help: ArgumentHelp("Serve a cached value this long without asking the upstream (0: always ask).", valueName: "duration"))
    var cacheTTL: String = "5m"

    @Option(name: .customLong("max-stale"), help: ArgumentHelp("When the upstream is unreachable, serve cached values up to this old, marked stale.", valueName: "duration"))
    var maxStale: String = "24h"

    @Option(name: .customLong("upstream-poll"), help: ArgumentHelp("Ask the upstream this often whether cached secrets changed, and tell watchers.", valueName: "duration"))
    var poll: String = "30s"

    func validate() throws {
        guard url != nil else {
            let given = [("--upstream-token-file", tokenFile), ("--upstream-role-id-file", roleIDFile),
                         ("--upstream-secret-id-file", secretIDFile), ("--upstream-ca-file", caFile)]
                .filter { $0.1 != nil }.map(\.0)
            if let first = given.first { throw ValidationError("\(first) needs --upstream URL") }
            return
        }
        switch (tokenFile, roleIDFile, secretIDFile) {
        case (.some, nil, nil), (nil, .some, .some): break
        case (nil, nil, nil):
            throw ValidationError("--upstream needs credentials: --upstream-token-file F, or --upstream-role-id-file F with --upstream-secret-id-file F")
        case (nil, _, _):
            throw ValidationError("AppRole needs both --upstream-role-id-file F and --upstream-secret-id-file F")
        default:
            throw ValidationError("choose one of --upstream-token-file F or AppRole (--upstream-role-id-file F --upstream-secret-id-file F)")
        }
        for (flag, text, zero) in [("--cache-ttl", cacheTTL, true), ("--max-stale", maxStale, true), ("--upstream-poll", poll, false)] {
            do {
                _ = try UpstreamDuration.seconds(text, flag: flag, allowZero: zero)
            } catch {
                throw ValidationError(error.message)
            }
        }
    }

    /// The upstream settings, or nil without `--upstream`.
    func settings(logger: Logger) throws(SecretsError) -> UpstreamSettings? {
        guard let url else { return nil }
        let credentials: UpstreamCredentials = if let tokenFile {
            .tokenFile(tokenFile)
        } else {
            .appRole(roleIDFile: roleIDFile ?? "", secretIDFile: secretIDFile ?? "")
        }
        var configuration = VaultConfiguration(url: url, credentials: credentials)
        configuration.mount = mount
        configuration.prefix = prefix
        configuration.caFile = caFile
        var settings = UpstreamSettings(source: try VaultUpstream(configuration: configuration, logger: logger))
        settings.cacheTTLSeconds = try UpstreamDuration.seconds(cacheTTL, flag: "--cache-ttl")
        settings.maxStaleSeconds = try UpstreamDuration.seconds(maxStale, flag: "--max-stale")
        settings.pollSeconds = try UpstreamDuration.seconds(poll, flag: "--upstream-poll", allowZero: false)
        return settings
    }
}
