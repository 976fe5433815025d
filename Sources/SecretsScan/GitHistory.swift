#if canImport(Glibc)
import Glibc
#endif

/// Scans a repository's history: reads the output of
/// `git log -p --unified=0 --format='commit %H' --src-prefix=a/ --dst-prefix=b/`
/// as a stream and scans the lines each commit added, hunk by hunk, so a finding's line is
/// its line in that commit's version of the file. Bounded in memory like `StreamScan`,
/// whatever the size of a commit.
///
/// The diff's own counts (`@@ -a,b +c,d @@`) say which lines belong to a hunk, so an added
/// line that looks like a header (`+++ x`, `commit …`) is never taken for one.
public struct GitHistory: Sendable {
    /// Where a finding was added.
    public struct Location: Sendable, Equatable {
        /// The full commit id.
        public let commit: String
        /// The file's path in the repository.
        public let file: String
    }

    private let scanner: Scanner
    /// The commits read so far.
    public private(set) var commits = 0
    private var commit = ""
    private var file: String?
    /// Lines of the current hunk still to come.
    private var oldLeft = 0
    private var newLeft = 0
    /// The scan of the current hunk's added lines.
    private var hunk: StreamScan?
    private var mode = Mode.lineStart
    /// The header line being read (capped: no header needs more).
    private var header: [UInt8] = []

    private enum Mode: Sendable {
        case lineStart, header, added, skip
    }

    /// A history scan with `scanner`'s rules.
    public init(scanner: Scanner = Scanner()) {
        self.scanner = scanner
    }

    /// Reads the next chunk of `git log` output; calls `found` with each finding and its
    /// matched bytes (lent for the call only).
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, found: (Location, Finding, UnsafeRawBufferPointer) -> Void) {
        var i = 0
        while i < chunk.count {
            if mode == .lineStart {
                mode = lineKind(chunk[i])
                if mode == .added { i += 1 }  // the '+' is not part of the line
                continue
            }
            let newline = memchr(chunk.baseAddress! + i, 0x0A, chunk.count - i).map { chunk.baseAddress!.distance(to: UnsafeRawPointer($0)) }
            let end = newline.map { $0 + 1 } ?? chunk.count
            let span = UnsafeRawBufferPointer(rebasing: chunk[i..<end])
            switch mode {
            case .added: scanAdded(span, found)
            case .header: if header.count < 64 << 10 { header.append(contentsOf: span.prefix(64 << 10 - header.count)) }
            case .skip, .lineStart: break
            }
            i = end
            if newline != nil { endLine(found) }
        }
    }

    /// The end of the output.
    public mutating func finish(found: (Location, Finding, UnsafeRawBufferPointer) -> Void) {
        if mode != .lineStart { endLine(found) }
        closeHunk(found)
    }

    /// What a line starting with `byte` is, given the counts of the current hunk.
    private mutating func lineKind(_ byte: UInt8) -> Mode {
        if oldLeft > 0 || newLeft > 0 {
            switch byte {
            case UInt8(ascii: "+") where newLeft > 0: newLeft -= 1; return .added
            case UInt8(ascii: "-") where oldLeft > 0: oldLeft -= 1; return .skip
            case UInt8(ascii: "\\"): return .skip
            default: oldLeft = 0; newLeft = 0  // a truncated hunk: read on as headers
            }
        }
        if byte == UInt8(ascii: "\\") { return .skip }  // "\ No newline at end of file"
        return .header
    }

    private mutating func scanAdded(_ span: UnsafeRawBufferPointer, _ found: (Location, Finding, UnsafeRawBufferPointer) -> Void) {
        guard var scan = hunk, let file else { return }
        hunk = nil
        var none: [UInt8] = []
        let location = Location(commit: commit, file: file)
        scan.feed(span, output: &none) { found(location, $0, $1) }
        hunk = scan
    }

    private mutating func endLine(_ found: (Location, Finding, UnsafeRawBufferPointer) -> Void) {
        if mode == .header {
            parseHeader(found)
            header.removeAll(keepingCapacity: true)
        }
        mode = .lineStart
        if oldLeft == 0 && newLeft == 0 { closeHunk(found) }
    }

    private mutating func closeHunk(_ found: (Location, Finding, UnsafeRawBufferPointer) -> Void) {
        guard var scan = hunk else { return }
        hunk = nil
        guard let file else { return }
        var none: [UInt8] = []
        let location = Location(commit: commit, file: file)
        scan.finish(output: &none) { found(location, $0, $1) }
    }

    private mutating func parseHeader(_ found: (Location, Finding, UnsafeRawBufferPointer) -> Void) {
        var line = header[...]
        if line.last == 0x0A { line = line.dropLast() }
        if line.starts(with: "commit ".utf8) {
            closeHunk(found)
            commits += 1
            commit = String(decoding: line.dropFirst(7).prefix(while: { $0 != 0x20 }), as: UTF8.self)
            file = nil
        } else if line.starts(with: "diff --git ".utf8) {
            closeHunk(found)
            file = nil
        } else if line.starts(with: "+++ ".utf8) {
            file = GitHistory.path(line.dropFirst(4))
        } else if line.starts(with: "@@ ".utf8), let (old, new) = GitHistory.hunkCounts(line) {
            closeHunk(found)
            oldLeft = old
            newLeft = new.count
            if new.count > 0 && file != nil {
                hunk = StreamScan(scanner: scanner, redacting: false, firstLine: new.start)
            }
        }
    }

    /// The path of a `+++ b/path` line (quoted C-style when unusual); nil for `/dev/null`.
    static func path(_ text: ArraySlice<UInt8>) -> String? {
        var text = text
        while text.last == 0x09 || text.last == 0x0D { text = text.dropLast() }  // git adds a tab after names with spaces
        var bytes: [UInt8]
        if text.first == UInt8(ascii: "\""), text.count >= 2, text.last == UInt8(ascii: "\"") {
            bytes = unquote(text.dropFirst().dropLast())
        } else {
            bytes = Array(text)
        }
        if bytes == Array("/dev/null".utf8) { return nil }
        if bytes.starts(with: "b/".utf8) { bytes.removeFirst(2) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Undoes git's C-style quoting: `\"`, `\\`, `\t`, `\n`, … and octal `\ooo` bytes.
    static func unquote(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var i = text.startIndex
        while i < text.endIndex {
            let byte = text[i]
            i += 1
            guard byte == UInt8(ascii: "\\"), i < text.endIndex else { out.append(byte); continue }
            let escaped = text[i]
            i += 1
            switch escaped {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(escaped - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, i < text.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(text[i]) {
                    value = value * 8 + Int(text[i] - UInt8(ascii: "0"))
                    i += 1
                    digits += 1
                }
                out.append(UInt8(truncatingIfNeeded: value))
            default: out.append(escaped)
            }
        }
        return out
    }

    /// The old line count and the new range of `@@ -a[,b] +c[,d] @@`.
    static func hunkCounts(_ line: ArraySlice<UInt8>) -> (old: Int, new: (start: Int, count: Int))? {
        let fields = line.split(separator: 0x20)
        guard fields.count >= 3, fields[1].first == UInt8(ascii: "-"), fields[2].first == UInt8(ascii: "+"),
              let old = range(fields[1].dropFirst()), let new = range(fields[2].dropFirst()) else { return nil }
        return (old.count, new)
    }

    /// `start[,count]` (count 1 when left out).
    static func range(_ text: ArraySlice<UInt8>) -> (start: Int, count: Int)? {
        let parts = text.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard let start = parts.first.flatMap({ Int(String(decoding: $0, as: UTF8.self)) }) else { return nil }
        guard parts.count > 1 else { return (start, 1) }
        guard parts.count == 2, let count = Int(String(decoding: parts[1], as: UTF8.self)) else { return nil }
        return (start, count)
    }
}
