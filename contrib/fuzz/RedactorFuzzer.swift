// libFuzzer target `redactor`: `Redactor` (the filter `exec` puts on a child's output) on
// arbitrary patterns, chunkings and streams, against a naive leftmost-longest reference.
//
// The input is split into (bytes past the end read as absent):
// - byte 0: bits 0-1 the alphabet (0: bytes as they are; 1, 2, 3: each byte maps to one of
//   2, 3 or 4 letters, so matches, overlaps and prefixes are frequent), bits 2-4 the number
//   of patterns minus 1;
// - per pattern a byte L, then L % 25 value bytes (0: an empty value, which is ignored); the
//   name is `N` + (L / 25) % 3, so names are shared;
// - a byte C, then 1 + C % 8 chunk sizes of 1 + byte % 64, used in turn;
// - the rest: the stream.
// Checks:
// - the output in those chunks equals the output of one `feed` of the whole stream and the
//   reference's, and `maximumHeldBack` is the longest value's length − 1;
// - after each `feed` the output so far is exactly what the reference has decided on the
//   input so far: it stops at the first scan position whose rest is a proper prefix of a
//   value, which is at most `maximumHeldBack` bytes back;
// - no value occurs in a run of input the reference copies to the output, so a value shows
//   in the output only inside or across a `[REDACTED:NAME]` it produced.
import SecretsCore

@_cdecl("LLVMFuzzerTestOneInput")
public func redactorFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = Input(size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size)))
    let flags = input.next() ?? 0
    let letters = Int(flags & 3) + 1
    func map(_ byte: UInt8) -> UInt8 { letters == 1 ? byte : UInt8(ascii: "a") + byte % UInt8(letters) }
    var secrets: [(name: String, value: [UInt8])] = []
    for _ in 0...Int(flags >> 2 & 7) {
        guard let length = input.next() else { break }
        secrets.append(("N\(Int(length) / 25 % 3)", input.take(Int(length) % 25).map(map)))
    }
    let sizes = input.take(1 + Int(input.next() ?? 0) % 8).map { 1 + Int($0) % 64 }
    let stream = input.take(Int.max).map(map)
    check(secrets, stream, sizes.isEmpty ? [1] : sizes)
    return 0
}

private struct Input {
    let bytes: [UInt8]
    var at = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    mutating func next() -> UInt8? {
        guard at < bytes.count else { return nil }
        at += 1
        return bytes[at - 1]
    }
    mutating func take(_ count: Int) -> [UInt8] {
        let end = at + min(count, bytes.count - at)
        defer { at = end }
        return Array(bytes[at..<end])
    }
}

private func check(_ secrets: [(name: String, value: [UInt8])], _ stream: [UInt8], _ sizes: [Int]) {
    let patterns = secrets.map { Redactor.Pattern(name: $0.name, value: $0.value) }
    let reference = Reference(secrets, stream)
    let longest = secrets.map(\.value.count).max() ?? 0

    var whole = Redactor(patterns: patterns)
    precondition(whole.maximumHeldBack == max(0, longest - 1), "maximumHeldBack \(whole.maximumHeldBack), longest \(longest)")
    let oneShot = whole.feed(stream) + whole.finish()
    precondition(oneShot == reference.output, "one feed: \(oneShot) != reference \(reference.output)")

    var redactor = Redactor(patterns: patterns)
    var out: [UInt8] = []
    var fed = 0
    var checked = 0  // output bytes already compared
    var k = 0
    while fed < stream.count {
        let end = min(stream.count, fed + sizes[k % sizes.count])
        k += 1
        out += stream.withUnsafeBytes { redactor.feed(UnsafeRawBufferPointer(rebasing: $0[fed..<end])) }
        fed = end
        let (decided, written) = reference.decided(after: fed)
        precondition(fed - decided <= redactor.maximumHeldBack, "reference holds \(fed - decided) bytes")
        precondition(out.count == written && out[checked...] == reference.output[checked..<written],
                     "after \(fed) bytes: output \(out), want \(reference.output[..<written])")
        checked = written
    }
    out += redactor.finish()
    precondition(out == reference.output, "chunked \(sizes): \(out) != reference \(reference.output)")

    for secret in secrets where !secret.value.isEmpty {
        for run in reference.literals where contains(run, secret.value) {
            preconditionFailure("value \(secret.value) survives in \(run)")
        }
    }
}

/// Naive leftmost-longest redaction: at each scan position the longest value that occurs
/// there (the first of equal values) is replaced and scanning resumes after it; otherwise
/// the byte is copied.
private struct Reference {
    let values: [(name: String, value: [UInt8])]
    let stream: [UInt8]
    let longest: Int
    var output: [UInt8] = []
    /// The runs of the stream copied to the output, between replacements.
    var literals: [[UInt8]] = []
    /// Each scan position, with the output length before it.
    var positions: [(input: Int, output: Int)] = []

    init(_ secrets: [(name: String, value: [UInt8])], _ stream: [UInt8]) {
        values = secrets.filter { !$0.value.isEmpty }
        self.stream = stream
        longest = values.map(\.value.count).max() ?? 0
        var literal: [UInt8] = []
        var i = 0
        while i < stream.count {
            positions.append((i, output.count))
            var best: (name: String, value: [UInt8])?
            for secret in values where secret.value.count > best?.value.count ?? 0 && secret.value.count <= stream.count - i {
                var k = 0
                while k < secret.value.count, stream[i + k] == secret.value[k] { k += 1 }
                if k == secret.value.count { best = secret }
            }
            if let best {
                if !literal.isEmpty { literals.append(literal) }
                literal = []
                output += Array("[REDACTED:\(best.name)]".utf8)
                i += best.value.count
            } else {
                literal.append(stream[i])
                output.append(stream[i])
                i += 1
            }
        }
        positions.append((stream.count, output.count))
        if !literal.isEmpty { literals.append(literal) }
    }

    /// What a streaming redactor can have written after the first `fed` bytes: the scan
    /// stops at the first position whose rest is a proper prefix of a value. Returns that
    /// position and the output before it. Scan positions before it are the same with or
    /// without the bytes after `fed`, and `fed` is a scan position or inside a replaced value.
    func decided(after fed: Int) -> (input: Int, output: Int) {
        // The answer is fed or a proper prefix of a value back: no earlier than this.
        let earliest = fed - max(1, longest) + 1
        var low = 0
        var high = positions.count - 1
        while low < high {
            let middle = (low + high) / 2
            if positions[middle].input < earliest { low = middle + 1 } else { high = middle }
        }
        for position in positions[low...] {
            if position.input >= fed { return position }
            let rest = stream[position.input..<fed]
            if values.contains(where: { $0.value.count > rest.count && $0.value.starts(with: rest) }) { return position }
        }
        preconditionFailure("the reference did not stop by \(fed)")
    }
}

private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    var start = 0
    while start + needle.count <= haystack.count {
        var k = 0
        while k < needle.count, haystack[start + k] == needle[k] { k += 1 }
        if k == needle.count { return true }
        start += 1
    }
    return false
}
