/// A request a caller may make of the agent, as the role table of DESIGN §6 names it.
///
/// Modules that also import Foundation must spell it `SecretsCore.Operation`, because
/// Foundation has an `Operation` class of its own.
public enum Operation: String, Sendable, CaseIterable {
    /// Whether the agent runs and is locked; harmless, every role may ask.
    case status
    /// Give the agent its master key.
    case unlock
    /// Make the agent forget its master key.
    case lock
    /// Write a new version of a secret (also used to rotate one).
    case put
    /// Remove a secret and its versions.
    case delete
    /// Add, list or remove keyslots.
    case keyslots
    /// Read a secret's full value.
    case getValue
    /// Read a secret's value masked (DESIGN §6 masking).
    case getMasked
    /// List secret names and metadata.
    case list
    /// List a secret's version metadata, never values.
    case history
    /// Read the audit log.
    case auditQuery
    /// Check the audit log's hash chain.
    case auditVerify
}
