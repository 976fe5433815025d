import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SecretsCore
import SecretsProtocol
import Testing

@Suite struct UnixSocketAddressTests {
    @Test func anAddressHoldsThePathNULTerminated() throws {
        let address = try UnixSocketAddress.make("/run/secrets-agent/agent.sock")
        #expect(address.sun_family == sa_family_t(AF_UNIX))
        let path = withUnsafeBytes(of: address.sun_path) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        #expect(path == "/run/secrets-agent/agent.sock")
    }

    @Test func theLongestPathFitsAndOneMoreByteDoesNot() throws {
        let longest = "/" + String(repeating: "s", count: 106)
        let address = try UnixSocketAddress.make(longest)
        let last = withUnsafeBytes(of: address.sun_path) { $0[107] }
        #expect(last == 0, "room is left for the terminating NUL")

        let tooLong = longest + "s"
        let error = #expect(throws: SecretsError.self) { try UnixSocketAddress.make(tooLong) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "socket path \(tooLong) is longer than 107 bytes (choose a shorter --socket path)")
    }

    @Test func anEmptyPathIsRefused() {
        let error = #expect(throws: SecretsError.self) { try UnixSocketAddress.make("") }
        #expect(error == .invalidArgument("socket path is empty (give --socket PATH or set SECRETS_AGENT_SOCK)"))
    }

    @Test func connectingToNothingReportsTheErrno() throws {
        let missing = "/tmp/secrets-protocol-test-\(getpid())-missing.sock"
        let result = try UnixSocketAddress.connect(missing)
        guard case .failure(let failure) = result else {
            Issue.record("connected to a path that does not exist")
            if case .success(let fd) = result { close(fd) }
            return
        }
        #expect(failure == UnixSocketAddress.Errno(ENOENT))
        #expect(failure.description == "no such file or directory")
        #expect(UnixSocketAddress.Errno(ECONNREFUSED).description == "connection refused")
    }
}
