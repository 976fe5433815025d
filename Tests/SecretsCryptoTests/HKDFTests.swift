import Foundation
import SecretsCrypto
import Testing

/// One case of Vectors/rfc5869-sha256.txt.
private struct HKDFVector {
    var name: String
    var fields: [String: String]

    func bytes(_ field: String) throws -> [UInt8] {
        let text = try #require(fields[field], "\(name) has no \(field)")
        return try #require(Hex.decode(text), "\(name) \(field) is not hex")
    }
}

private func loadVectors() throws -> [HKDFVector] {
    let url = try #require(Bundle.module.url(forResource: "rfc5869-sha256", withExtension: "txt",
                                             subdirectory: "Vectors"))
    let text = try String(contentsOf: url, encoding: .utf8)
    return try text.components(separatedBy: "\n\n").compactMap { block in
        var fields: [String: String] = [:]
        for line in block.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            try #require(parts.count == 2, "malformed line: \(line)")
            fields[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        guard let name = fields["case"] else { return nil }
        return HKDFVector(name: name, fields: fields)
    }
}

@Suite struct HKDFTests {
    @Test func vectorFileHoldsTheThreeSHA256Cases() throws {
        #expect(try loadVectors().map(\.name) == ["A.1", "A.2", "A.3"])
    }

    @Test func rfc5869Vectors() throws {
        for vector in try loadVectors() {
            let length = try #require(vector.fields["L"].flatMap { Int($0) }, "\(vector.name) has no L")
            let okm = try vector.bytes("IKM").withUnsafeBytes {
                HKDF.sha256(inputKeyMaterial: $0, salt: try vector.bytes("salt"), info: try vector.bytes("info"),
                            outputByteCount: length)
            }
            #expect(okm.count == length, "\(vector.name)")
            #expect(Hex.encode(okm.copyToArray()) == vector.fields["OKM"], "\(vector.name)")
        }
    }

    @Test func secureBytesOverloadMatchesBufferOverload() {
        let ikm: [UInt8] = Array(0..<32)
        let fromBuffer = ikm.withUnsafeBytes {
            HKDF.sha256(inputKeyMaterial: $0, salt: [1, 2], info: [3], outputByteCount: 64)
        }
        let fromSecure = HKDF.sha256(inputKeyMaterial: SecureBytes(copying: ikm), salt: [1, 2], info: [3],
                                     outputByteCount: 64)
        #expect(fromBuffer.copyToArray() == fromSecure.copyToArray())
    }

    @Test func infoAndSaltSeparateOutputs() {
        let ikm = SecureBytes(copying: [UInt8](repeating: 7, count: 32))
        let base = HKDF.sha256(inputKeyMaterial: ikm, salt: [1], info: [1], outputByteCount: 32)
        let otherInfo = HKDF.sha256(inputKeyMaterial: ikm, salt: [1], info: [2], outputByteCount: 32)
        let otherSalt = HKDF.sha256(inputKeyMaterial: ikm, salt: [2], info: [1], outputByteCount: 32)
        #expect(!base.constantTimeEquals(otherInfo))
        #expect(!base.constantTimeEquals(otherSalt))
    }

    @Test func emptySaltMeansHashLengthZeros() {
        let ikm = SecureBytes(copying: [UInt8](repeating: 7, count: 32))
        let empty = HKDF.sha256(inputKeyMaterial: ikm, salt: [], info: [9], outputByteCount: 32)
        let zeros = HKDF.sha256(inputKeyMaterial: ikm, salt: [UInt8](repeating: 0, count: 32), info: [9],
                                outputByteCount: 32)
        #expect(empty.constantTimeEquals(zeros))
    }

    @Test func shorterOutputIsPrefixOfLongerAndMaximumWorks() {
        let ikm = SecureBytes(copying: [UInt8](repeating: 7, count: 32))
        let long = HKDF.sha256(inputKeyMaterial: ikm, salt: [1], info: [2], outputByteCount: 255 * 32)
        let short = HKDF.sha256(inputKeyMaterial: ikm, salt: [1], info: [2], outputByteCount: 1)
        #expect(long.count == 8160)
        #expect(short.copyToArray() == Array(long.copyToArray().prefix(1)))
    }
}
