import Foundation
import SecretsCore
import Testing

/// One case of Vectors/masking.txt.
struct MaskingVector: Sendable, CustomTestStringConvertible {
    var name: String
    var value: [UInt8]
    /// The character count the file states for a `text:` value, to catch a mangled file.
    var characters: Int?
    var masked: String

    var testDescription: String { name }

    static func all() throws -> [MaskingVector] {
        let url = try #require(Bundle.module.url(forResource: "masking", withExtension: "txt", subdirectory: "Vectors"))
        let text = try String(contentsOf: url, encoding: .utf8)
        var vectors: [MaskingVector] = []
        for block in text.components(separatedBy: "\n\n") {
            var fields: [String: String] = [:]
            for line in block.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
                let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                try #require(parts.count == 2, "malformed line: \(line)")
                var value = parts[1]
                if value.hasPrefix(" ") { value = value.dropFirst() }  // only the one space after ':'
                fields[String(parts[0])] = String(value)
            }
            if fields.isEmpty { continue }
            let name = try #require(fields["case"], "a block without `case:`: \(block)")
            let masked = try #require(fields["masked"], "\(name) has no masked")
            let value: [UInt8]
            switch (fields["text"], fields["hex"]) {
            case (let text?, nil): value = Array(text.utf8)
            case (nil, let hex?): value = try #require(decodeHex(hex), "\(name): hex is malformed")
            default: Issue.record("\(name) needs exactly one of text: and hex:"); continue
            }
            vectors.append(MaskingVector(name: name, value: value, characters: fields["chars"].flatMap { Int($0) }, masked: masked))
        }
        return vectors
    }

    private static func decodeHex(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
        }
        return out
    }
}

@Suite struct MaskingTests {
    @Test func vectorFileIsComplete() throws {
        let vectors = try MaskingVector.all()
        #expect(vectors.count == 27)
        #expect(Set(vectors.map(\.name)).count == vectors.count, "case names are unique")
        #expect(vectors.first?.name == "empty")
        #expect(vectors.last?.name == "valid UTF-8 given as hex: 11 characters")
    }

    @Test(arguments: try MaskingVector.all())
    func vector(_ vector: MaskingVector) throws {
        if let characters = vector.characters {
            let text = try #require(String(validating: vector.value, as: UTF8.self))
            #expect(text.unicodeScalars.count == characters, "the file's text: and chars: disagree")
        }
        #expect(Masking.mask(vector.value) == vector.masked)
    }

    @Test func anyCollectionOfBytesIsAccepted() {
        let bytes = Array("prefix:abcdefghijklmnopqrstuvwxyz".utf8)
        #expect(Masking.mask(bytes[7...]) == "abcdefghij...xyz")
        #expect(Masking.mask(Data("0123456789ab".utf8)) == "012...9ab")
        #expect(Masking.mask(EmptyCollection<UInt8>()) == "***")
    }

    @Test func everyLengthFollowsTheRule() {
        // Every length from 0 to 200, in ASCII: the shape depends on the length alone.
        for length in 0...200 {
            let value = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            let text = String(decoding: value, as: UTF8.self)
            let expected: String
            switch length {
            case ...10: expected = "***"
            case 11...20: expected = String(text.prefix(3)) + "..." + String(text.suffix(3))
            default: expected = String(text.prefix(10)) + "..." + String(text.suffix(3))
            }
            #expect(Masking.mask(value) == expected, "length \(length)")
        }
    }

    @Test func aLongValueShowsOnly13OfItsCharacters() {
        let value = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        let masked = Masking.mask(value)
        #expect(masked.count == 16)
        #expect(masked == String(repeating: "x", count: 10) + "..." + "xxx")
    }
}
