import Foundation
@testable import SecretsScan
import Testing

/// `scan`'s text and `--json` output: the exact keys of DESIGN §12, and never a value.
@Suite struct ScanReportTests {
    static let entry = ScanReport.Entry(file: "dir/a \"b\".env", line: 2, column: 7, endLine: 2, endColumn: 27,
                                        rule: ScanFixtures.awsRule, confidence: .high, masked: "AKIAZ7Q2KX...RTV", hash: "00ff")

    @Test func jsonHasExactlyTheContractKeys() throws {
        var report = ScanReport()
        report.entries = [Self.entry, Self.entry]
        let array = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [[String: Any]])
        #expect(array.count == 2)
        for object in array {
            #expect(Set(object.keys) == ["file", "line", "column", "end_line", "end_column", "rule", "confidence", "masked"])
            #expect(object["file"] as? String == "dir/a \"b\".env")
            #expect(object["line"] as? Int == 2)
            #expect(object["column"] as? Int == 7)
            #expect(object["end_line"] as? Int == 2)
            #expect(object["end_column"] as? Int == 27)
            #expect(object["rule"] as? String == ScanFixtures.awsRule)
            #expect(object["confidence"] as? String == "high")
            #expect(object["masked"] as? String == "AKIAZ7Q2KX...RTV")
        }
    }

    @Test func historyAddsTheCommit() throws {
        var report = ScanReport()
        report.entries = [ScanReport.Entry(file: "a", line: 1, column: 1, endLine: 1, endColumn: 21, rule: "r",
                                           confidence: .low, masked: "***", hash: "h", commit: String(repeating: "ab", count: 20))]
        let array = try #require(try JSONSerialization.jsonObject(with: Data(report.json(history: true).utf8)) as? [[String: Any]])
        #expect(array.first.map { Set($0.keys) } == Set(ScanReport.jsonKeys + ["commit"]))
        #expect(array.first?["commit"] as? String == String(repeating: "ab", count: 20))
        #expect(report.entries[0].text == String(repeating: "ab", count: 20) + ":a:1:1: r (low): ***")
    }

    @Test func emptyIsAnEmptyArray() throws {
        let parsed = try JSONSerialization.jsonObject(with: Data(ScanReport().json().utf8)) as? [Any]
        #expect(parsed?.isEmpty == true)
    }

    @Test func theTextLineAndTheMaskComeFromTheMatchedBytes() {
        let bytes = Array("x = \(ScanFixtures.awsKey)\n".utf8)
        let finding = Scanner().scan(bytes)[0]
        let entry = bytes.withUnsafeBytes {
            ScanReport.Entry(finding, matched: UnsafeRawBufferPointer(rebasing: $0[finding.start..<finding.end]), file: "f.txt",
                             fingerprint: ScanFixtures.fingerprint)
        }
        #expect(entry.text == "f.txt:1:5: aws-access-key-id (high): AKI...RTV")
        #expect(!entry.text.contains(ScanFixtures.awsKey))
        #expect(entry.hash == Array(ScanFixtures.awsKey.utf8).withUnsafeBytes(ScanFixtures.fingerprint))
    }

    @Test func theSummaryCounts() {
        var report = ScanReport()
        #expect(report.summary() == "scan: no findings (0 files scanned)")
        report.entries = [Self.entry, Self.entry]
        report.scanned = 3
        report.skipped = 1
        report.baselined = 2
        report.unreadable = 1
        #expect(report.summary() == "scan: 2 findings in 1 file (3 files scanned, 1 skipped, 2 in the baseline, 1 unreadable)")
        #expect(report.summary(unit: "commit").contains("3 commits scanned"))
    }
}
