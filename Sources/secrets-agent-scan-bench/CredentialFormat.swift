import Foundation

/// The format each rule's specification gives, as the self-test checks the generator
/// against it: an anchored pattern per rule, plus the checks a pattern cannot make (GitHub
/// checksums, a JWT header with "alg", a service-account key's JSON, a generic value's
/// entropy).
enum CredentialFormat {
    static let patterns: [String: String] = [
        "aws-access-key-id": "AKIA[A-Z2-7]{16}",
        "aws-secret-access-key": "[A-Za-z0-9/+]{40}",
        "gcp-api-key": "AIza[A-Za-z0-9_-]{35}",
        "azure-storage-connection-string": "DefaultEndpointsProtocol=https;AccountName=[a-z0-9]{3,24};AccountKey=[A-Za-z0-9+/]{86}==;EndpointSuffix=core\\.windows\\.net",
        "github-pat": "ghp_[A-Za-z0-9]{36}",
        "github-oauth": "gho_[A-Za-z0-9]{36}",
        "github-user-token": "ghu_[A-Za-z0-9]{36}",
        "github-server-token": "ghs_[A-Za-z0-9]{36}",
        "github-refresh-token": "ghr_[A-Za-z0-9]{36}",
        "github-fine-grained-pat": "github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}",
        "gitlab-pat": "glpat-[A-Za-z0-9_-]{20}",
        "slack-token": "xoxb-[0-9]+-[0-9]+-[A-Za-z0-9]{24}",
        "slack-webhook": "https://hooks\\.slack\\.com/services/T[A-Z0-9]{9}/B[A-Z0-9]{9}/[A-Za-z0-9]{24}",
        "twilio-api-key": "SK[0-9a-f]{32}",
        "sendgrid-api-key": "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}",
        "mailgun-api-key": "key-[0-9a-f]{32}",
        "stripe-secret-key": "sk_live_[A-Za-z0-9]{24,}",
        "stripe-restricted-key": "rk_live_[A-Za-z0-9]{24,}",
        "stripe-webhook-secret": "whsec_[A-Za-z0-9]{32,}",
        "openai-api-key": "sk-proj-[A-Za-z0-9_-]{40,}|sk-[A-Za-z0-9]{48}",
        "anthropic-api-key": "sk-ant-api03-[A-Za-z0-9_-]{80,}",
        "huggingface-token": "hf_[A-Za-z]{34}",
        "npm-token": "npm_[A-Za-z0-9]{36}",
        "pypi-token": "pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}",
        "jwt": "eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+",
        "private-key": "-----BEGIN (RSA |EC |ENCRYPTED |)PRIVATE KEY-----\\n([A-Za-z0-9+/=]{1,64}\\n)+-----END \\1PRIVATE KEY-----",
        "openssh-private-key": "-----BEGIN OPENSSH PRIVATE KEY-----\\n([A-Za-z0-9+/=]{1,70}\\n)+-----END OPENSSH PRIVATE KEY-----",
        "pgp-private-key": "-----BEGIN PGP PRIVATE KEY BLOCK-----\\n(Comment: [^\\n]*\\n)?\\n([A-Za-z0-9+/=]{1,64}\\n)+=[A-Za-z0-9+/]{4}\\n-----END PGP PRIVATE KEY BLOCK-----",
        "postgres-url": "postgres(ql)?://[^:@/\\s]+:[^@\\s]+@[^/\\s]+/\\S*",
        "mysql-url": "mysql://[^:@/\\s]+:[^@\\s]+@[^/\\s]+/\\S*",
        "mongodb-url": "mongodb(\\+srv)?://[^:@/\\s]+:[^@\\s]+@[^/\\s]+/\\S*",
        "redis-url": "rediss?://[^:@/\\s]*:[^@\\s]+@[^/\\s]+(/\\S*)?",
        "amqp-url": "amqps?://[^:@/\\s]+:[^@\\s]+@[^/\\s]+(/\\S*)?",
        "generic-password": "\\S{12,}",
        "generic-secret": "\\S{12,}",
        "generic-token": "\\S{12,}",
        "generic-api-key": "\\S{12,}",
        "telegram-bot-token": "[0-9]{8,10}:AA[A-Za-z0-9_-]{33}",
        "digitalocean-token": "dop_v1_[0-9a-f]{64}",
        "shopify-token": "shpat_[0-9a-f]{32}",
        "databricks-token": "dapi[0-9a-f]{32}",
        "doppler-token": "dp\\.pt\\.[A-Za-z0-9]{43}",
        "linear-api-key": "lin_api_[A-Za-z0-9]{40}",
        "mailchimp-api-key": "[0-9a-f]{32}-us[0-9]{1,2}",
        "discord-bot-token": "[MN][A-Za-z0-9]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}",
        "square-access-token": "EAAA[A-Za-z0-9_-]{60}",
        "atlassian-api-token": "ATATT3[A-Za-z0-9_=-]{180,}",
    ]

    /// Credential shapes that must not occur outside a labeled line (except on decoys made
    /// to have them): the distinctive prefixes, not keyword assignments. (`EAAA` is bounded:
    /// every `ssh-rsa` public key holds `c2EAAAADAQAB...`, a fair hard negative.)
    static let accidentalPattern = [
        "AKIA[A-Z2-7]{16}", "AIza[A-Za-z0-9_-]{35}", "gh[pousr]_[A-Za-z0-9]{36}", "github_pat_", "glpat-[A-Za-z0-9_-]{20}",
        "xox[bpas]-[0-9]+-", "hooks\\.slack\\.com/services/T", "\\bSK[0-9a-f]{32}\\b", "SG\\.[A-Za-z0-9_-]{22}\\.", "key-[0-9a-f]{32}",
        "[sr]k_live_[A-Za-z0-9]{24}", "whsec_[A-Za-z0-9]{32}", "sk-proj-", "\\bsk-[A-Za-z0-9]{48}\\b", "sk-ant-",
        "\\bhf_[A-Za-z]{34}\\b", "npm_[A-Za-z0-9]{36}", "pypi-AgEI", "eyJ[A-Za-z0-9_-]+\\.eyJ", "BEGIN [A-Z ]*PRIVATE KEY",
        "[a-z+]+://[^:@/\\s\"']*:[^@\\s\"'/]+@", "\\b[0-9]{8,10}:AA[A-Za-z0-9_-]{33}", "dop_v1_", "shpat_", "\\bdapi[0-9a-f]{32}",
        "dp\\.pt\\.", "lin_api_", "[0-9a-f]{32}-us[0-9]", "\\bEAAA[A-Za-z0-9_-]{60}", "\\bATATT3",
    ].joined(separator: "|")

    private static let compiled: [String: NSRegularExpression] = patterns.mapValues {
        try! NSRegularExpression(pattern: "^(?:\($0))$", options: [])
    }

    /// Why `credential` does not follow its rule's format, or nil when it does.
    static func violation(_ credential: Credential) -> String? {
        let value = credential.value
        if credential.rule == "gcp-service-account" {
            guard let object = try? JSONSerialization.jsonObject(with: Data(value.utf8)) as? [String: Any] else { return "not JSON" }
            guard object["type"] as? String == "service_account" else { return "type is not service_account" }
            guard (object["private_key"] as? String)?.hasPrefix("-----BEGIN PRIVATE KEY-----\n") == true else { return "no private_key" }
            return nil
        }
        guard let pattern = compiled[credential.rule] else { return "no format for the rule" }
        let range = NSRange(value.startIndex..., in: value)
        guard pattern.firstMatch(in: value, range: range) != nil else { return "does not match \(patterns[credential.rule]!)" }
        switch credential.rule {
        case "github-pat", "github-oauth", "github-user-token", "github-server-token", "github-refresh-token", "npm-token":
            return GitHubChecksum.isValid(value) ? nil : "wrong checksum"
        case "jwt":
            let header = String(value.prefix { $0 != "." })
            guard let json = base64URLDecoded(header),
                  let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any], object["alg"] is String else {
                return "header is not JSON with \"alg\""
            }
            return nil
        case "generic-password", "generic-secret", "generic-token", "generic-api-key":
            let entropy = shannonEntropy(value)
            return entropy >= 3.0 ? nil : "entropy \(entropy) bits per character is below 3"
        default:
            return nil
        }
    }

    /// Bits per character of `text`'s character distribution.
    static func shannonEntropy(_ text: String) -> Double {
        var counts: [UInt8: Int] = [:]
        for byte in text.utf8 { counts[byte, default: 0] += 1 }
        let total = Double(text.utf8.count)
        return counts.values.reduce(0) { $0 - Double($1) / total * log2(Double($1) / total) }
    }

    static func base64URLDecoded(_ text: String) -> [UInt8]? {
        var standard = text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 }.map(String.init).joined()
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map(Array.init)
    }
}
