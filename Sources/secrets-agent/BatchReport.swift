import SecretsProtocol

/// What `import` and `restore` print: one line per secret and a summary, or with `--json`
/// one object of arrays. Names, environments and versions only, never a value.
enum BatchReport {
    static func print(_ results: [SecretsAgent_V1_BatchPutResult], verb: String, dryRun: Bool, json: Bool) {
        let groups: [(key: String, outcome: SecretsAgent_V1_BatchPutOutcome)] = [
            ("created", .created), ("updated", .updated), ("skipped", .skipped),
        ]
        if json {
            var object: [String: Any] = ["dry_run": dryRun]
            for group in groups {
                object[group.key] = results.filter { $0.outcome == group.outcome }.map { r -> [String: Any] in
                    var entry: [String: Any] = ["name": r.name, "environment": r.environment]
                    if r.version > 0 { entry["version"] = r.version }
                    return entry
                }
            }
            JSONOutput.print(object)
            return
        }
        for r in results {
            switch (r.outcome, dryRun) {
            case (.created, false): Terminal.print("created \(r.name) in \(r.environment) (version \(r.version))")
            case (.updated, false): Terminal.print("updated \(r.name) in \(r.environment) (version \(r.version))")
            case (.created, true): Terminal.print("would create \(r.name) in \(r.environment)")
            case (.updated, true): Terminal.print("would update \(r.name) in \(r.environment)")
            default: Terminal.print("\(dryRun ? "would skip" : "skipped") \(r.name) in \(r.environment) (it exists)")
            }
        }
        let counts = groups.map { group in "\(results.filter { $0.outcome == group.outcome }.count) \(group.key)" }
        Terminal.print("\(verb): \(counts.joined(separator: ", "))\(dryRun ? " (dry run: nothing written)" : "")")
    }
}
