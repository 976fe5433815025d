import Foundation
import Testing

@testable import SecretsCore

/// `Redactor` on fixed examples, on every way of cutting them into chunks, against a naive
/// reference on random inputs, and on a 10 MB binary stream. Reproduce a random failure with
/// `SECRETS_REDACTOR_SEED=<seed from the message>`.
@Suite struct RedactorTests {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["SECRETS_REDACTOR_SEED"].flatMap { UInt64($0) }
        ?? 0x5EC2_E75A_6E47_0002

    typealias Secret = (name: String, value: [UInt8])

    static func redactor(_ secrets: [Secret]) -> Redactor {
        Redactor(patterns: secrets.map { Redactor.Pattern(name: $0.name, value: $0.value) })
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// The whole input in one call, then `finish`.
    static func oneShot(_ secrets: [Secret], _ input: [UInt8]) -> [UInt8] {
        var redactor = redactor(secrets)
        return redactor.feed(input) + redactor.finish()
    }

    /// The input cut into chunks of `sizes` (cycled; the last chunk takes what is left).
    static func chunked(_ secrets: [Secret], _ input: [UInt8], _ sizes: [Int]) -> [UInt8] {
        var redactor = redactor(secrets)
        var out: [UInt8] = []
        var at = 0
        var k = 0
        while at < input.count {
            let end = min(input.count, at + sizes[k % sizes.count])
            out += redactor.feed(Array(input[at..<end]))
            at = end
            k += 1
        }
        return out + redactor.finish()
    }

    /// Naive leftmost-longest redaction: at each position the longest value that occurs
    /// there (the first secret among equal values) is replaced. Unless `atEnd`, it stops at
    /// the first position whose rest is a proper prefix of a value, and reports how many
    /// bytes it held back there. `literals` are the runs of input copied to the output.
    static func reference(_ secrets: [Secret], _ input: [UInt8], atEnd: Bool = true)
        -> (output: [UInt8], held: Int, markers: Int, literals: [[UInt8]])
    {
        var byFirstByte = [[Secret]](repeating: [], count: 256)
        for secret in secrets where !secret.value.isEmpty { byFirstByte[Int(secret.value[0])].append(secret) }
        var output: [UInt8] = []
        var literals: [[UInt8]] = []
        var literal: [UInt8] = []
        var markers = 0
        var held = 0
        input.withUnsafeBufferPointer { input in
            let n = input.count
            var i = 0
            scan: while i < n {
                var best: Secret?
                for secret in byFirstByte[Int(input[i])] {
                    let value = secret.value
                    if !atEnd, value.count > n - i, value.starts(with: input[i..<n]) {
                        held = n - i
                        break scan
                    }
                    if value.count <= n - i, value.count > best?.value.count ?? 0,
                       value.withUnsafeBufferPointer({ memcmp($0.baseAddress!, input.baseAddress! + i, value.count) == 0 }) {
                        best = secret
                    }
                }
                if let best {
                    if !literal.isEmpty { literals.append(literal) }
                    literal = []
                    output += bytes("[REDACTED:\(best.name)]")
                    markers += 1
                    i += best.value.count
                } else {
                    literal.append(input[i])
                    output.append(input[i])
                    i += 1
                }
            }
        }
        if !literal.isEmpty { literals.append(literal) }
        return (output, held, markers, literals)
    }

    /// Whether `needle` occurs in `haystack`.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { v in
                var i = 0
                while i + v.count <= h.count {
                    if h[i] == v[0], memcmp(h.baseAddress! + i, v.baseAddress!, v.count) == 0 { return true }
                    i += 1
                }
                return false
            }
        }
    }

    /// How many times `needle` occurs in `haystack`, without overlaps.
    static func count(_ haystack: [UInt8], _ needle: [UInt8]) -> Int {
        haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { v in
                var found = 0
                var i = 0
                while i + v.count <= h.count {
                    if h[i] == v[0], memcmp(h.baseAddress! + i, v.baseAddress!, v.count) == 0 {
                        found += 1
                        i += v.count
                    } else {
                        i += 1
                    }
                }
                return found
            }
        }
    }

    static func randomBytes(_ count: Int, _ rng: inout SplitMix64) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var i = 0
        while i < count {
            var word = rng.next()
            for _ in 0..<min(8, count - i) {
                out[i] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                i += 1
            }
        }
        return out
    }

    // MARK: - Fixed examples

    static let api: Secret = ("API", bytes("s3cr3t"))
    static let db: Secret = ("DB", bytes("hunter2"))

    @Test func singleValue() {
        #expect(Self.oneShot([Self.api], Self.bytes("token=s3cr3t\n")) == Self.bytes("token=[REDACTED:API]\n"))
    }

    @Test func twoValues() {
        #expect(Self.oneShot([Self.api, Self.db], Self.bytes("api s3cr3t, db hunter2.")) ==
            Self.bytes("api [REDACTED:API], db [REDACTED:DB]."))
    }

    @Test func valuesAtStartAndEnd() {
        #expect(Self.oneShot([Self.api, Self.db], Self.bytes("s3cr3t middle hunter2")) ==
            Self.bytes("[REDACTED:API] middle [REDACTED:DB]"))
        #expect(Self.oneShot([Self.api], Self.bytes("s3cr3t")) == Self.bytes("[REDACTED:API]"))
    }

    @Test func adjacentOccurrences() {
        #expect(Self.oneShot([Self.api, Self.db], Self.bytes("s3cr3ts3cr3thunter2s3cr3t")) ==
            Self.bytes("[REDACTED:API][REDACTED:API][REDACTED:DB][REDACTED:API]"))
        #expect(Self.oneShot([("A", Self.bytes("aa"))], Self.bytes("aaaaa")) == Self.bytes("[REDACTED:A][REDACTED:A]a"))
    }

    @Test func theLongerValueWinsWhereBothStart() {
        let secrets: [Secret] = [("SHORT", Self.bytes("pass")), ("LONG", Self.bytes("password"))]
        #expect(Self.oneShot(secrets, Self.bytes("password pass passwor")) ==
            Self.bytes("[REDACTED:LONG] [REDACTED:SHORT] [REDACTED:SHORT]wor"))
        // The same with the long value given first.
        #expect(Self.oneShot(secrets.reversed(), Self.bytes("password pass")) == Self.bytes("[REDACTED:LONG] [REDACTED:SHORT]"))
    }

    @Test func aValueInsideAnotherIsReplacedWhenTheOuterOneFails() {
        let secrets: [Secret] = [("INNER", Self.bytes("bc")), ("OUTER", Self.bytes("abcd"))]
        #expect(Self.oneShot(secrets, Self.bytes("abcd")) == Self.bytes("[REDACTED:OUTER]"))
        #expect(Self.oneShot(secrets, Self.bytes("abce")) == Self.bytes("a[REDACTED:INNER]e"))
        #expect(Self.oneShot(secrets, Self.bytes("abc")) == Self.bytes("a[REDACTED:INNER]"))
    }

    @Test func scanningResumesRightAfterAReplacement() {
        // "ab" is final only at "d", when "abcx" fails; "cd", read before that, still counts.
        let secrets: [Secret] = [("A", Self.bytes("ab")), ("B", Self.bytes("abcx")), ("C", Self.bytes("cd"))]
        #expect(Self.oneShot(secrets, Self.bytes("abcd")) == Self.bytes("[REDACTED:A][REDACTED:C]"))
        #expect(Self.chunked(secrets, Self.bytes("abcd"), [1]) == Self.bytes("[REDACTED:A][REDACTED:C]"))
    }

    @Test func overlappingCandidatesTheEarlierStartWins() {
        let secrets: [Secret] = [("A", Self.bytes("abcd")), ("B", Self.bytes("bcde"))]
        #expect(Self.oneShot(secrets, Self.bytes("abcde")) == Self.bytes("[REDACTED:A]e"))
        #expect(Self.oneShot(secrets, Self.bytes("xbcde")) == Self.bytes("x[REDACTED:B]"))
        #expect(Self.oneShot(secrets.reversed(), Self.bytes("abcde")) == Self.bytes("[REDACTED:A]e"))
        // The earlier start wins even when the later candidate is longer.
        let longer: [Secret] = [("A", Self.bytes("abc")), ("B", Self.bytes("bcdefg"))]
        #expect(Self.oneShot(longer, Self.bytes("abcdefg")) == Self.bytes("[REDACTED:A]defg"))
    }

    @Test func multiLineValue() {
        let key: Secret = ("KEY", Self.bytes("-----BEGIN KEY-----\nMIIBOgIBAAJBAK\n-----END KEY-----\n"))
        let input = Self.bytes("loading\n") + key.value + Self.bytes("done\n")
        let expected = Self.bytes("loading\n[REDACTED:KEY]done\n")
        #expect(Self.oneShot([key], input) == expected)
        // As a line-buffered child writes it.
        var redactor = Self.redactor([key])
        var out: [UInt8] = []
        for line in input.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            out += redactor.feed(Array(line) + [0x0A])
        }
        #expect(out + redactor.finish() == expected)
    }

    @Test func valueWithNULBytesInABinaryStream() {
        let secret: Secret = ("BIN", [0x00, 0xFF, 0x00, 0x00, 0x01])
        let input: [UInt8] = [0x00, 0x00, 0xFF, 0x00, 0x00, 0x01, 0x00, 0xFF, 0x00, 0x00, 0x00, 0xFF, 0x00, 0x00, 0x01, 0x00]
        #expect(Self.oneShot([secret], input) == [0x00] + Self.bytes("[REDACTED:BIN]") + [0x00, 0xFF, 0x00, 0x00] +
            Self.bytes("[REDACTED:BIN]") + [0x00])
        #expect(Self.chunked([secret], input, [1]) == Self.oneShot([secret], input))
    }

    @Test func aPrefixAtTheEndIsFlushedUnredactedByFinish() {
        var redactor = Self.redactor([Self.api])
        #expect(redactor.feed(Self.bytes("id s3cr")) == Self.bytes("id "))
        #expect(redactor.heldBackCount == 4)
        #expect(redactor.finish() == Self.bytes("s3cr"))
        #expect(redactor.heldBackCount == 0)
        // After finish it starts a new stream.
        #expect(redactor.feed(Self.bytes("3t s3cr3t")) == Self.bytes("3t [REDACTED:API]"))
        #expect(redactor.finish() == [])
    }

    @Test func finishRedactsAShortValueHeldForALongerOne() {
        let secrets: [Secret] = [("SHORT", Self.bytes("ab")), ("LONG", Self.bytes("abcdef"))]
        var redactor = Self.redactor(secrets)
        #expect(redactor.feed(Self.bytes("xabcd")) == Self.bytes("x"))
        #expect(redactor.finish() == Self.bytes("[REDACTED:SHORT]cd"))
    }

    @Test func patternsMayShareANameAndTheFirstOfEqualValuesNamesIt() {
        let secrets: [Secret] = [("DB", Self.bytes("old-pass")), ("DB", Self.bytes("new-pass")), ("OTHER", Self.bytes("new-pass"))]
        #expect(Self.oneShot(secrets, Self.bytes("old-pass new-pass")) == Self.bytes("[REDACTED:DB] [REDACTED:DB]"))
        #expect(Self.oneShot(Array(secrets.reversed()), Self.bytes("new-pass")) == Self.bytes("[REDACTED:OTHER]"))
    }

    @Test func emptyValuesAreIgnoredAndNoPatternsPassEverythingThrough() {
        var none = Redactor(patterns: [])
        #expect(none.maximumHeldBack == 0)
        #expect(none.feed(Self.bytes("anything")) == Self.bytes("anything"))
        #expect(none.finish() == [])
        var empty = Self.redactor([("EMPTY", []), Self.api])
        #expect(empty.maximumHeldBack == 5)
        #expect(empty.feed(Self.bytes("a s3cr3t b")) == Self.bytes("a [REDACTED:API] b"))
        #expect(Self.oneShot([("EMPTY", [])], []) == [])
    }

    @Test func aValueInsideAMarkerIsTheDocumentedEdge() {
        // `RED` is a substring of the marker: it shows there, but never from the input.
        let secrets: [Secret] = [("A", Self.bytes("RED")), ("B", Self.bytes("xyz"))]
        let out = Self.oneShot(secrets, Self.bytes("RED xyz"))
        #expect(out == Self.bytes("[REDACTED:A] [REDACTED:B]"))
        #expect(Self.reference(secrets, Self.bytes("RED xyz")).literals.allSatisfy { !Self.contains($0, Self.bytes("RED")) })
    }

    @Test func descriptionsNeverShowAValue() {
        let pattern = Redactor.Pattern(name: "API", value: Self.bytes("s3cr3t"))
        var redactor = Redactor(patterns: [pattern])
        _ = redactor.feed(Self.bytes("x s3cr"))  // holds a prefix of the value
        var dumped = ""
        dump(redactor, to: &dumped)
        dump(pattern, to: &dumped)
        for text in [String(describing: redactor), String(reflecting: redactor), String(describing: pattern),
                     String(reflecting: pattern), dumped] {
            #expect(!text.contains("s3cr"), "\(text)")
            #expect(!text.contains("115, 51"), "\(text)")  // "s3" as decimal bytes
        }
        #expect(Mirror(reflecting: redactor).children.isEmpty)
        #expect(Mirror(reflecting: pattern).children.map(\.label) == ["name"])
    }

    @Test func aCopyContinuesIndependently() {
        var first = Self.redactor([Self.api])
        #expect(first.feed(Self.bytes("s3c")) == [])
        var second = first
        #expect(first.feed(Self.bytes("r3t")) + first.finish() == Self.bytes("[REDACTED:API]"))
        #expect(second.feed(Self.bytes("x")) + second.finish() == Self.bytes("s3cx"))
    }

    // MARK: - Chunking

    static let chunkingSecrets: [Secret] = [
        ("A", bytes("abcd")), ("B", bytes("bcde")), ("C", bytes("cd")), ("NL", bytes("x\ny")), ("NUL", [0x00, 0x61, 0x00]),
    ]
    static let chunkingInput: [UInt8] = bytes("abcde abcdx bcdef x\ny ab") + [0x00, 0x61, 0x00, 0x61, 0x00] + bytes("cdcd abc")

    @Test func everySplitIntoTwoAndThreeChunksGivesTheOneShotOutput() {
        let input = Self.chunkingInput
        let expected = Self.oneShot(Self.chunkingSecrets, input)
        #expect(expected == Self.reference(Self.chunkingSecrets, input).output)
        var cases = 0
        for i in 0...input.count {
            for j in i...input.count {
                var redactor = Self.redactor(Self.chunkingSecrets)
                let out = redactor.feed(Array(input[..<i])) + redactor.feed(Array(input[i..<j])) +
                    redactor.feed(Array(input[j...])) + redactor.finish()
                #expect(out == expected, "split at \(i), \(j)")
                cases += 1
            }
        }
        #expect(cases == (input.count + 1) * (input.count + 2) / 2)
    }

    @Test func oneByteChunks() {
        #expect(Self.chunked(Self.chunkingSecrets, Self.chunkingInput, [1]) == Self.oneShot(Self.chunkingSecrets, Self.chunkingInput))
        #expect(Self.chunked([Self.api, Self.db], Self.bytes("s3cr3ts3cr3 hunter2hunter"), [1]) ==
            Self.bytes("[REDACTED:API]s3cr3 [REDACTED:DB]hunter"))
    }

    @Test func randomChunkSizes() {
        var rng = SplitMix64(seed: Self.seed ^ 0xC4)
        let expected = Self.oneShot(Self.chunkingSecrets, Self.chunkingInput)
        for round in 0..<500 {
            let sizes = (0..<Int.random(in: 1...6, using: &rng)).map { _ in Int.random(in: 1...8, using: &rng) }
            #expect(Self.chunked(Self.chunkingSecrets, Self.chunkingInput, sizes) == expected,
                    "seed \(Self.seed), round \(round), sizes \(sizes)")
        }
    }

    @Test func theUnsafeBufferFeedMatchesTheArrayFeed() {
        var redactor = Self.redactor(Self.chunkingSecrets)
        var out: [UInt8] = []
        for piece in Self.chunkingInput.chunks(of: 3) {
            out += piece.withUnsafeBytes { redactor.feed($0) }
        }
        out += redactor.feed(UnsafeRawBufferPointer(start: nil, count: 0)) + redactor.feed([])
        #expect(out + redactor.finish() == Self.oneShot(Self.chunkingSecrets, Self.chunkingInput))
    }

    // MARK: - Property: random patterns, inputs and chunkings against the reference

    /// One random case over a 3-letter alphabet, so matches, overlaps and prefixes are
    /// frequent. After every feed the output so far and the bytes held back equal the
    /// reference's on the input so far; at the end the output equals the reference's.
    static func checkRandomCase(_ caseSeed: UInt64) -> String? {
        var rng = SplitMix64(seed: caseSeed)
        let alphabet: [UInt8] = Bool.random(using: &rng) ? bytes("ab\n") : [0x00, 0x01, 0xFF]
        func word(_ count: Int) -> [UInt8] { (0..<count).map { _ in alphabet.randomElement(using: &rng)! } }
        let secrets: [Secret] = (0..<Int.random(in: 1...5, using: &rng)).map { k in
            ("P\(Int.random(in: 0...k, using: &rng))", word(Int.random(in: 0...6, using: &rng)))
        }
        let input = word(Int.random(in: 0...120, using: &rng))
        var redactor = redactor(secrets)
        let bound = max(0, (secrets.map(\.value.count).max() ?? 0) - 1)
        guard redactor.maximumHeldBack == bound else { return "maximumHeldBack \(redactor.maximumHeldBack), want \(bound)" }
        var out: [UInt8] = []
        var at = 0
        while at < input.count {
            let end = min(input.count, at + Int.random(in: 1...9, using: &rng))
            out += redactor.feed(Array(input[at..<end]))
            at = end
            let partial = reference(secrets, Array(input[..<end]), atEnd: false)
            if out != partial.output || redactor.heldBackCount != partial.held {
                return "after \(end) bytes: output \(out), held \(redactor.heldBackCount); want \(partial.output), held \(partial.held)"
            }
            if redactor.heldBackCount > bound { return "held \(redactor.heldBackCount) > \(bound)" }
        }
        out += redactor.finish()
        let whole = reference(secrets, input)
        if out != whole.output { return "output \(out), want \(whole.output)" }
        if out != oneShot(secrets, input) { return "one-shot output differs" }
        for secret in secrets where !secret.value.isEmpty {
            if let run = whole.literals.first(where: { contains($0, secret.value) }) { return "value \(secret.value) in literal \(run)" }
        }
        return nil
    }

    @Test func randomCasesAgreeWithTheReference() {
        var rng = SplitMix64(seed: Self.seed)
        var failures = 0
        for _ in 0..<4000 {
            let caseSeed = rng.next()
            if let failure = Self.checkRandomCase(caseSeed) {
                Issue.record("seed \(Self.seed), case seed \(caseSeed): \(failure)")
                failures += 1
                if failures == 5 { break }
            }
        }
    }

    // MARK: - A 10 MB binary stream

    @Test func tenMegabytesOfBinaryWithSecretsAcrossChunkBoundaries() {
        var rng = SplitMix64(seed: Self.seed ^ 0x10)
        let size = 10 << 20
        let chunk = 64 << 10
        var input = Self.randomBytes(size, &rng)
        let secrets: [Secret] = [
            ("TOKEN", Self.randomBytes(32, &rng)),
            ("KEY", Self.randomBytes(20, &rng) + [0x00, 0x0A, 0x00] + Self.randomBytes(9, &rng)),
        ] + (0..<30).map { ("OTHER\($0)", Self.randomBytes(Int.random(in: 8...40, using: &rng), &rng)) }
        // Insertions at least 64 bytes apart: half straddle a 64 KiB boundary.
        var inserted = [0, 0]
        var offset = 100
        var k = 0
        while offset < size - 100 {
            let which = k % 2
            let value = secrets[which].value
            let boundary = ((offset + value.count) / chunk + 1) * chunk
            let at = k % 4 < 2 ? offset : boundary - Int.random(in: 1..<value.count, using: &rng)
            guard at + value.count < size else { break }
            input.replaceSubrange(at..<at + value.count, with: value)
            inserted[which] += 1
            offset = at + value.count + Int.random(in: 64...20_000, using: &rng)
            k += 1
        }
        #expect(inserted[0] > 50 && inserted[1] > 50)

        var redactor = Self.redactor(secrets)
        var out: [UInt8] = []
        out.reserveCapacity(size + size / 10)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            var at = 0
            input.withUnsafeBytes { bytes in
                while at < size {
                    let end = min(size, at + chunk)
                    out += redactor.feed(UnsafeRawBufferPointer(rebasing: bytes[at..<end]))
                    at = end
                }
            }
            out += redactor.finish()
        }
        print("RedactorTests: 10 MB in 64 KiB chunks, \(secrets.count) patterns: \(elapsed)")

        for secret in secrets {
            #expect(!Self.contains(out, secret.value), "\(secret.name) survives")
        }
        #expect(Self.count(out, Self.bytes("[REDACTED:TOKEN]")) == inserted[0])
        #expect(Self.count(out, Self.bytes("[REDACTED:KEY]")) == inserted[1])
        #expect(Self.count(out, Self.bytes("[REDACTED:")) == inserted[0] + inserted[1])
        let expected = Self.reference(secrets, input)
        #expect(expected.markers == inserted[0] + inserted[1])
        #expect(out == expected.output)
    }

    // MARK: - Latency and memory

    @Test func aChunkWithoutAPrefixAtItsEndIsReturnedWhole() {
        var redactor = Self.redactor([Self.api, Self.db])
        let line = Self.bytes("starting worker 3 of 8 (hunter ready)\n")
        #expect(redactor.feed(line) == line)
        #expect(redactor.heldBackCount == 0)
        // A whole value with no longer one to wait for is replaced in the same call.
        #expect(redactor.feed(Self.bytes("s3cr3t")) == Self.bytes("[REDACTED:API]"))
        #expect(redactor.heldBackCount == 0)
        // A chunk that ends in a prefix of a value inside a match holds nothing back.
        var inside = Self.redactor([("A", Self.bytes("abcd")), ("B", Self.bytes("dx"))])
        #expect(inside.feed(Self.bytes("abcd")) == Self.bytes("[REDACTED:A]"))
        #expect(inside.heldBackCount == 0)
        #expect(inside.feed(Self.bytes("x")) + inside.finish() == Self.bytes("x"))
    }

    @Test func aChunkEndingInAPrefixHoldsBackExactlyThatPrefix() {
        var redactor = Self.redactor([Self.api, Self.db])
        #expect(redactor.feed(Self.bytes("password: hun")) == Self.bytes("password: "))
        #expect(redactor.heldBackCount == 3)
        #expect(redactor.feed(Self.bytes("ter2")) == Self.bytes("[REDACTED:DB]"))
        #expect(redactor.feed(Self.bytes("hunter")) == [])
        #expect(redactor.heldBackCount == 6)
        #expect(redactor.feed(Self.bytes("3 ")) == Self.bytes("hunter3 "))
        // The longest held-back suffix: "s3s3cr" holds "s3cr", not "s3s3cr".
        #expect(redactor.feed(Self.bytes("s3s3cr")) == Self.bytes("s3"))
        #expect(redactor.heldBackCount == 4)
    }

    @Test func heldBackStaysWithinTheBoundOverALongRandomRun() {
        var rng = SplitMix64(seed: Self.seed ^ 0xB0)
        let secrets: [Secret] = [("A", Self.bytes("abaab")), ("B", Self.bytes("bbbbbbba")), ("C", Self.bytes("aab")), ("D", Self.bytes("b"))]
        var redactor = Self.redactor(secrets)
        #expect(redactor.maximumHeldBack == 7)
        var most = 0
        var fed = 0
        var out = 0
        for _ in 0..<20_000 {
            let piece = (0..<Int.random(in: 1...16, using: &rng)).map { _ in Bool.random(using: &rng) ? UInt8(ascii: "a") : UInt8(ascii: "b") }
            out += redactor.feed(piece).count
            fed += piece.count
            most = max(most, redactor.heldBackCount)
            #expect(redactor.heldBackCount <= redactor.maximumHeldBack)
        }
        #expect(most == redactor.maximumHeldBack, "the bound is reached, not only respected")
        #expect(fed > 100_000 && out > 0)
    }
}

extension Array {
    fileprivate func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min(count, $0 + size)] }
    }
}
