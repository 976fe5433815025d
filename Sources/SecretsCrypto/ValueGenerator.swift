/// Draws secret values: `byteCount` random bytes, encoded as `format`. Used by `add
/// --generate` and by the agent when it rotates a generated secret that fell due, so a
/// rotated value has the same size and format as the first one.
public struct ValueGenerator: Sendable, Equatable {
    /// How the random bytes are stored.
    public enum Format: String, Sendable, CaseIterable {
        case hex, base64, base64url, raw
    }

    /// Random bytes drawn, 1 to 4096.
    public let byteCount: Int
    public let format: Format

    /// The accepted range of `byteCount`.
    public static let byteCountRange = 1...4096

    /// - Throws: `CryptoError(.invalidInput)` when `byteCount` is outside 1...4096.
    public init(byteCount: Int, format: Format) throws(CryptoError) {
        guard ValueGenerator.byteCountRange.contains(byteCount) else {
            throw CryptoError(.invalidInput, "a generated value takes 1 to 4096 bytes, not \(byteCount)")
        }
        self.byteCount = byteCount
        self.format = format
    }

    /// The form kept in the store, e.g. `32:hex`.
    public var spec: String { "\(byteCount):\(format.rawValue)" }

    /// Parses `spec`; `nil` when it is not one this type wrote.
    public init?(spec: String) {
        let parts = spec.split(separator: ":")
        guard parts.count == 2, let count = Int(parts[0]), let format = Format(rawValue: String(parts[1])),
              let generator = try? ValueGenerator(byteCount: count, format: format) else { return nil }
        self = generator
    }

    /// A fresh value, in locked memory.
    public func generate() -> SecureBytes {
        let random = SecureBytes.random(count: byteCount)
        switch format {
        case .raw:
            return random
        case .hex:
            return random.withUnsafeBytes { Hex.encodeSecure($0) }
        case .base64, .base64url:
            var encoded = random.withUnsafeBytes { Base64.encode($0, variant: format == .base64 ? .standard : .urlSafeNoPadding) }
            defer { _ = encoded.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) } }
            return SecureBytes(copying: encoded)
        }
    }
}
