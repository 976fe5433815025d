/// The rules for tokens with a literal prefix (and some structure after it): each reads at
/// most its token's maximum length plus one byte.
extension ScanPass {
    /// A token at `i`: `prefix` bytes already matched, then `minimum...maximum` bytes of
    /// `body`; the byte before `i` is not in `before` and the byte after the token not in
    /// `after` (default: `body`); the body is not a documentation example. Returns the end.
    @discardableResult
    mutating func emit(_ rule: RuleID, _ i: Int, prefix: Int, _ body: ByteSet, _ minimum: Int, _ maximum: Int,
                       before: ByteSet = .word, after: ByteSet? = nil) -> Int? {
        guard on(rule), text.boundary(before: i, before) else { return nil }
        let start = i + prefix
        let end = text.run(body, from: start, limit: maximum + 1)
        guard end - start >= minimum, end - start <= maximum, text.boundary(at: end, after ?? body),
              !Placeholder.isDocumentationToken(text, start, end) else { return nil }
        add(rule, i, end)
        return end
    }

    mutating func awsAccessKeyID(_ i: Int) {
        emit(.awsAccessKeyID, i, prefix: 4, .base32, 16, 16, before: .alnum, after: .alnum)
    }

    /// `ghp_` `gho_` `ghu_` `ghs_` `ghr_` + 30 random + 6 checksum characters (a token whose
    /// checksum does not verify is no finding), `github_pat_`, `glpat-`.
    mutating func github(_ i: Int) {
        if text.at(i + 1) == UInt8(ascii: "h"), text.at(i + 3) == UInt8(ascii: "_") {
            let rule: RuleID
            switch text.at(i + 2) {
            case UInt8(ascii: "p"): rule = .githubPAT
            case UInt8(ascii: "o"): rule = .githubOAuth
            case UInt8(ascii: "u"): rule = .githubUserToken
            case UInt8(ascii: "s"): rule = .githubServerToken
            case UInt8(ascii: "r"): rule = .githubRefreshToken
            default: return
            }
            guard on(rule), text.boundary(before: i, .word) else { return }
            let end = text.run(.alnum, from: i + 4, limit: 37)
            guard end - (i + 4) == 36, text.boundary(at: end, .word),
                  GitHubChecksum.verifies(text, i + 4) else { return }
            add(rule, i, end)
        } else if text.has("github_pat_", at: i) {
            guard on(.githubFineGrainedPAT), text.boundary(before: i, .word) else { return }
            let first = text.run(.alnum, from: i + 11, limit: 23)
            guard first - (i + 11) == 22, text.at(first) == UInt8(ascii: "_") else { return }
            let end = text.run(.alnum, from: first + 1, limit: 60)
            guard end - (first + 1) == 59, text.boundary(at: end, .word),
                  !Placeholder.isDocumentationToken(text, i + 11, end) else { return }
            add(.githubFineGrainedPAT, i, end)
        } else if text.has("glpat-", at: i) {
            emit(.gitlabPAT, i, prefix: 6, .base64url, 20, 20)
        }
    }

    /// `xox[bpaors]-` and at least 20 bytes of dash-separated groups of letters and digits,
    /// with a digit among them.
    mutating func slackToken(_ i: Int) {
        guard on(.slackToken), text.has("xox", at: i), text.at(i + 4) == UInt8(ascii: "-") else { return }
        switch text.at(i + 3) {
        case UInt8(ascii: "b"), UInt8(ascii: "p"), UInt8(ascii: "a"), UInt8(ascii: "o"), UInt8(ascii: "r"),
             UInt8(ascii: "s"): break
        default: return
        }
        guard text.boundary(before: i, .word) else { return }
        let start = i + 5
        // Through `next`: `xoxb-1-xoxb-1-…` would read each run again from every trigger.
        var end = next(.slackEnd, from: start)
        guard end - start <= 256 else { return }
        while end > start, text[end - 1] == UInt8(ascii: "-") { end -= 1 }
        guard end - start >= 20, end - start <= 255, text.boundary(at: end, .word),
              ByteSet.isAlnum(text[start]) else { return }
        var digit = false
        for k in start..<end where ByteSet.isDigit(text[k]) { digit = true; break }
        guard digit, !Placeholder.isDocumentationToken(text, start, end) else { return }
        add(.slackToken, i, end)
    }

    /// `SG.` + 22 + `.` + 43 base64url bytes.
    mutating func sendgrid(_ i: Int) {
        guard on(.sendgridAPIKey), text.boundary(before: i, .word) else { return }
        let first = text.run(.base64url, from: i + 3, limit: 23)
        guard first - (i + 3) == 22, text.at(first) == UInt8(ascii: ".") else { return }
        let end = text.run(.base64url, from: first + 1, limit: 44)
        guard end - (first + 1) == 43, text.boundary(at: end, .base64url),
              !Placeholder.isDocumentationToken(text, i + 3, end) else { return }
        add(.sendgridAPIKey, i, end)
    }

    /// `sk_live_`, `sk-ant-…` (Anthropic), `sk-proj-`/`sk-svcacct-`/`sk-admin-`/`sk-` (OpenAI),
    /// `shpat_`/`shpss_`/`shpca_`/`shppa_`.
    mutating func sPrefixed(_ i: Int) {
        if text.at(i + 1) == UInt8(ascii: "h") {
            guard text.has("shp", at: i), text.at(i + 5) == UInt8(ascii: "_") else { return }
            if text.has("at", at: i + 3) || text.has("ss", at: i + 3) || text.has("ca", at: i + 3) || text.has("pa", at: i + 3) {
                emit(.shopifyToken, i, prefix: 6, .hex, 32, 32, after: .word)
            }
        } else if text.has("sk_live_", at: i) {
            emit(.stripeSecretKey, i, prefix: 8, .alnum, 24, 255, after: .word)
        } else if text.has("sk-", at: i) {
            if text.has("sk-ant-", at: i) {
                if text.has("api03-", at: i + 7) {
                    emit(.anthropicAPIKey, i, prefix: 13, .base64url, 80, 300, before: .base64url)
                } else if text.has("admin01-", at: i + 7) {
                    emit(.anthropicAPIKey, i, prefix: 15, .base64url, 80, 300, before: .base64url)
                }
            } else if text.has("proj-", at: i + 3) {
                emit(.openaiAPIKey, i, prefix: 8, .base64url, 40, 300, before: .base64url)
            } else if text.has("svcacct-", at: i + 3) {
                emit(.openaiAPIKey, i, prefix: 11, .base64url, 40, 300, before: .base64url)
            } else if text.has("admin-", at: i + 3) {
                emit(.openaiAPIKey, i, prefix: 9, .base64url, 40, 300, before: .base64url)
            } else {
                emit(.openaiAPIKey, i, prefix: 3, .alnum, 48, 48, before: .base64url, after: .base64url)
            }
        }
    }

    /// `dop_v1_`/`doo_v1_`/`dor_v1_` + 64 hex, `dapi` + 32 hex, `dp.pt.` + 43.
    mutating func dPrefixed(_ i: Int) {
        switch text.at(i + 1) {
        case UInt8(ascii: "o"):
            if text.has("_v1_", at: i + 3),
               text.at(i + 2) == UInt8(ascii: "p") || text.at(i + 2) == UInt8(ascii: "o") || text.at(i + 2) == UInt8(ascii: "r") {
                emit(.digitaloceanToken, i, prefix: 7, .lowerHex, 64, 64, after: .word)
            }
        case UInt8(ascii: "a"):
            if text.has("dapi", at: i) { emit(.databricksToken, i, prefix: 4, .lowerHex, 32, 32, after: .word) }
        case UInt8(ascii: "p"):
            if text.has("dp.pt.", at: i) { emit(.dopplerToken, i, prefix: 6, .alnum, 43, 43, after: .word) }
        default: break
        }
    }

    /// 32 hex + `-us` + one or two digits: the trigger is the dash.
    mutating func mailchimp(_ i: Int) {
        guard on(.mailchimpAPIKey), i >= 32, text.has("-us", at: i) else { return }
        let digits = text.run(.digit, from: i + 3, limit: 3)
        guard digits - (i + 3) >= 1, digits - (i + 3) <= 2, text.boundary(at: digits, .word),
              text.runBack(.hex, before: i, limit: 33) == i - 32, text.boundary(before: i - 32, .word),
              !Placeholder.isDocumentationToken(text, i - 32, i) else { return }
        add(.mailchimpAPIKey, i - 32, digits)
    }

    /// `[MN]` + 23-25 letters or digits + `.` + 6 + `.` + 27-38 base64url bytes.
    mutating func discord(_ i: Int) {
        guard on(.discordBotToken), text.boundary(before: i, .base64url) else { return }
        let first = text.run(.alnum, from: i + 1, limit: 26)
        guard first - (i + 1) >= 23, first - (i + 1) <= 25, text.at(first) == UInt8(ascii: ".") else { return }
        let second = text.run(.base64url, from: first + 1, limit: 7)
        guard second - (first + 1) == 6, text.at(second) == UInt8(ascii: ".") else { return }
        let end = text.run(.base64url, from: second + 1, limit: 39)
        guard end - (second + 1) >= 27, end - (second + 1) <= 38, text.boundary(at: end, .base64url),
              !Placeholder.isDocumentationToken(text, i, end) else { return }
        add(.discordBotToken, i, end)
    }

    /// 8-10 digits + `:AA` + 33 base64url bytes: the trigger is the colon.
    mutating func telegram(colon i: Int) {
        guard on(.telegramBotToken) else { return }
        let digits = text.runBack(.digit, before: i, limit: 11)
        guard i - digits >= 8, i - digits <= 10, text.boundary(before: digits, .word) else { return }
        let end = text.run(.base64url, from: i + 3, limit: 34)
        guard end - (i + 3) == 33, text.boundary(at: end, .base64url),
              !Placeholder.isDocumentationToken(text, i + 1, end) else { return }
        add(.telegramBotToken, digits, end)
    }
}
