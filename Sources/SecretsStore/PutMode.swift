/// What `SecretStore.put` may do to an existing or missing secret.
public enum PutMode: Sendable {
    /// Add a new secret; fails with `.alreadyExists` when the name is taken in the environment.
    case create
    /// Add a version to an existing secret; fails with `.notFound` when there is none.
    case update
    /// Create the secret or add a version, whichever applies.
    case upsert
}
