/// The scanned bytes as the validators read them: no bounds checks on `subscript` (every
/// validator keeps its indices inside `0..<count`), `at` reads 0 outside the buffer, and the
/// run functions stop at a hard cap, so each validator costs at most a constant.
struct ScanText {
    let base: UnsafeRawPointer
    let count: Int

    @inline(__always) subscript(i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }

    /// The byte at `i`, or 0 when `i` is outside the buffer.
    @inline(__always) func at(_ i: Int) -> UInt8 { i >= 0 && i < count ? self[i] : 0 }

    /// Whether `literal` occurs at `i`.
    @inline(__always) func has(_ literal: StaticString, at i: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i >= 0, i + n <= count else { return false }
        let p = literal.utf8Start
        var k = 0
        while k < n {
            if self[i + k] != p[k] { return false }
            k += 1
        }
        return true
    }

    /// Whether `literal` (lower case) occurs at `i`, ignoring the case of ASCII letters.
    func hasIgnoringCase(_ literal: StaticString, at i: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i >= 0, i + n <= count else { return false }
        let p = literal.utf8Start
        for k in 0..<n where ByteSet.lower(self[i + k]) != p[k] { return false }
        return true
    }

    /// Whether `start..<end` is `literal` (lower case), ignoring case.
    func equalsIgnoringCase(_ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
        end - start == literal.utf8CodeUnitCount && hasIgnoringCase(literal, at: start)
    }

    /// Whether `start..<end` ends with `literal` (lower case), ignoring case.
    func endsIgnoringCase(_ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
        end - start >= literal.utf8CodeUnitCount && hasIgnoringCase(literal, at: end - literal.utf8CodeUnitCount)
    }

    /// Whether `literal` (lower case) occurs anywhere in `start..<end`, ignoring case.
    func containsIgnoringCase(_ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard end - start >= n else { return false }
        let first = literal.utf8Start[0]
        var i = start
        while i <= end - n {
            if ByteSet.lower(self[i]) == first && hasIgnoringCase(literal, at: i) { return true }
            i += 1
        }
        return false
    }

    /// Whether `literal` occurs in `range`, case included.
    func contains(_ literal: StaticString, in range: Range<Int>) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard range.count >= n else { return false }
        let first = literal.utf8Start[0]
        var i = range.lowerBound
        while i <= range.upperBound - n {
            if self[i] == first && has(literal, at: i) { return true }
            i += 1
        }
        return false
    }

    /// Whether the bytes of `needle` occur in `range`, ignoring the case of ASCII letters.
    func contains(_ needle: Range<Int>, in range: Range<Int>) -> Bool {
        guard needle.count <= range.count, !needle.isEmpty else { return needle.isEmpty }
        var i = range.lowerBound
        while i <= range.upperBound - needle.count {
            var k = 0
            while k < needle.count, ByteSet.lower(self[i + k]) == ByteSet.lower(self[needle.lowerBound + k]) { k += 1 }
            if k == needle.count { return true }
            i += 1
        }
        return false
    }

    /// The end of the run of bytes in `set` that starts at `i`, looking at most `limit`
    /// bytes: a result of `i + limit` means the run may go on.
    @inline(__always) func run(_ set: ByteSet, from i: Int, limit: Int) -> Int {
        let stop = min(count, i + limit)
        var j = i
        while j < stop, set.contains(self[j]) { j += 1 }
        return j
    }

    /// The start of the run of bytes in `set` that ends just before `i`, looking at most
    /// `limit` bytes back.
    @inline(__always) func runBack(_ set: ByteSet, before i: Int, limit: Int) -> Int {
        let stop = max(0, i - limit)
        var j = i
        while j > stop, set.contains(self[j - 1]) { j -= 1 }
        return j
    }

    /// Whether the byte before `i` is outside `set` (or `i` is the start).
    @inline(__always) func boundary(before i: Int, _ set: ByteSet) -> Bool { i == 0 || !set.contains(self[i - 1]) }

    /// Whether the byte at `i` is outside `set` (or `i` is the end).
    @inline(__always) func boundary(at i: Int, _ set: ByteSet) -> Bool { i >= count || !set.contains(self[i]) }
}
