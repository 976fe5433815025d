import Foundation
import SecretsCrypto

/// A secret value received from the agent. Lives in locked memory and is zeroed when
/// released; `description`, `debugDescription` and mirrors print `[REDACTED]`.
public struct SecretValue: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let storage: SecureBytes

    /// Copies `bytes` into locked memory.
    public init(copying bytes: UnsafeRawBufferPointer) {
        storage = SecureBytes(copying: bytes)
    }

    /// The value's length in bytes.
    public var count: Int { storage.count }

    /// Lends the raw bytes; do not let them escape.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes(body)
    }

    public var description: String { "[REDACTED]" }
    public var debugDescription: String { "[REDACTED]" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
