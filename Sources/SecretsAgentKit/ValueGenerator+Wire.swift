import SecretsCore
import SecretsCrypto
import SecretsProtocol

extension ValueGenerator {
    /// The generator a request names.
    /// - Throws: `.invalidArgument` for a size outside 1...4096 or an unknown format.
    init(wire: SecretsAgent_V1_Generator) throws(SecretsError) {
        let formatName = wire.format.isEmpty ? "hex" : wire.format
        guard let format = Format(rawValue: formatName) else {
            throw .invalidArgument("unknown generated-value format \(SecretName.quoted(formatName)) (use hex, base64, base64url or raw)")
        }
        do {
            try self.init(byteCount: Int(wire.bytes), format: format)
        } catch {
            throw .invalidArgument(error.message)
        }
    }
}
