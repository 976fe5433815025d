/// The draws the corpus is made of. Each is written out here rather than taken from the
/// standard library's `random(in:using:)`, whose algorithm is not promised to stay the same
/// across Swift releases: a seed must give the same corpus on every toolchain.
extension SplitMix64 {
    /// A uniform integer in `0..<bound` (multiply-shift; the bias is below 2^-40 for the
    /// bounds used here).
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform integer in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.count)
    }

    /// True `percent` times in a hundred.
    mutating func chance(_ percent: Int) -> Bool {
        below(100) < percent
    }

    /// One element of `items`.
    mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// `items` in a random order (Fisher-Yates).
    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var result = items
        var index = result.count - 1
        while index > 0 {
            result.swapAt(index, below(index + 1))
            index -= 1
        }
        return result
    }

    /// `count` random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    /// `count` characters drawn from `alphabet`. The result is raw: it may by chance hold
    /// something shaped like a credential (use `filler` for text that must not).
    mutating func string(_ count: Int, _ alphabet: Alphabet) -> String {
        String(decoding: (0..<count).map { _ in alphabet.bytes[below(alphabet.bytes.count)] }, as: UTF8.self)
    }

    /// `count` characters drawn from `alphabet`, with every accidental credential prefix
    /// broken up (see `Alphabet.scrub`): random text that is meant to be a hard negative.
    mutating func filler(_ count: Int, _ alphabet: Alphabet) -> String {
        var bytes = (0..<count).map { _ in alphabet.bytes[below(alphabet.bytes.count)] }
        Alphabet.scrub(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Lower-case hex of `byteCount` random bytes.
    mutating func hex(_ byteCount: Int) -> String {
        string(byteCount * 2, .hexLower)
    }

    /// A random version 4 UUID in lower case.
    mutating func uuid() -> String {
        let chars = Array(hex(16))
        let variant = pick(["8", "9", "a", "b"])
        return String(chars[0..<8]) + "-" + String(chars[8..<12]) + "-4" + String(chars[13..<16]) + "-"
            + variant + String(chars[17..<20]) + "-" + String(chars[20..<32])
    }
}
