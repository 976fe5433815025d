/// What `SecretStore.put` may do to an existing or missing secret.
public enum PutMode: Sendable {
    /// Add a new secret; fails with `.alreadyExists` when the name is taken in the environment.
    case create
    /// Add a version to an existing secret; fails with `.notFound` when there is none.
    case update
    /// Create the secret or add a version, whichever applies.
    case upsert
}

/// What a write does to a secret's rotation policy and generator record.
public struct SecretPolicyChange: Sendable, Equatable {
    /// A change to the rotation interval.
    public enum Rotation: Sendable, Equatable {
        /// Leave it as it is (none for a new secret).
        case keep
        /// Due this many seconds after each change.
        case every(UInt64)
        /// No rotation policy.
        case clear
    }

    public var rotation: Rotation
    /// How the new value was drawn (`ValueGenerator.spec`); `nil` when a caller supplied it.
    /// Always replaces the previous record: it describes the current value.
    public var generator: String?

    public init(rotation: Rotation = .keep, generator: String? = nil) {
        self.rotation = rotation
        self.generator = generator
    }
}
