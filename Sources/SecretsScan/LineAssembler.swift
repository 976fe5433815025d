#if canImport(Glibc)
import Glibc
#endif

/// Cuts a byte stream into units the `Scanner` can judge on their own, holding at most
/// about `pieceLength` bytes whatever the input.
///
/// - Complete lines are handed over together, as many as one `append` completed.
/// - A line longer than `pieceLength` is handed over in pieces of `pieceLength` bytes that
///   overlap by `overlap` bytes. A finding belongs to the piece it starts in, where the
///   boundary between two pieces lies in the middle of their overlap: so a match of up to
///   `overlap / 2` bytes, with up to `overlap / 2` bytes of context before it, is seen whole
///   and exactly once, wherever the cut falls.
/// - A line that opens a private key (`-----BEGIN … PRIVATE KEY…-----`) starts holding
///   lines until the line that ends it (`-----END …`) or until `holdLimit` bytes, so a PEM
///   block is judged as one.
///
/// Units are lent to the caller only for the duration of the call that hands them over.
struct LineAssembler {
    static let pieceLength = 1 << 20
    static let overlap = 4 << 10
    static let holdLimit = 64 << 10

    /// A stretch of the stream to scan.
    struct Unit {
        /// The bytes, valid only inside the call that hands the unit over.
        let bytes: UnsafeBufferPointer<UInt8>
        /// The stream offset of `bytes[0]`.
        let offset: Int
        /// The 1-based line of `bytes[0]`.
        let line: Int
        /// How many bytes of its line come before `bytes[0]` (nonzero for a later piece).
        let column: Int
        /// Stream offsets where the findings this unit reports start; the others belong to
        /// a neighbouring piece.
        let owned: Range<Int>
        /// The stream offset up to which output may be written once this unit is judged.
        let settledThrough: Int
    }

    /// Bytes received and not yet handed over in full: complete lines held back for a
    /// private key, then (at most) one partial line.
    private var buffer: [UInt8] = []
    private var bufferOffset = 0
    private var bufferLine: Int
    private var bufferColumn = 0
    /// Findings starting before this stream offset belonged to an earlier piece.
    private var ownedFrom = 0
    /// `buffer[..<lineStart]` are complete lines, with `linesBefore` newlines among them.
    private var lineStart = 0
    private var linesBefore = 0
    /// Whether `buffer` starts with a private key's BEGIN line whose END has not come.
    private var holding = false

    /// The most bytes ever buffered (for tests of the memory bound).
    private(set) var maximumBuffered = 0

    /// An assembler whose first byte is on line `firstLine`.
    init(firstLine: Int = 1) {
        bufferLine = firstLine
    }

    /// Takes the next bytes of the stream and hands over every unit they complete.
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, _ handOver: (Unit) -> Void) {
        // Bounded steps, so a huge chunk never sits in the buffer whole: the buffer grows
        // to `pieceLength` at most (`holdLimit` while holding).
        var rest = bytes[...]
        while !rest.isEmpty {
            let limit = holding ? LineAssembler.holdLimit : LineAssembler.pieceLength
            let step = rest.prefix(min(max(1, limit - buffer.count), 64 << 10))
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: step))
            maximumBuffered = max(maximumBuffered, buffer.count)
            rest = rest.dropFirst(step.count)
            settle(atEnd: false, handOver)
        }
    }

    /// The end of the stream: hands over whatever is left.
    mutating func finish(_ handOver: (Unit) -> Void) {
        settle(atEnd: true, handOver)
    }

    /// Finds the lines completed since the last call and hands over what is decided.
    private mutating func settle(atEnd: Bool, _ handOver: (Unit) -> Void) {
        while let newline = LineAssembler.firstNewline(in: buffer, from: lineStart) {
            let length = newline + 1 - lineStart
            if holding {
                let ends = buffer.withUnsafeBufferPointer { LineAssembler.endsPrivateKey(UnsafeBufferPointer(rebasing: $0[lineStart...newline])) }
                lineStart = newline + 1
                linesBefore += 1
                if ends {
                    holding = false
                    handOverLines(handOver)
                }
            } else if length < LineAssembler.holdLimit,
                      buffer.withUnsafeBufferPointer({ LineAssembler.beginsPrivateKey(UnsafeBufferPointer(rebasing: $0[lineStart...newline])) }) {
                // Hand over the lines before it; hold from the BEGIN line on.
                handOverLines(handOver)
                lineStart = length
                linesBefore = 1
                holding = true
            } else {
                lineStart = newline + 1
                linesBefore += 1
            }
        }
        if holding && buffer.count >= LineAssembler.holdLimit {
            // No END in time: judge what is held as it is and carry on line by line.
            holding = false
        }
        if !holding { handOverLines(handOver) }
        while !holding && buffer.count >= LineAssembler.pieceLength {
            handOverPiece(handOver)
        }
        if atEnd && !buffer.isEmpty {
            lend(count: buffer.count, settled: bufferOffset + buffer.count, ownedTo: Int.max, handOver)
            advance(by: buffer.count, newlines: linesBefore)
            holding = false
        }
    }

    /// Hands over `buffer[..<lineStart]` as one unit of complete lines.
    private mutating func handOverLines(_ handOver: (Unit) -> Void) {
        guard lineStart > 0 else { return }
        lend(count: lineStart, settled: bufferOffset + lineStart, ownedTo: Int.max, handOver)
        advance(by: lineStart, newlines: linesBefore)
    }

    /// Hands over the first `pieceLength` bytes of a long partial line, keeping the last
    /// `overlap` of them for the next piece.
    private mutating func handOverPiece(_ handOver: (Unit) -> Void) {
        let step = LineAssembler.pieceLength - LineAssembler.overlap
        let boundary = bufferOffset + step + LineAssembler.overlap / 2
        lend(count: LineAssembler.pieceLength, settled: boundary, ownedTo: boundary, handOver)
        ownedFrom = boundary
        advance(by: step, newlines: 0)
    }

    /// Lends `buffer[..<count]` to `handOver` as a unit.
    private func lend(count: Int, settled: Int, ownedTo: Int, _ handOver: (Unit) -> Void) {
        buffer.withUnsafeBufferPointer { all in
            handOver(Unit(bytes: UnsafeBufferPointer(rebasing: all[0..<count]), offset: bufferOffset, line: bufferLine,
                          column: bufferColumn, owned: max(ownedFrom, bufferOffset)..<ownedTo, settledThrough: settled))
        }
    }

    /// Drops the first `count` bytes, which held `newlines` newlines.
    private mutating func advance(by count: Int, newlines: Int) {
        buffer.removeFirst(count)
        bufferOffset += count
        bufferLine += newlines
        bufferColumn = newlines > 0 ? 0 : bufferColumn + count
        lineStart -= count
        linesBefore -= newlines
        if lineStart < 0 { lineStart = 0 }
        if linesBefore < 0 { linesBefore = 0 }
    }

    private static let begin = Array("-----BEGIN ".utf8)
    private static let privateKey = Array("PRIVATE KEY".utf8)
    private static let end = Array("-----END ".utf8)

    /// A line such as `-----BEGIN RSA PRIVATE KEY-----` that does not end the key too.
    static func beginsPrivateKey(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let start = find(begin, in: line) else { return false }
        let after = UnsafeBufferPointer(rebasing: line[(start + begin.count)...])
        return find(privateKey, in: after) != nil && find(end, in: after) == nil
    }

    /// A line such as `-----END RSA PRIVATE KEY-----`.
    static func endsPrivateKey(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        find(end, in: line) != nil
    }

    /// The index of the first newline in `bytes[from...]`.
    static func firstNewline(in bytes: [UInt8], from: Int) -> Int? {
        guard from < bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { all in
            guard let hit = memchr(all.baseAddress! + from, 0x0A, all.count - from) else { return nil }
            return all.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The index in `haystack` where `needle` first occurs.
    static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = haystack.baseAddress, haystack.count >= needle.count else { return nil }
        return needle.withUnsafeBufferPointer { needle in
            var i = 0
            let last = haystack.count - needle.count
            while i <= last {
                guard let hit = memchr(base + i, Int32(needle[0]), last + 1 - i) else { return nil }
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + at, needle.baseAddress!, needle.count) == 0 { return at }
                i = at + 1
            }
            return nil
        }
    }
}
