/// What the key of an assignment (`KEY=`, `key:`, `"key":`, `key =`, `"key" =>`) says about
/// its value. Keys are split into words at `_` `-` `.` and other non-alphanumerics and at
/// camel-case humps (`DB_PASSWORD`, `db.password`, `dbPassword` all end in the word
/// `password`); the keyword must be the last word (or end it: `dbpassword`), so
/// `password_policy`, `tokenizer`, `max_tokens` and `secret_name` say nothing.
enum KeyName: Equatable {
    case none
    case password, secret, token, apiKey
    /// Contains `aws` and `secret` (or `secret`, `access` and ends in `key`).
    case awsSecret
    /// `authorization`: the value is `Bearer <token>`, `Token <token>` or `Basic <credentials>`.
    case authorization
    /// Exactly `type` (a GCP key file's `"type": "service_account"`).
    case type
    /// Exactly `private_key` (a GCP key file's PEM).
    case privateKey

    /// The kind of `key`; with `aws` false, what it is apart from `awsSecret` (the generic
    /// rule a value that is no AWS secret key falls back to).
    static func classify(_ text: ScanText, _ key: Range<Int>, aws: Bool = true) -> KeyName {
        guard !key.isEmpty else { return .none }
        // Every keyword ends in one of these letters: a cheap first test.
        switch ByteSet.lower(text[key.upperBound - 1]) {
        case UInt8(ascii: "d"), UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "n"), UInt8(ascii: "y"),
             UInt8(ascii: "e"), UInt8(ascii: "r"): break
        default: return .none
        }
        let (last, previous) = lastWords(text, key)
        guard !last.isEmpty else { return .none }
        func word(_ range: Range<Int>, is literal: StaticString) -> Bool {
            text.equalsIgnoringCase(range.lowerBound, range.upperBound, literal)
        }
        func word(_ range: Range<Int>, endsWith literal: StaticString) -> Bool {
            text.endsIgnoringCase(range.lowerBound, range.upperBound, literal)
        }
        let lo = key.lowerBound, hi = key.upperBound
        if aws, text.containsIgnoringCase(lo, hi, "secret"),
           text.containsIgnoringCase(lo, hi, "aws") || (text.containsIgnoringCase(lo, hi, "access") && word(last, endsWith: "key")) {
            return .awsSecret
        }
        // A key file's fields, spelled as Google writes them.
        if text.equals(lo, hi, "type") { return .type }
        if text.equals(lo, hi, "private_key") { return .privateKey }
        if (word(previous, is: "api") && word(last, is: "key")) || word(last, endsWith: "apikey") { return .apiKey }
        if word(last, endsWith: "secret") || word(last, endsWith: "secretkey")
            || (word(previous, endsWith: "secret") && word(last, is: "key")) {
            return .secret
        }
        if word(last, endsWith: "token") || word(last, is: "bearer") { return .token }
        if word(last, endsWith: "password") || word(last, endsWith: "passwd") || word(last, endsWith: "passphrase")
            || word(last, is: "pwd") || word(last, is: "pass") {
            return .password
        }
        if word(last, is: "authorization") { return .authorization }
        return .none
    }

    /// The last two words of `key` (empty ranges when there are fewer).
    static func lastWords(_ text: ScanText, _ key: Range<Int>) -> (last: Range<Int>, previous: Range<Int>) {
        var last = 0..<0
        var previous = 0..<0
        var i = key.lowerBound
        let end = key.upperBound
        while i < end {
            while i < end, !ByteSet.isAlnum(text[i]) { i += 1 }
            guard i < end else { break }
            let start = i
            i += 1
            while i < end, ByteSet.isAlnum(text[i]) {
                let b = text[i]
                if ByteSet.isUpper(b) {
                    let before = text[i - 1]
                    if !ByteSet.isUpper(before) { break }  // dbPassword
                    if i + 1 < end, ByteSet.isLower(text[i + 1]) { break }  // APIKey
                }
                i += 1
            }
            previous = last
            last = start..<i
        }
        return (last, previous)
    }
}
