#if canImport(Glibc)
import Glibc
#endif
@testable import SecretsClient
import Testing

/// `SecretKey`: key files, HKDF derivation, comparison, redaction and the wipe on release.
@Suite struct SecretKeyTests {
    static let hex = "a3f1c0de5b7e9d2c4f6a8b0e1d3c5b7a9f0e2d4c6b8a0f1e3d5c7b9a1f2e4d6c"
    static let bytes: [UInt8] = stride(from: 0, to: 64, by: 2).map { offset in
        let start = hex.utf8.index(hex.utf8.startIndex, offsetBy: offset)
        return UInt8(String(hex[start..<hex.utf8.index(start, offsetBy: 2)]), radix: 16)!
    }

    static func keyBytes(_ key: SecretKey) -> [UInt8] {
        key.withUnsafeBytes { Array($0) }
    }

    static func loadError(_ path: String, root: String? = nil) -> LoaderError? {
        #expect(throws: LoaderError.self) { _ = try SecretKey.load(fromFile: path, root: root) }
    }

    static func deriveError(_ body: () throws(LoaderError) -> SecretKey) -> LoaderError? {
        #expect(throws: LoaderError.self) { _ = try body() }
    }

    // MARK: key files

    static let validContents: [String] = [hex, hex + "\n", "  \(hex)\r\n", hex.uppercased()]

    @Test(arguments: validContents)
    func aKeyFileDecodesTo32Bytes(contents: String) throws {
        let directory = try TestDirectory()
        let path = try directory.write(contents, to: "key")
        let key = try SecretKey.load(fromFile: path)
        #expect(key.count == 32)
        let same = Self.keyBytes(key) == Self.bytes
        #expect(same, "the key's bytes differ from the file's hex")
    }

    @Test(arguments: [0o600, 0o400] as [mode_t])
    func keyFilesMayBeOwnerOnly(mode: mode_t) throws {
        let directory = try TestDirectory()
        let path = try directory.write(Self.hex, to: "key", mode: mode)
        #expect(try SecretKey.load(fromFile: path).count == 32)
    }

    @Test(arguments: [0o640, 0o644, 0o604] as [mode_t])
    func keyFilesFollowThePermissionRule(mode: mode_t) throws {
        let directory = try TestDirectory()
        let path = try directory.write(Self.hex, to: "key", mode: mode)
        let error = Self.loadError(path)
        #expect(error?.kind == .insecurePermissions)
        #expect(error?.message == "cannot load key from \(path): mode 0\(String(mode, radix: 8)) is too open, expected 0600 or 0400 (run: chmod 600 \(path))")
    }

    @Test func keyFilesFollowThePathRules() throws {
        let directory = try TestDirectory()
        let root = try directory.directory("root")
        let outside = try directory.write(Self.hex, to: "outside")
        let escape = try directory.symlink("root/escape", to: outside)
        let error = Self.loadError(escape, root: root)
        #expect(error?.kind == .invalidPath)
        #expect(error?.message == "cannot load key from \(escape): it resolves outside \(root) (keep the file, and any link's target, inside \(root))")
        let traversal = "\(root)/../outside"
        let dotDot = Self.loadError(traversal)
        #expect(dotDot?.kind == .invalidPath)
        #expect(dotDot?.message == "cannot load key from \(traversal): the path has a .. component (give the path without ..)")
        let inside = try directory.write(Self.hex, to: "root/key.1")
        let link = try directory.symlink("root/current", to: inside)
        #expect(try SecretKey.load(fromFile: link, root: root).count == 32)
    }

    @Test func anEmptyKeyFileIsRefused() throws {
        let directory = try TestDirectory()
        let path = try directory.write("\n", to: "key")
        let error = Self.loadError(path)
        #expect(error?.kind == .empty)
        #expect(error?.message == "cannot load key from \(path): the file holds only whitespace (write the value into it)")
    }

    static let wrongLength: [String] = [
        String(hex.dropLast(2)),            // 62
        String(hex.dropLast()),             // 63, odd
        hex + "ab",                         // 66
        hex + hex,                          // 128
        "00",
    ]

    @Test(arguments: wrongLength)
    func aKeyOfTheWrongLengthIsRefused(contents: String) throws {
        let directory = try TestDirectory()
        let path = try directory.write(contents + "\n", to: "key")
        let error = Self.loadError(path)
        #expect(error?.kind == .invalidKey)
        #expect(error?.message == "cannot load key from \(path): key file must hold 64 hex characters, found \(contents.utf8.count) (generate one with: secrets-agent init --generate-key-file FILE)")
    }

    static let notHex: [String] = [
        "g" + String(hex.dropFirst()),                          // not a hex digit
        String(hex.prefix(32)) + " " + String(hex.suffix(31)),  // a space inside
        "0x" + String(hex.dropFirst(2)),                        // a prefix
        String(hex.dropLast(2)) + "é",                          // non-ASCII (two bytes)
    ]

    @Test(arguments: notHex)
    func aKeyThatIsNotHexIsRefused(contents: String) throws {
        #expect(contents.utf8.count == 64)
        let directory = try TestDirectory()
        let path = try directory.write(contents, to: "key")
        let error = Self.loadError(path)
        #expect(error?.kind == .invalidKey)
        #expect(error?.message == "cannot load key from \(path): key file is not hex: it must hold 64 characters 0-9 and a-f, and nothing else")
    }

    @Test func aBadKeyMessageNeverContainsTheContents() throws {
        let directory = try TestDirectory()
        let distinctive = "feedfacecafebeef"
        var messages: [String] = []
        for (name, contents, mode) in [
            ("bad-hex", distinctive + "zz" + String(repeating: "0", count: 46), mode_t(0o600)),
            ("short", distinctive, mode_t(0o600)),
            ("open", distinctive + String(repeating: "0", count: 48), mode_t(0o644)),
        ] {
            let path = try directory.write(contents, to: name, mode: mode)
            if let error = Self.loadError(path) { messages.append(error.message + error.description) }
        }
        #expect(messages.count == 3)
        let leaked = messages.contains { $0.contains("feedface") || $0.contains("cafe") }
        #expect(!leaked, "an error message contains the key file's contents")
    }

    // MARK: derivation

    static let token = Array("service-token-0123456789abcdef".utf8)

    /// Computed independently with Python: HKDF-SHA256(IKM = token,
    /// salt = "secrets-agent/v1/derive", info = domain, L = 32).
    @Test(arguments: [
        ("billing/webhook-signing", "88a82cee811480f123a5c6e87034b77a667ef5edca755936515b90c880dde36b"),
        ("billing/session-cookies", "646a5f998b22a349a76a17cb3c976b7e89d5910ac8b90c38c429f6e6cc473098"),
    ])
    func derivationIsHKDFSHA256WithTheDocumentedSaltAndInfo(domain: String, expected: String) throws {
        let key = try SecretKey.derive(fromToken: Self.token, domain: domain)
        let hex = Self.keyBytes(key).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        #expect(hex == expected)
    }

    @Test func derivationIsDeterministicAnd32Bytes() throws {
        let first = try SecretKey.derive(fromToken: Self.token, domain: "billing/webhook-signing")
        let second = try SecretKey.derive(fromToken: Self.token, domain: "billing/webhook-signing")
        #expect(first.count == 32)
        #expect(first.constantTimeEquals(second))
        #expect(Self.keyBytes(first) == Self.keyBytes(second))
        // Non-contiguous and contiguous tokens, and a loaded Secret, all give the same key.
        let lazy = try SecretKey.derive(fromToken: Self.token.reversed().reversed(), domain: "billing/webhook-signing")
        #expect(first.constantTimeEquals(lazy))
        let directory = try TestDirectory()
        let path = try directory.write(Self.token + Array("\n".utf8), to: "token")
        let fromSecret = try SecretKey.derive(fromToken: Secret.load(fromFile: path), domain: "billing/webhook-signing")
        #expect(first.constantTimeEquals(fromSecret))
    }

    @Test func differentDomainsGiveDifferentKeys() throws {
        let a = try SecretKey.derive(fromToken: Self.token, domain: "billing/webhook-signing")
        let b = try SecretKey.derive(fromToken: Self.token, domain: "billing/session-cookies")
        let c = try SecretKey.derive(fromToken: Self.token, domain: "billing/webhook-signing ")
        #expect(!a.constantTimeEquals(b))
        #expect(!a.constantTimeEquals(c))
        #expect(!b.constantTimeEquals(c))
    }

    @Test func differentTokensGiveDifferentKeys() throws {
        var other = Self.token
        other[other.count - 1] ^= 1
        let a = try SecretKey.derive(fromToken: Self.token, domain: "billing/webhook-signing")
        let b = try SecretKey.derive(fromToken: other, domain: "billing/webhook-signing")
        let c = try SecretKey.derive(fromToken: Self.token + [0], domain: "billing/webhook-signing")
        #expect(!a.constantTimeEquals(b))
        #expect(!a.constantTimeEquals(c))
        #expect(Self.keyBytes(a) != Self.token.prefix(32).map { $0 }, "the key is not the token itself")
    }

    @Test func anEmptyTokenIsRefused() {
        let error = Self.deriveError { () throws(LoaderError) in try SecretKey.derive(fromToken: [UInt8](), domain: "billing/webhook-signing") }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.message == "cannot derive key for billing/webhook-signing: the token is empty (pass the service's token)")
    }

    @Test func anEmptyDomainIsRefused() throws {
        let error = Self.deriveError { () throws(LoaderError) in try SecretKey.derive(fromToken: Self.token, domain: "") }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.message == "cannot derive key: the domain is empty (name what the key is for, e.g. billing/webhook-signing)")
        let directory = try TestDirectory()
        let path = try directory.write(Self.token, to: "token")
        let secret = try Secret.load(fromFile: path)
        let fromSecret = Self.deriveError { () throws(LoaderError) in try SecretKey.derive(fromToken: secret, domain: "") }
        #expect(fromSecret?.kind == .invalidArgument)
    }

    // MARK: comparison, redaction, release

    @Test func constantTimeEqualsComparesKeys() throws {
        let directory = try TestDirectory()
        let a = try SecretKey.load(fromFile: directory.write(Self.hex, to: "a"))
        let b = try SecretKey.load(fromFile: directory.write(Self.hex.uppercased() + "\n", to: "b"))
        let c = try SecretKey.load(fromFile: directory.write(String(Self.hex.dropLast()) + "d", to: "c"))
        #expect(a.constantTimeEquals(b))
        #expect(a.constantTimeEquals(a))
        #expect(!a.constantTimeEquals(c))
    }

    @Test func descriptionsAndDumpAreRedacted() throws {
        let key = try SecretKey.derive(fromToken: Self.token, domain: "billing/webhook-signing")
        let description = key.description == "[REDACTED]" && "\(key)" == "[REDACTED]" && String(describing: key) == "[REDACTED]"
        #expect(description, "description is not [REDACTED]")
        let debug = key.debugDescription == "[REDACTED]" && String(reflecting: key) == "[REDACTED]"
        #expect(debug, "debugDescription is not [REDACTED]")
        var dumped = ""
        dump(key, to: &dumped)
        let exact = dumped == "- [REDACTED] #0\n"
        #expect(exact, "dump printed more than '- [REDACTED] #0'")
        #expect(Mirror(reflecting: key).children.isEmpty)
    }

    /// As `SecretTests.theBytesAreZeroedWhenTheSecretIsReleased`: the observer sees the key's
    /// memory after `SecretStorage`'s wipe and before `sodium_free`; without the wipe it
    /// would see the key and this test would fail.
    @Test func theKeyIsZeroedWhenReleased() throws {
        let snapshot = ReleaseSnapshot()
        try {
            let directory = try TestDirectory()
            let key = try SecretKey.load(fromFile: directory.write(Self.hex, to: "key"))
            let holdsTheKey = Self.keyBytes(key) == Self.bytes
            #expect(holdsTheKey)
            key.storage.observeRelease { snapshot.record($0) }
        }()
        #expect(snapshot.bytes != nil, "the key was not released")
        let zeroed = snapshot.bytes == [UInt8](repeating: 0, count: 32)
        #expect(zeroed, "the key's bytes were not all zero when it was released")
    }
}
