import SecretsCore
import Testing

@Suite struct PeerCredentialsTests {
    @Test func describesUidGidAndPid() {
        let peer = PeerCredentials(pid: 4321, uid: 1001, gid: 1002)
        #expect(peer.description == "uid 1001 gid 1002 pid 4321")
        #expect(peer.pid == 4321)
        #expect(peer.uid == 1001)
        #expect(peer.gid == 1002)
    }

    @Test func equalOnlyWhenAllThreeMatch() {
        let peer = PeerCredentials(pid: 1, uid: 2, gid: 3)
        #expect(peer == PeerCredentials(pid: 1, uid: 2, gid: 3))
        #expect(peer != PeerCredentials(pid: 9, uid: 2, gid: 3))
        #expect(peer != PeerCredentials(pid: 1, uid: 9, gid: 3))
        #expect(peer != PeerCredentials(pid: 1, uid: 2, gid: 9))
    }
}
