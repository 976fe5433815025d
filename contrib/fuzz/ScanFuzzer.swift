// libFuzzer target `scan`: `Scanner` (the rules of `secrets-agent scan` and `redact`) on
// arbitrary bytes. Build and run with contrib/scripts/fuzz.sh scan.
//
// The whole input is scanned with every rule, from an array and from a raw buffer. Checks:
// - the findings are ordered by start, do not overlap, lie inside the input, name a rule of
//   `Scanner.rules` with that rule's confidence, and their lines and columns (1-based,
//   columns in bytes, end exclusive) agree with a count of the line feeds before them;
// - an array and a raw buffer of the same bytes give the same findings;
// - with inline allows applied, exactly the findings that start on a line containing
//   `secrets-agent:allow` are dropped;
// - a line feed before the input moves every finding one byte and one line down, and a
//   line feed after it changes nothing: the start and end of the buffer read like the
//   start and end of a line, so no rule depends on where the buffer was cut;
// - a scanner with no rule enabled finds nothing.
import SecretsScan

@_cdecl("LLVMFuzzerTestOneInput")
public func scanFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size))
    let all = Scanner(appliesInlineAllows: false).scan(bytes)
    checkInvariants(bytes, all)

    let fromBuffer = UnsafeRawBufferPointer(start: data, count: size)
    let findings = Scanner().scan(fromBuffer)
    precondition(Scanner().scan(bytes) == findings, "an array and a raw buffer of the same bytes differ")
    checkAllows(bytes, all: all, allowed: findings)

    let shifted = Scanner(appliesInlineAllows: false).scan([0x0A] + bytes)
    let expected = all.map {
        Finding(rule: $0.rule, confidence: $0.confidence, start: $0.start + 1, end: $0.end + 1, line: $0.line + 1,
                column: $0.column, endLine: $0.endLine + 1, endColumn: $0.endColumn)
    }
    precondition(shifted == expected, "a line feed before the input: \(shifted) != \(expected)")
    let extended = Scanner(appliesInlineAllows: false).scan(bytes + [0x0A])
    precondition(extended == all, "a line feed after the input: \(extended) != \(all)")

    precondition(Scanner(ruleIDs: []).scan(bytes).isEmpty, "a scanner without rules found something")
    return 0
}

private func checkInvariants(_ bytes: [UInt8], _ findings: [Finding]) {
    var lineStarts = [0]
    for (k, byte) in bytes.enumerated() where byte == 0x0A { lineStarts.append(k + 1) }
    func locate(_ offset: Int) -> (line: Int, column: Int) {
        var low = 0, high = lineStarts.count  // the last line start <= offset
        while high - low > 1 {
            let middle = (low + high) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle }
        }
        return (low + 1, offset - lineStarts[low] + 1)
    }
    var previousEnd = 0
    for finding in findings {
        precondition(finding.start >= previousEnd, "\(finding) starts before the previous finding ends (\(previousEnd))")
        precondition(finding.start < finding.end && finding.end <= bytes.count, "\(finding) is outside 0..<\(bytes.count)")
        precondition(Scanner.rule(id: finding.rule)?.confidence == finding.confidence, "\(finding): unknown rule or confidence")
        let start = locate(finding.start), last = locate(finding.end - 1)
        precondition(finding.line == start.line && finding.column == start.column, "\(finding): start is \(start)")
        precondition(finding.endLine == last.line && finding.endColumn == last.column + 1, "\(finding): last byte is \(last)")
        previousEnd = finding.end
    }
}

/// `allowed` is `all` without the findings that start on a line holding the marker.
private func checkAllows(_ bytes: [UInt8], all: [Finding], allowed: [Finding]) {
    let marker = Array("secrets-agent:allow".utf8)
    var markedLines = Set<Int>()
    var line = 1
    var k = 0
    while k < bytes.count {
        if bytes[k] == 0x0A {
            line += 1
        } else if bytes[k] == marker[0], k + marker.count <= bytes.count, bytes[k..<(k + marker.count)].elementsEqual(marker) {
            markedLines.insert(line)
        }
        k += 1
    }
    let expected = all.filter { !markedLines.contains($0.line) }
    precondition(allowed == expected, "allow comments on lines \(markedLines.sorted()): \(allowed) != \(expected)")
}
