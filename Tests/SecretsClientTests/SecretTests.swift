#if canImport(Glibc)
import Glibc
#endif
@testable import SecretsClient
import Testing

/// `Secret` itself: verification, the string escape hatch, redaction and the wipe on
/// release. Checks on text report only whether it matched, so a failure never prints a leak.
@Suite struct SecretTests {
    static let value = "hunter2-correct-horse-battery"

    static func secret(_ contents: String = value) throws -> (Secret, TestDirectory) {
        let directory = try TestDirectory()
        let path = try directory.write(contents + "\n", to: "secret")
        return (try Secret.load(fromFile: path), directory)
    }

    /// Whether `text` holds any recognizable part of the value, as text or as byte values.
    static func leaks(_ text: String) -> Bool {
        text.contains("hunter2") || text.contains("horse") || text.contains("104, 117, 110")
    }

    // MARK: verify

    @Test func verifyAcceptsTheSameBytes() throws {
        let (secret, _) = try Self.secret()
        #expect(secret.verify(Self.value))
        #expect(secret.verify(Array(Self.value.utf8)))
        #expect(secret.verify(Self.value.utf8))
        #expect(secret.verify(Array(Self.value.utf8)[...]))
        // A collection without contiguous storage goes through a copy.
        #expect(secret.verify(Array(Self.value.utf8).reversed().reversed()))
        #expect(secret.verify(Array(Self.value.utf8.reversed()).reversed()))
    }

    @Test func verifyRefusesOtherBytesOfTheSameLength() throws {
        let (secret, _) = try Self.secret()
        var changedLast = Array(Self.value.utf8)
        changedLast[changedLast.count - 1] ^= 1
        var changedFirst = Array(Self.value.utf8)
        changedFirst[0] ^= 0x80
        #expect(!secret.verify(changedLast))
        #expect(!secret.verify(changedFirst))
        #expect(!secret.verify(Self.value.uppercased()))
        #expect(!secret.verify(String(repeating: "x", count: Self.value.utf8.count)))
    }

    @Test func verifyRefusesOtherLengths() throws {
        let (secret, _) = try Self.secret()
        #expect(!secret.verify(String(Self.value.dropLast())))
        #expect(!secret.verify(Self.value + "x"))
        #expect(!secret.verify(Self.value + "\n"), "verify does not trim what is presented")
        #expect(!secret.verify(Self.value + Self.value))
    }

    @Test func verifyRefusesEmpty() throws {
        let (secret, _) = try Self.secret()
        #expect(!secret.verify(""))
        #expect(!secret.verify([UInt8]()))
    }

    // MARK: accessors

    @Test func countAndBytes() throws {
        let (secret, _) = try Self.secret()
        #expect(secret.count == Self.value.utf8.count)
        let same = secret.withUnsafeBytes { Array($0) } == Array(Self.value.utf8)
        #expect(same)
    }

    @Test func unsafeStringValueDecodesUTF8() throws {
        let (secret, _) = try Self.secret("pässwörd-🔑")
        #expect(secret.unsafeStringValue() == "pässwörd-🔑")
    }

    @Test func unsafeStringValueIsNilForInvalidUTF8() throws {
        let directory = try TestDirectory()
        let path = try directory.write([0x61, 0xff, 0xfe, 0x62], to: "secret")
        let secret = try Secret.load(fromFile: path)
        #expect(secret.unsafeStringValue() == nil)
        #expect(secret.count == 4)
    }

    // MARK: redaction

    @Test func descriptionIsRedacted() throws {
        let (secret, _) = try Self.secret()
        let description = secret.description == "[REDACTED]"
        #expect(description, "description is not [REDACTED]")
        let interpolated = "\(secret)" == "[REDACTED]"
        #expect(interpolated, "string interpolation is not [REDACTED]")
        let described = String(describing: secret) == "[REDACTED]"
        #expect(described, "String(describing:) is not [REDACTED]")
    }

    @Test func debugDescriptionIsRedacted() throws {
        let (secret, _) = try Self.secret()
        let debug = secret.debugDescription == "[REDACTED]"
        #expect(debug, "debugDescription is not [REDACTED]")
        let reflected = String(reflecting: secret) == "[REDACTED]"
        #expect(reflected, "String(reflecting:) is not [REDACTED]")
    }

    @Test func dumpShowsNothingButRedacted() throws {
        let (secret, _) = try Self.secret()
        var dumped = ""
        dump(secret, to: &dumped)
        let leaked = Self.leaks(dumped)
        #expect(!leaked, "dump printed the value")
        let exact = dumped == "- [REDACTED] #0\n"
        #expect(exact, "dump printed more than '- [REDACTED] #0'")
        #expect(Mirror(reflecting: secret).children.isEmpty)
        var containers = ""
        dump([secret, secret], to: &containers)
        let leakedFromArray = Self.leaks(containers)
        #expect(!leakedFromArray, "dump of an array printed the value")
        let array = "\([secret])" == "[[REDACTED]]"
        #expect(array, "an array of secrets is not shown as [[REDACTED]]")
    }

    // MARK: release

    /// `sodium_free` zeroes and unmaps the memory, so nothing can be read after it. What
    /// can be watched is the wipe `SecretStorage` does first: the observer sees the
    /// bytes after that wipe and before `sodium_free`. Without the wipe, the observer
    /// would see the value and this test would fail.
    @Test func theBytesAreZeroedWhenTheSecretIsReleased() throws {
        let snapshot = ReleaseSnapshot()
        let count = Self.value.utf8.count
        try {
            let (secret, _) = try Self.secret()
            let holdsTheValue = secret.withUnsafeBytes { Array($0) } == Array(Self.value.utf8)
            #expect(holdsTheValue)
            secret.storage.observeRelease { snapshot.record($0) }
        }()
        let seen = snapshot.bytes
        #expect(seen != nil, "the secret was not released")
        let zeroed = seen == [UInt8](repeating: 0, count: count)
        #expect(zeroed, "the bytes were not all zero when the secret was released")
    }

    @Test func aTrimmedValueIsZeroedToo() throws {
        // The file is read into one buffer and the trimmed value copied into another; the
        // Secret owns only the second, which must also be wiped.
        let snapshot = ReleaseSnapshot()
        try {
            let directory = try TestDirectory()
            let path = try directory.write("  \n" + Self.value + "\n\n", to: "secret")
            let secret = try Secret.load(fromFile: path)
            #expect(secret.count == Self.value.utf8.count)
            secret.storage.observeRelease { snapshot.record($0) }
        }()
        let zeroed = snapshot.bytes == [UInt8](repeating: 0, count: Self.value.utf8.count)
        #expect(zeroed, "the trimmed bytes were not all zero when the secret was released")
    }
}
