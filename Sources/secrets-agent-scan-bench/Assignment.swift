/// One `name = value` of filler, which every format renders in its own syntax: plain
/// settings, high-entropy values that are not secrets, and credential-named keys holding
/// placeholders, references or low-entropy values.
struct Assignment: Sendable {
    /// UPPER_SNAKE; formats re-case it.
    let name: String
    let value: String
    /// The hard negative this is (nil: an ordinary setting).
    let decoy: DecoyKind?
    /// False for numbers, booleans and null, which JSON, YAML and TOML leave unquoted.
    let isString: Bool

    init(_ name: String, _ value: String, _ decoy: DecoyKind? = nil, isString: Bool = true) {
        self.name = name
        self.value = value
        self.decoy = decoy
        self.isString = isString
    }

    /// Mostly plain settings, a quarter high-entropy non-secrets, a fifth credential-named
    /// negatives.
    static func random(_ rng: inout SplitMix64) -> Assignment {
        switch rng.below(100) {
        case 0..<55: return plain(&rng)
        case 55..<80: return highEntropyNonSecret(&rng)
        default: return credentialNamedNegative(&rng)
        }
    }

    static func plain(_ rng: inout SplitMix64) -> Assignment {
        switch rng.below(12) {
        case 0: return Assignment("PORT", String(rng.pick([80, 443, 3000, 5432, 8080, 8443, 9090])), isString: false)
        case 1: return Assignment("HOST", rng.pick(Vocabulary.hosts))
        case 2: return Assignment("LOG_LEVEL", rng.pick(["debug", "info", "warn", "error"]))
        case 3: return Assignment("TIMEOUT_SECONDS", String(rng.int(in: 1...120)), isString: false)
        case 4: return Assignment("REGION", rng.pick(Vocabulary.regions))
        case 5: return Assignment(rng.pick(["ENABLED", "DEBUG", "USE_TLS", "CACHE_ENABLED"]), rng.pick(["true", "false"]), isString: false)
        case 6: return Assignment("MAX_CONNECTIONS", String(rng.int(in: 4...512)), isString: false)
        case 7: return Assignment("BUCKET", "acme-\(rng.pick(Vocabulary.services))-\(rng.pick(["assets", "exports", "backups"]))")
        case 8: return Assignment("SERVICE_NAME", rng.pick(Vocabulary.services))
        case 9: return Assignment("QUEUE", "\(rng.pick(Vocabulary.services)).\(rng.pick(Vocabulary.nouns)).v\(rng.int(in: 1...3))")
        case 10: return Assignment("USERNAME", rng.pick(Vocabulary.people))
        default: return Assignment("\(Vocabulary.identifier(&rng).uppercased())", String(rng.int(in: 0...10_000)), isString: false)
        }
    }

    static func highEntropyNonSecret(_ rng: inout SplitMix64) -> Assignment {
        switch rng.below(10) {
        case 0: return Assignment(rng.pick(["COMMIT", "GIT_SHA", "BUILD_SHA", "SOURCE_VERSION"]), Decoys.gitSHA(&rng), .gitSHA)
        case 1: return Assignment(rng.pick(["REQUEST_ID", "TENANT_ID", "INSTANCE_UUID", "API_KEY_ID", "TOKEN_ID"]), rng.uuid(), .uuid)
        case 2: return Assignment(rng.pick(["IMAGE_DIGEST", "CHECKSUM", "ETAG"]), Decoys.digest(&rng), .digest)
        case 3: return Assignment(rng.pick(["THEME_COLOR", "BRAND_PRIMARY", "ACCENT"]), Decoys.hexColor(&rng), .hexColor)
        case 4: return Assignment(rng.pick(["VERSION", "APP_VERSION", "MIN_CLIENT_VERSION"]), Decoys.version(&rng), .version)
        case 5: return Assignment(rng.pick(["STRIPE_PUBLISHABLE_KEY", "PUBLIC_KEY_ID"]), Decoys.publicByDesign(&rng), .publicByDesign)
        case 6: return Assignment(rng.pick(["BUILD_ID", "TRACE_ID", "INSTANCE", "NEXT_CURSOR", "ACCOUNT_SID"]), Decoys.identifier(&rng), .identifier)
        case 7: return Assignment(rng.pick(["SENTRY_DSN", "UPSTREAM_URL", "REPLICA_URL", "REPO_URL"]), Decoys.urlWithoutPassword(&rng), .urlWithoutPassword)
        case 8: return Assignment("INTEGRITY", Decoys.integrity(&rng), .integrityHash)
        default: return Assignment("SSH_PUBLIC_KEY", Decoys.sshPublicKey(&rng), .publicKey)
        }
    }

    static func credentialNamedNegative(_ rng: inout SplitMix64) -> Assignment {
        let genericNames = ["PASSWORD", "DB_PASSWORD", "API_KEY", "SECRET_KEY", "CLIENT_SECRET", "AUTH_TOKEN", "ACCESS_TOKEN"]
        // Weighted toward what repositories hold: placeholders, references and low-entropy
        // values are common; a GitHub-shaped token with a bad checksum or a vendor's
        // documented example is rare.
        switch rng.below(20) {
        case 0..<5:
            let value = rng.pick(Decoys.placeholders)
            return Assignment(placeholderName(value) ?? rng.pick(genericNames), value, .placeholder)
        case 5..<10: return Assignment(rng.pick(genericNames), rng.pick(Decoys.references), .reference)
        case 10..<16:
            let value = rng.pick(Decoys.lowEntropyValues)
            return Assignment(rng.pick(genericNames), value, .lowEntropyAssignment, isString: !["null", "true", "false"].contains(value))
        case 16, 17:
            switch rng.below(5) {
            case 0: return Assignment("PASSWORD_MIN_LENGTH", String(rng.int(in: 8...16)), .lowEntropyAssignment, isString: false)
            case 1: return Assignment("TOKEN_TTL_SECONDS", String(rng.pick([300, 900, 3600, 86_400])), .lowEntropyAssignment, isString: false)
            case 2: return Assignment("API_KEY_HEADER", "X-Api-Key", .lowEntropyAssignment)
            case 3: return Assignment("SECRET_NAME", "\(rng.pick(["prod", "staging"]))/\(rng.pick(Vocabulary.services))/db-password", .lowEntropyAssignment)
            default: return Assignment("TOKEN_URL", "https://oauth2.googleapis.com/token", .lowEntropyAssignment)
            }
        case 18:
            return Assignment(rng.pick(["GITHUB_TOKEN", "GH_TOKEN", "GITHUB_OAUTH_TOKEN"]), Decoys.wrongChecksum(&rng), .wrongChecksum)
        default:
            let example = rng.pick(Decoys.documentationExamples)
            let name = example.hasPrefix("eyJ") ? "ACCESS_TOKEN" : example.hasPrefix("AKIA") ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"
            return Assignment(name, example, .documentationExample)
        }
    }

    /// The variable a placeholder would stand in, when it names a service.
    static func placeholderName(_ value: String) -> String? {
        let names: [(String, String)] = [
            ("AKIA", "AWS_ACCESS_KEY_ID"), ("sk-", "OPENAI_API_KEY"), ("ghp_", "GITHUB_TOKEN"), ("sk_live_", "STRIPE_SECRET_KEY"),
            ("hf_", "HF_TOKEN"), ("xoxb-", "SLACK_BOT_TOKEN"), ("glpat-", "GITLAB_TOKEN"), ("postgres://", "DATABASE_URL"),
            ("https://hooks.slack.com", "SLACK_WEBHOOK_URL"),
        ]
        return names.first { value.hasPrefix($0.0) }?.1
    }
}
