import Foundation
import SecretsCrypto

#if os(Linux)
/// The /proc/self/smaps entry of the mapping that holds some `SecureBytes`.
struct MemoryMapping {
    /// For example `rw-p` or `---p`.
    var permissions: String
    /// The VmFlags line's two-letter flags, e.g. `dd` for MADV_DONTDUMP.
    var flags: [String]

    /// The mapping holding `bytes`, read while nobody is accessing them.
    static func of(_ bytes: SecureBytes) throws -> MemoryMapping {
        try containing(bytes.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) })
    }

    static func containing(_ address: UInt) throws -> MemoryMapping {
        // procfs reports size 0, so read to the end rather than trusting the file size.
        let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/smaps"))
        defer { try? file.close() }
        let smaps = String(decoding: try file.readToEnd() ?? Data(), as: UTF8.self)
        var permissions: String?
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            let bounds = fields.first?.split(separator: "-").compactMap { UInt($0, radix: 16) } ?? []
            if bounds.count == 2, fields.count > 1 {
                permissions = (bounds[0]..<bounds[1]).contains(address) ? String(fields[1]) : nil
            } else if let found = permissions, line.hasPrefix("VmFlags:") {
                return MemoryMapping(permissions: found, flags: fields.dropFirst().map(String.init))
            }
        }
        throw CocoaError(.fileReadCorruptFile)
    }
}
#endif
