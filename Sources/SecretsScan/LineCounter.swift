/// Lines and columns of offsets asked for in increasing order, counting line feeds once
/// (DESIGN §12: 1-based, columns in bytes; a CR belongs to the line it ends).
struct LineCounter {
    let text: ScanText
    private var position = 0
    private var line = 1
    private var lineStart = 0

    init(_ text: ScanText) { self.text = text }

    /// The line and column of offset `p`, which is not less than the offset asked before.
    mutating func locate(_ p: Int) -> (line: Int, column: Int) {
        precondition(p >= position, "offsets must be asked in increasing order")
        while position < p {
            if text[position] == 0x0A {
                line += 1
                lineStart = position + 1
            }
            position += 1
        }
        return (line, p - lineStart + 1)
    }
}
