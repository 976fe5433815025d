import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import SecretsAgentKit
import SecretsCore
import SecretsCrypto
import Testing

@Suite struct KeyMaterialFileTests {
    static let contents = Array("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n".utf8)

    @Test(arguments: [0o600 as mode_t, 0o400, 0o700])
    func ownerOnlyFilesAreRead(_ mode: mode_t) throws {
        let dir = try TestDirectory()
        let path = try dir.file("master.key", Self.contents, mode: mode)
        let read = try KeyMaterialFile.read(path)
        let same = read.copyToArray() == Self.contents
        #expect(same, "the bytes read differ from the file's")
        #expect(read.count == Self.contents.count)
    }

    @Test(arguments: [
        (0o640 as mode_t, "0640"), (0o644, "0644"), (0o604, "0604"), (0o660, "0660"), (0o666, "0666"),
        (0o610, "0610"), (0o601, "0601"), (0o440, "0440"), (0o777, "0777"),
    ])
    func filesOthersCanReachAreRefused(_ mode: mode_t, _ shown: String) throws {
        let dir = try TestDirectory()
        let path = try dir.file("master.key", Self.contents, mode: mode)
        let error = #expect(throws: SecretsError.self) { try KeyMaterialFile.read(path) }
        #expect(error == .invalidArgument("cannot read \(path): mode \(shown) is too open (run: chmod 600 \(path))"))
    }

    @Test func aSymbolicLinkIsRefusedEvenToASafeFile() throws {
        let dir = try TestDirectory()
        let target = try dir.file("master.key", Self.contents)
        let link = dir.path + "/link.key"
        #expect(symlink(target, link) == 0)
        let error = #expect(throws: SecretsError.self) { try KeyMaterialFile.read(link) }
        #expect(error == .invalidArgument("cannot read \(link): it is a symbolic link (point at the file itself)"))
    }

    @Test func aFIFOIsRefusedWithoutWaitingForAWriter() throws {
        let dir = try TestDirectory()
        let path = dir.path + "/key.fifo"
        #expect(mkfifo(path, 0o600) == 0)
        // Opening a FIFO for reading blocks until a writer comes, unless O_NONBLOCK.
        let error = #expect(throws: SecretsError.self) { try KeyMaterialFile.read(path) }
        #expect(error == .invalidArgument("cannot read \(path): not a regular file (point at the file itself)"))
    }

    @Test func anEmptyFileIsRefused() throws {
        let dir = try TestDirectory()
        let path = try dir.file("empty.key", [])
        let error = #expect(throws: SecretsError.self) { try KeyMaterialFile.read(path) }
        #expect(error == .invalidArgument("cannot read \(path): the file is empty"))
    }

    @Test func aMissingFileIsNotFound() throws {
        let dir = try TestDirectory()
        let path = dir.path + "/nothing.key"
        let error = #expect(throws: SecretsError.self) { try KeyMaterialFile.read(path) }
        #expect(error == .notFound("cannot read \(path): no such file or directory (check the path)"))
    }

    @Test func aDirectoryIsNotARegularFile() throws {
        let dir = try TestDirectory()
        let path = try dir.directory("keys", mode: 0o700)
        let error = #expect(throws: SecretsError.self) { try KeyMaterialFile.read(path) }
        #expect(error == .invalidArgument("cannot read \(path): not a regular file (point at the file itself)"))
    }

    @Test func theSizeLimitIs64KiB() throws {
        let dir = try TestDirectory()
        let largest = try dir.file("largest", [UInt8](repeating: 0x61, count: 65_536))
        #expect(try KeyMaterialFile.read(largest).count == 65_536)
        let tooLarge = try dir.file("too-large", [UInt8](repeating: 0x61, count: 65_537))
        let error = #expect(throws: SecretsError.self) { try KeyMaterialFile.read(tooLarge) }
        #expect(error == .invalidArgument("cannot read \(tooLarge): 65537 bytes is larger than a key file can be"))
    }

    @Test func createWritesA0600FileWithTheContents() throws {
        let dir = try TestDirectory()
        let path = dir.path + "/new.key"
        let generated = KeyFile.generateContents()
        try KeyMaterialFile.create(path, contents: generated)
        #expect(fileMode(path) == 0o600)
        let same = try KeyMaterialFile.read(path).constantTimeEquals(generated)
        #expect(same, "the file does not hold what was written")
    }

    @Test func createRefusesToReplaceAFile() throws {
        let dir = try TestDirectory()
        let path = try dir.file("existing.key", Self.contents)
        let error = #expect(throws: SecretsError.self) {
            try KeyMaterialFile.create(path, contents: SecureBytes(copying: Array("other".utf8)))
        }
        #expect(error == .alreadyExists("\(path) already exists (choose another path, or use it with --key-file)"))
        let kept = try KeyMaterialFile.read(path).copyToArray() == Self.contents
        #expect(kept, "the existing file was changed")
    }

    @Test func createRefusesADanglingSymbolicLink() throws {
        let dir = try TestDirectory()
        let link = dir.path + "/link.key"
        #expect(symlink(dir.path + "/elsewhere.key", link) == 0)
        let error = #expect(throws: SecretsError.self) {
            try KeyMaterialFile.create(link, contents: SecureBytes(copying: Array("x".utf8)))
        }
        #expect(error?.code == .alreadyExists)
        #expect(fileMode(dir.path + "/elsewhere.key") == nil, "nothing was written through the link")
    }

    @Test func createInAMissingDirectoryFails() throws {
        let dir = try TestDirectory()
        let path = dir.path + "/missing/new.key"
        let error = #expect(throws: SecretsError.self) {
            try KeyMaterialFile.create(path, contents: SecureBytes(copying: Array("x".utf8)))
        }
        #expect(error == .invalidArgument("cannot create \(path): no such file or directory"))
    }
}
