import SecretsCore
import Testing

@Suite struct DurationTextTests {
    @Test(arguments: [("30d", 2_592_000), ("12h", 43_200), ("90m", 5_400), ("45s", 45), ("1w", 604_800), ("1d12h", 129_600)] as [(String, UInt64)])
    func parses(_ text: String, _ seconds: UInt64) throws {
        #expect(try DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "d", "30", "30x", "-1d", "0d", "1.5d", "99999999999999w", "3 d", "30D"])
    func rejects(_ text: String) {
        #expect(throws: SecretsError.self) { try DurationText.seconds(text) }
    }

    @Test func formatsInTheLargestWholeUnit() {
        #expect(DurationText.format(2_592_000) == "30d")
        #expect(DurationText.format(129_600) == "36h")
        #expect(DurationText.format(90) == "90s")
        #expect(DurationText.format(604_800) == "1w")
    }
}
