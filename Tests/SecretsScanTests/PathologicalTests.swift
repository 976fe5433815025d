import SecretsScan
import Testing

/// Inputs built to make a careless scanner quadratic: each completes, and 1 MiB takes not
/// much more than four times 256 KiB (a loose bound: timings in a debug build are noisy).
@Suite(.serialized) struct PathologicalTests {
    static func repeating(_ piece: String, _ size: Int) -> [UInt8] {
        let bytes = Array(piece.utf8)
        return (0..<size).map { bytes[$0 % bytes.count] }
    }

    static let inputs: [(name: String, make: @Sendable (Int) -> [UInt8])] = [
        ("one repeated character", { PathologicalTests.repeating("a", $0) }),
        ("a=", { PathologicalTests.repeating("a=", $0) }),
        ("base64", { size in
            var generator = SplitMix64(seed: 7)
            let alphabet = Array(Fixture.base64.utf8)
            return (0..<size).map { _ in alphabet[Int(generator.next() % 64)] }
        }),
        ("eyJ", { PathologicalTests.repeating("eyJ", $0) }),
        ("JWT headers", { PathologicalTests.repeating("eyJhbGciOiJIUzI1NiJ9.", $0) }),
        ("-----BEGIN without END", { size in
            Array("-----BEGIN RSA PRIVATE KEY-----\n".utf8) + PathologicalTests.repeating(Fixture.random(64, Fixture.base64, seed: 8) + "\n", size)
        }),
        ("BEGIN lines", { PathologicalTests.repeating("-----BEGIN PRIVATE KEY-----\n", $0) }),
        ("://", { PathologicalTests.repeating("://", $0) }),
        ("redis://:pw", { PathologicalTests.repeating("redis://:pw", $0) }),
        ("password=", { PathologicalTests.repeating("password=", $0) }),
        ("password='Xy7#", { PathologicalTests.repeating("password='Xy7#", $0) }),
        ("\"private_key\": \"-----BEGIN", { PathologicalTests.repeating("\"private_key\": \"-----BEGIN PRIVATE KEY-----\\n", $0) }),
        ("dashes", { PathologicalTests.repeating("-", $0) }),
        ("colons", { PathologicalTests.repeating(":", $0) }),
        ("DefaultEndpointsProtocol", { PathologicalTests.repeating("DefaultEndpointsProtocol=https;AccountName=a;", $0) }),
        ("DefaultEndpointsProtocol with AccountKey", { PathologicalTests.repeating("DefaultEndpointsProtocol=https;AccountKey=", $0) }),
        ("Slack token bodies", { PathologicalTests.repeating("xoxb-1-", $0) }),
        ("call arguments", { PathologicalTests.repeating("(\"password\", \"", $0) }),
        ("|| defaults", { PathologicalTests.repeating("token = x || \"", $0) }),
        ("secrets-agent:allow", { PathologicalTests.repeating("secrets-agent:allow ", $0) }),
        ("many findings", { PathologicalTests.repeating("k=AKIAZ7Q2KXH4LMNP3RTV\n", $0) }),
    ]

    @Test(arguments: 0..<inputs.count)
    func scalesLinearly(_ index: Int) {
        let input = Self.inputs[index]
        let small = input.make(256 * 1024), large = input.make(1024 * 1024)
        let clock = ContinuousClock()
        func best(_ bytes: [UInt8]) -> Double {
            var best = Double.infinity
            for _ in 0..<2 {
                let elapsed = clock.measure { _ = Scanner().scan(bytes) }
                best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            }
            return best
        }
        let t256 = best(small), t1024 = best(large)
        print("pathological \(input.name): 256 KiB \(Int(t256 * 1000)) ms, 1 MiB \(Int(t1024 * 1000)) ms (debug build)")
        #expect(t1024 < 10 * t256 + 0.25, "\(input.name): 256 KiB \(t256) s, 1 MiB \(t1024) s")
    }
}
