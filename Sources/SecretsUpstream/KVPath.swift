import SecretsCore

/// Where a secret lives in a KV v2 mount: NAME in environment ENV is at
/// `<prefix>/<ENV>/<NAME>` under the mount (no prefix by default), so `openai/key` in
/// `production` under mount `secret` is `secret/production/openai/key`, read at
/// `/v1/secret/data/production/openai/key`.
public struct KVPath: Sendable, Equatable {
    /// The mount, e.g. `secret`.
    public var mount: String
    /// The path inside the mount, e.g. `production/openai/key`.
    public var path: String

    /// The path of `name` in `environment`.
    /// - Parameters:
    ///   - mount: the KV v2 mount, without slashes at either end.
    ///   - prefix: a path inside the mount before the environment; "" for none.
    public init(mount: String, prefix: String, name: SecretName, environment: Environment) {
        self.mount = KVPath.trimmed(mount)
        let trimmedPrefix = KVPath.trimmed(prefix)
        path = (trimmedPrefix.isEmpty ? "" : trimmedPrefix + "/") + environment.rawValue + "/" + name.rawValue
    }

    /// `<mount>/<path>`, as the `bao kv` commands name it.
    public var display: String { "\(mount)/\(path)" }

    /// The API path of the value: `/v1/<mount>/data/<path>`.
    public var dataPath: String { "/v1/\(KVPath.escaped(mount))/data/\(KVPath.escaped(path))" }

    /// The API path of the metadata: `/v1/<mount>/metadata/<path>`.
    public var metadataPath: String { "/v1/\(KVPath.escaped(mount))/metadata/\(KVPath.escaped(path))" }

    /// Checks a mount or prefix given on the command line.
    /// - Throws: `.invalidArgument` for an empty mount, a `..` segment or characters a
    ///   secret name could not hold.
    public static func validate(mount: String, prefix: String) throws(SecretsError) {
        let m = trimmed(mount)
        guard !m.isEmpty else { throw .invalidArgument("--upstream-mount must name a KV v2 mount, e.g. secret") }
        for (flag, value) in [("--upstream-mount", m), ("--upstream-prefix", trimmed(prefix))] {
            let segments = value.split(separator: "/", omittingEmptySubsequences: false)
            let allowed = value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-/".contains($0)) }
            guard allowed, value.isEmpty || !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
                throw .invalidArgument("\(flag) \"\(value.prefix(64))\" is not a path of letters, digits, '_', '.', '-' and '/' without empty or '..' segments")
            }
        }
    }

    private static func trimmed(_ text: String) -> String {
        var s = Substring(text)
        while s.hasPrefix("/") { s = s.dropFirst() }
        while s.hasSuffix("/") { s = s.dropLast() }
        return String(s)
    }

    /// Names and environments are `[A-Za-z0-9_./-]`, which need no escaping in a URL path;
    /// anything else (a mount given on the command line) is percent-encoded.
    private static func escaped(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80, c.isLetter || c.isNumber || "_.-/~".contains(c) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
