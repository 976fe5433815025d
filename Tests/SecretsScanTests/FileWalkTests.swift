import Foundation
@testable import SecretsScan
import Testing

/// Which files `scan` reads in a directory: .git, binary files, the size limit, symbolic
/// links, and .gitignore.
@Suite struct FileWalkTests {
    static let secret = Array("key = \(ScanFixtures.awsKey)\n".utf8)

    /// Files read, left out (with why) and unreadable, relative to `root`.
    static func walk(_ root: String, _ walk: FileWalk, listed: [String]? = nil) -> (read: [String], skipped: [String: FileWalk.SkipReason], unreadable: [String]) {
        var read: [String] = [], skipped: [String: FileWalk.SkipReason] = [:], unreadable: [String] = []
        func relative(_ path: String) -> String { path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path }
        walk.walk(root, listed: listed) { event in
            switch event {
            case .file(let path, _): read.append(relative(path))
            case .skipped(let path, let reason): skipped[relative(path)] = reason
            case .unreadable(let path, _): unreadable.append(relative(path))
            }
        }
        return (read, skipped, unreadable)
    }

    static func tree() throws -> String {
        let root = try ScanFixtures.temporaryDirectory()
        try ScanFixtures.write(root + "/a.txt", secret)
        try ScanFixtures.write(root + "/sub/b.txt", secret)
        try ScanFixtures.write(root + "/.git/config", secret)
        try ScanFixtures.write(root + "/sub/.git", Array("gitdir: ../.git/modules/sub\n".utf8))
        try ScanFixtures.write(root + "/image.bin", [0x89, 0x50, 0x00, 0x01] + secret)
        try ScanFixtures.write(root + "/late-nul.txt", [UInt8](repeating: 0x41, count: 9_000) + [0] + secret)
        try ScanFixtures.write(root + "/big.log", [UInt8](repeating: 0x2E, count: 15_000) + secret)
        return root
    }

    @Test func gitBinaryAndTooLargeFilesAreLeftOut() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = Self.walk(root, FileWalk(maxSize: 12_000))
        #expect(result.read == ["a.txt", "late-nul.txt", "sub/b.txt"])
        #expect(result.skipped == ["image.bin": .binary, "big.log": .tooLarge])
        #expect(result.unreadable.isEmpty)
        let all = Self.walk(root, FileWalk())
        #expect(all.read == ["a.txt", "big.log", "late-nul.txt", "sub/b.txt"])
    }

    @Test func linksAreNotFollowedOutOfTheTree() throws {
        let root = try Self.tree()
        let outside = try ScanFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root); try? FileManager.default.removeItem(atPath: outside) }
        try ScanFixtures.write(outside + "/secret.txt", Self.secret)
        symlink(outside + "/secret.txt", root + "/outside-file")
        symlink(outside, root + "/outside-dir")
        symlink(root + "/sub", root + "/loop")
        let result = Self.walk(root, FileWalk(maxSize: 12_000))
        #expect(result.read == ["a.txt", "late-nul.txt", "sub/b.txt"])
        #expect(result.skipped["outside-file"] == .link)
        #expect(result.skipped["outside-dir"] == .link)
        // A link named by the caller is followed.
        #expect(Self.walk(root + "/outside-file", FileWalk()).read == [root + "/outside-file"])
    }

    @Test func aMissingPathIsReportedAndAFileIsReadAsNamed() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(Self.walk(root + "/nope", FileWalk()).unreadable == [root + "/nope"])
        #expect(Self.walk(root + "/a.txt", FileWalk()).read == [root + "/a.txt"])
        #expect(Self.walk(root + "/big.log", FileWalk(maxSize: 100)).skipped == [root + "/big.log": .tooLarge])
    }

    @Test func gitignoreFilesAreHonoured() throws {
        let root = try ScanFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try ScanFixtures.write(root + "/.gitignore", Array("""
            # build output
            *.tmp
            !keep.tmp
            logs/
            /top-only.txt
            docs/**/draft.md
            \\#literal
            trailing.txt   \n
            """.utf8))
        for path in ["a.txt", "x.tmp", "keep.tmp", "logs/1.txt", "deep/logs/2.txt", "top-only.txt", "deep/top-only.txt",
                     "docs/draft.md", "docs/a/b/draft.md", "docs/other.md", "#literal", "trailing.txt",
                     "nested/.gitignore", "nested/secret.env", "nested/inner/secret.env", "nested/kept.env"] {
            try ScanFixtures.write(root + "/" + path, path == "nested/.gitignore" ? Array("secret.env\n".utf8) : Self.secret)
        }
        let result = Self.walk(root, FileWalk(gitignore: true))
        #expect(result.read == [".gitignore", "a.txt", "deep/top-only.txt", "docs/other.md", "keep.tmp", "nested/.gitignore", "nested/kept.env"])
        // Without --gitignore every file is read.
        #expect(Self.walk(root, FileWalk()).read.count == 17)
    }

    @Test func aListFromGitIsReadInsteadOfWalking() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = Self.walk(root, FileWalk(maxSize: 12_000), listed: ["sub/b.txt", "a.txt", "gone.txt", ".git/config", "image.bin", "sub"])
        #expect(result.read == ["a.txt", "sub/b.txt"])
        #expect(result.skipped == ["image.bin": .binary])
        #expect(result.unreadable.isEmpty)
    }

    @Test(arguments: [
        ("*.tmp", "a/b.tmp", false, true), ("*.tmp", "b.tmpx", false, false), ("logs/", "logs", false, false),
        ("logs/", "a/logs", true, true), ("/top", "top", false, true), ("/top", "a/top", false, false),
        ("a/*/c", "a/b/c", false, true), ("a/*/c", "a/b/x/c", false, false), ("a/**/c", "a/c", false, true),
        ("a/**/c", "a/b/x/c", false, true), ("**/c", "x/y/c", false, true), ("f[0-9].txt", "f7.txt", false, true),
        ("f[!0-9].txt", "f7.txt", false, false), ("f?.txt", "fx.txt", false, true), ("\\!x", "!x", false, true),
    ])
    func patterns(_ pattern: String, _ path: String, _ isDirectory: Bool, _ expected: Bool) throws {
        let parsed = try #require(FileWalk.IgnorePattern(line: Array(pattern.utf8)))
        let segments = path.split(separator: "/").map { Array($0.utf8) }
        #expect(parsed.matches(segments, isDirectory: isDirectory) == expected)
    }
}
