import SecretsCore
import Testing
@testable import SecretsUpstream

@Suite struct UpstreamDurationTests {
    @Test(arguments: [("30s", 30), ("5m", 300), ("12h", 43_200), ("1d12h", 129_600), ("1w", 604_800), ("90", 90), ("0", 0)] as [(String, UInt64)])
    func acceptedForms(_ text: String, _ seconds: UInt64) throws {
        #expect(try UpstreamDuration.seconds(text, flag: "--cache-ttl") == seconds)
    }

    @Test(arguments: ["", "5x", "-1", "1.5s", "s", "5 m", "99999999999999"])
    func refusedFormsNameTheFlag(_ text: String) {
        #expect {
            try UpstreamDuration.seconds(text, flag: "--max-stale")
        } throws: { error in
            let failure = error as? SecretsError
            return failure?.code == .invalidArgument && failure?.message.hasPrefix("--max-stale \"") == true
        }
    }

    @Test func zeroIsRefusedWhereItMakesNoSense() {
        #expect(throws: SecretsError.self) { try UpstreamDuration.seconds("0", flag: "--upstream-poll", allowZero: false) }
    }
}
