import Foundation
import SecretsScan

/// The figures of one run, the targets judged on them, and their two renderings.
struct ScanBenchReport: Sendable {
    struct Target: Sendable {
        enum Status: String, Sendable { case pass = "PASS", fail = "FAIL", skipped = "SKIP" }
        let statement: String
        let status: Status
        let measured: String
    }

    let corpus: CorpusSummary
    let host: HostLoad
    let quick: Bool
    let ours: Accuracy
    /// Nil when detect-secrets was not found.
    let detectSecrets: (run: DetectSecrets, accuracy: Accuracy)?
    let throughput: Throughput
    /// The rule ids `Scanner.rules` knows.
    let scannerRules: Set<String>

    struct CorpusSummary: Sendable {
        let seed: UInt64
        let bytes: Int
        let files: Int
        let labels: Int
        let decoys: Int
        /// Hard-negative lines per `DecoyKind` raw value.
        let decoysByKind: [String: Int]
    }

    static let minF1 = 0.95
    static let minMegabytesPerSecond = 50.0
    static let minSpeedup = 10.0
    static let maxPathologicalSeconds = 0.25

    /// The throughput the one-core target is judged on: the slower of the corpus and the
    /// 100 MB input.
    var judgedMegabytesPerSecond: Double {
        min(throughput.corpus.megabytesPerSecond, throughput.hundredMegabytes?.megabytesPerSecond ?? .infinity)
    }

    /// Our corpus MB/s over detect-secrets' by its wall time (the target's measure).
    var speedup: Double? {
        detectSecrets.map { throughput.corpus.megabytesPerSecond / max($0.run.megabytesPerSecond, 1e-9) }
    }

    /// The same by detect-secrets' CPU time: what the ratio is when other work on the host
    /// slows its long run more than our short scans.
    var speedupByCPU: Double? {
        detectSecrets.map { throughput.corpus.megabytesPerSecond / max(Double($0.run.bytes) / 1e6 / max($0.run.cpuSeconds, 1e-9), 1e-9) }
    }

    var targets: [Target] {
        let f1 = ours.overall.f1 ?? 0
        var targets = [Target(statement: "overall F1 >= \(Self.minF1)", status: f1 >= Self.minF1 ? .pass : .fail, measured: fixed(f1, 3))]
        if let detectSecrets {
            let theirs = detectSecrets.accuracy.byLine.f1 ?? 0, mine = ours.byLine.f1 ?? 0
            targets.append(Target(statement: "F1 above detect-secrets' (by line)", status: mine > theirs ? .pass : .fail,
                                  measured: "\(fixed(mine, 3)) vs \(fixed(theirs, 3))"))
        } else {
            targets.append(Target(statement: "F1 above detect-secrets' (by line)", status: .skipped, measured: "detect-secrets not found"))
        }
        targets.append(Target(statement: ">= \(Int(Self.minMegabytesPerSecond)) MB/s on one core",
                              status: judgedMegabytesPerSecond >= Self.minMegabytesPerSecond ? .pass : .fail,
                              measured: "\(fixed(judgedMegabytesPerSecond, 1)) MB/s"))
        if let speedup {
            targets.append(Target(statement: ">= \(Int(Self.minSpeedup))x detect-secrets' speed", status: speedup >= Self.minSpeedup ? .pass : .fail,
                                  measured: "\(times(speedup))x"))
        } else {
            targets.append(Target(statement: ">= \(Int(Self.minSpeedup))x detect-secrets' speed", status: .skipped, measured: "detect-secrets not found"))
        }
        let slowest = throughput.slowestPathological?.seconds ?? 0
        targets.append(Target(statement: "slowest pathological 1 MB line < \(Self.maxPathologicalSeconds) s",
                              status: slowest < Self.maxPathologicalSeconds ? .pass : .fail, measured: "\(fixed(slowest, 4)) s"))
        return targets
    }

    /// False when a measured target was missed (a skipped one is not missed).
    var allMeasuredTargetsMet: Bool { !targets.contains { $0.status == .fail } }

    // MARK: - Table

    var table: String {
        var lines = [
            "secrets-agent-scan-bench: Scanner against a labeled corpus" + (quick ? " (quick)" : ""),
            "corpus: seed 0x\(String(corpus.seed, radix: 16)), \(fixed(Double(corpus.bytes) / 1e6, 2)) MB in \(corpus.files) files, "
                + "\(corpus.labels) credentials of \(RuleCatalog.ids.count) rules, \(corpus.decoys) hard-negative lines",
            host.summary,
            detectSecrets.map { "detect-secrets: \($0.run.version) (\($0.run.executable), one core: -c 1)" } ?? "detect-secrets: not found (pip install detect-secrets)",
            "",
            "a true positive matches a label's (file, line, rule); a PEM block is labeled on its BEGIN line;",
            "by line, a finding on any line of a credential (a block's key, body or END included) finds it",
            "",
            row(["rule", "labels", "TP", "FP", "FN", "precision", "recall", "F1"] + (detectSecrets == nil ? [] : ["d-s recall"])),
        ]
        let theirs = Dictionary(uniqueKeysWithValues: (detectSecrets?.accuracy.perRule ?? []).map { ($0.rule, $0.tally) })
        for (rule, tally) in ours.perRule {
            let name = rule + (scannerRules.contains(rule) ? "" : " *")
            lines.append(row([name] + cells(tally) + (detectSecrets == nil ? [] : [score(theirs[rule]?.recall)])))
        }
        lines.append(row(["overall (by rule)"] + cells(ours.overall)))
        lines.append(row(["overall (by line)"] + cells(ours.byLine)))
        if let detectSecrets {
            lines.append(row(["detect-secrets (by line)"] + cells(detectSecrets.accuracy.byLine)))
        }
        if ours.perRule.contains(where: { !scannerRules.contains($0.rule) }) {
            lines.append("* not in Scanner.rules (yet): its labels count as false negatives")
        }
        let theirCauses = detectSecrets?.accuracy.falsePositiveCauses
        lines += ["", "false positives by what their line holds (ours by rule" + (theirCauses == nil ? ")" : ", detect-secrets by line)"),
                  String(repeating: " ", count: 38) + pad("ours", 8) + (theirCauses == nil ? "" : pad("d-s", 8))]
        var causes = Set(ours.falsePositiveCauses.keys)
        causes.formUnion(theirCauses?.keys ?? Dictionary<String, Int>().keys)
        let ranked = causes.sorted {
            let a = (ours.falsePositiveCauses[$0] ?? 0) + (theirCauses?[$0] ?? 0)
            let b = (ours.falsePositiveCauses[$1] ?? 0) + (theirCauses?[$1] ?? 0)
            return a != b ? a > b : $0 < $1
        }
        for cause in ranked {
            lines.append("  " + cause.padding(toLength: 36, withPad: " ", startingAt: 0) + pad("\(ours.falsePositiveCauses[cause] ?? 0)", 8)
                         + (theirCauses.map { pad("\($0[cause] ?? 0)", 8) } ?? ""))
        }
        if ranked.isEmpty { lines.append("  (none)") }

        lines += ["", "throughput, one core".padding(toLength: 42, withPad: " ", startingAt: 0) + pad("MB/s", 10) + pad("seconds", 10) + pad("findings", 10)]
        lines.append(speedRow(throughput.corpus, label: "3 MB corpus, median of \(throughput.corpus.repetitions)"))
        if let hundred = throughput.hundredMegabytes {
            lines.append(speedRow(hundred, label: "100 MB, median of \(hundred.repetitions)"))
        } else {
            lines.append("  " + "100 MB".padding(toLength: 40, withPad: " ", startingAt: 0) + "   skipped (--quick)")
        }
        for run in throughput.pathological { lines.append(speedRow(run, label: run.name)) }
        if let detectSecrets {
            lines.append("  " + "detect-secrets -c 1, 3 MB corpus".padding(toLength: 40, withPad: " ", startingAt: 0)
                         + pad(fixed(detectSecrets.run.megabytesPerSecond, 3), 10) + pad(fixed(detectSecrets.run.wallSeconds, 2), 10)
                         + "   (wall, start-up included; cpu \(fixed(detectSecrets.run.cpuSeconds, 2)) s)")
        }
        if let detectSecrets, let speedup {
            lines += ["", "F1 vs detect-secrets (by line): \(score(ours.byLine.f1)) vs \(score(detectSecrets.accuracy.byLine.f1))",
                      "speed x detect-secrets: \(times(speedup))x (\(fixed(throughput.corpus.megabytesPerSecond, 1)) vs \(fixed(detectSecrets.run.megabytesPerSecond, 3)) MB/s by wall time; "
                          + "\(times(speedupByCPU ?? 0))x by its CPU time)"]
        }
        lines.append("")
        for target in targets {
            lines.append("\(target.status.rawValue)  " + target.statement.padding(toLength: 42, withPad: " ", startingAt: 0) + target.measured)
        }
        return lines.joined(separator: "\n")
    }

    private func cells(_ tally: Tally) -> [String] {
        ["\(tally.labeled)", "\(tally.truePositives)", "\(tally.falsePositives)", "\(tally.falseNegatives)",
         score(tally.precision), score(tally.recall), score(tally.f1)]
    }

    private func row(_ cells: [String]) -> String {
        cells[0].padding(toLength: 34, withPad: " ", startingAt: 0)
            + zip(cells.dropFirst(), [7, 6, 6, 6, 11, 8, 7, 12]).map { pad($0, $1) }.joined()
    }

    private func speedRow(_ run: Throughput.Measurement, label: String) -> String {
        "  " + label.padding(toLength: 40, withPad: " ", startingAt: 0) + pad(fixed(run.megabytesPerSecond, 1), 10)
            + pad(fixed(run.seconds, 4), 10) + pad("\(run.findings)", 10)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }

    private func score(_ value: Double?) -> String { value.map { fixed($0, 3) } ?? "-" }
    /// A ratio with the digits that matter: 0.44, 8.5, 120.
    private func times(_ value: Double) -> String { fixed(value, value < 1 ? 2 : value < 10 ? 1 : 0) }
    private func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    // MARK: - JSON

    /// One JSON object: scores as fractions, speeds in MB/s (10^6 bytes), times in seconds;
    /// null where something was not measured.
    var json: String {
        var object: [String: Any] = [
            "corpus": ["seed": "0x" + String(corpus.seed, radix: 16), "bytes": corpus.bytes, "files": corpus.files, "labels": corpus.labels,
                       "hard_negative_lines": corpus.decoys, "hard_negatives_by_kind": corpus.decoysByKind] as [String: Any],
            "quick": quick,
            "rules": ours.perRule.map { entry -> [String: Any] in
                var rule = tallyJSON(entry.tally)
                rule["rule"] = entry.rule
                rule["known_to_scanner"] = scannerRules.contains(entry.rule)
                rule["detect_secrets_recall"] = nullable(detectSecrets?.accuracy.perRule.first { $0.rule == entry.rule }?.tally.recall)
                return rule
            },
            "overall": tallyJSON(ours.overall),
            "overall_by_line": tallyJSON(ours.byLine),
            "false_positive_causes": ours.falsePositiveCauses,
            "throughput": [
                "corpus": speedJSON(throughput.corpus),
                "hundred_mb": throughput.hundredMegabytes.map(speedJSON) ?? NSNull(),
                "pathological": throughput.pathological.map(speedJSON),
                "slowest_pathological_seconds": throughput.slowestPathological?.seconds ?? 0,
            ] as [String: Any],
            "targets": targets.map { ["statement": $0.statement, "status": $0.status.rawValue.lowercased(), "measured": $0.measured] },
            "all_targets_met": allMeasuredTargetsMet,
        ]
        if let detectSecrets {
            object["detect_secrets"] = [
                "version": detectSecrets.run.version, "executable": detectSecrets.run.executable,
                "by_line": tallyJSON(detectSecrets.accuracy.byLine), "false_positive_causes": detectSecrets.accuracy.falsePositiveCauses,
                "wall_seconds": detectSecrets.run.wallSeconds, "cpu_seconds": detectSecrets.run.cpuSeconds,
                "mb_per_second": detectSecrets.run.megabytesPerSecond, "speedup": speedup ?? 0, "speedup_by_cpu": speedupByCPU ?? 0,
            ] as [String: Any]
        } else {
            object["detect_secrets"] = NSNull()
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private func tallyJSON(_ tally: Tally) -> [String: Any] {
        ["labels": tally.labeled, "tp": tally.truePositives, "fp": tally.falsePositives, "fn": tally.falseNegatives,
         "precision": nullable(tally.precision), "recall": nullable(tally.recall), "f1": nullable(tally.f1)]
    }

    private func speedJSON(_ run: Throughput.Measurement) -> [String: Any] {
        ["name": run.name, "bytes": run.bytes, "repetitions": run.repetitions, "seconds": run.seconds, "cpu_seconds": run.cpuSeconds,
         "mb_per_second": run.megabytesPerSecond, "findings": run.findings]
    }

    private func nullable(_ value: Double?) -> Any { value.map { ($0 * 10_000).rounded() / 10_000 } ?? NSNull() }
}
