import SecretsCrypto
import SecretsProtocol

/// How a write asks the agent to draw the value and when the secret falls due.
public struct PutOptions: Sendable {
    /// Let the agent draw the value (it can then redraw it when due); the value sent must
    /// be empty.
    public var generator: ValueGenerator?
    /// Due for rotation this many seconds after each change; `nil` keeps the current policy.
    public var rotateEverySeconds: UInt64?
    /// Remove the rotation policy.
    public var removeRotation: Bool

    public init(generator: ValueGenerator? = nil, rotateEverySeconds: UInt64? = nil, removeRotation: Bool = false) {
        self.generator = generator
        self.rotateEverySeconds = rotateEverySeconds
        self.removeRotation = removeRotation
    }
}

extension ValueGenerator {
    /// This generator as the protocol spells it.
    var wire: SecretsAgent_V1_Generator {
        var wire = SecretsAgent_V1_Generator()
        wire.bytes = UInt32(byteCount)
        wire.format = format.rawValue
        return wire
    }
}
