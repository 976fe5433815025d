/// Size limits shared by the store, the protocol and the CLI (DESIGN §3, §5).
public enum SecretLimits {
    /// Largest value: 64 KiB. Values are 1 byte or more.
    public static let maxValueBytes = 64 * 1024
    /// Versions kept per secret; older ones are pruned on write.
    public static let versionsKept = 10
    /// Largest frame body on the wire: 1 MiB.
    public static let maxFrameBytes = 1 << 20

    /// - Throws: `.invalidArgument` when `count` is 0 or over 64 KiB.
    public static func checkValueSize(_ count: Int) throws(SecretsError) {
        guard count >= 1 else { throw .invalidArgument("value is empty (a value is 1 byte to 64 KiB)") }
        guard count <= maxValueBytes else {
            throw .invalidArgument("value is \(count) bytes, over the 64 KiB limit (store large blobs elsewhere and keep their key here)")
        }
    }
}
