import SecretsCore
@testable import SecretsScan
import Testing

/// The stream engine of `redact` (and of `scan` for stdin and history): output independent
/// of where reads split the stream, long lines cut in overlapping pieces with each finding
/// seen once, PEM blocks judged whole, positions right, memory bounded.
@Suite struct StreamScanTests {
    static let key = Array(ScanFixtures.awsKey.utf8)
    static let marker = Array("[REDACTED:aws-access-key-id]".utf8)

    // MARK: - Split points

    @Test func everySplitPointOfAnAWSKeyGivesTheSameRedactedOutput() {
        let input = Array("first line\nexport AWS_ACCESS_KEY_ID=\(ScanFixtures.awsKey) # ci\nlast line, no newline".utf8)
        let expected = Array("first line\nexport AWS_ACCESS_KEY_ID=[REDACTED:aws-access-key-id] # ci\nlast line, no newline".utf8)
        let whole = ScanFixtures.run(StreamScan(), [input[...]])
        #expect(whole.output == expected)
        for split in 0...input.count {
            let result = ScanFixtures.run(StreamScan(), [input[..<split], input[split...]])
            #expect(result.output == expected, "split at \(split)")
            #expect(result.findings.map(\.rule) == [ScanFixtures.awsRule], "split at \(split)")
        }
        // And one byte at a time.
        let bytewise = ScanFixtures.run(StreamScan(), input.indices.map { input[$0...$0] })
        #expect(bytewise.output == expected)
    }

    @Test func everySplitPointOfAPEMBlockGivenAsAValueIsRedactedAsOne() {
        let pem = ScanFixtures.pem()
        let input = Array("key follows\n\(pem)and the key \(ScanFixtures.awsKey) too\n".utf8)
        let values = [Redactor.Pattern(name: "deploy/key", value: Array(pem.utf8))]
        let expected = Array("key follows\n[REDACTED:deploy/key]and the key [REDACTED:aws-access-key-id] too\n".utf8)
        for split in 0...input.count {
            let result = ScanFixtures.run(StreamScan(values: values), [input[..<split], input[split...]])
            #expect(result.output == expected, "split at \(split)")
        }
    }

    @Test func everySplitPointOfAPEMBlockFoundByARuleGivesOneMarker() throws {
        let pem = ScanFixtures.pem()
        let body = pem.split(separator: "\n").dropFirst().dropLast()
        // The private-key rule is being written alongside; without it there is nothing to check.
        let rule = Scanner().scan(Array(pem.utf8)).first { $0.end - $0.start > pem.utf8.count / 2 }?.rule
        try #require(rule != nil || Scanner.rules.allSatisfy { !$0.id.contains("private-key") }, "a private-key rule exists but does not find the block")
        guard let rule else { return }
        let input = Array("before\n\(pem)after\n".utf8)
        let whole = ScanFixtures.run(StreamScan(), [input[...]])
        #expect(ScanFixtures.count(Array("[REDACTED:\(rule)]".utf8), in: whole.output) == 1)
        for split in stride(from: 0, through: input.count, by: 1) {
            let result = ScanFixtures.run(StreamScan(), [input[..<split], input[split...]])
            #expect(result.output == whole.output, "split at \(split)")
            let leaked = body.contains { ScanFixtures.count(Array($0.utf8), in: result.output) > 0 }
            #expect(!leaked, "a line of the key's body survived a split at \(split)")
        }
    }

    // MARK: - Positions

    @Test func findingsCarryStreamLinesAndColumns() {
        let input = Array("a\nbb\n  x=\(ScanFixtures.awsKey)\n".utf8)
        let result = ScanFixtures.run(StreamScan(redacting: false, firstLine: 10), [input[..<7], input[7...]])
        #expect(result.output.isEmpty, "reporting writes nothing")
        #expect(result.findings == [Finding(rule: ScanFixtures.awsRule, confidence: .high, start: 9, end: 29,
                                            line: 12, column: 5, endLine: 12, endColumn: 25)])
    }

    @Test func anAllowedLineIsNeitherReportedNorRedacted() {
        let input = Array("k = \(ScanFixtures.awsKey)  # secrets-agent:allow\nk2 = \(ScanFixtures.awsKey)\n".utf8)
        let result = ScanFixtures.run(StreamScan(), [input[...]])
        #expect(result.findings.map(\.line) == [2])
        #expect(result.output == Array("k = \(ScanFixtures.awsKey)  # secrets-agent:allow\nk2 = [REDACTED:aws-access-key-id]\n".utf8))
    }

    // MARK: - Long lines

    /// A line of `length` dots with the key at each of `positions`, on line 2.
    static func longLine(_ length: Int, keysAt positions: [Int]) -> [UInt8] {
        var line = [UInt8](repeating: UInt8(ascii: "."), count: length)
        for position in positions { line.replaceSubrange(position..<(position + key.count), with: key) }
        return Array("short first line\n".utf8) + line + [0x0A] + Array("next\n".utf8)
    }

    @Test(arguments: [-30, -20, -10, -1, 0, 1, 2037, 2038, 2047, 2048, 2049, 4075, 4076, 4077])
    func aKeyAtTheCutOfALongLineIsFoundExactlyOnce(_ shift: Int) {
        let piece = LineAssembler.pieceLength, step = piece - LineAssembler.overlap
        let position = step + shift  // the second piece starts at `step`; the first ends at `piece`
        let input = Self.longLine(piece + 100_000, keysAt: [position])
        let prefix = "short first line\n".utf8.count
        for chunking in [64 << 10, 7_777, 3 << 20] {
            let chunks = stride(from: 0, to: input.count, by: chunking).map { input[$0..<min($0 + chunking, input.count)] }
            let result = ScanFixtures.run(StreamScan(), chunks)
            #expect(result.findings.count == 1, "shift \(shift), chunks of \(chunking)")
            #expect(result.findings.first?.line == 2)
            #expect(result.findings.first?.column == position + 1)
            #expect(result.findings.first?.endColumn == position + 21)
            #expect(result.findings.first?.start == prefix + position)
            var expected = input
            expected.replaceSubrange((prefix + position)..<(prefix + position + Self.key.count), with: Self.marker)
            let redacted = result.output == expected  // a boolean, so a failure does not print a megabyte
            #expect(redacted, "shift \(shift), chunks of \(chunking)")
        }
    }

    @Test func keysAtEveryCutOfAVeryLongLineAreEachFoundOnce() {
        let piece = LineAssembler.pieceLength, step = piece - LineAssembler.overlap
        let positions = [10, step - 5, 2 * step + 2040, 3 * step + 4070, 3 * step + piece - 25]
        let input = Self.longLine(3 * step + piece + 50, keysAt: positions)
        let result = ScanFixtures.run(StreamScan(), [input[...]])
        #expect(result.findings.map(\.column) == positions.map { $0 + 1 })
        #expect(result.findings.allSatisfy { $0.line == 2 })
        #expect(ScanFixtures.count(Self.marker, in: result.output) == positions.count)
        #expect(ScanFixtures.count(Self.key, in: result.output) == 0)
        #expect(result.output.count == input.count + positions.count * (Self.marker.count - Self.key.count))
    }

    @Test func aPEMBlockIsHeldOnlyUpToItsLimit() {
        // A BEGIN line without an END: lines are held up to 64 KiB, then judged as they are.
        var input = Array("-----BEGIN RSA PRIVATE KEY-----\n".utf8)
        for _ in 0..<2_000 { input += Array(String(repeating: "Q", count: 63).utf8) + [0x0A] }
        input += Array("k=\(ScanFixtures.awsKey)\n".utf8)
        var engine = StreamScan()
        var output: [UInt8] = []
        input.withUnsafeBytes { engine.feed($0, output: &output) }
        #expect(ScanFixtures.count(Self.marker, in: output) == 1, "the key after the unterminated block is out before the end")
        #expect(engine.maximumBuffered <= LineAssembler.holdLimit + (64 << 10))
    }

    // MARK: - Memory

    @Test func aHundredMegabyteStreamStaysWithinTheBound() {
        // Ordinary lines, a 2.5 MiB line, a PEM block, and keys here and there; fed in reads
        // of 64 KiB, the output drained after each.
        let pem = Array(ScanFixtures.pem().utf8)
        var block: [UInt8] = []
        for i in 0..<2_000 { block += Array("2026-01-02T03:04:05Z worker[\(i)] processed request id=\(i * 7919) in 12ms\n".utf8) }
        block += Array("token AKIAZ7Q2KXH4LMNP3RTV used\n".utf8)
        block += pem
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 5 << 19) + [0x0A]
        let target = 100_000_000
        let scanner = Scanner(ruleIDs: [ScanFixtures.awsRule])  // the engine's bound, not the rules' speed, is under test
        var engine = StreamScan(scanner: scanner, values: [Redactor.Pattern(name: "deploy/key", value: pem)])
        var output: [UInt8] = []
        var fed = 0, written = 0, markers = 0, blocks = 0
        let read = 64 << 10
        func feed(_ bytes: [UInt8]) {
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + read, bytes.count)
                bytes.withUnsafeBytes { engine.feed(UnsafeRawBufferPointer(rebasing: $0[offset..<end]), output: &output) }
                offset = end
                written += output.count
                markers += ScanFixtures.count(Self.marker, in: output)
                output.removeAll(keepingCapacity: true)
            }
            fed += bytes.count
        }
        while fed < target {
            feed(block)
            blocks += 1
            if blocks % 10 == 0 { feed(long) }
        }
        engine.finish(output: &output)
        written += output.count
        #expect(fed >= target)
        #expect(markers == blocks)
        #expect(engine.maximumBuffered <= (1 << 20) + (1 << 20) / 5 + (64 << 10), "buffered at most \(engine.maximumBuffered) bytes")
        #expect(engine.maximumBuffered >= 1 << 20, "the long lines did fill a piece")
        let replaced = blocks * (pem.count - "[REDACTED:deploy/key]".utf8.count + Self.key.count - Self.marker.count)
        #expect(written == fed - replaced)
    }
}
