import Foundation
@testable import SecretsScan
import Testing

/// `scan --sarif`: the properties GitHub code scanning requires, levels from confidence,
/// every enabled rule listed, and fingerprints instead of values.
@Suite struct SarifLogTests {
    static let rules = [Rule(id: "aws-access-key-id", description: "AWS access key id", confidence: .high),
                        Rule(id: "generic-password", description: "Password assignment", confidence: .medium),
                        Rule(id: "weak-hint", description: "Weak hint", confidence: .low)]

    static func log() throws -> [String: Any] {
        var report = ScanReport()
        report.entries = [
            ScanReport.Entry(file: "./src/app config.py", line: 3, column: 9, endLine: 3, endColumn: 29, rule: "aws-access-key-id",
                             confidence: .high, masked: "AKIAZ7Q2KX...RTV", hash: "aa11"),
            ScanReport.Entry(file: "/etc/app.env", line: 1, column: 10, endLine: 1, endColumn: 22, rule: "generic-password",
                             confidence: .medium, masked: "hun...er2", hash: "bb22", commit: "c0ffee"),
            ScanReport.Entry(file: "notes.txt", line: 5, column: 1, endLine: 6, endColumn: 4, rule: "weak-hint",
                             confidence: .low, masked: "***", hash: "cc33"),
        ]
        let bytes = SarifLog(report: report, rules: rules, toolVersion: "0.1.0").encoded()
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func theLogHasTheRequiredShape() throws {
        let log = try Self.log()
        #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        #expect(log["version"] as? String == "2.1.0")
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let driver = try #require((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "secrets-agent")
        #expect((driver["informationUri"] as? String)?.hasPrefix("https://") == true)
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == Self.rules.map(\.id))
        for rule in rules {
            #expect((rule["shortDescription"] as? [String: Any])?["text"] is String)
            let properties = try #require(rule["properties"] as? [String: Any])
            #expect(properties["precision"] is String)
            #expect((properties["tags"] as? [String])?.contains("security") == true)
        }
        #expect(((rules[1]["defaultConfiguration"] as? [String: Any])?["level"] as? String) == "warning")

        let results = try #require(runs[0]["results"] as? [[String: Any]])
        #expect(results.compactMap { $0["ruleId"] as? String } == ["aws-access-key-id", "generic-password", "weak-hint"])
        #expect(results.compactMap { $0["ruleIndex"] as? Int } == [0, 1, 2])
        #expect(results.compactMap { $0["level"] as? String } == ["error", "warning", "note"])
        for result in results {
            #expect(((result["message"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
            let locations = try #require(result["locations"] as? [[String: Any]])
            let physical = try #require(locations.first?["physicalLocation"] as? [String: Any])
            #expect((physical["artifactLocation"] as? [String: Any])?["uri"] is String)
            let region = try #require(physical["region"] as? [String: Any])
            for key in ["startLine", "startColumn", "endLine", "endColumn"] { #expect(region[key] is Int, "\(key)") }
            #expect((result["partialFingerprints"] as? [String: String])?[SarifLog.fingerprintKey] != nil)
        }
        let uris = results.compactMap { (($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]).flatMap { ($0["artifactLocation"] as? [String: Any])?["uri"] as? String } }
        #expect(uris == ["src/app%20config.py", "file:///etc/app.env", "notes.txt"])
        let region = ((results[2]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Int]
        #expect(region == ["startLine": 5, "startColumn": 1, "endLine": 6, "endColumn": 4])
        #expect((results[1]["properties"] as? [String: String])?["commit"] == "c0ffee")
    }

    @Test func theRealRulesAreListed() throws {
        let bytes = SarifLog(report: ScanReport(), rules: Scanner.rules, toolVersion: "0.1.0").encoded()
        let log = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let runs = try #require(log["runs"] as? [[String: Any]])
        let driver = (runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any]
        let ids = (driver?["rules"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(ids == Scanner.rules.map(\.id))
        #expect(ids?.contains(ScanFixtures.awsRule) == true)
        #expect((runs[0]["results"] as? [Any])?.isEmpty == true)
    }
}
