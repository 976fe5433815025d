/// Values of the hard negatives; the composers put them in context.
enum Decoys {
    static func gitSHA(_ rng: inout SplitMix64) -> String { rng.hex(20) }

    static func integrity(_ rng: inout SplitMix64) -> String {
        rng.chance(85) ? "sha512-" + Alphabet.base64Encoded(rng.bytes(64)) : "sha1-" + Alphabet.base64Encoded(rng.bytes(20))
    }

    /// A PNG data URI: the PNG signature and IHDR start, then random base64.
    static func dataURI(_ rng: inout SplitMix64) -> String {
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA" + rng.filler(rng.int(in: 120...2_400) * 4, .base64) + "=="
    }

    /// Values that stand in for a credential in examples and templates.
    static let placeholders = [
        "AKIAIOSFODNN7EXAMPLE", "changeme", "<your-token>", "<your-api-key>", "YOUR_API_KEY", "xxxxxxxxxxxxxxxxxxxxxxxx",
        "sk-...", "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx", "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "REPLACE_ME", "<password>", "********",
        "your-secret-here", "dummy", "TODO", "xoxb-your-bot-token", "glpat-xxxxxxxxxxxxxxxxxxxx", "<redacted>",
        "postgres://user:password@localhost:5432/mydb", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    ]

    /// References to a secret kept elsewhere.
    static let references = [
        "${DB_PASSWORD}", "${API_TOKEN}", "${SECRET_KEY:?missing}", "{{ .Values.db.password }}", "${{ secrets.GITHUB_TOKEN }}",
        "${{ secrets.NPM_TOKEN }}", "$(cat /run/secrets/api_key)", "{{ secret \"db/pass\" }}", "%(password)s", "$CI_JOB_TOKEN",
        "vault:secret/data/app#token", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
    ]

    /// Low-entropy values a keyword may be assigned.
    static let lowEntropyValues = [
        "password", "secret", "token", "null", "\"\"", "12345678", "test", "admin", "example", "none", "true", "false",
        "password123", "secretsecret", "abcdefgh", "aaaaaaaaaaaaaaaa", "0000000000000000",
    ]

    /// A URL with a user but no password, or no credentials at all.
    static func urlWithoutPassword(_ rng: inout SplitMix64) -> String {
        switch rng.below(7) {
        case 0: return "postgres://\(rng.pick(Vocabulary.hosts)):5432/\(rng.pick(Vocabulary.services))"
        case 1: return "https://\(rng.pick(Vocabulary.people))@github.com/acme/\(rng.pick(Vocabulary.services)).git"
        case 2: return "redis://\(rng.pick(Vocabulary.hosts)):6379/0"
        case 3: return "mongodb://mongo-0.mongo,mongo-1.mongo:27017/\(rng.pick(Vocabulary.services))?replicaSet=rs0"
        case 4: return "amqp://\(rng.pick(Vocabulary.hosts)):5672"
        case 5: return "mysql://\(rng.pick(Vocabulary.people))@\(rng.pick(Vocabulary.hosts))/\(rng.pick(Vocabulary.services))"
        default: return "https://\(rng.hex(16))@o\(rng.int(in: 100_000...999_999)).ingest.sentry.io/\(rng.int(in: 1_000_000...9_999_999))"
        }
    }

    /// An id that is random but not a secret.
    static func identifier(_ rng: inout SplitMix64) -> String {
        switch rng.below(9) {
        case 0: return "01H" + rng.filler(23, Alphabet("0123456789ABCDEFGHJKMNPQRSTVWXYZ"))  // ULID
        case 1: return "req_" + rng.filler(24, .alnum)
        case 2: return "cus_" + rng.filler(14, .alnum)
        case 3: return "AC" + rng.hex(16)  // a Twilio account SID: public
        case 4: return "AIDA" + rng.filler(17, .base32)  // an AWS user id: public
        case 5: return "\(rng.pick(Vocabulary.services))-\(rng.string(9, .lowerAlnum))-\(rng.string(5, .lowerAlnum))"  // a pod
        case 6: return rng.filler(rng.int(in: 20...40), .alnum)
        case 7:  // a pagination cursor: base64 JSON, starts like a JWT but has no "alg"
            return Alphabet.base64URLEncoded(Array("{\"offset\":\(rng.below(100_000)),\"id\":\"\(rng.uuid())\"}".utf8))
        default: return "i-0" + rng.hex(8)  // an EC2 instance id
        }
    }

    static func hexColor(_ rng: inout SplitMix64) -> String {
        "#" + (rng.chance(25) ? rng.string(3, .hexLower) : rng.string(6, rng.chance(50) ? .hexLower : .hexUpper))
    }

    static func version(_ rng: inout SplitMix64) -> String {
        switch rng.below(4) {
        case 0: return Vocabulary.version(&rng)
        case 1: return "v" + Vocabulary.version(&rng) + "-rc.\(rng.int(in: 1...5))"
        case 2: return Vocabulary.version(&rng) + "+build.\(rng.int(in: 1...999)).\(rng.hex(4))"
        default: return "\(rng.int(in: 100...130)).0.\(rng.int(in: 1_000...9_999)).\(rng.int(in: 10...200))"
        }
    }

    static func digest(_ rng: inout SplitMix64) -> String {
        switch rng.below(3) {
        case 0: return "sha256:" + rng.hex(32)
        case 1: return "h1:" + Alphabet.base64Encoded(rng.bytes(32))
        default: return rng.hex(16)  // an md5 ETag
        }
    }

    static func publicByDesign(_ rng: inout SplitMix64) -> String {
        rng.chance(70) ? "pk_live_" + rng.filler(rng.chance(50) ? 24 : 99, .alnum) : "pk_test_" + rng.filler(24, .alnum)
    }

    static func wrongChecksum(_ rng: inout SplitMix64) -> String {
        CredentialFactory.gitHubTokenWithWrongChecksum(rng.pick(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]), &rng)
    }

    /// jwt.io's example token and AWS's documented example key pair.
    static let documentationExamples = [
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "AKIAI44QH8DHBEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ]

    static let pemHeaders = [
        "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN OPENSSH PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----",
        "-----BEGIN EC PRIVATE KEY-----", "-----BEGIN PGP PRIVATE KEY BLOCK-----",
    ]

    /// An `authorized_keys` line.
    static func sshPublicKey(_ rng: inout SplitMix64) -> String {
        if rng.chance(60) {
            return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rng.filler(43, .base64) + " \(rng.pick(Vocabulary.people))@\(rng.pick(Vocabulary.services))"
        }
        return "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rng.filler(512, .base64) + "= \(rng.pick(Vocabulary.people))@laptop"
    }
}
