/// An OpenBao KV v2 read over loopback HTTP (`GET /v1/secret/data/bench` on a keep-alive
/// connection): the same role as `GetClient`, against the server people would otherwise
/// run. The JSON reply must hold the value written.
final class OpenBaoReadClient: RoundTripClient {
    private let connection: HTTPConnection
    private let request: [UInt8]
    /// `"value":"<value>"`, as it appears in OpenBao's JSON (the value is alphanumeric).
    private let expected: [UInt8]

    /// Connects to the server.
    /// - Throws: `.setup` when it cannot be reached.
    init(server: OpenBaoServer, value: [UInt8]) throws(BenchFailure) {
        connection = try HTTPConnection(port: server.port)
        request = HTTPConnection.request("GET", OpenBaoServer.secretPath, port: server.port,
                                         headers: [("X-Vault-Token", server.token)])
        expected = Array(#""value":""#.utf8) + value + [UInt8(ascii: "\"")]
    }

    func roundTrip() throws(BenchFailure) {
        let reply = try connection.exchange(request)
        guard reply.status == 200 else {
            throw .setup("OpenBao answered the read of \(OpenBaoServer.secretPath) with HTTP \(reply.status) (see its log)")
        }
        guard Self.contains(reply.body, expected) else {
            throw .wrongValue("OpenBao's reply to the read of \(OpenBaoServer.secretPath) (\(reply.body.count) bytes) does not hold the value written")
        }
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count, let first = needle.first else { return needle.isEmpty }
        for start in 0...(haystack.count - needle.count) where haystack[start] == first {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
