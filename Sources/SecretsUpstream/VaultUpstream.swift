#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import NIOHTTP1
import Synchronization
import SecretsAgentKit
import SecretsCore
import SecretsCrypto

/// An OpenBao or HashiCorp Vault KV v2 mount as the agent's upstream (DESIGN §9).
///
/// Authenticates with a token file or AppRole, looks the token up at start, renews it two
/// thirds through its life (`auth/token/renew-self`) and logs in again (AppRole) or re-reads
/// the token file when renewal fails. A request answered 403 is retried once after logging
/// in again, since the token may have expired meanwhile. The token lives in locked memory
/// and becomes a `String` only for the request header; it is never logged.
public final class VaultUpstream: UpstreamSource {
    let configuration: VaultConfiguration
    let logger: Logger
    private let transport: HTTPTransport
    private let base: String
    private let token = Mutex<SecureBytes?>(nil)
    private let state = Mutex<State>(State())
    private let stopping = Atomic<Bool>(false)
    private let renewing = Atomic<Bool>(false)

    private struct State {
        var reachable = true
        var lastError: String?
        var lastContactUnixMs: Int64 = 0
        var life: VaultResponse.TokenLife?
        var lifeCheckedAt = ContinuousClock.now
        /// When a request last found the upstream unreachable.
        var failedAt: ContinuousClock.Instant?
    }

    /// After a request finds the upstream unreachable, others fail at once for this long
    /// instead of each waiting out the connect timeout; then one tries again.
    static let unreachableWindow: Duration = .seconds(3)

    /// - Throws: `.invalidArgument` for a URL that is not http(s), a bad mount or prefix,
    ///   or an unreadable CA file.
    public init(configuration: VaultConfiguration, logger: Logger) throws(SecretsError) {
        var url = configuration.url
        while url.hasSuffix("/") { url.removeLast() }
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), url.count > 8 else {
            throw .invalidArgument("--upstream \(configuration.url.prefix(100)) is not an http(s) URL (write e.g. https://openbao.internal:8200)")
        }
        try KVPath.validate(mount: configuration.mount, prefix: configuration.prefix)
        self.configuration = configuration
        self.logger = logger
        base = url
        transport = try HTTPTransport(caFile: configuration.caFile, connectTimeoutSeconds: configuration.connectTimeoutSeconds,
                                      requestTimeoutSeconds: configuration.requestTimeoutSeconds)
    }

    public var summary: String {
        "\(base) mount \(KVPath(mount: configuration.mount, prefix: "", name: try! SecretName("x"), environment: try! Environment("x")).mount)"
            + (configuration.prefix.isEmpty ? "" : " prefix \(configuration.prefix)")
    }

    public var health: UpstreamHealth {
        state.withLock { state in
            var ttl: UInt64 = 0
            if let life = state.life, life.ttlSeconds > 0 {
                let elapsed = UInt64(max(0, (ContinuousClock.now - state.lifeCheckedAt).components.seconds))
                ttl = life.ttlSeconds > elapsed ? life.ttlSeconds - elapsed : 0
            }
            return UpstreamHealth(reachable: state.reachable, lastError: state.lastError,
                                  lastContactUnixMs: state.lastContactUnixMs, tokenTTLSeconds: ttl)
        }
    }

    public func start() throws(SecretsError) {
        startRenewal()
        try authenticate()
    }

    public func stop() {
        stopping.store(true, ordering: .relaxed)
        transport.shutdown()
        token.withLock { $0 = nil }
    }

    // MARK: KV v2

    public func read(_ name: SecretName, in environment: Environment, version: UInt64?) throws(SecretsError) -> UpstreamValue {
        let path = kvPath(name, environment)
        var answer = try authorized(.GET, path.dataPath + (version.map { "?version=\($0)" } ?? ""), body: nil)
        defer { wipe(&answer.body) }
        switch answer.status {
        case 200: return try VaultResponse.secret(answer.body)
        case 404:
            if let version { throw .notFound("\(name) in \(environment) has no version \(version) upstream (see: secrets-agent history \(name))") }
            throw .notFound("\(name) not found in \(environment) (upstream: \(path.display))")
        default: throw refusal(answer, doing: "read \(path.display)", grant: "read on \(path.mount)/data/...")
        }
    }

    public func write(_ name: SecretName, in environment: Environment, value: SecureBytes,
                      checkAndSet: UInt64?) throws(SecretsError) -> UInt64 {
        let path = kvPath(name, environment)
        var body = JSONText.kvWrite(value, checkAndSet: checkAndSet)
        defer { wipe(&body) }
        var answer = try authorized(.POST, path.dataPath, body: body)
        defer { wipe(&answer.body) }
        switch answer.status {
        case 200, 204: return try VaultResponse.writtenVersion(answer.body)
        case 400 where VaultResponse.errors(answer.body).contains("check-and-set"):
            if checkAndSet == 0 { throw .conflict("\(name) already exists in \(environment) upstream") }
            throw .conflict("\(name) in \(environment) is not at version \(checkAndSet ?? 0) upstream (get the current version and retry)")
        default: throw refusal(answer, doing: "write \(path.display)", grant: "create and update on \(path.mount)/data/...")
        }
    }

    public func metadata(_ name: SecretName, in environment: Environment) throws(SecretsError) -> UpstreamMetadata {
        let path = kvPath(name, environment)
        var answer = try authorized(.GET, path.metadataPath, body: nil)
        defer { wipe(&answer.body) }
        switch answer.status {
        case 200:
            let metadata = try VaultResponse.metadata(answer.body)
            // Every version deleted (or metadata left after `kv delete`): nothing to read.
            if metadata.versions.first(where: { $0.version == metadata.currentVersion }).map({ $0.deleted || $0.destroyed }) == true {
                throw .notFound("\(name) not found in \(environment) (upstream: \(path.display) has its current version deleted)")
            }
            return metadata
        case 404: throw .notFound("\(name) not found in \(environment) (upstream: \(path.display))")
        default: throw refusal(answer, doing: "read the metadata of \(path.display)", grant: "read on \(path.mount)/metadata/...")
        }
    }

    public func delete(_ name: SecretName, in environment: Environment) throws(SecretsError) {
        let path = kvPath(name, environment)
        var answer = try authorized(.DELETE, path.metadataPath, body: nil)
        defer { wipe(&answer.body) }
        switch answer.status {
        case 200, 204: return
        case 404: throw .notFound("\(name) not found in \(environment) (upstream: \(path.display))")
        default: throw refusal(answer, doing: "delete \(path.display)", grant: "delete on \(path.mount)/metadata/...")
        }
    }

    private func kvPath(_ name: SecretName, _ environment: Environment) -> KVPath {
        KVPath(mount: configuration.mount, prefix: configuration.prefix, name: name, environment: environment)
    }

    /// The error for an answer that is neither success nor "not found".
    private func refusal(_ answer: HTTPTransport.Answer, doing what: String, grant: String) -> SecretsError {
        let errors = VaultResponse.errors(answer.body)
        let why = errors.isEmpty ? "HTTP \(answer.status)" : "HTTP \(answer.status): \(errors)"
        if answer.status == 403 {
            return .permissionDenied("the upstream \(base) refused to let this agent \(what): \(why) (grant the agent's token \(grant) in its OpenBao policy)")
        }
        return .invalidArgument("the upstream \(base) refused to \(what): \(why)")
    }

    // MARK: requests

    /// A request with the token; logs in first when there is none, and once more when the
    /// answer is 403 (the token may have expired).
    private func authorized(_ method: HTTPMethod, _ path: String, body: [UInt8]?) throws(SecretsError) -> HTTPTransport.Answer {
        if token.withLock({ $0 == nil }) { try authenticate() }
        let answer = try perform(method, path, body: body, withToken: true)
        guard answer.status == 403 else { return answer }
        do {
            try authenticate()
        } catch {
            return answer
        }
        return try perform(method, path, body: body, withToken: true)
    }

    /// One request. Throws `.unavailable` when there is no answer or the answer is 5xx.
    private func perform(_ method: HTTPMethod, _ path: String, body: [UInt8]?, withToken: Bool) throws(SecretsError) -> HTTPTransport.Answer {
        let recentFailure = state.withLock { state -> String? in
            guard !state.reachable, let failedAt = state.failedAt, ContinuousClock.now - failedAt < Self.unreachableWindow else { return nil }
            return state.lastError
        }
        if let recentFailure { throw .unavailable("the upstream \(base) is \(recentFailure)") }
        let header: String? = withToken ? token.withLock { $0.map { $0.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } } } : nil
        switch transport.send(method, url: base + path, token: header, body: body) {
        case .failure(let failure):
            note(reachable: false, error: "unreachable: \(failure.summary)")
            throw .unavailable("the upstream \(base) is unreachable: \(failure.summary)")
        case .success(var answer) where answer.status >= 500:
            let errors = VaultResponse.errors(answer.body)
            wipe(&answer.body)
            let why = "failing: it answered HTTP \(answer.status)" + (errors.isEmpty ? "" : ": \(errors)")
            note(reachable: false, error: why)
            throw .unavailable("the upstream \(base) is \(why)")
        case .success(let answer):
            note(reachable: true, error: nil)
            return answer
        }
    }

    private func note(reachable: Bool, error: String?) {
        let wasReachable = state.withLock { state -> Bool in
            let was = state.reachable
            state.reachable = reachable
            state.lastError = error
            state.failedAt = reachable ? nil : ContinuousClock.now
            if reachable { state.lastContactUnixMs = Int64(Date().timeIntervalSince1970 * 1000) }
            return was
        }
        if wasReachable != reachable {
            if reachable {
                logger.notice("upstream \(base) answers again")
            } else {
                logger.warning("upstream \(base) \(error ?? "is unreachable"); reads are served from the cache up to --max-stale")
            }
        }
    }

    // MARK: authentication

    /// Looks the token file's token up, or logs in with AppRole; installs the token.
    /// - Throws: `.permissionDenied` when the credentials are refused; `.unavailable`
    ///   when the upstream cannot be reached; the key-file errors for an unsafe file.
    func authenticate() throws(SecretsError) {
        let credentials = configuration.credentials
        switch credentials {
        case .tokenFile(let path):
            let candidate = try Self.readCredential(path, flag: "--upstream-token-file")
            token.withLock { $0 = candidate }
            var answer = try perform(.GET, "/v1/auth/token/lookup-self", body: nil, withToken: true)
            defer { wipe(&answer.body) }
            guard answer.status == 200 else {
                token.withLock { $0 = nil }
                throw refused(credentials, answer)
            }
            install(life: try VaultResponse.tokenLookup(answer.body))
        case .appRole(let roleIDFile, let secretIDFile):
            let roleID = try Self.readCredential(roleIDFile, flag: "--upstream-role-id-file")
            let secretID = try Self.readCredential(secretIDFile, flag: "--upstream-secret-id-file")
            guard var body = JSONText.appRoleLogin(roleID: roleID, secretID: secretID) else {
                throw .invalidArgument("the AppRole role_id or secret_id file is not UTF-8 text (write the ids as bao prints them)")
            }
            defer { wipe(&body) }
            var answer = try perform(.POST, "/v1/auth/approle/login", body: body, withToken: false)
            defer { wipe(&answer.body) }
            guard answer.status == 200 else { throw refused(credentials, answer) }
            let login = try VaultResponse.login(answer.body)
            token.withLock { $0 = login.token }
            install(life: login.life)
        }
    }

    private func install(life: VaultResponse.TokenLife) {
        state.withLock { state in
            state.life = life
            state.lifeCheckedAt = ContinuousClock.now
        }
        logger.info("upstream token valid", metadata: [
            "agent.upstream.ttl_s": "\(life.ttlSeconds)", "agent.upstream.renewable": "\(life.renewable)",
        ])
    }

    private func refused(_ credentials: UpstreamCredentials, _ answer: HTTPTransport.Answer) -> SecretsError {
        let errors = VaultResponse.errors(answer.body)
        let why = errors.isEmpty ? "HTTP \(answer.status)" : errors
        return .permissionDenied("cannot log in to the upstream \(base): \(credentials.label) was refused: \(why) (\(credentials.fix))")
    }

    /// A credential file, read like a key file (owner-only), without its trailing newline.
    static func readCredential(_ path: String, flag: String) throws(SecretsError) -> SecureBytes {
        let raw = try KeyMaterialFile.read(path)
        let length = raw.withUnsafeBytes { bytes -> Int in
            var end = bytes.count
            while end > 0, [0x0A, 0x0D, 0x20, 0x09].contains(bytes[end - 1]) { end -= 1 }
            return end
        }
        guard length > 0 else { throw .invalidArgument("\(flag) \(path) holds only whitespace (write the credential into it)") }
        return raw.withUnsafeBytes { SecureBytes(copying: UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
    }

    // MARK: renewal

    /// Starts the thread that keeps the token alive.
    private func startRenewal() {
        guard !renewing.exchange(true, ordering: .relaxed) else { return }
        _ = DetachedThread.start { [self] in
            var failures = 0
            var nextAttempt = ContinuousClock.now
            while !stopping.load(ordering: .relaxed) {
                usleep(100_000)
                guard ContinuousClock.now >= nextAttempt, !stopping.load(ordering: .relaxed) else { continue }
                let (life, checkedAt) = state.withLock { ($0.life, $0.lifeCheckedAt) }
                let hasToken = token.withLock { $0 != nil }
                let due: Bool
                if !hasToken || life == nil {
                    due = true
                } else if let life, let delay = TokenRenewal.delay(ttlSeconds: life.ttlSeconds, renewable: life.renewable) {
                    due = ContinuousClock.now - checkedAt >= .seconds(Int64(delay))
                } else {
                    due = false
                }
                guard due else { continue }
                if renewOrLogIn(hasToken: hasToken && life != nil, renewable: life?.renewable ?? false) {
                    failures = 0
                    nextAttempt = ContinuousClock.now
                } else {
                    failures += 1
                    nextAttempt = ContinuousClock.now + .seconds(Int64(TokenRenewal.retryDelay(failures: failures)))
                }
            }
        }
    }

    /// Renews the token, or logs in again when it cannot be renewed. True on success.
    private func renewOrLogIn(hasToken: Bool, renewable: Bool) -> Bool {
        if hasToken, renewable {
            do {
                var answer = try perform(.POST, "/v1/auth/token/renew-self", body: Array("{}".utf8), withToken: true)
                defer { wipe(&answer.body) }
                if answer.status == 200 {
                    let life = try VaultResponse.tokenLife(answer.body)
                    state.withLock { state in
                        state.life = life
                        state.lifeCheckedAt = ContinuousClock.now
                    }
                    logger.info("upstream token renewed", metadata: ["agent.upstream.ttl_s": "\(life.ttlSeconds)"])
                    return true
                }
                logger.warning("upstream token renewal refused (HTTP \(answer.status)); logging in again")
            } catch {
                if error.code == .unavailable { return false }
            }
        }
        do {
            try authenticate()
            return true
        } catch {
            if error.code != .unavailable {
                logger.error("cannot log in to the upstream again: \(error.message)")
            }
            return false
        }
    }

    private func wipe(_ bytes: inout [UInt8]) {
        for i in bytes.indices { bytes[i] = 0 }
    }
}
