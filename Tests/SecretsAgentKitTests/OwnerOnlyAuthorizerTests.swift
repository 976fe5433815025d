#if canImport(Glibc)
import Glibc
#endif
@testable import SecretsAgentKit
import SecretsCore
import Testing

@Suite struct OwnerOnlyAuthorizerTests {
    @Test func theOwnerIsAdmin() {
        let authorizer = OwnerOnlyAuthorizer(ownerUID: geteuid())
        let role = authorizer.role(for: PeerCredentials(pid: 77, uid: geteuid(), gid: getegid()))
        #expect(role == .success(.admin))
    }

    @Test func theOwnerIsAdminWhateverItsGroupOrPid() {
        let authorizer = OwnerOnlyAuthorizer(ownerUID: 1000)
        #expect(authorizer.role(for: PeerCredentials(pid: 1, uid: 1000, gid: 0)) == .success(.admin))
        #expect(authorizer.role(for: PeerCredentials(pid: 99999, uid: 1000, gid: 1000)) == .success(.admin))
    }

    @Test func anotherUidIsDeniedByNumberAndName() throws {
        let authorizer = OwnerOnlyAuthorizer(ownerUID: 0)
        let other = try #require(unnamedUID())
        let role = authorizer.role(for: PeerCredentials(pid: 4242, uid: other, gid: 0))
        #expect(role == .failure(.permissionDenied(
            "uid \(other) may not use this agent: without a policy it serves only uid 0 (root) (run as that user)")))
    }

    @Test func aNamedUidIsDeniedWithItsName() throws {
        // nobody (65534) exists on nearly every system; skip the check where it does not.
        let uid: UInt32 = 65534
        guard let name = passwdName(uid) else { return }
        let owner = try #require(unnamedUID())
        let role = OwnerOnlyAuthorizer(ownerUID: owner).role(for: PeerCredentials(pid: 1, uid: uid, gid: uid))
        #expect(role == .failure(.permissionDenied(
            "uid 65534 (\(name)) may not use this agent: without a policy it serves only uid \(owner) (run as that user)")))
    }

    @Test func groupMembershipDoesNotHelp() {
        let authorizer = OwnerOnlyAuthorizer(ownerUID: 1000)
        let role = authorizer.role(for: PeerCredentials(pid: 1, uid: 1001, gid: 1000))
        guard case .failure(let error) = role else {
            Issue.record("uid 1001 in the owner's group was let in")
            return
        }
        #expect(error.code == .permissionDenied)
    }
}
