#if canImport(Glibc)
import Glibc
#endif
import SecretsCore

extension CredentialRequest {
    /// The `sun_path` bytes of the address the peer of `fd` is bound to, as `getpeername`
    /// reports them: empty for an unbound peer, a leading NUL for an abstract address.
    /// `getpeername` truncates an address that does not fit; one that filled `sun_path`
    /// exactly comes back whole and the parser judges its length.
    /// - Throws: `.internal` when the socket cannot report its peer, or the peer is not
    ///   AF_UNIX.
    static func peerAddress(of fd: Int32) throws(SecretsError) -> [UInt8] {
        var address = sockaddr_un()
        var length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        guard named == 0 else { throw .internal("cannot read the peer's address: errno \(errno)") }
        let familySize = MemoryLayout<sa_family_t>.size
        guard Int(length) >= familySize, address.sun_family == sa_family_t(AF_UNIX) else {
            throw .internal("the peer is not an AF_UNIX socket")
        }
        let pathCapacity = MemoryLayout.size(ofValue: address.sun_path)
        let count = min(Int(length) - familySize, pathCapacity)
        return withUnsafeBytes(of: &address.sun_path) { Array($0.prefix(count)) }
    }

    /// Reads the request systemd encoded in the peer's address of `fd`.
    /// - Throws: as `peerAddress(of:)` and `init(peerAddress:)`.
    static func of(socket fd: Int32) throws(SecretsError) -> CredentialRequest {
        try CredentialRequest(peerAddress: try peerAddress(of: fd))
    }
}
