import SecretsCore
import SecretsCrypto

/// One secret held in the encrypted cache of an upstream: its sealed value, the upstream's
/// version number and when the upstream last confirmed it. Holds no value in the clear.
public struct CachedValue: Sendable, Equatable {
    /// The secret's name.
    public var name: SecretName
    /// Its environment.
    public var environment: Environment
    /// The upstream's (KV v2) version of the cached value.
    public var version: UInt64
    /// The ciphertext, sealed for `CachedValue.binding`.
    public var sealed: SealedValue
    /// When the upstream last confirmed this version, in milliseconds since the Unix epoch.
    public var fetchedAtUnixMs: Int64

    /// Makes a cache entry.
    public init(name: SecretName, environment: Environment, version: UInt64, sealed: SealedValue, fetchedAtUnixMs: Int64) {
        self.name = name
        self.environment = environment
        self.version = version
        self.sealed = sealed
        self.fetchedAtUnixMs = fetchedAtUnixMs
    }

    /// The associated data a cached value is sealed under: the store, the name, the
    /// environment as `upstream:<env>` (a colon is never in an environment, so no local
    /// secret shares it) and the upstream version.
    public static func binding(storeID: [UInt8], name: SecretName, environment: Environment, version: UInt64) -> ValueBinding {
        ValueBinding(storeID: storeID, name: name.rawValue, environment: "upstream:\(environment.rawValue)", version: version)
    }
}
