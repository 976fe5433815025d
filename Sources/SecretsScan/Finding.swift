/// One credential found in scanned bytes. Offsets are into the scanned buffer; lines and
/// columns are 1-based, columns count bytes, and `endColumn` is exclusive (DESIGN §12).
/// A finding never holds the matched text itself: callers mask or hash it from the buffer.
public struct Finding: Sendable, Equatable, Hashable {
    /// The rule's id.
    public let rule: String
    public let confidence: Confidence
    /// The credential's bytes: `start..<end` in the scanned buffer (for a keyword
    /// assignment, the value only; for a PEM block, the whole block).
    public let start: Int
    public let end: Int
    public let line: Int
    public let column: Int
    public let endLine: Int
    public let endColumn: Int

    public init(rule: String, confidence: Confidence, start: Int, end: Int,
                line: Int, column: Int, endLine: Int, endColumn: Int) {
        self.rule = rule
        self.confidence = confidence
        self.start = start
        self.end = end
        self.line = line
        self.column = column
        self.endLine = endLine
        self.endColumn = endColumn
    }
}
