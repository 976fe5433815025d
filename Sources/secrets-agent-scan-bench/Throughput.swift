import SecretsScan

/// Scanner's speed on one core: the corpus as one buffer, a 100 MB buffer made of the
/// corpus repeated, and pathological single lines. Each figure is the median of several
/// timed scans on this thread; the process's CPU time is taken alongside, so a scanner that
/// went wide would be charged for every core it used.
struct Throughput: Sendable {
    struct Measurement: Sendable {
        let name: String
        let bytes: Int
        let repetitions: Int
        /// Median wall seconds of one scan.
        let seconds: Double
        /// Median CPU seconds of the process during one scan.
        let cpuSeconds: Double
        let findings: Int

        /// Megabytes (10^6 bytes) per second of one core: over the wall time, or the CPU
        /// time when the scan kept more than one core busy.
        var megabytesPerSecond: Double {
            let usedMoreThanOneCore = cpuSeconds > seconds * 1.2
            return Double(bytes) / 1e6 / max(usedMoreThanOneCore ? cpuSeconds : seconds, 1e-9)
        }
    }

    let corpus: Measurement
    /// Nil with `--quick`.
    let hundredMegabytes: Measurement?
    let pathological: [Measurement]

    var slowestPathological: Measurement? { pathological.max { $0.seconds < $1.seconds } }

    static let hundredMegabyteCount = 100_000_000
    static let pathologicalCount = 1_000_000

    static func measure(_ scanner: Scanner, corpus: [UInt8], quick: Bool) -> Throughput {
        let corpusRun = time(scanner, "3 MB corpus", corpus, repetitions: quick ? 3 : 9, warmUp: true)
        var hundred: Measurement?
        if !quick {
            var big: [UInt8] = []
            big.reserveCapacity(hundredMegabyteCount)
            while big.count < hundredMegabyteCount { big += corpus.prefix(hundredMegabyteCount - big.count) }
            hundred = time(scanner, "100 MB", big, repetitions: 3, warmUp: false)
        }
        let pathological = pathologicalInputs().map { time(scanner, $0.name, $0.bytes, repetitions: quick ? 1 : 3, warmUp: false) }
        return Throughput(corpus: corpusRun, hundredMegabytes: hundred, pathological: pathological)
    }

    /// Single lines of 1 MB built to make a scanner backtrack or rescan: a keyword
    /// assignment with a 1 MB name, a 1 MB base64 run, and runs of credential prefixes with
    /// nothing valid after them.
    static func pathologicalInputs() -> [(name: String, bytes: [UInt8])] {
        var rng = SplitMix64(seed: 0xBAD_1DEA)
        func repeated(_ unit: String) -> [UInt8] {
            let bytes = Array(unit.utf8)
            return (0..<(pathologicalCount / bytes.count + 1)).flatMap { _ in bytes }.prefix(pathologicalCount).map { $0 }
        }
        return [
            ("1 MB of 'a' then '='", Array(repeating: UInt8(ascii: "a"), count: pathologicalCount) + [UInt8(ascii: "=")]),
            ("1 MB of base64", Array(rng.string(pathologicalCount, .base64).utf8)),
            ("'eyJ' repeated", repeated("eyJ")),
            ("'password=' repeated", repeated("password=")),
            ("'-----BEGIN PRIVATE KEY-----' repeated", repeated("-----BEGIN PRIVATE KEY-----")),
            ("'postgres://u:' repeated", repeated("postgres://u:")),
            ("'AKIA' + 'ghp_' repeated", repeated("AKIAghp_")),
        ]
    }

    private static func time(_ scanner: Scanner, _ name: String, _ bytes: [UInt8], repetitions: Int, warmUp: Bool) -> Measurement {
        var findings = 0
        if warmUp { findings = bytes.withUnsafeBytes { scanner.scan($0).count } }
        var walls: [Double] = []
        var cpus: [Double] = []
        for _ in 0..<repetitions {
            let cpuStart = Clocks.processCPU()
            let start = Clocks.monotonic()
            findings = bytes.withUnsafeBytes { scanner.scan($0).count }
            walls.append(Double(Clocks.monotonic() - start) / 1e9)
            cpus.append(Double(Clocks.processCPU() - cpuStart) / 1e9)
        }
        return Measurement(name: name, bytes: bytes.count, repetitions: repetitions, seconds: median(walls),
                           cpuSeconds: median(cpus), findings: findings)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
