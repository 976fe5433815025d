import Foundation
@testable import SecretsScan
import Testing

/// Baselines: what is written is read back, accepts exactly the findings it was made from,
/// and holds no value.
@Suite struct BaselineTests {
    static func report(_ text: String, file: String = "app/config.env") -> ScanReport {
        var report = ScanReport()
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { raw in
            for finding in Scanner().scan(bytes) {
                report.entries.append(ScanReport.Entry(finding, matched: UnsafeRawBufferPointer(rebasing: raw[finding.start..<finding.end]),
                                                       file: file, fingerprint: ScanFixtures.fingerprint))
            }
        }
        return report
    }

    @Test func aWrittenBaselineReadBackLeavesNothing() throws {
        let found = Self.report("a=\(ScanFixtures.awsKey)\nb=\(ScanFixtures.awsKey)\n")
        #expect(found.entries.count == 2)
        let written = Baseline(accepting: found).encoded()
        let read = try Baseline(decoding: written)
        #expect(read == Baseline(accepting: found))
        let filtered = read.filter(found)
        #expect(filtered.entries.isEmpty)
        #expect(filtered.baselined == 2)
        let leaked = ScanFixtures.count(Array(ScanFixtures.awsKey.utf8), in: written) > 0
        #expect(!leaked, "the baseline holds the value")
    }

    @Test func aNewValueOrAnotherFileIsStillReported() throws {
        let baseline = try Baseline(decoding: Baseline(accepting: Self.report("a=\(ScanFixtures.awsKey)\n")).encoded())
        let otherValue = Self.report("a=AKIAJ5KZ3XQ7NL2MP4RY\n")
        let otherFile = Self.report("a=\(ScanFixtures.awsKey)\n", file: "elsewhere.env")
        #expect(baseline.filter(otherValue).entries.count == 1)
        #expect(baseline.filter(otherFile).entries.count == 1)
    }

    @Test func theFileIsAJSONArrayOfFileRuleHash() throws {
        let written = Baseline(accepting: Self.report("a=\(ScanFixtures.awsKey)\n")).encoded()
        let array = try #require(try JSONSerialization.jsonObject(with: Data(written)) as? [[String: String]])
        #expect(array.count == 1)
        #expect(array.first.map { Set($0.keys) } == ["file", "rule", "hash"])
        #expect(array.first?["rule"] == ScanFixtures.awsRule)
        #expect(array.first?["file"] == "app/config.env")
        #expect(Baseline().encoded() == Array("[]\n".utf8))
    }

    @Test func somethingElseIsRejected() {
        for text in ["", "{}", "[{\"file\": \"a\"}]", "not json"] {
            #expect(throws: (any Error).self) { try Baseline(decoding: Array(text.utf8)) }
        }
    }
}
