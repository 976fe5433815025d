/// How an import file's keys become secret names.
///
/// Plainly, a key is the name as it is (it must be a valid `SecretName`). With an
/// environment-variable prefix, only keys starting with `PREFIX_` are taken, and the rest
/// is lowercased with `_` turned into `/`: `APP_GITHUB_TOKEN` ↔ `github/token` for the
/// prefix `APP`.
public struct ImportNaming: Sendable, Equatable {
    /// The prefix without its trailing `_`; nil: keys are names.
    public let prefix: String?

    /// - Throws: `.invalidArgument` when `prefix` is not `[A-Za-z_][A-Za-z0-9_]*` (a trailing
    ///   `_` is dropped: `APP_` means `APP`).
    public init(prefix: String? = nil) throws(SecretsError) {
        guard var prefix else {
            self.prefix = nil
            return
        }
        if prefix.hasSuffix("_") { prefix.removeLast() }
        let bytes = Array(prefix.utf8)
        let valid = !bytes.isEmpty && bytes.allSatisfy { b in
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
        } && !(bytes[0] >= 0x30 && bytes[0] <= 0x39)
        guard valid else {
            throw .invalidArgument("invalid prefix \(SecretName.quoted(prefix)): an environment variable prefix is letters, digits and _, not starting with a digit (e.g. --from-env-prefix APP)")
        }
        self.prefix = prefix
    }

    /// The name `key` maps to; nil when a prefix is set and `key` does not start with it.
    /// - Throws: `.invalidArgument` naming the key when the result is not a valid name.
    public func name(forKey key: String) throws(SecretsError) -> SecretName? {
        guard let prefix else {
            return try Self.validated(key, from: key)
        }
        let head = prefix + "_"
        guard key.hasPrefix(head) else { return nil }
        let rest = key.dropFirst(head.count)
        let mapped = String(rest.lowercased().map { $0 == "_" ? "/" : $0 })
        return try Self.validated(mapped, from: key)
    }

    /// The environment variable name for `name` under the prefix (the inverse of
    /// `name(forKey:)` for names of lowercase letters, digits and single `/`).
    public func key(forName name: SecretName) -> String {
        guard let prefix else { return name.rawValue }
        return prefix + "_" + String(name.rawValue.uppercased().map { $0 == "/" ? "_" : $0 })
    }

    private static func validated(_ name: String, from key: String) throws(SecretsError) -> SecretName {
        do {
            return try SecretName(name)
        } catch {
            if name == key { throw error }
            throw .invalidArgument("\(SecretName.quoted(key)) maps to an invalid name: \(error.message)")
        }
    }
}
