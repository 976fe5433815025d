import SecretsCore

/// Scans a byte stream of any length in bounded memory: the engine of `redact`, and of
/// `scan` for stdin and git history.
///
/// The pipeline: the given values through a streaming `Redactor` (each becomes
/// `[REDACTED:name]`), then a `LineAssembler` that hands complete lines (long lines in
/// overlapping pieces, a private key's PEM block whole) to the `Scanner`. When redacting,
/// every finding is replaced by `[REDACTED:rule-id]` (overlapping findings by one marker);
/// either way each finding is reported once, with its line and column in the stream after
/// the values were replaced. The output does not depend on how the input is cut into
/// chunks. At most about 1 MiB plus the longest value is held back.
///
/// The values stay in the redactor's tables for the engine's lifetime; nothing here prints
/// them, and the mirror has no children.
public struct StreamScan: Sendable {
    private var redactor: Redactor
    private var assembler: LineAssembler
    private var judge: Judge

    /// An engine that replaces `values` and every finding of `scanner` (`redacting`), or
    /// only reports findings; the stream's first byte is on line `firstLine`.
    public init(scanner: Scanner = Scanner(), values: [Redactor.Pattern] = [], redacting: Bool = true, firstLine: Int = 1) {
        redactor = Redactor(patterns: values)
        assembler = LineAssembler(firstLine: firstLine)
        judge = Judge(scanner: scanner, redacting: redacting)
    }

    /// The largest chunk the value redactor ever passed on.
    private var maximumPassed = 0

    /// An upper bound of the bytes the engine ever held at once: the most the line
    /// assembler buffered plus the largest chunk from the value redactor (which itself holds
    /// back less than the longest value). For tests of the memory bound.
    var maximumBuffered: Int { assembler.maximumBuffered + maximumPassed }

    /// Feeds the next chunk. Appends to `output` what can be written now (nothing unless
    /// redacting) and calls `found` with each finding decided, and the matched bytes (lent
    /// for the call only).
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, output: inout [UInt8],
                              found: (Finding, UnsafeRawBufferPointer) -> Void = { _, _ in }) {
        var rest = chunk[...]
        while !rest.isEmpty {
            let step = rest.prefix(64 << 10)
            rest = rest.dropFirst(step.count)
            let replaced = redactor.feed(UnsafeRawBufferPointer(rebasing: step))
            maximumPassed = max(maximumPassed, replaced.count)
            pass(replaced, atEnd: false, output: &output, found: found)
        }
    }

    /// Feeds the next chunk; see `feed(_:output:found:)`.
    public mutating func feed(_ chunk: [UInt8], output: inout [UInt8],
                              found: (Finding, UnsafeRawBufferPointer) -> Void = { _, _ in }) {
        chunk.withUnsafeBytes { feed($0, output: &output, found: found) }
    }

    /// The end of the stream: appends the rest of the output and reports the last
    /// findings. The engine is then spent.
    public mutating func finish(output: inout [UInt8], found: (Finding, UnsafeRawBufferPointer) -> Void = { _, _ in }) {
        let rest = redactor.finish()
        maximumPassed = max(maximumPassed, rest.count)
        pass(rest, atEnd: true, output: &output, found: found)
    }

    private mutating func pass(_ bytes: [UInt8], atEnd: Bool, output: inout [UInt8],
                               found: (Finding, UnsafeRawBufferPointer) -> Void) {
        var judge = self.judge
        bytes.withUnsafeBufferPointer { bytes in
            assembler.append(bytes) { judge.judge($0, output: &output, found: found) }
        }
        if atEnd {
            assembler.finish { judge.judge($0, output: &output, found: found) }
        }
        self.judge = judge
    }

    /// Scans units, reports the findings each owns, and writes the redacted stream.
    private struct Judge {
        let scanner: Scanner
        let redacting: Bool
        /// The stream offset up to which output was written.
        var written = 0
        /// The stream offset where the last marker's bytes ended.
        var markerEnd = -1

        mutating func judge(_ unit: LineAssembler.Unit, output: inout [UInt8],
                            found: (Finding, UnsafeRawBufferPointer) -> Void) {
            let bytes = UnsafeRawBufferPointer(unit.bytes)
            let end = unit.offset + bytes.count
            // The stream offset up to which output is decided, and where the marker being
            // written started (overlapping findings share it).
            var cursor = written
            for finding in scanner.scan(bytes) {
                let start = unit.offset + finding.start, stop = unit.offset + finding.end
                guard unit.owned.contains(start) else { continue }
                found(place(finding, in: unit), UnsafeRawBufferPointer(rebasing: bytes[finding.start..<finding.end]))
                guard redacting, stop > cursor else { continue }
                // A finding that overlaps the marker just written is covered by it.
                if start >= cursor || cursor != markerEnd {
                    append(bytes, from: cursor - unit.offset, to: start - unit.offset, to: &output)
                    output.append(contentsOf: Array("[REDACTED:\(finding.rule)]".utf8))
                }
                cursor = stop
                markerEnd = stop
            }
            guard redacting else {
                written = max(written, unit.settledThrough)
                return
            }
            let settled = min(max(cursor, unit.settledThrough), end)
            if settled > cursor {
                append(bytes, from: cursor - unit.offset, to: settled - unit.offset, to: &output)
            }
            written = max(cursor, settled)
        }

        private func append(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int, to output: inout [UInt8]) {
            guard to > from else { return }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[max(0, from)..<to]))
        }

        /// `finding` with stream offsets, lines and columns.
        private func place(_ finding: Finding, in unit: LineAssembler.Unit) -> Finding {
            Finding(rule: finding.rule, confidence: finding.confidence,
                    start: unit.offset + finding.start, end: unit.offset + finding.end,
                    line: unit.line + finding.line - 1,
                    column: finding.line == 1 ? unit.column + finding.column : finding.column,
                    endLine: unit.line + finding.endLine - 1,
                    endColumn: finding.endLine == 1 ? unit.column + finding.endColumn : finding.endColumn)
        }
    }
}

extension StreamScan: CustomReflectable {
    /// No children: the values stay out of `dump`, `print` and debuggers.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
