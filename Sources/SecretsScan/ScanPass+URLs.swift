/// Credentials in URLs: the password of a database or queue URL, and Slack webhooks.
extension ScanPass {
    /// The longest authority (`user:password@host:port`) read after `://`.
    static let maximumAuthority = 512

    /// The URL whose `://` is at `i`. Each authority read stops at the next `/`, so no byte is
    /// read by two URLs.
    mutating func url(colon i: Int) {
        let start = text.runBack(.scheme, before: i, limit: 24)
        guard start < i, text.boundary(before: start, .scheme) else { return }
        var base = start
        while base < i, text[base] != UInt8(ascii: "+") { base += 1 }
        let rule: RuleID
        if text.equalsIgnoringCase(start, base, "postgres") || text.equalsIgnoringCase(start, base, "postgresql") {
            rule = .postgresURL
        } else if text.equalsIgnoringCase(start, base, "mysql") || text.equalsIgnoringCase(start, base, "mariadb") {
            rule = .mysqlURL
        } else if text.equalsIgnoringCase(start, base, "mongodb") {
            rule = .mongodbURL
        } else if text.equalsIgnoringCase(start, base, "redis") || text.equalsIgnoringCase(start, base, "rediss") {
            rule = .redisURL
        } else if text.equalsIgnoringCase(start, base, "amqp") || text.equalsIgnoringCase(start, base, "amqps") {
            rule = .amqpURL
        } else if text.equalsIgnoringCase(start, i, "https") || text.equalsIgnoringCase(start, i, "http") {
            slackWebhook(start, colon: i)
            return
        } else {
            return
        }
        guard on(rule) else { return }
        let authority = i + 3
        var end = authority
        var at = -1
        let stop = min(text.count, authority + ScanPass.maximumAuthority)
        scan: while end < stop {
            switch text[end] {
            case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "\""), UInt8(ascii: "'"),
                 UInt8(ascii: "`"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"), 0x00...0x20, 0x7F:
                break scan
            case UInt8(ascii: "@"): at = end
            default: break
            }
            end += 1
        }
        guard at > authority else { return }
        var colon = authority
        while colon < at, text[colon] != UInt8(ascii: ":") { colon += 1 }
        // The user is the password's "key": `guest:guest` is the documentation default, and a
        // password spelling "password" (`mysecretpassword`) an example.
        guard colon + 1 < at, !Placeholder.isPlaceholder(text, colon + 1, at, key: authority..<colon),
              !text.containsIgnoringCase(colon + 1, at, "password") else { return }
        add(rule, colon + 1, at)
    }

    /// `https://hooks.slack.com/services/T…/B…/` + 24 letters and digits: the whole URL.
    private mutating func slackWebhook(_ start: Int, colon i: Int) {
        guard on(.slackWebhook), text.has("hooks.slack.com/services/T", at: i + 3) else { return }
        let team = text.run(.upperAlnum, from: i + 29, limit: 21)
        guard team > i + 29, team - (i + 29) <= 20, text.has("/B", at: team) else { return }
        let channel = text.run(.upperAlnum, from: team + 2, limit: 21)
        guard channel > team + 2, channel - (team + 2) <= 20, text.at(channel) == UInt8(ascii: "/") else { return }
        let end = text.run(.alnum, from: channel + 1, limit: 25)
        guard end - (channel + 1) == 24, text.boundary(at: end, .alnum),
              !Placeholder.isDocumentationToken(text, channel + 1, end) else { return }
        add(.slackWebhook, start, end)
    }
}
