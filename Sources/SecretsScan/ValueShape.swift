/// How random a keyword-anchored value looks: the generic rules report a value only when it
/// is long enough and random enough, and not an identifier or a path.
enum ValueShape {
    /// Whether `start..<end` looks like a credential rather than a word: at least 8 bytes,
    /// not all digits, not word-like, and either 12+ bytes with a Shannon entropy of at least
    /// 3 bits per byte or 8+ bytes with three of lower case, upper case, digits and symbols.
    static func isRandomEnough(_ text: ScanText, _ start: Int, _ end: Int) -> Bool {
        let length = end - start
        guard length >= 8 else { return false }
        var lower = false, upper = false, digit = false, symbol = false
        for k in start..<end {
            let b = text[k]
            if ByteSet.isLower(b) { lower = true } else if ByteSet.isUpper(b) { upper = true }
            else if ByteSet.isDigit(b) { digit = true } else { symbol = true }
        }
        guard lower || upper || symbol, !isWordLike(text, start, end), !isProseOrPattern(text, start, end) else { return false }
        let classes = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (symbol ? 1 : 0)
        if classes >= 3 { return true }
        return length >= 12 && shannon(text, start, end) >= 3.0
    }

    /// Prose and patterns found in source code, never credentials: text with a space
    /// (`"Anthropic API key"`), or a regular expression (an escape such as `\\S`, `\\.`, `\\d`,
    /// or a character class followed by a quantifier, `[0-9a-f]{32}`).
    static func isProseOrPattern(_ text: ScanText, _ start: Int, _ end: Int) -> Bool {
        var previous: UInt8 = 0
        for k in start..<end {
            let b = text[k]
            if b == 0x20 { return true }
            if previous == UInt8(ascii: "\\"), [UInt8(ascii: "S"), UInt8(ascii: "s"), UInt8(ascii: "d"), UInt8(ascii: "D"),
                                                UInt8(ascii: "w"), UInt8(ascii: "W"), UInt8(ascii: "."), UInt8(ascii: "b")].contains(b) {
                return true
            }
            if previous == UInt8(ascii: "]"), b == UInt8(ascii: "{") || b == UInt8(ascii: "+") || b == UInt8(ascii: "*") {
                return true
            }
            previous = b
        }
        return false
    }

    /// Words of letters, with no digits, joined by `_` `-` `.` `/` or camel-case humps,
    /// averaging three letters or more, and pronounceable (not both a run of 5 consonants and
    /// fewer than a quarter vowels, as random letters are): `user_password_hash`,
    /// `settings.DB_PASSWORD`, `/run/secrets/db`, `bert-base-uncased`, `userPasswordHash`.
    /// Camel case must look like an identifier: words of 3 letters or more, no two capitals
    /// in a row inside a mixed-case part (random letters have both).
    static func isWordLike(_ text: ScanText, _ start: Int, _ end: Int) -> Bool {
        var letters = 0, words = 0, vowels = 0
        var consonants = 0, longestConsonants = 0
        var wordLength = 0, shortestWord = Int.max
        // Per part between separators: its case, and whether two capitals follow each other.
        var partLower = false, partUpper = false, partCapitals = false
        var camelBroken = false
        var previous: UInt8 = 0
        func endPart() {
            if partLower && partUpper && partCapitals { camelBroken = true }
            partLower = false
            partUpper = false
            partCapitals = false
        }
        func endWord() {
            if wordLength > 0 { shortestWord = min(shortestWord, wordLength) }
            wordLength = 0
        }
        for k in start..<end {
            let b = text[k]
            if ByteSet.isAlpha(b) {
                letters += 1
                let upper = ByteSet.isUpper(b)
                if !ByteSet.isAlpha(previous) || (upper && ByteSet.isLower(previous)) {
                    endWord()
                    words += 1
                }
                wordLength += 1
                if upper { partUpper = true } else { partLower = true }
                if upper && ByteSet.isUpper(previous) { partCapitals = true }
                switch ByteSet.lower(b) {
                case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"), UInt8(ascii: "y"):
                    vowels += 1
                    consonants = 0
                default:
                    consonants += 1
                    longestConsonants = max(longestConsonants, consonants)
                }
            } else if b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "/") {
                consonants = 0
                endWord()
                endPart()
            } else {
                return false
            }
            previous = b
        }
        endWord()
        endPart()
        guard words > 0, letters >= 3 * words, longestConsonants < 5 || 4 * vowels >= letters else { return false }
        // Mixed case anywhere: the words of an identifier.
        let camel = (start..<end).contains { ByteSet.isLower(text[$0]) } && (start..<end).contains { ByteSet.isUpper(text[$0]) }
        return !camel || (!camelBroken && shortestWord >= 3) || !hasHumps(text, start, end)
    }

    /// Whether a lower-case letter is followed by a capital somewhere in `start..<end`.
    private static func hasHumps(_ text: ScanText, _ start: Int, _ end: Int) -> Bool {
        guard end - start >= 2 else { return false }
        return (start + 1..<end).contains { ByteSet.isUpper(text[$0]) && ByteSet.isLower(text[$0 - 1]) }
    }

    /// The Shannon entropy of the bytes in `start..<end`, in bits per byte.
    static func shannon(_ text: ScanText, _ start: Int, _ end: Int) -> Double {
        let length = end - start
        guard length > 1 else { return 0 }
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 256) { counts in
            counts.initialize(repeating: 0)
            for k in start..<end { counts[Int(text[k])] += 1 }
            var sum = 0.0
            for count in counts where count > 1 { sum += Double(count) * log2(Double(count)) }
            return log2(Double(length)) - sum / Double(length)
        }
    }

    /// log2 without Foundation: the exponent, plus the logarithm of the significand (in
    /// [1, 2)) from the series 2·atanh((m − 1)/(m + 1)).
    static func log2(_ x: Double) -> Double {
        guard x > 0 else { return -.infinity }
        let m = x.significand
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var term = s
        var sum = 0.0
        var n = 1.0
        while n < 40 {
            sum += term / n
            term *= s2
            n += 2
        }
        return Double(x.exponent) + 2 * sum / 0.693_147_180_559_945_3
    }
}
