import SecretsScan
import Testing

/// A credential planted in a test input, and the rule that must report exactly it.
struct Planted: Sendable, CustomTestStringConvertible {
    let rule: String
    let token: String
    init(_ rule: String, _ token: String) {
        self.rule = rule
        self.token = token
    }
    var testDescription: String { "\(rule): \(token)" }
}

private typealias F = Fixture

/// Two or more positives for every rule with a literal prefix or a fixed structure.
let prefixedTokens: [Planted] = [
    Planted("aws-access-key-id", "AKIA" + F.random(16, F.base32, seed: 1)),
    Planted("aws-access-key-id", "ASIA" + F.random(16, F.base32, seed: 2)),
    Planted("aws-access-key-id", "ABIA" + F.random(16, F.base32, seed: 3)),
    Planted("aws-access-key-id", "ACCA" + F.random(16, F.base32, seed: 4)),
    Planted("gcp-api-key", "AIza" + F.random(35, F.base64url, seed: 5)),
    Planted("gcp-api-key", "AIza" + F.random(35, F.base64url, seed: 6)),
    Planted("github-pat", F.githubToken("ghp_", seed: 7)),
    Planted("github-pat", F.githubToken("ghp_", seed: 8)),
    Planted("github-oauth", F.githubToken("gho_", seed: 9)),
    Planted("github-oauth", F.githubToken("gho_", seed: 10)),
    Planted("github-user-token", F.githubToken("ghu_", seed: 11)),
    Planted("github-user-token", F.githubToken("ghu_", seed: 12)),
    Planted("github-server-token", F.githubToken("ghs_", seed: 13)),
    Planted("github-server-token", F.githubToken("ghs_", seed: 14)),
    Planted("github-refresh-token", F.githubToken("ghr_", seed: 15)),
    Planted("github-refresh-token", F.githubToken("ghr_", seed: 16)),
    Planted("github-fine-grained-pat", "github_pat_" + F.random(22, F.alnum, seed: 17) + "_" + F.random(59, F.alnum, seed: 18)),
    Planted("github-fine-grained-pat", "github_pat_11" + F.random(20, F.alnum, seed: 19) + "_" + F.random(59, F.alnum, seed: 20)),
    Planted("gitlab-pat", "glpat-" + F.random(20, F.base64url, seed: 21)),
    Planted("gitlab-pat", "glpat-" + F.random(20, F.alnum, seed: 22)),
    Planted("slack-token", "xoxb-" + F.random(12, F.digits, seed: 23) + "-" + F.random(13, F.digits, seed: 24) + "-" + F.random(24, F.alnum, seed: 25)),
    Planted("slack-token", "xoxp-" + F.random(11, F.digits, seed: 26) + "-" + F.random(11, F.digits, seed: 27) + "-"
        + F.random(13, F.digits, seed: 28) + "-" + F.random(32, F.hex, seed: 29)),
    Planted("slack-token", "xoxa-2-" + F.random(40, F.alnum, seed: 30)),
    Planted("slack-webhook", "https://hooks.slack.com/services/T" + F.random(8, F.upper + F.digits, seed: 31) + "/B"
        + F.random(10, F.upper + F.digits, seed: 32) + "/" + F.random(24, F.alnum, seed: 33)),
    Planted("slack-webhook", "https://hooks.slack.com/services/T0" + F.random(9, F.upper, seed: 34) + "/B0"
        + F.random(9, F.upper, seed: 35) + "/" + F.random(24, F.alnum, seed: 36)),
    Planted("twilio-api-key", "SK" + F.random(32, F.hex, seed: 37)),
    Planted("twilio-api-key", "SK" + F.random(32, F.hex, seed: 38).uppercased()),
    Planted("sendgrid-api-key", "SG." + F.random(22, F.base64url, seed: 39) + "." + F.random(43, F.base64url, seed: 40)),
    Planted("sendgrid-api-key", "SG." + F.random(22, F.alnum, seed: 41) + "." + F.random(43, F.alnum, seed: 42)),
    Planted("mailgun-api-key", "key-" + F.random(32, F.hex, seed: 43)),
    Planted("mailgun-api-key", "key-" + F.random(32, F.hex, seed: 44)),
    Planted("stripe-secret-key", "sk_live_" + F.random(24, F.alnum, seed: 45)),
    Planted("stripe-secret-key", "sk_live_" + F.random(99, F.alnum, seed: 46)),
    Planted("stripe-restricted-key", "rk_live_" + F.random(24, F.alnum, seed: 47)),
    Planted("stripe-restricted-key", "rk_live_" + F.random(34, F.alnum, seed: 48)),
    Planted("stripe-webhook-secret", "whsec_" + F.random(32, F.alnum, seed: 49)),
    Planted("stripe-webhook-secret", "whsec_" + F.random(44, F.alnum, seed: 50)),
    Planted("openai-api-key", "sk-" + F.random(20, F.alnum, seed: 51) + "T3BlbkFJ" + F.random(20, F.alnum, seed: 52)),
    Planted("openai-api-key", "sk-proj-" + F.random(156, F.base64url, seed: 53)),
    Planted("openai-api-key", "sk-svcacct-" + F.random(40, F.base64url, seed: 54)),
    Planted("openai-api-key", "sk-admin-" + F.random(64, F.base64url, seed: 55)),
    Planted("anthropic-api-key", "sk-ant-api03-" + F.random(93, F.base64url, seed: 56) + "AA"),
    Planted("anthropic-api-key", "sk-ant-admin01-" + F.random(80, F.base64url, seed: 57)),
    Planted("huggingface-token", "hf_" + F.random(34, F.letters, seed: 58)),
    Planted("huggingface-token", "hf_" + F.random(34, F.letters, seed: 59)),
    Planted("npm-token", "npm_" + F.random(36, F.alnum, seed: 60)),
    Planted("npm-token", "npm_" + F.random(36, F.alnum, seed: 61)),
    Planted("pypi-token", "pypi-AgEIcHlwaS5vcmc" + F.random(50, F.base64url, seed: 62)),
    Planted("pypi-token", "pypi-AgEIcHlwaS5vcmc" + F.random(160, F.base64url, seed: 63)),
    Planted("telegram-bot-token", F.random(9, F.digits, seed: 64) + ":AA" + F.random(33, F.base64url, seed: 65)),
    Planted("telegram-bot-token", "1" + F.random(9, F.digits, seed: 66) + ":AA" + F.random(33, F.base64url, seed: 67)),
    Planted("digitalocean-token", "dop_v1_" + F.random(64, F.hex, seed: 68)),
    Planted("digitalocean-token", "doo_v1_" + F.random(64, F.hex, seed: 69)),
    Planted("shopify-token", "shpat_" + F.random(32, F.hex, seed: 70)),
    Planted("shopify-token", "shpss_" + F.random(32, F.hex, seed: 71)),
    Planted("shopify-token", "shpca_" + F.random(32, F.hex, seed: 72)),
    Planted("databricks-token", "dapi" + F.random(32, F.hex, seed: 73)),
    Planted("databricks-token", "dapi" + F.random(32, F.hex, seed: 74)),
    Planted("doppler-token", "dp.pt." + F.random(43, F.alnum, seed: 75)),
    Planted("doppler-token", "dp.pt." + F.random(43, F.alnum, seed: 76)),
    Planted("linear-api-key", "lin_api_" + F.random(40, F.alnum, seed: 77)),
    Planted("linear-api-key", "lin_api_" + F.random(40, F.alnum, seed: 78)),
    Planted("mailchimp-api-key", F.random(32, F.hex, seed: 79) + "-us6"),
    Planted("mailchimp-api-key", F.random(32, F.hex, seed: 80) + "-us21"),
    Planted("discord-bot-token", "M" + F.random(23, F.alnum, seed: 81) + "." + F.random(6, F.base64url, seed: 82) + "."
        + F.random(27, F.base64url, seed: 83)),
    Planted("discord-bot-token", "N" + F.random(25, F.alnum, seed: 84) + "." + F.random(6, F.base64url, seed: 85) + "."
        + F.random(38, F.base64url, seed: 86)),
    Planted("square-access-token", "EAAA" + F.random(60, F.base64url, seed: 87)),
    Planted("square-access-token", "EAAA" + F.random(60, F.alnum, seed: 88)),
    Planted("atlassian-api-token", "ATATT3" + F.random(180, F.base64url, seed: 89)),
    Planted("atlassian-api-token", "ATATT3xFfGF0" + F.random(170, F.base64url + "=", seed: 90) + "=" + F.random(8, F.hex, seed: 91).uppercased()),
]

@Suite struct TokenRuleTests {
    /// Each token alone, after `=`, in quotes and in a sentence: one finding, exactly it.
    @Test(arguments: prefixedTokens)
    func findsTheToken(_ planted: Planted) {
        for (before, after) in [("", ""), ("value = ", "\n"), ("[\"", "\", 1]"), ("see ", ", then retry"), ("x: '", "'\r\n")] {
            let text = before + planted.token + after
            #expect(matches(text) == [Match(planted.rule, planted.token)], "in \(text.debugDescription)")
        }
    }

    /// Exact offsets, lines and columns.
    @Test(arguments: prefixedTokens)
    func reportsThePosition(_ planted: Planted) {
        let text = "first line\n\tsecond = " + planted.token + " # third\n"
        let start = offset(of: planted.token, in: text)
        let end = start + planted.token.utf8.count
        let rule = Scanner.rule(id: planted.rule)!
        #expect(scan(text) == [Finding(rule: planted.rule, confidence: rule.confidence, start: start, end: end,
                                       line: 2, column: 11, endLine: 2, endColumn: 11 + planted.token.utf8.count)])
    }

    /// A token is no finding when its rule is not enabled.
    @Test(arguments: prefixedTokens)
    func onlyEnabledRulesReport(_ planted: Planted) {
        let others = Set(Scanner.rules.map(\.id)).subtracting([planted.rule])
        #expect(matches("x = " + planted.token, rules: others).allSatisfy { $0.rule != planted.rule })
        #expect(matches("x = " + planted.token, rules: [planted.rule]) == [Match(planted.rule, planted.token)])
    }

    /// Glued to a letter or digit on either side, or one character short or long, a token is
    /// no finding (where the format has a fixed length).
    @Test(arguments: prefixedTokens)
    func wordBoundaries(_ planted: Planted) {
        #expect(matches("x" + planted.token).allSatisfy { $0.rule != planted.rule })
        if planted.rule != "telegram-bot-token" || planted.token.firstIndex(of: ":") == planted.token.index(planted.token.startIndex, offsetBy: 10) {
            #expect(matches("7" + planted.token).allSatisfy { $0.rule != planted.rule })
        }
        let variable = ["stripe-secret-key", "stripe-restricted-key", "stripe-webhook-secret", "anthropic-api-key",
                        "pypi-token", "atlassian-api-token", "slack-token", "discord-bot-token", "telegram-bot-token",
                        "mailchimp-api-key"]
        if !variable.contains(planted.rule) && !planted.token.hasPrefix("sk-proj-") && !planted.token.hasPrefix("sk-svcacct-")
            && !planted.token.hasPrefix("sk-admin-") && !planted.token.hasPrefix("https://") {
            #expect(matches(planted.token + "Q").allSatisfy { $0.rule != planted.rule }, "one longer")
            #expect(matches(String(planted.token.dropLast())).allSatisfy { $0.rule != planted.rule }, "one shorter")
        }
    }

    @Test(arguments: [
        // Wrong length, wrong characters, wrong prefix.
        "AKIA" + F.random(15, F.base32, seed: 100),
        "AKIA" + F.random(15, F.base32, seed: 101) + "1",  // 0 1 8 9 are not base32
        "AKIA" + F.random(16, F.base32, seed: 102).lowercased(),
        "AKIB" + F.random(16, F.base32, seed: 103),
        "AIza" + F.random(34, F.base64url, seed: 104),
        "ghp_" + F.random(35, F.alnum, seed: 105),
        "ghx_" + F.random(36, F.alnum, seed: 106),
        "github_pat_" + F.random(21, F.alnum, seed: 107) + "_" + F.random(59, F.alnum, seed: 108),
        "github_pat_" + F.random(22, F.alnum, seed: 109) + "_" + F.random(58, F.alnum, seed: 110),
        "glpat-" + F.random(19, F.alnum, seed: 111),
        "xoxb-12345",
        "xoxz-" + F.random(12, F.digits, seed: 112) + "-" + F.random(24, F.alnum, seed: 113),
        "xoxb-" + F.random(24, F.letters, seed: 114),  // no digit: a word, not a token
        "https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/" + F.random(23, F.alnum, seed: 115),
        "https://hooks.slack.com/services/t0abcdef1/B0ABCDEF2/" + F.random(24, F.alnum, seed: 116),
        "SK" + F.random(31, F.hex, seed: 117),
        "SK" + F.random(32, "ghijklmnop", seed: 118),
        "SG." + F.random(21, F.base64url, seed: 119) + "." + F.random(43, F.base64url, seed: 120),
        "monkey-" + F.random(32, F.hex, seed: 121),
        "key-" + F.random(32, "ghijklmnop", seed: 122),
        "sk_live_" + F.random(23, F.alnum, seed: 123),
        "sk_test_" + F.random(24, F.alnum, seed: 124),
        "whsec_" + F.random(31, F.alnum, seed: 125),
        "sk-" + F.random(47, F.alnum, seed: 126),
        "sk-proj-" + F.random(39, F.base64url, seed: 127),
        "sk-ant-api03-" + F.random(79, F.base64url, seed: 128),
        "sk-ant-api04-" + F.random(95, F.base64url, seed: 129),
        "hf_" + F.random(33, F.letters, seed: 130),
        "hf_" + F.random(33, F.letters, seed: 131) + "7",
        "npm_" + F.random(35, F.alnum, seed: 132),
        "pypi-AgEIcHlwaS5vcmc" + F.random(49, F.base64url, seed: 133),
        "pypi-AgEIcHlwaS5vcmd" + F.random(80, F.base64url, seed: 134),
        F.random(7, F.digits, seed: 135) + ":AA" + F.random(33, F.base64url, seed: 136),
        F.random(11, F.digits, seed: 137) + ":AA" + F.random(33, F.base64url, seed: 138),
        F.random(9, F.digits, seed: 139) + ":AB" + F.random(33, F.base64url, seed: 140),
        "dop_v1_" + F.random(63, F.hex, seed: 141),
        "dop_v1_" + F.random(64, F.hex, seed: 142).uppercased(),
        "dop_v2_" + F.random(64, F.hex, seed: 143),
        "shpat_" + F.random(31, F.hex, seed: 144),
        "shpxx_" + F.random(32, F.hex, seed: 145),
        "dapi" + F.random(31, F.hex, seed: 146),
        "dapi" + F.random(32, F.hex, seed: 147).uppercased(),
        "dp.pt." + F.random(42, F.alnum, seed: 148),
        "lin_api_" + F.random(39, F.alnum, seed: 149),
        F.random(31, F.hex, seed: 150) + "-us6",
        F.random(32, F.hex, seed: 151) + "-us123",
        F.random(32, F.hex, seed: 152) + "-eu6",
        "M" + F.random(22, F.alnum, seed: 153) + "." + F.random(6, F.base64url, seed: 154) + "." + F.random(27, F.base64url, seed: 155),
        "O" + F.random(24, F.alnum, seed: 156) + "." + F.random(6, F.base64url, seed: 157) + "." + F.random(27, F.base64url, seed: 158),
        "M" + F.random(24, F.alnum, seed: 159) + "." + F.random(5, F.base64url, seed: 160) + "." + F.random(27, F.base64url, seed: 161),
        "EAAA" + F.random(59, F.base64url, seed: 162),
        "EAAC" + F.random(60, F.base64url, seed: 163),
        "ATATT3" + F.random(179, F.base64url, seed: 164),
    ])
    func rejectsMalformedTokens(_ text: String) {
        #expect(matches(text) == [])
        #expect(matches("x = " + text + "\n") == [])
    }

    @Test(arguments: [
        // Documentation examples and placeholders in the shape of a token.
        "AKIAIOSFODNN7EXAMPLE",
        "AKIAXXXXXXXXXXXXXXXX",
        "AKIA0000000000000000",
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "ghp_XXXXXXXX",
        "sk-...",
        "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
        "sk_live_" + F.random(10, F.alnum, seed: 170) + "EXAMPLE" + F.random(10, F.alnum, seed: 171),
        "sk_live_yourSecretKeyGoesHere12345",
        "xoxb-xxxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx",
        "xoxb-your-token-here-1234567890",
        "glpat-xxxxxxxxxxxxxxxxxxxx",
        "AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "npm_000000000000000000000000000000000000",
        "SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        "dop_v1_0000000000000000000000000000000000000000000000000000000000000000",
    ])
    func rejectsDocumentationExamples(_ text: String) {
        #expect(matches("token: \(text)\n") == [])
        #expect(matches(text) == [])
    }

    @Test func openAIRuleDoesNotTakeAnthropicKeys() {
        let key = "sk-ant-api03-" + F.random(95, F.base64url, seed: 180)
        #expect(matches(key) == [Match("anthropic-api-key", key)])
        #expect(matches(key, rules: ["openai-api-key"]) == [])
    }

    @Test func mailchimpAndTelegramAnchorsInTheMiddle() {
        // The trigger of these two is in the middle of the token: the finding still starts at its start.
        let chimp = F.random(32, F.hex, seed: 181) + "-us14"
        let bot = "5" + F.random(8, F.digits, seed: 182) + ":AA" + F.random(33, F.base64url, seed: 183)
        let text = "MAILCHIMP=\(chimp)\nbot \(bot)\n"
        #expect(scan(text).map(\.start) == [offset(of: chimp, in: text), offset(of: bot, in: text)])
        #expect(scan(text).map(\.column) == [11, 5])
    }
}
