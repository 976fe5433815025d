import Foundation
import SecretsProtocol

/// A change to a secret, as Watch reports it: never a value.
public struct SecretChange: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case put, rotate, delete
    }

    public let kind: Kind
    public let name: String
    public let environment: String
    /// The new version (0 for a deletion).
    public let version: UInt64
    public let at: Date

    init(_ event: SecretsAgent_V1_ChangeEvent) {
        kind = switch event.kind {
        case .changeRotate: .rotate
        case .changeDelete: .delete
        default: .put
        }
        name = event.name
        environment = event.environment
        version = event.version
        at = Date(timeIntervalSince1970: Double(event.atUnixMs) / 1000)
    }
}
