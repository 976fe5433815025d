/// Makes a random credential of any rule in `RuleCatalog`, in the format the rule's
/// specification gives. Every random part is drawn with `filler`, so no credential holds
/// another rule's prefix by chance.
enum CredentialFactory {
    static func make(_ rule: String, _ rng: inout SplitMix64) -> Credential {
        let name = rng.pick(RuleCatalog.profile(rule).names)
        switch rule {
        case "gcp-service-account":
            let key = serviceAccountKey(&rng)
            return Credential(rule: rule, value: key.compact, name: name, evidence: "-----BEGIN PRIVATE KEY-----",
                              serviceAccount: key)
        case "private-key", "openssh-private-key", "pgp-private-key":
            return Credential(rule: rule, value: PEMFactory.block(for: rule, &rng), name: name)
        default:
            return Credential(rule: rule, value: token(rule, &rng), name: name)
        }
    }

    /// A one-line credential of `rule`.
    static func token(_ rule: String, _ rng: inout SplitMix64) -> String {
        switch rule {
        case "aws-access-key-id": return "AKIA" + rng.filler(16, .base32)
        case "aws-secret-access-key": return rng.filler(40, .base64)
        case "gcp-api-key": return "AIza" + rng.filler(35, .base64URL)
        case "azure-storage-connection-string":
            let account = rng.pick(Vocabulary.services) + "store" + rng.string(3, .digits)
            return "DefaultEndpointsProtocol=https;AccountName=\(account);AccountKey="
                + Alphabet.base64Encoded(rng.bytes(64)) + ";EndpointSuffix=core.windows.net"
        case "github-pat": return gitHubToken("ghp_", &rng)
        case "github-oauth": return gitHubToken("gho_", &rng)
        case "github-user-token": return gitHubToken("ghu_", &rng)
        case "github-server-token": return gitHubToken("ghs_", &rng)
        case "github-refresh-token": return gitHubToken("ghr_", &rng)
        case "github-fine-grained-pat": return "github_pat_11" + rng.filler(20, .upperAlnum) + "_" + rng.filler(59, .alnum)
        case "gitlab-pat": return "glpat-" + rng.filler(20, .base64URL)
        case "slack-token":
            return "xoxb-" + number(rng.int(in: 10...13), &rng) + "-" + number(13, &rng) + "-" + rng.filler(24, .alnum)
        case "slack-webhook":
            return "https://hooks.slack.com/services/T" + rng.filler(9, .upperAlnum) + "/B" + rng.filler(9, .upperAlnum)
                + "/" + rng.filler(24, .alnum)
        case "twilio-api-key": return "SK" + rng.hex(16)
        case "sendgrid-api-key": return "SG." + rng.filler(22, .base64URL) + "." + rng.filler(43, .base64URL)
        case "mailgun-api-key": return "key-" + rng.hex(16)
        case "stripe-secret-key": return "sk_live_" + rng.filler(stripeLength(&rng), .alnum)
        case "stripe-restricted-key": return "rk_live_" + rng.filler(stripeLength(&rng), .alnum)
        case "stripe-webhook-secret": return "whsec_" + rng.filler(rng.chance(80) ? 32 : rng.int(in: 33...48), .alnum)
        case "openai-api-key":
            if rng.chance(50) { return "sk-proj-" + rng.filler(rng.int(in: 20...74), .base64URL) + "T3BlbkFJ" + rng.filler(rng.int(in: 20...74), .base64URL) }
            return "sk-" + rng.filler(20, .alnum) + "T3BlbkFJ" + rng.filler(20, .alnum)
        case "anthropic-api-key": return "sk-ant-api03-" + rng.filler(93, .base64URL) + "AA"
        case "huggingface-token": return "hf_" + rng.filler(34, .letters)
        case "npm-token": return gitHubToken("npm_", &rng)
        case "pypi-token": return "pypi-AgEIcHlwaS5vcmc" + rng.filler(rng.int(in: 60...170), .base64URL)
        case "jwt": return jwt(&rng)
        case "postgres-url":
            return rng.pick(["postgres", "postgresql"]) + "://" + user(&rng) + ":" + urlPassword(&rng) + "@" + rng.pick(Vocabulary.hosts)
                + ":5432/" + database(&rng) + (rng.chance(40) ? "?sslmode=require" : "")
        case "mysql-url":
            return "mysql://" + user(&rng) + ":" + urlPassword(&rng) + "@" + rng.pick(Vocabulary.hosts) + ":3306/" + database(&rng)
        case "mongodb-url":
            if rng.chance(50) {
                return "mongodb+srv://" + user(&rng) + ":" + urlPassword(&rng) + "@cluster0." + rng.string(5, .lowerAlnum)
                    + ".mongodb.net/" + database(&rng) + "?retryWrites=true&w=majority"
            }
            return "mongodb://" + user(&rng) + ":" + urlPassword(&rng) + "@" + rng.pick(Vocabulary.hosts) + ":27017/"
                + database(&rng) + "?authSource=admin"
        case "redis-url":
            switch rng.below(3) {
            case 0: return "redis://:" + urlPassword(&rng) + "@" + rng.pick(Vocabulary.hosts) + ":6379/0"
            case 1: return "rediss://default:" + urlPassword(&rng) + "@" + rng.pick(Vocabulary.hosts) + ":6380"
            default: return "redis://" + user(&rng) + ":" + urlPassword(&rng) + "@" + rng.pick(Vocabulary.hosts) + ":6379/1"
            }
        case "amqp-url":
            return rng.pick(["amqp", "amqps"]) + "://" + user(&rng) + ":" + urlPassword(&rng) + "@" + rng.pick(Vocabulary.hosts)
                + rng.pick([":5672/", ":5671/%2f", "/"]) + (rng.chance(50) ? rng.pick(Vocabulary.services) : "")
        case "generic-password":
            return rng.filler(1, .letters) + rng.filler(rng.int(in: 13...27), .password)
        case "generic-secret":
            switch rng.below(3) {
            case 0: return rng.hex(32)
            case 1: return rng.filler(rng.int(in: 32...48), .alnum)
            default: return Alphabet.base64Encoded(rng.bytes(33))
            }
        case "generic-token": return rng.filler(rng.int(in: 32...48), rng.chance(50) ? .alnum : .lowerAlnum)
        case "generic-api-key": return rng.chance(30) ? rng.hex(16) : rng.filler(rng.int(in: 32...40), .alnum)
        case "telegram-bot-token":
            return number(rng.int(in: 9...10), &rng) + ":AA" + rng.filler(33, .base64URL)
        case "digitalocean-token": return "dop_v1_" + rng.hex(32)
        case "shopify-token": return "shpat_" + rng.hex(16)
        case "databricks-token": return "dapi" + rng.hex(16)
        case "doppler-token": return "dp.pt." + rng.filler(43, .alnum)
        case "linear-api-key": return "lin_api_" + rng.filler(40, .alnum)
        case "mailchimp-api-key": return rng.hex(16) + "-us" + String(rng.int(in: 1...21))
        case "discord-bot-token":
            return rng.pick(["M", "N"]) + rng.filler(rng.int(in: 23...25), .alnum) + "." + rng.filler(6, .base64URL) + "."
                + rng.filler(rng.int(in: 27...38), .base64URL)
        case "square-access-token": return "EAAA" + rng.filler(60, .base64URL)
        case "atlassian-api-token":
            return "ATATT3xFfGF0" + rng.filler(170, .base64URL) + "=" + rng.string(8, .hexUpper)
        default: preconditionFailure("no generator for \(rule)")
        }
    }

    /// `prefix` + 30 random base62 + their CRC-32 checksum.
    static func gitHubToken(_ prefix: String, _ rng: inout SplitMix64) -> String {
        let random = rng.filler(30, .alnum)
        return prefix + random + GitHubChecksum.checksum(of: random)
    }

    /// A GitHub-shaped token whose checksum is wrong: a hard negative.
    static func gitHubTokenWithWrongChecksum(_ prefix: String, _ rng: inout SplitMix64) -> String {
        let random = rng.filler(30, .alnum)
        let right = GitHubChecksum.checksum(of: random)
        var wrong = right
        while wrong == right { wrong = rng.filler(6, .alnum) }
        return prefix + random + wrong
    }

    /// A JWT: a header naming its `alg`, claims, and a random signature.
    static func jwt(_ rng: inout SplitMix64) -> String {
        let alg = rng.pick(["HS256", "RS256", "ES256", "HS512"])
        let header = rng.chance(50) ? "{\"alg\":\"\(alg)\",\"typ\":\"JWT\"}" : "{\"typ\":\"JWT\",\"alg\":\"\(alg)\",\"kid\":\"\(rng.hex(8))\"}"
        let issued = 1_700_000_000 + rng.below(60_000_000)
        let claims = "{\"sub\":\"\(rng.uuid())\",\"iss\":\"https://auth.\(rng.pick(Vocabulary.services)).example.com\","
            + "\"aud\":\"\(rng.pick(Vocabulary.services))\",\"iat\":\(issued),\"exp\":\(issued + 3600),"
            + "\"scope\":\"\(rng.pick(["read", "read write", "admin", "openid profile email"]))\"}"
        let signatureLength = ["HS256": 43, "RS256": 342, "ES256": 86, "HS512": 86][alg]!
        return Alphabet.base64URLEncoded(Array(header.utf8)) + "." + Alphabet.base64URLEncoded(Array(claims.utf8)) + "."
            + rng.filler(signatureLength, .base64URL)
    }

    static func serviceAccountKey(_ rng: inout SplitMix64) -> ServiceAccountKey {
        let project = rng.pick(Vocabulary.services) + "-" + rng.pick(Vocabulary.adjectives) + "-" + rng.string(6, .digits)
        let account = rng.pick(Vocabulary.services) + "-" + rng.pick(["deployer", "runner", "reader", "ci"])
        return ServiceAccountKey(projectID: project, privateKeyID: rng.hex(20), privateKey: PEMFactory.pkcs8(&rng),
                                 clientEmail: "\(account)@\(project).iam.gserviceaccount.com",
                                 clientID: "1" + rng.string(20, .digits))
    }

    private static func number(_ digits: Int, _ rng: inout SplitMix64) -> String {
        String(rng.int(in: 1...9)) + rng.string(digits - 1, .digits)
    }

    private static func stripeLength(_ rng: inout SplitMix64) -> Int {
        rng.chance(60) ? rng.int(in: 24...34) : 99
    }

    private static func user(_ rng: inout SplitMix64) -> String {
        rng.pick(["app", "admin", "svc_" + rng.pick(Vocabulary.services), rng.pick(Vocabulary.people), "readonly", "etl"])
    }

    private static func urlPassword(_ rng: inout SplitMix64) -> String {
        rng.filler(1, .letters) + rng.filler(rng.int(in: 15...27), .alnum)
    }

    private static func database(_ rng: inout SplitMix64) -> String {
        rng.pick(Vocabulary.services) + rng.pick(["", "_prod", "_db", "_staging"])
    }
}
