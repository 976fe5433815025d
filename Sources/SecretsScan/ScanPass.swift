/// A span a rule matched, before overlaps are resolved and allow comments applied.
struct Candidate {
    let rule: RuleID
    let start: Int
    let end: Int
}

/// One scan of one buffer: the trigger loop and the state the validators share.
///
/// The loop looks at each byte once, through `TriggerTable`; a position in the table goes to
/// the validators for its first byte (`ScanPass+*.swift`). A validator reads a bounded
/// distance around its trigger (every run has a hard cap), or finds the next quote, newline
/// or end of a value through `next(_:from:)`, which remembers its last answer: searches from
/// increasing positions cost O(n) together. So the whole scan is linear.
struct ScanPass {
    let text: ScanText
    let mask: UInt64
    var candidates: [Candidate] = []
    /// Offsets of each `secrets-agent:allow` (its colon).
    var allowMarkers: [Int] = []
    /// Offsets of each `"type": "service_account"` (its colon), in increasing order.
    var serviceAccountMarkers: [Int] = []
    /// Each `"private_key"` value that holds a PEM block, in increasing order.
    var privateKeyValues: [(start: Int, end: Int)] = []
    private var memos = [Memo](repeating: Memo(), count: Stop.allCases.count)

    init(text: ScanText, mask: UInt64) {
        self.text = text
        self.mask = mask
    }

    @inline(__always) func on(_ rule: RuleID) -> Bool { mask & (1 << UInt64(rule.rawValue)) != 0 }

    mutating func add(_ rule: RuleID, _ start: Int, _ end: Int) {
        candidates.append(Candidate(rule: rule, start: start, end: end))
    }

    mutating func run() {
        let n = text.count
        guard n >= 2 else { return }
        TriggerTable.bits.withUnsafeBufferPointer { bits in
            var i = 0
            while i < n - 1 {
                let key = Int(UInt16(littleEndian: text.base.loadUnaligned(fromByteOffset: i, as: UInt16.self)))
                if bits[key >> 6] & (1 << UInt64(key & 63)) != 0 { dispatch(i) }
                i += 1
            }
        }
        confirmServiceAccounts()
    }

    /// Runs the validators that can start with the bytes at `i` (a position in `TriggerTable`).
    private mutating func dispatch(_ i: Int) {
        switch text[i] {
        case UInt8(ascii: ":"): colon(i)
        case UInt8(ascii: "="): assignment(operator: i)
        case UInt8(ascii: "A"):
            if text.has("AKIA", at: i) || text.has("ASIA", at: i) || text.has("ABIA", at: i) || text.has("ACCA", at: i) {
                awsAccessKeyID(i)
            } else if text.has("AIza", at: i) {
                emit(.gcpAPIKey, i, prefix: 4, .base64url, 35, 35, before: .base64url)
            } else if text.has("ATATT3", at: i) {
                emit(.atlassianAPIToken, i, prefix: 6, .atlassian, 180, 400, before: .base64url)
            }
        case UInt8(ascii: "g"): github(i)
        case UInt8(ascii: "x"): slackToken(i)
        case UInt8(ascii: "S"):
            if text.has("SG.", at: i) { sendgrid(i) }
            else if text.at(i + 1) == UInt8(ascii: "K") { emit(.twilioAPIKey, i, prefix: 2, .hex, 32, 32, after: .word) }
        case UInt8(ascii: "k"):
            if text.has("key-", at: i) { emit(.mailgunAPIKey, i, prefix: 4, .hex, 32, 32, after: .word) }
        case UInt8(ascii: "s"): sPrefixed(i)
        case UInt8(ascii: "r"):
            if text.has("rk_live_", at: i) { emit(.stripeRestrictedKey, i, prefix: 8, .alnum, 24, 255, after: .word) }
        case UInt8(ascii: "w"):
            if text.has("whsec_", at: i) { emit(.stripeWebhookSecret, i, prefix: 6, .alnum, 32, 255, after: .word) }
        case UInt8(ascii: "h"):
            if text.has("hf_", at: i) { emit(.huggingfaceToken, i, prefix: 3, .alpha, 34, 34, after: .word) }
        case UInt8(ascii: "n"):
            if text.has("npm_", at: i) { emit(.npmToken, i, prefix: 4, .alnum, 36, 36, after: .word) }
        case UInt8(ascii: "p"):
            if text.has("pypi-AgEIcHlwaS5vcmc", at: i) { emit(.pypiToken, i, prefix: 20, .base64url, 50, 1024) }
        case UInt8(ascii: "e"): jwt(i)
        case UInt8(ascii: "-"):
            if text.at(i + 1) == UInt8(ascii: "-") { pemBlock(i) } else { mailchimp(i) }
        case UInt8(ascii: "d"): dPrefixed(i)
        case UInt8(ascii: "l"):
            if text.has("lin_api_", at: i) { emit(.linearAPIKey, i, prefix: 8, .alnum, 40, 40, after: .word) }
        case UInt8(ascii: "E"):
            if text.has("EAAA", at: i) { emit(.squareAccessToken, i, prefix: 4, .base64url, 60, 60) }
        case UInt8(ascii: "M"), UInt8(ascii: "N"): discord(i)
        case UInt8(ascii: "D"): azureConnectionString(i)
        case UInt8(ascii: "\""), UInt8(ascii: "'"): assignment(operator: i + 1, pair: true)
        default: break
        }
    }

    /// A colon: a URL's `://`, a Telegram token's `:AA`, `secrets-agent:allow`, or an assignment.
    private mutating func colon(_ i: Int) {
        let next = text.at(i + 1)
        if next == UInt8(ascii: "/") {
            if text.at(i + 2) == UInt8(ascii: "/") { url(colon: i) }
            return
        }
        if next == UInt8(ascii: "A"), text.at(i + 2) == UInt8(ascii: "A") { telegram(colon: i) }
        if next == UInt8(ascii: "a"), text.has("allow", at: i + 1), i >= 13, text.has("secrets-agent", at: i - 13) {
            allowMarkers.append(i)
            return
        }
        assignment(operator: i)
    }

    // MARK: Searches that remember their last answer

    /// What `next(_:from:)` looks for.
    enum Stop: Int, CaseIterable {
        /// A line feed.
        case newline
        /// A `"` or `'` not preceded by a backslash, or a backtick: the end of a quoted value.
        case doubleQuote, singleQuote, backtick
        /// The end of an unquoted value: whitespace, a quote, `,` `;` `&` `)` `]` `}`.
        case valueEnd
        /// `{` or `}`.
        case brace
        /// Anything but a letter, digit or `-`: the end of a Slack token.
        case slackEnd
    }

    private struct Memo {
        var from = Int.max
        var found = Int.max
    }

    /// The first position at or after `p` where `stop` holds, or `text.count`.
    mutating func next(_ stop: Stop, from p: Int) -> Int {
        let memo = memos[stop.rawValue]
        if p >= memo.from && p <= memo.found { return memo.found }
        var j = p
        var found = text.count
        while j < text.count {
            if j == memo.from { found = memo.found; break }
            if isStop(stop, j) { found = j; break }
            j += 1
        }
        memos[stop.rawValue] = Memo(from: p, found: found)
        return found
    }

    @inline(__always) private func isStop(_ stop: Stop, _ j: Int) -> Bool {
        let b = text[j]
        switch stop {
        case .newline: return b == 0x0A
        case .doubleQuote: return b == 0x22 && text.at(j - 1) != 0x5C
        case .singleQuote: return b == 0x27 && text.at(j - 1) != 0x5C
        case .backtick: return b == 0x60
        case .brace: return b == 0x7B || b == 0x7D
        case .slackEnd: return !ByteSet.slack.contains(b)
        case .valueEnd:
            switch b {
            case 0x20, 0x09...0x0D, 0x22, 0x27, 0x60, 0x2C, 0x3B, 0x26, 0x29, 0x5D, 0x7D: return true
            default: return false
            }
        }
    }

    // MARK: GCP service account keys

    /// How far apart a key file's `"type"` and `"private_key"` may be.
    static let maximumServiceAccountSpan = 8192

    /// Keeps each PEM `private_key` value that has a `"type": "service_account"` within
    /// 8 KiB of it and no `{` or `}` between them (the same key file) as a
    /// `gcp-service-account` finding. Values and markers are in increasing order, so the brace
    /// searches move forward and cost O(n) together.
    private mutating func confirmServiceAccounts() {
        guard !privateKeyValues.isEmpty, !serviceAccountMarkers.isEmpty else { return }
        let span = ScanPass.maximumServiceAccountSpan
        var m = 0
        for value in privateKeyValues {
            while m < serviceAccountMarkers.count, serviceAccountMarkers[m] < value.start { m += 1 }
            // The nearest marker before the value, then the nearest after it.
            if m > 0, case let marker = serviceAccountMarkers[m - 1], value.start - marker <= span,
               next(.brace, from: marker) >= value.start {
                add(.gcpServiceAccount, value.start, value.end)
            } else if m < serviceAccountMarkers.count, case let marker = serviceAccountMarkers[m], marker - value.end <= span,
                      next(.brace, from: value.end) >= marker {
                add(.gcpServiceAccount, value.start, value.end)
            }
        }
    }
}
