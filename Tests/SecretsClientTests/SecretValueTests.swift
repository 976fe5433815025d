import SecretsClient
import Testing

/// Every check compares text to a fixed expectation and reports only whether it matched,
/// so a failure never prints what leaked.
@Suite struct SecretValueTests {
    static let bytes = Array("hunter2-correct-horse-battery".utf8)

    static func value() -> SecretValue {
        bytes.withUnsafeBytes { SecretValue(copying: $0) }
    }

    /// Whether `text` holds any recognizable part of the value, as text or as byte values.
    static func leaks(_ text: String) -> Bool {
        text.contains("hunter2") || text.contains("horse") || text.contains("104, 117, 110")
    }

    @Test func holdsACopyOfTheBytes() {
        var source = Self.bytes
        let value = source.withUnsafeBytes { SecretValue(copying: $0) }
        source.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) }
        #expect(value.count == Self.bytes.count)
        let same = value.withUnsafeBytes { Array($0) } == Self.bytes
        #expect(same, "the value changed when its source was wiped")
    }

    @Test func descriptionIsRedacted() {
        let value = Self.value()
        let description = value.description == "[REDACTED]"
        #expect(description, "description is not [REDACTED]")
        let interpolated = "\(value)" == "[REDACTED]"
        #expect(interpolated, "string interpolation is not [REDACTED]")
        let described = String(describing: value) == "[REDACTED]"
        #expect(described, "String(describing:) is not [REDACTED]")
    }

    @Test func debugDescriptionIsRedacted() {
        let value = Self.value()
        let debug = value.debugDescription == "[REDACTED]"
        #expect(debug, "debugDescription is not [REDACTED]")
        let reflected = String(reflecting: value) == "[REDACTED]"
        #expect(reflected, "String(reflecting:) is not [REDACTED]")
    }

    @Test func dumpShowsNothingButRedacted() {
        var dumped = ""
        dump(Self.value(), to: &dumped)
        let leaked = Self.leaks(dumped)
        #expect(!leaked, "dump printed the value")
        let exact = dumped == "- [REDACTED]\n"
        #expect(exact, "dump printed more than '- [REDACTED]'")
    }

    @Test func aMirrorHasNoChildren() {
        let mirror = Mirror(reflecting: Self.value())
        #expect(mirror.children.isEmpty)
        #expect(mirror.displayStyle == .struct)
    }

    @Test func containersOfValuesStayRedacted() {
        let values = [Self.value(), Self.value()]
        let array = "\(values)" == "[[REDACTED], [REDACTED]]"
        #expect(array, "an array of values is not shown as [[REDACTED], [REDACTED]]")
        let tuple = String(describing: (value: Self.value(), version: UInt64(3))) == "(value: [REDACTED], version: 3)"
        #expect(tuple, "a (value, version) tuple does not show [REDACTED]")
        let optional = String(describing: Optional(Self.value())) == "Optional([REDACTED])"
        #expect(optional, "an optional value is not shown as Optional([REDACTED])")
        var dumped = ""
        dump(values, to: &dumped)
        let leaked = Self.leaks(dumped)
        #expect(!leaked, "dump of an array printed the value")
    }
}
