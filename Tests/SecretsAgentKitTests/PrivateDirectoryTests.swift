import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import SecretsAgentKit
import SecretsCore
import Testing

@Suite struct PrivateDirectoryTests {
    static func tooOpen(_ directory: String, _ mode: String) -> SecretsError {
        .invalidArgument("refusing to start: \(directory) has mode \(mode), which lets others replace what is in it; want 0700 (run: chmod 700 \(directory))")
    }

    @Test func missingDirectoriesAreCreated0700() throws {
        let dir = try TestDirectory()
        try PrivateDirectory.prepare(containing: dir.path + "/a/b/c/agent.sock")
        for sub in ["/a", "/a/b", "/a/b/c"] {
            #expect(isDirectory(dir.path + sub), "\(sub)")
            #expect(fileMode(dir.path + sub) == 0o700, "\(sub)")
        }
        #expect(fileMode(dir.path + "/a/b/c/agent.sock") == nil, "only the directory is made")
    }

    @Test func preparingTwiceIsHarmless() throws {
        let dir = try TestDirectory()
        try PrivateDirectory.prepare(containing: dir.path + "/run/agent.sock")
        try PrivateDirectory.prepare(containing: dir.path + "/run/agent.sock")
        #expect(fileMode(dir.path + "/run") == 0o700)
    }

    @Test(arguments: [0o700 as mode_t, 0o750, 0o755, 0o711, 0o500])
    func directoriesNobodyElseCanWriteAreAccepted(_ mode: mode_t) throws {
        let dir = try TestDirectory()
        let sub = try dir.directory("sub", mode: mode)
        try PrivateDirectory.prepare(containing: sub + "/agent.sock")
        #expect(fileMode(sub) == mode, "prepare does not change an existing directory's mode")
    }

    @Test(arguments: [
        (0o777 as mode_t, "0777"), (0o775, "0775"), (0o770, "0770"), (0o757, "0757"), (0o720, "0720"),
        (0o702, "0702"), (0o1777, "1777"), (0o2770, "2770"),
    ])
    func directoriesOthersCanWriteAreRefused(_ mode: mode_t, _ shown: String) throws {
        let dir = try TestDirectory()
        let sub = try dir.directory("sub", mode: mode)
        let error = #expect(throws: SecretsError.self) { try PrivateDirectory.prepare(containing: sub + "/agent.sock") }
        #expect(error == Self.tooOpen(sub, shown))
        #expect(fileMode(sub) == mode, "the mode is reported, not changed")
    }

    @Test func aFileWhereTheDirectoryShouldBeIsRefused() throws {
        let dir = try TestDirectory()
        let file = try dir.file("run", Array("x".utf8))
        let error = #expect(throws: SecretsError.self) { try PrivateDirectory.prepare(containing: file + "/agent.sock") }
        #expect(error == .invalidArgument("refusing to start: \(file) is not a directory (choose another path)"))
    }

    @Test func aSymbolicLinkWhereTheDirectoryShouldBeIsRefused() throws {
        let dir = try TestDirectory()
        let target = try dir.directory("real", mode: 0o700)
        let link = dir.path + "/link"
        #expect(symlink(target, link) == 0)
        let error = #expect(throws: SecretsError.self) { try PrivateDirectory.prepare(containing: link + "/agent.sock") }
        #expect(error == .invalidArgument("refusing to start: \(link) is not a directory (choose another path)"))
    }

    @Test func aPathThroughAFileCannotBeInspected() throws {
        let dir = try TestDirectory()
        let file = try dir.file("plain", Array("x".utf8))
        let error = #expect(throws: SecretsError.self) { try PrivateDirectory.prepare(containing: file + "/sub/agent.sock") }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.hasPrefix("refusing to start: cannot inspect \(file)/sub: ") == true)
        #expect(error?.message.hasSuffix(" (check the path)") == true)
    }

    @Test(arguments: [
        ("agent.sock", "."), ("/agent.sock", "/"), ("/run/agent.sock", "/run"), ("a/b/c", "a/b"),
        ("/run/secrets-agent/agent.sock", "/run/secrets-agent"),
    ])
    func parentOfAPath(_ path: String, _ parent: String) {
        #expect(PrivateDirectory.parent(of: path) == parent)
    }

    @Test(arguments: [
        (0 as mode_t, "0000"), (0o7, "0007"), (0o600, "0600"), (0o644, "0644"), (0o700, "0700"),
        (0o755, "0755"), (0o777, "0777"), (0o1777, "1777"), (0o4755, "4755"),
    ])
    func octalIsFourDigits(_ mode: mode_t, _ text: String) {
        #expect(PrivateDirectory.octal(mode) == text)
    }
}
