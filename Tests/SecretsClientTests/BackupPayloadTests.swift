import SecretsClient
import SecretsCore
import SecretsCrypto
import Testing

@Suite struct BackupPayloadTests {
    @Test func roundTrip() throws {
        var writer = BackupPayload.Writer(createdAtUnixMs: 1_700_000_000_123)
        let items: [(String, String, UInt64, ValueGenerator?, [UInt8])] = [
            ("db/password", "production", 0, nil, Array("hunter2".utf8)),
            ("pem/key", "staging", 86_400, nil, Array(repeating: 0x0A, count: 65_536)),
            ("x", "development", 1, nil, [0x00]),
            ("api/token", "production", 2_592_000, try ValueGenerator(byteCount: 32, format: .base64), Array(repeating: 0x41, count: 44)),
            ("raw/key", "staging", 0, try ValueGenerator(byteCount: 4096, format: .raw), Array(repeating: 0x00, count: 4096)),
        ]
        for (name, env, rotate, generator, value) in items {
            value.withUnsafeBytes { raw in
                writer.append(name: try! SecretName(name), environment: try! Environment(env), rotateEverySeconds: rotate,
                              generator: generator, value: raw)
            }
        }
        #expect(writer.count == 5)
        let bytes = writer.withUnsafeBytes { Array($0) }
        let decoded = try bytes.withUnsafeBytes { raw in try BackupPayload.entries(in: raw) }
        #expect(decoded.createdAtUnixMs == 1_700_000_000_123)
        #expect(decoded.entries.map(\.name.rawValue) == items.map(\.0))
        #expect(decoded.entries.map(\.environment.rawValue) == items.map(\.1))
        #expect(decoded.entries.map(\.rotateEverySeconds) == items.map(\.2))
        #expect(decoded.entries.map(\.generator) == items.map(\.3))
        #expect(decoded.entries.map { Array(bytes[$0.value]) } == items.map(\.4))
    }

    @Test func truncatedPayloadIsRefused() throws {
        var writer = BackupPayload.Writer(createdAtUnixMs: 0)
        Array("value".utf8).withUnsafeBytes { writer.append(name: try! SecretName("a"), environment: .development, rotateEverySeconds: 0, value: $0) }
        let bytes = writer.withUnsafeBytes { Array($0) }
        for cut in [1, 3, 10] {
            let error = #expect(throws: SecretsError.self) {
                try Array(bytes.dropLast(cut)).withUnsafeBytes { raw in try BackupPayload.entries(in: raw) }
            }
            #expect(error?.code == .integrityFailure)
        }
    }

    /// The generator sits between the rotation interval and the value length: its length
    /// byte, then its spec.
    @Test func generatorLayout() throws {
        var writer = BackupPayload.Writer(createdAtUnixMs: 0)
        Array("abcd".utf8).withUnsafeBytes {
            writer.append(name: try! SecretName("a"), environment: .development, rotateEverySeconds: 0,
                          generator: try! ValueGenerator(byteCount: 2, format: .hex), value: $0)
        }
        let bytes = writer.withUnsafeBytes { Array($0) }
        let record = Array(bytes.dropFirst(8))
        // name (2 + 1), environment (1 + 11), rotation (8), generator (1 + 5), value (4 + 4)
        #expect(record.count == 3 + 12 + 8 + 6 + 8)
        #expect(record[23] == 5)
        #expect(String(decoding: record[24..<29], as: UTF8.self) == "2:hex")
        #expect(Array(record[29..<33]) == [0, 0, 0, 4])
    }

    @Test func unknownGeneratorIsRefused() throws {
        var writer = BackupPayload.Writer(createdAtUnixMs: 0)
        Array("abcd".utf8).withUnsafeBytes {
            writer.append(name: try! SecretName("a"), environment: .development, rotateEverySeconds: 0,
                          generator: try! ValueGenerator(byteCount: 2, format: .hex), value: $0)
        }
        var bytes = writer.withUnsafeBytes { Array($0) }
        for (offset, byte) in Array("9:zzz".utf8).enumerated() { bytes[8 + 24 + offset] = byte }
        let error = #expect(throws: SecretsError.self) {
            try bytes.withUnsafeBytes { raw in try BackupPayload.entries(in: raw) }
        }
        #expect(error?.code == .integrityFailure)
        #expect(error?.message.contains("unknown generator") == true)
    }
}
