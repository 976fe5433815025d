#if canImport(Glibc)
import Glibc
#endif
@testable import SecretsClient
import Testing

/// The rules every loaded file must pass, exercised through `Secret.load(fromFile:root:)`
/// (`SecretKeyTests` checks that keys follow the same rules). Messages are compared in full.
@Suite struct SecretFileTests {
    static let value = "correct-horse-battery-staple-7f3a"

    /// Loads `path` and returns the bytes, or records the error.
    static func loaded(_ path: String, root: String? = nil) throws(LoaderError) -> [UInt8] {
        try Secret.load(fromFile: path, root: root).withUnsafeBytes { Array($0) }
    }

    static func error(_ path: String, root: String? = nil) -> LoaderError? {
        #expect(throws: LoaderError.self) { _ = try Secret.load(fromFile: path, root: root) }
    }

    // MARK: permissions

    @Test(arguments: [0o600, 0o400] as [mode_t])
    func ownerOnlyModesAreAccepted(mode: mode_t) throws {
        let directory = try TestDirectory()
        let path = try directory.write(Self.value, to: "secret", mode: mode)
        #expect(try Self.loaded(path) == Array(Self.value.utf8))
    }

    @Test(arguments: [0o640, 0o644, 0o604, 0o660, 0o606, 0o620, 0o602, 0o610, 0o601, 0o777] as [mode_t])
    func anyGroupOrOtherBitIsRefused(mode: mode_t) throws {
        let directory = try TestDirectory()
        let path = try directory.write(Self.value, to: "secret", mode: mode)
        let error = Self.error(path)
        #expect(error?.kind == .insecurePermissions)
        let shown = "0" + String(mode, radix: 8)
        #expect(error?.message == "cannot load secret from \(path): mode \(shown) is too open, expected 0600 or 0400 (run: chmod 600 \(path))")
    }

    @Test func theModeMessageIsExact() throws {
        let directory = try TestDirectory()
        let path = try directory.write(Self.value, to: "secret", mode: 0o644)
        #expect(Self.error(path)?.message
            == "cannot load secret from \(directory.path)/secret: mode 0644 is too open, expected 0600 or 0400 (run: chmod 600 \(directory.path)/secret)")
    }

    // MARK: paths

    @Test func aDotDotComponentIsRefusedEvenWhenItWouldResolveInside() throws {
        let directory = try TestDirectory()
        try directory.directory("sub")
        try directory.write(Self.value, to: "secret")
        // "/" and a combining mark form one Character; the kernel still sees "..".
        for path in ["\(directory.path)/sub/../secret", "../\(directory.path)/secret", "\(directory.path)/sub/..",
                     "\(directory.path)/sub/../\u{301}secret"] {
            let error = Self.error(path, root: directory.path)
            #expect(error?.kind == .invalidPath)
            #expect(error?.message == "cannot load secret from \(path): the path has a .. component (give the path without ..)")
        }
        let noRoot = Self.error("\(directory.path)/sub/../secret")
        #expect(noRoot?.kind == .invalidPath)
    }

    @Test func dotsInsideANameAreNotTraversal() throws {
        let directory = try TestDirectory()
        let path = try directory.write(Self.value, to: "..secret..")
        #expect(try Self.loaded(path) == Array(Self.value.utf8))
    }

    @Test func anEmptyOrNULPathIsRefused() {
        let error = Self.error("")
        #expect(error?.kind == .invalidPath)
        #expect(error?.message == "cannot load secret: the path is empty (give the file's path)")
        let nul = Self.error("/tmp/a\u{0}b")
        #expect(nul?.kind == .invalidPath)
        #expect(nul?.message == "cannot load secret: the path contains a NUL byte (give the file's path)")
    }

    @Test func aMissingFileIsNotFound() throws {
        let directory = try TestDirectory()
        let path = directory.path + "/missing"
        let error = Self.error(path)
        #expect(error?.kind == .notFound)
        #expect(error?.message == "cannot load secret from \(path): no such file (check the path)")
        let underRoot = Self.error(path, root: directory.path)
        #expect(underRoot?.kind == .notFound)
        #expect(underRoot?.message == "cannot load secret from \(path): no such file (check the path)")
    }

    @Test func aMissingRootIsNotFound() throws {
        let directory = try TestDirectory()
        let path = try directory.write(Self.value, to: "secret")
        let root = directory.path + "/no-such-root"
        let error = Self.error(path, root: root)
        #expect(error?.kind == .notFound)
        #expect(error?.message == "cannot load secret from \(path): root \(root) does not exist (check the path)")
    }

    // MARK: symbolic links

    @Test func aSymbolicLinkIsRefusedWithoutARoot() throws {
        let directory = try TestDirectory()
        let target = try directory.write(Self.value, to: "secret")
        let link = try directory.symlink("link", to: target)
        let error = Self.error(link)
        #expect(error?.kind == .invalidPath)
        #expect(error?.message == "cannot load secret from \(link): it is a symbolic link (point at the file itself)")
    }

    @Test func aSymbolicLinkWithinTheRootIsAccepted() throws {
        let directory = try TestDirectory()
        let root = try directory.directory("root")
        try directory.directory("root/versions")
        let target = try directory.write(Self.value, to: "root/versions/secret.1")
        let relativeLink = try directory.symlink("root/current", to: "versions/secret.1")
        let absoluteLink = try directory.symlink("root/absolute", to: target)
        #expect(try Self.loaded(relativeLink, root: root) == Array(Self.value.utf8))
        #expect(try Self.loaded(absoluteLink, root: root) == Array(Self.value.utf8))
        // A root that is itself reached through a link is resolved too.
        let linkedRoot = try directory.symlink("root-link", to: root)
        #expect(try Self.loaded(linkedRoot + "/current", root: linkedRoot) == Array(Self.value.utf8))
    }

    @Test func aSymbolicLinkEscapingTheRootIsRefused() throws {
        let directory = try TestDirectory()
        let root = try directory.directory("root")
        let outside = try directory.directory("outside")
        let target = try directory.write(Self.value, to: "outside/secret")
        let fileLink = try directory.symlink("root/secret", to: target)
        let directoryLink = try directory.symlink("root/linked", to: outside)
        let climbingLink = try directory.symlink("root/climbing", to: "../outside/secret")
        for path in [fileLink, directoryLink + "/secret", climbingLink, target] {
            let error = Self.error(path, root: root)
            #expect(error?.kind == .invalidPath, "\(path)")
            #expect(error?.message == "cannot load secret from \(path): it resolves outside \(root) (keep the file, and any link's target, inside \(root))")
        }
        // The root itself is not inside the root, and a sibling sharing its prefix is not either.
        let sibling = try directory.directory("root2")
        let siblingFile = try directory.write(Self.value, to: "root2/secret")
        #expect(Self.error(siblingFile, root: root)?.kind == .invalidPath)
        #expect(Self.error(sibling, root: root)?.kind == .invalidPath)
    }

    @Test func containmentComparesWholeComponents() {
        #expect(SecretFile.isInside("/run/creds/token", "/run/creds"))
        #expect(SecretFile.isInside("/run/creds/a/b", "/run/creds"))
        #expect(!SecretFile.isInside("/run/creds", "/run/creds"))
        #expect(!SecretFile.isInside("/run/creds2/token", "/run/creds"))
        #expect(!SecretFile.isInside("/run", "/run/creds"))
        #expect(SecretFile.isInside("/token", "/"))
        #expect(!SecretFile.isInside("/", "/"))
    }

    /// The second check, after `open`, for a directory swapped for a link after realpath:
    /// the race itself cannot be staged reliably, so the check is tested on its own.
    @Test func anOpenFileIsLocatedThroughProc() throws {
        let directory = try TestDirectory()
        let root = try directory.directory("root")
        let inside = try directory.write(Self.value, to: "root/secret")
        let outside = try directory.write(Self.value, to: "outside")
        let resolvedRoot = try #require(realpath(root, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        })
        for (path, expected) in [(inside, true), (outside, false)] {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            #expect(fd >= 0)
            defer { close(fd) }
            #expect(SecretFile.openedFile(fd, liesInside: resolvedRoot) == expected, "\(path)")
        }
    }

    // MARK: file type

    @Test func aDirectoryIsNotARegularFile() throws {
        let directory = try TestDirectory()
        let sub = try directory.directory("sub")
        let error = Self.error(sub)
        #expect(error?.kind == .notRegularFile)
        #expect(error?.message == "cannot load secret from \(sub): it is a directory (point at the file itself)")
    }

    @Test(.timeLimit(.minutes(1))) func aFIFOIsRefusedWithoutBlocking() throws {
        let directory = try TestDirectory()
        let fifo = directory.path + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let error = Self.error(fifo)
        #expect(error?.kind == .notRegularFile)
        #expect(error?.message == "cannot load secret from \(fifo): it is not a regular file (point at the file itself)")
    }

    // MARK: contents

    @Test func anEmptyFileIsRefused() throws {
        let directory = try TestDirectory()
        let path = try directory.write([], to: "secret")
        let error = Self.error(path)
        #expect(error?.kind == .empty)
        #expect(error?.message == "cannot load secret from \(path): the file is empty (write the value into it)")
    }

    @Test(arguments: [" ", "\n", " \t\r\n\u{0B}\u{0C} \n"])
    func aWhitespaceOnlyFileIsRefused(contents: String) throws {
        let directory = try TestDirectory()
        let path = try directory.write(contents, to: "secret")
        let error = Self.error(path)
        #expect(error?.kind == .empty)
        #expect(error?.message == "cannot load secret from \(path): the file holds only whitespace (write the value into it)")
    }

    @Test func exactlyOneMebibyteIsAccepted() throws {
        let directory = try TestDirectory()
        let path = try directory.write([UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20), to: "secret")
        let secret = try Secret.load(fromFile: path)
        #expect(secret.count == 1 << 20)
        #expect(Secret.maxByteCount == 1 << 20)
    }

    @Test func oneByteMoreThanAMebibyteIsRefused() throws {
        let directory = try TestDirectory()
        let path = try directory.write([UInt8](repeating: UInt8(ascii: "a"), count: (1 << 20) + 1), to: "secret")
        let error = Self.error(path)
        #expect(error?.kind == .tooLarge)
        #expect(error?.message == "cannot load secret from \(path): the file is 1048577 bytes, more than 1048576 (a secret file holds at most 1 MiB)")
    }

    @Test func surroundingWhitespaceIsTrimmedAndInnerWhitespaceKept() throws {
        let directory = try TestDirectory()
        let path = try directory.write(" \t\n pass phrase\twith\nlines \r\n\n", to: "secret")
        #expect(try Self.loaded(path) == Array("pass phrase\twith\nlines".utf8))
        let newline = try directory.write(Self.value + "\n", to: "newline")
        #expect(try Self.loaded(newline) == Array(Self.value.utf8))
    }

    @Test func binaryContentsAreKeptByteForByte() throws {
        let directory = try TestDirectory()
        let bytes: [UInt8] = [0x00, 0xff, 0x41, 0x0a, 0x80, 0x00]
        let path = try directory.write(bytes, to: "secret")
        #expect(try Self.loaded(path) == bytes)
    }

    // MARK: messages

    @Test func noMessageContainsTheFileContents() throws {
        let directory = try TestDirectory()
        let root = try directory.directory("root")
        let outside = try directory.write(Self.value, to: "outside", mode: 0o600)
        var errors: [LoaderError?] = []
        errors.append(Self.error(try directory.write(Self.value, to: "open", mode: 0o644)))
        errors.append(Self.error(try directory.symlink("link", to: outside)))
        errors.append(Self.error(try directory.symlink("root/escape", to: outside), root: root))
        errors.append(Self.error(try directory.write([UInt8](repeating: UInt8(ascii: "x"), count: (1 << 20) + 1), to: "large")))
        #expect(errors.allSatisfy { $0 != nil })
        let leaked = errors.contains { error in
            guard let error else { return false }
            return error.message.contains("horse") || error.description.contains("horse") || error.message.contains("xxxx")
        }
        #expect(!leaked, "an error message contains the file's contents")
    }
}
