import Foundation
import SecretsAgentKit
import SecretsCore
import SecretsCrypto

/// Reads the JSON answers of the OpenBao / Vault HTTP API: token look-up and renewal,
/// AppRole login, KV v2 data and metadata, and `{"errors": […]}`. Pure functions of the
/// body, so each is tested on recorded answers.
public enum VaultResponse {
    /// A token's remaining life, from look-up (`data.ttl`), renewal or login
    /// (`auth.lease_duration`).
    public struct TokenLife: Sendable, Equatable {
        public var ttlSeconds: UInt64
        public var renewable: Bool
    }

    /// `data.ttl` and `data.renewable` of `auth/token/lookup-self`.
    public static func tokenLookup(_ body: [UInt8]) throws(SecretsError) -> TokenLife {
        guard let data = object(body)?["data"] as? [String: Any] else { throw malformed("token look-up") }
        return TokenLife(ttlSeconds: unsigned(data["ttl"]) ?? 0, renewable: (data["renewable"] as? Bool) ?? false)
    }

    /// `auth.lease_duration` and `auth.renewable` of a renewal or login.
    public static func tokenLife(_ body: [UInt8]) throws(SecretsError) -> TokenLife {
        guard let auth = object(body)?["auth"] as? [String: Any] else { throw malformed("token renewal") }
        return TokenLife(ttlSeconds: unsigned(auth["lease_duration"]) ?? 0, renewable: (auth["renewable"] as? Bool) ?? false)
    }

    /// `auth.client_token` of a login, in locked memory, with its life.
    static func login(_ body: [UInt8]) throws(SecretsError) -> (token: SecureBytes, life: TokenLife) {
        guard let auth = object(body)?["auth"] as? [String: Any], let token = auth["client_token"] as? String, !token.isEmpty else {
            throw malformed("AppRole login")
        }
        let life = TokenLife(ttlSeconds: unsigned(auth["lease_duration"]) ?? 0, renewable: (auth["renewable"] as? Bool) ?? false)
        return (SecureBytes(copying: Array(token.utf8)), life)
    }

    /// The value (`data.data.value`, or `data.data.value_base64`) and version
    /// (`data.metadata.version`) of a KV v2 read.
    public static func secret(_ body: [UInt8]) throws(SecretsError) -> UpstreamValue {
        guard let data = object(body)?["data"] as? [String: Any],
              let fields = data["data"] as? [String: Any],
              let metadata = data["metadata"] as? [String: Any],
              let version = unsigned(metadata["version"]) else {
            throw malformed("KV v2 read")
        }
        if let text = fields["value"] as? String {
            return UpstreamValue(value: SecureBytes(copying: Array(text.utf8)), version: version)
        }
        if let encoded = fields["value_base64"] as? String, let decoded = Data(base64Encoded: encoded) {
            return UpstreamValue(value: decoded.withUnsafeBytes { SecureBytes(copying: $0) }, version: version)
        }
        throw .invalidArgument("the upstream secret has no \"value\" field (secrets-agent reads KV v2 secrets written as value=…; rewrite it with: bao kv put <path> value=…)")
    }

    /// `data.version` of a KV v2 write.
    public static func writtenVersion(_ body: [UInt8]) throws(SecretsError) -> UInt64 {
        guard let data = object(body)?["data"] as? [String: Any], let version = unsigned(data["version"]) else {
            throw malformed("KV v2 write")
        }
        return version
    }

    /// `data.current_version` and `data.versions` of a KV v2 metadata read, newest first.
    public static func metadata(_ body: [UInt8]) throws(SecretsError) -> UpstreamMetadata {
        guard let data = object(body)?["data"] as? [String: Any], let current = unsigned(data["current_version"]) else {
            throw malformed("KV v2 metadata")
        }
        let versions = (data["versions"] as? [String: Any] ?? [:]).compactMap { key, raw -> UpstreamVersion? in
            guard let number = UInt64(key), let info = raw as? [String: Any] else { return nil }
            let deletion = info["deletion_time"] as? String ?? ""
            return UpstreamVersion(version: number, createdAtUnixMs: unixMs(info["created_time"] as? String ?? "") ?? 0,
                                   deleted: !deletion.isEmpty, destroyed: (info["destroyed"] as? Bool) ?? false)
        }
        return UpstreamMetadata(currentVersion: current, versions: versions.sorted { $0.version > $1.version })
    }

    /// The `errors` of an error answer, joined and cut to 200 characters; "" when none.
    public static func errors(_ body: [UInt8]) -> String {
        guard let list = object(body)?["errors"] as? [Any] else { return "" }
        let text = list.compactMap { $0 as? String }.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "; ")
        return String(text.prefix(200))
    }

    /// Milliseconds since the epoch of an RFC 3339 time such as `2024-05-01T10:20:30.123456Z`.
    public static func unixMs(_ text: String) -> Int64? {
        let parts = text.split(whereSeparator: { "-T:.Z+".contains($0) }).prefix(7).map(String.init)
        guard parts.count >= 6, text.hasSuffix("Z") || text.count >= 19,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              let hour = Int(parts[3]), let minute = Int(parts[4]), let second = Int(parts[5]) else { return nil }
        var components = DateComponents()
        components.calendar = Calendar(identifier: .gregorian)
        components.timeZone = TimeZone(identifier: "UTC")
        (components.year, components.month, components.day) = (year, month, day)
        (components.hour, components.minute, components.second) = (hour, minute, second)
        guard let date = components.date else { return nil }
        var ms = Int64(date.timeIntervalSince1970) * 1000
        if parts.count > 6, text.contains(".") {
            let fraction = String(parts[6].prefix(3))
            ms += (Int64(fraction) ?? 0) * Int64([100, 10, 1][max(0, min(2, fraction.count - 1))])
        }
        return ms
    }

    private static func object(_ body: [UInt8]) -> [String: Any]? {
        guard !body.isEmpty else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    private static func unsigned(_ raw: Any?) -> UInt64? {
        if let n = raw as? NSNumber { return n.int64Value >= 0 ? UInt64(n.int64Value) : nil }
        if let s = raw as? String { return UInt64(s) }
        return nil
    }

    private static func malformed(_ what: String) -> SecretsError {
        .unavailable("the upstream's answer to a \(what) is not what OpenBao / Vault sends (check --upstream and --upstream-mount: is it a KV v2 mount?)")
    }
}
