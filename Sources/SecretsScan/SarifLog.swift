import Foundation

/// `scan --sarif`: a SARIF 2.1.0 log of one run, in the shape GitHub code scanning loads.
/// Every enabled rule is listed (with its confidence as `precision`); each result carries
/// the rule, a level from the confidence, the masked value in its message, the location,
/// and the fingerprint of the matched bytes in `partialFingerprints`, never the value.
public struct SarifLog {
    public static let schema = "https://json.schemastore.org/sarif-2.1.0.json"
    /// Where the tool is described (`tool.driver.informationUri`).
    public static let informationUri = "https://github.com/secrets-agent/secrets-agent"
    /// The key of the fingerprint in `partialFingerprints`.
    public static let fingerprintKey = "secretHash/v1"

    public let report: ScanReport
    public let rules: [Rule]
    public let toolVersion: String

    /// The log of `report`, whose findings come from `rules`.
    public init(report: ScanReport, rules: [Rule], toolVersion: String) {
        self.report = report
        self.rules = rules
        self.toolVersion = toolVersion
    }

    /// SARIF's level for a confidence: `error`, `warning` or `note`.
    public static func level(_ confidence: Confidence) -> String {
        switch confidence {
        case .high: "error"
        case .medium: "warning"
        case .low: "note"
        }
    }

    /// The log as a JSON object.
    public var object: [String: Any] {
        var ruleIndex: [String: Int] = [:]
        var ruleList = rules
        for entry in report.entries where !ruleList.contains(where: { $0.id == entry.rule }) {
            ruleList.append(Rule(id: entry.rule, description: entry.rule, confidence: entry.confidence))
        }
        for (index, rule) in ruleList.enumerated() { ruleIndex[rule.id] = index }
        let driverRules: [[String: Any]] = ruleList.map { rule in
            [
                "id": rule.id,
                "name": SarifLog.ruleName(rule.id),
                "shortDescription": ["text": rule.description],
                "fullDescription": ["text": "\(rule.description): a credential that should not be in this file or stream."],
                "help": ["text": "Remove the credential, rotate it, and load it at run time instead (for example: secrets-agent exec)."],
                "defaultConfiguration": ["level": SarifLog.level(rule.confidence)],
                "properties": [
                    "confidence": rule.confidence.rawValue,
                    "precision": rule.confidence.rawValue,
                    "tags": ["security", "secret"],
                ] as [String: Any],
            ]
        }
        let results: [[String: Any]] = report.entries.map { entry in
            let description = ruleList[ruleIndex[entry.rule]!].description
            var result: [String: Any] = [
                "ruleId": entry.rule,
                "ruleIndex": ruleIndex[entry.rule]!,
                "level": SarifLog.level(entry.confidence),
                "message": ["text": "\(description) (\(entry.confidence.rawValue) confidence): \(entry.masked)"],
                "locations": [[
                    "physicalLocation": [
                        "artifactLocation": ["uri": SarifLog.uri(entry.file)],
                        "region": [
                            "startLine": entry.line, "startColumn": entry.column,
                            "endLine": entry.endLine, "endColumn": entry.endColumn,
                        ],
                    ] as [String: Any],
                ]],
                "partialFingerprints": [SarifLog.fingerprintKey: entry.hash],
            ]
            if let commit = entry.commit { result["properties"] = ["commit": commit] }
            return result
        }
        return [
            "$schema": SarifLog.schema,
            "version": "2.1.0",
            "runs": [[
                "tool": ["driver": [
                    "name": "secrets-agent",
                    "informationUri": SarifLog.informationUri,
                    "version": toolVersion,
                    "rules": driverRules,
                ] as [String: Any]],
                "results": results,
            ] as [String: Any]],
        ]
    }

    /// The log as pretty-printed JSON with sorted keys, ending with a newline.
    public func encoded() -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Array(data) + [0x0A]
    }

    /// `aws-access-key-id` → `AwsAccessKeyId` (SARIF's `name` is an identifier).
    static func ruleName(_ id: String) -> String {
        id.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// A report path as a URI reference: relative paths stay relative (without `./`),
    /// absolute ones become `file://` URIs; reserved bytes are percent-encoded.
    static func uri(_ path: String) -> String {
        var path = path
        while path.hasPrefix("./") { path.removeFirst(2) }
        var out = path.hasPrefix("/") ? "file://" : ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
