import Foundation

/// The human-readable report: a header saying how the run was done, one section per row
/// group, the ratios, then a PASS/FAIL/SKIP line per target.
extension BenchReport {
    var table: String {
        (header + latencySection + throughputSection + scaleSection + writeSection + otherSection
            + ratioSection + [""] + targets.map { "\($0.status.rawValue)  \(Format.left($0.statement, 42))\($0.measured)" })
            .joined(separator: "\n")
    }

    private var header: [String] {
        let window = Double(workload.throughputNanoseconds) / 1e9
        var lines = [
            "secrets-agent-bench: a real agent vs the framed-echo floor" + (openBaoMeasured ? " and OpenBao" : "") + ", one run"
                + (quick ? " (--quick: counts too small to judge the targets by)" : ""),
            host.summary,
            "counts: \(Format.grouped(Double(workload.latencySamples))) round trips per latency row (rows in turns, blocks of "
                + "\(Format.grouped(Double(workload.latencyBlockSize)))); throughput \(String(format: "%.1f", window)) s per cell in "
                + "\(workload.throughputRounds) turns; store of \(Format.grouped(Double(scale.secretCount))) secrets",
            "frame bodies: get request \(sizes.requestBodyByteCount) B, reply \(sizes.replyBodyByteCount) B (a 40-byte value); "
                + "the floors move the same bytes",
            latencyCPU.map { "pinning: latency rows with " + (openBaoMeasured ? "the bench, the agent and OpenBao" : "the bench and the agent") + " on CPU \($0); "
                + "everything else (unpinned rows, throughput, store, writes, CLI) on all CPUs" }
                ?? "pinning: none (every row on all CPUs)",
        ]
        switch openBao {
        case .measured(let binary): lines.append("OpenBao: \(binary) server -dev on 127.0.0.1, KV v2, HTTP/1.1 keep-alive")
        case .skipped(let reason): lines.append("OpenBao: skipped (\(reason))")
        }
        return lines
    }

    private var latencySection: [String] {
        var lines = ["", row("round trip, 1 client", ["p50", "p99", "p99.9", "rate"])]
        for subject in Subject.allCases {
            if let stats = latency[subject] { lines.append(latencyRow("  " + subject.label, stats)) }
        }
        if !unpinned.isEmpty {
            lines.append("  unpinned (\(Format.grouped(Double(workload.unpinnedSamples))) round trips):")
            for subject in Subject.allCases {
                if let stats = unpinned[subject] { lines.append(latencyRow("    " + subject.label, stats)) }
            }
        }
        return lines
    }

    private var throughputSection: [String] {
        let counts = workload.clientCounts
        var lines = ["", row("requests/s, N clients", counts.map { "\($0)" })]
        for subject in Subject.allCases {
            guard let cells = throughput[subject] else { continue }
            lines.append(row("  " + subject.label, counts.map { cells[$0].map { Format.grouped($0.requestsPerSecond) } ?? "-" }))
        }
        return lines
    }

    private var scaleSection: [String] {
        let secrets = Format.grouped(Double(scale.secretCount))
        let populateSeconds = Double(scale.populateNanoseconds) / 1e9
        return [
            "",
            row("store of \(secrets) secrets", ["p50", "p99", "calls"]),
            row("  list \(Format.grouped(Double(scale.listCount))) names", [Format.micro(scale.list.p50Microseconds),
                                                                          Format.micro(scale.list.p99Microseconds), "\(scale.list.sortedNanoseconds.count)"]),
            row("  batchGet \(scale.batchGetSize) at random", [Format.micro(scale.batchGet.p50Microseconds),
                                                                Format.micro(scale.batchGet.p99Microseconds), "\(scale.batchGet.sortedNanoseconds.count)"]),
            row("  get at random", [Format.micro(scale.randomGet.p50Microseconds), Format.micro(scale.randomGet.p99Microseconds),
                                   "\(scale.randomGet.sortedNanoseconds.count)"]),
            "  populated by BatchPut in chunks of \(Format.grouped(Double(workload.populateChunk))): "
                + String(format: "%.1f s", populateSeconds) + " (\(Format.rate(Double(scale.secretCount) / max(populateSeconds, 1e-9))))",
            String(format: "  agent RSS: %.1f MiB (peak %.1f MiB; MiB = 2^20 bytes), after populating and every read above",
                   memory.residentMiB, memory.peakMiB),
            String(format: "    of which %.1f MiB its own (heap, stacks, locked memory) and %.1f MiB mapped from files (binary, libraries)",
                   memory.anonymousMiB, memory.fileMiB),
        ]
    }

    private var writeSection: [String] {
        [
            "",
            row("writes (synchronous=FULL)", ["p50", "p99", "rate"]),
            row("  put, 1 client", [Format.micro(put.p50Microseconds), Format.micro(put.p99Microseconds), Format.rate(put.requestsPerSecond)]),
            row("  put, \(writes.clients) writers", ["", "", Format.rate(writes.requestsPerSecond)]),
            "  each writer updates its own secret; every acknowledged value is read back at the end",
        ]
    }

    private var otherSection: [String] {
        let unlock = unlockMilliseconds.sorted()
        let cli = cliMilliseconds.sorted()
        return [
            "",
            "unlock, passphrase keyslot (Argon2id): \(Format.milli(unlockP50)) p50 of \(unlock.count)"
                + (unlock.count > 1 ? " (\(Format.milli(unlock.first)) to \(Format.milli(unlock.last)))" : ""),
            "secrets-agent get, spawn to exit: \(Format.milli(cliP50)) p50 of \(cli.count) (\(Format.milli(cli.first)) to \(Format.milli(cli.last)))",
            "  secrets-agent --version (no agent, the process alone): \(Format.milli(Self.median(cliStartMilliseconds))) p50",
        ]
    }

    private var ratioSection: [String] {
        var lines = [
            "",
            "ratios (same run)",
            "  get p50 / C floor p50          \(Format.times(getP50OverFloor))",
            "  get p99 / C floor p99          \(Format.times(getP99OverFloor))",
        ]
        if openBaoMeasured {
            lines += [
                "  OpenBao rps / get rps, 8 cl.   \(Format.times(openBaoRPSOverGet))",
                "  get p50 / OpenBao p50          \(Format.times(getP50OverOpenBao))",
                "  get p99 / OpenBao p99          \(Format.times(getP99OverOpenBao))",
            ]
        }
        return lines
    }

    private var openBaoMeasured: Bool {
        if case .measured = openBao { return true }
        return false
    }

    private func latencyRow(_ label: String, _ stats: LatencyStats) -> String {
        row(label, [Format.micro(stats.p50Microseconds), Format.micro(stats.p99Microseconds),
                    Format.micro(stats.p999Microseconds), Format.rate(stats.requestsPerSecond)])
    }

    private func row(_ label: String, _ cells: [String]) -> String {
        Format.left(label, 30) + cells.map { Format.right($0, 11) }.joined()
    }
}
