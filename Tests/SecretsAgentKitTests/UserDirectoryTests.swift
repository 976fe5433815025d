#if canImport(Glibc)
import Glibc
#endif
@testable import SecretsAgentKit
import Testing

/// The passwd name of `uid` straight from getpwuid, as an independent oracle.
func passwdName(_ uid: UInt32) -> String? {
    guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return nil }
    return String(cString: name)
}

/// A uid with no passwd entry.
func unnamedUID() -> UInt32? {
    (UInt32(3_999_999_000)...UInt32(3_999_999_999)).first { passwdName($0) == nil }
}

@Suite struct UserDirectoryTests {
    @Test func rootIsNamedRoot() {
        #expect(UserDirectory.name(of: 0) == "root")
        #expect(UserDirectory.label(0) == " (root)")
    }

    @Test func theCurrentUserHasItsPasswdName() throws {
        let uid = geteuid()
        let name = try #require(passwdName(uid), "the test user has no passwd entry")
        #expect(UserDirectory.name(of: uid) == name)
        #expect(UserDirectory.label(uid) == " (\(name))")
    }

    @Test func aUidWithoutAnEntryHasNoName() throws {
        let uid = try #require(unnamedUID())
        #expect(UserDirectory.name(of: uid) == nil)
        #expect(UserDirectory.label(uid) == "")
    }
}
