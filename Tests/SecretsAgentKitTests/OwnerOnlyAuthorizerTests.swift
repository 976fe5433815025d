#if canImport(Glibc)
import Glibc
#endif
@testable import SecretsAgentKit
import SecretsCore
import Testing

@Suite struct OwnerOnlyAuthorizerTests {
    /// The role granted to `peer` (or the refusal).
    func role(_ authorizer: OwnerOnlyAuthorizer, _ peer: PeerCredentials) -> Result<Role, SecretsError> {
        authorizer.grant(for: PeerIdentity(credentials: peer, executable: nil)).map(\.role)
    }

    @Test func theOwnerIsAdmin() {
        let authorizer = OwnerOnlyAuthorizer(ownerUID: geteuid())
        let granted = role(authorizer, PeerCredentials(pid: 77, uid: geteuid(), gid: getegid()))
        #expect(granted == .success(.admin))
    }

    @Test func theOwnerIsAdminWhateverItsGroupOrPid() {
        let authorizer = OwnerOnlyAuthorizer(ownerUID: 1000)
        #expect(role(authorizer, PeerCredentials(pid: 1, uid: 1000, gid: 0)) == .success(.admin))
        #expect(role(authorizer, PeerCredentials(pid: 99999, uid: 1000, gid: 1000)) == .success(.admin))
    }

    @Test func anotherUidIsDeniedByNumberAndName() throws {
        let authorizer = OwnerOnlyAuthorizer(ownerUID: 0)
        let other = try #require(unnamedUID())
        let granted = role(authorizer, PeerCredentials(pid: 4242, uid: other, gid: 0))
        #expect(granted == .failure(.permissionDenied(
            "uid \(other) may not use this agent: without a policy it serves only uid 0 (root) (run as that user)")))
    }

    @Test func aNamedUidIsDeniedWithItsName() throws {
        // nobody (65534) exists on nearly every system; skip the check where it does not.
        let uid: UInt32 = 65534
        guard let name = passwdName(uid) else { return }
        let owner = try #require(unnamedUID())
        let granted = role(OwnerOnlyAuthorizer(ownerUID: owner), PeerCredentials(pid: 1, uid: uid, gid: uid))
        #expect(granted == .failure(.permissionDenied(
            "uid 65534 (\(name)) may not use this agent: without a policy it serves only uid \(owner) (run as that user)")))
    }

    @Test func groupMembershipDoesNotHelp() {
        let authorizer = OwnerOnlyAuthorizer(ownerUID: 1000)
        let granted = role(authorizer, PeerCredentials(pid: 1, uid: 1001, gid: 1000))
        guard case .failure(let error) = granted else {
            Issue.record("uid 1001 in the owner's group was let in")
            return
        }
        #expect(error.code == .permissionDenied)
    }
}
