import SecretsClient
import SecretsCore
import SecretsProtocol

/// One writer: creates its own secret, then each round trip is one acknowledged `put`
/// (mode update) of 32 new random bytes. `finish()` reads the secret back and checks that
/// it holds the last value written, at the last version acknowledged.
final class PutClient: RoundTripClient {
    static let environment = "production"

    private let client: AgentClient
    private let name: String
    private var value = [UInt8](repeating: 0, count: 32)
    private var version: UInt64 = 0
    private var generator = SystemRandomNumberGenerator()

    /// Connects and creates `name` (or, when `name` is nil, a fresh `bench/put/writer-<hex>`).
    /// - Throws: `.setup` when the agent cannot be reached or refuses the put.
    init(socketPath: String, name: String? = nil) throws(BenchFailure) {
        self.name = name ?? "bench/put/writer-" + String(UInt64.random(in: 1...UInt64.max), radix: 16)
        client = try ScaleClients.connect(socketPath)
        try write(mode: .create)
    }

    func roundTrip() throws(BenchFailure) {
        try write(mode: .update)
    }

    func finish() throws(BenchFailure) {
        let expected = value
        let (matches, count, readVersion): (Bool, Int, UInt64)
        do {
            (matches, count, readVersion) = try client.get(name: name, environment: Self.environment) { bytes, version in
                (ScaleClients.equal(bytes, expected[...]), bytes.count, version)
            }
        } catch {
            throw .setup("get \(name) after the puts failed: \(error.message)")
        }
        guard matches, readVersion == version else {
            throw .wrongValue("get \(name) after the puts returned \(count) bytes at version \(readVersion) that are not the \(expected.count) bytes put last at version \(version) (the agent lost an acknowledged write)")
        }
    }

    private func write(mode: SecretsAgent_V1_PutMode) throws(BenchFailure) {
        value.withUnsafeMutableBytes { raw in
            for word in 0..<(raw.count / 8) { raw.storeBytes(of: generator.next() as UInt64, toByteOffset: word * 8, as: UInt64.self) }
        }
        let written: Result<UInt64, SecretsError> = value.withUnsafeBytes { raw in
            Result { () throws(SecretsError) in try client.put(name: name, environment: Self.environment, value: raw, mode: mode) }
        }
        switch written {
        case .success(let newVersion):
            guard newVersion > version else {
                throw .wrongValue("put \(name) acknowledged version \(newVersion) after version \(version) (versions must grow)")
            }
            version = newVersion
        case .failure(let error):
            throw .setup("put \(name) failed: \(error.message)")
        }
    }
}
