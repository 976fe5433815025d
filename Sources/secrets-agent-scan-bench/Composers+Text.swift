/// GitHub Actions workflows.
enum CIComposer: FileComposer {
    static func header(_ rng: inout SplitMix64) -> Section {
        ["name: \(rng.pick(Vocabulary.services)) \(rng.pick(["ci", "release", "deploy", "nightly"]))", "on:", "  push:",
         "    branches: [main]", "  pull_request:", "jobs:"].map { .plain($0) }
    }

    static func filler(_ rng: inout SplitMix64) -> Section {
        let job = "\(rng.pick(Vocabulary.verbs))-\(rng.pick(Vocabulary.nouns))-\(rng.string(3, .lowerAlnum))"
        var lines: Section = [.plain("  \(job):"), .plain("    runs-on: ubuntu-\(rng.pick(["latest", "22.04", "24.04"]))"), .plain("    steps:"),
                              .decoy(.gitSHA, "      - uses: actions/checkout@\(Decoys.gitSHA(&rng)) # v4")]
        switch rng.below(3) {
        case 0:
            lines += [.decoy(.gitSHA, "      - uses: actions/setup-node@\(Decoys.gitSHA(&rng)) # v4"), .plain("        with:"),
                      .plain("          node-version: \(rng.pick([18, 20, 22]))"), .plain("      - run: npm ci && npm test"), .plain("        env:"),
                      .decoy(.reference, "          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}")]
        case 1:
            lines += [.plain("      - name: Log in to the registry"), .plain("        uses: docker/login-action@v3"), .plain("        with:"),
                      .plain("          username: ${{ github.actor }}"), .decoy(.reference, "          password: ${{ secrets.GITHUB_TOKEN }}")]
        default:
            lines += [.plain("      - run: make \(rng.pick(["test", "lint", "release", "bench"]))"), .plain("        env:"),
                      .plain("          GOFLAGS: -mod=readonly"), .decoy(.version, "          TOOL_VERSION: \(Decoys.version(&rng))")]
        }
        return lines
    }

    static func plant(_ credential: Credential, _ rng: inout SplitMix64) -> Section {
        let job = "\(rng.pick(["deploy", "publish", "release", "notify"]))-\(rng.string(4, .lowerAlnum))"
        var lines: Section = [.plain("  \(job):"), .plain("    runs-on: ubuntu-latest"), .plain("    env:")]
        if credential.isBlock {
            lines += [.part("      \(credential.name): |")] + CorpusLine.block(credential, prefix: "        ", indent: "        ")
        } else {
            lines.append(.credential(credential, "      \(credential.name): \(rng.chance(50) ? Quote.json(credential.value) : credential.value)"))
        }
        return lines + [.plain("    steps:"), .plain("      - run: ./scripts/\(job).sh")]
    }
}

/// Application logs.
enum LogComposer: FileComposer {
    static func timestamp(_ rng: inout SplitMix64) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "2024-\(two(rng.int(in: 1...12)))-\(two(rng.int(in: 1...28)))T\(two(rng.below(24))):\(two(rng.below(60))):\(two(rng.below(60)))."
            + "\(rng.int(in: 100...999))Z"
    }

    static func filler(_ rng: inout SplitMix64) -> Section {
        (0..<rng.int(in: 4...20)).map { _ in
            let service = rng.pick(Vocabulary.services)
            let prefix = "\(timestamp(&rng)) \(rng.pick(["INFO ", "INFO ", "INFO ", "DEBUG", "WARN "])) [\(service)]"
            switch rng.below(10) {
            case 0..<4:
                return .decoy(.uuid, "\(prefix) \(rng.pick(["GET", "POST", "PUT"])) /api/v1/\(rng.pick(Vocabulary.nouns))s/\(rng.uuid()) "
                    + "\(rng.pick([200, 200, 201, 204, 404, 500])) \(rng.int(in: 1...900))ms request_id=\(rng.uuid())")
            case 4: return .decoy(.gitSHA, "\(prefix) deployed \(service) commit=\(Decoys.gitSHA(&rng)) version=\(Decoys.version(&rng))")
            case 5: return .decoy(.urlWithoutPassword, "\(prefix) connecting to \(Decoys.urlWithoutPassword(&rng))")
            case 6: return .decoy(.placeholder, "\(prefix) auth ok user=\(rng.pick(Vocabulary.people)) password=******** token=[REDACTED]")
            case 7: return .decoy(.digest, "\(prefix) cache hit key=\(rng.pick(Vocabulary.nouns)) etag=\"\(rng.hex(16))\" trace_id=\(rng.hex(16))")
            case 8: return .decoy(.identifier, "\(prefix) job \(Decoys.identifier(&rng)) \(rng.pick(Vocabulary.verbs))ed in \(rng.int(in: 1...5000))ms")
            default:
                return .plain("\(prefix) \(Vocabulary.sentence(&rng, words: rng.int(in: 4...9))) User-Agent=\"Mozilla/5.0 Chrome/\(Decoys.version(&rng))\"")
            }
        }
    }

    static func plant(_ credential: Credential, _ rng: inout SplitMix64) -> Section {
        let prefix = "\(timestamp(&rng)) \(rng.pick(["DEBUG", "INFO ", "ERROR"])) [\(rng.pick(Vocabulary.services))]"
        let value = credential.value
        switch credential.rule {
        case "postgres-url", "mysql-url", "mongodb-url", "redis-url", "amqp-url":
            return [.credential(credential, "\(prefix) connect failed for \(value): connection refused, retrying in \(rng.int(in: 1...30))s")]
        case "gcp-api-key":
            return [.credential(credential, "\(prefix) GET https://maps.googleapis.com/maps/api/geocode/json?address=\(rng.pick(Vocabulary.nouns))&key=\(value) 200")]
        case "aws-access-key-id":
            return [.credential(credential, "\(prefix) signing request with access key \(value) region=\(rng.pick(Vocabulary.regions))")]
        default:
            if rng.chance(50) {
                return [.credential(credential, "\(prefix) outbound POST https://api.example.com/v1/\(rng.pick(Vocabulary.nouns))s headers={\"Authorization\": \"Bearer \(value)\"}")]
            }
            return [.credential(credential, "\(prefix) loaded configuration \(credential.name)=\(value) from environment")]
        }
    }
}

/// Markdown documentation.
enum MarkdownComposer: FileComposer {
    static func header(_ rng: inout SplitMix64) -> Section {
        [.plain("# \(rng.pick(Vocabulary.services).capitalized) \(rng.pick(["service", "runbook", "setup guide", "API"]))"), .plain("")]
    }

    static func filler(_ rng: inout SplitMix64) -> Section {
        switch rng.below(9) {
        case 0..<3:
            return [.plain(Vocabulary.sentence(&rng, words: rng.int(in: 8...20)) + " " + Vocabulary.sentence(&rng, words: rng.int(in: 6...18))), .plain("")]
        case 3:
            return [.plain("## \(rng.pick(Vocabulary.verbs).capitalized) the \(rng.pick(Vocabulary.nouns))"), .plain("")]
        case 4:
            return [.plain("| Version | Commit | Notes |"), .plain("|---|---|---|")]
                + (0..<rng.int(in: 2...5)).map { _ in .decoy(.gitSHA, "| \(Decoys.version(&rng)) | \(Decoys.gitSHA(&rng)) | \(Vocabulary.sentence(&rng, words: 4)) |") }
                + [.plain("")]
        case 5:
            let placeholder = rng.pick(Decoys.placeholders)
            return [.plain("```bash"), .decoy(.placeholder, "export \(Assignment.placeholderName(placeholder) ?? "API_TOKEN")=\(placeholder)"),
                    .plain("./run.sh --env staging"), .plain("```"), .plain("")]
        case 6:
            let header: CorpusLine = rng.chance(25) ? .decoy(.documentationExample, "Authorization: Bearer \(Decoys.documentationExamples[0])")
                : .decoy(.reference, "Authorization: Bearer $\(rng.pick(["TOKEN", "ACCESS_TOKEN", "API_TOKEN"]))")
            return [.plain("Example request:"), .plain(""), .plain("```http"), .plain("GET /v1/me HTTP/1.1"), header, .plain("```"), .plain("")]
        case 7:
            return [.plain("Paste your key where indicated:"), .plain(""), .plain("```"),
                    .decoy(.pemHeaderOnly, rng.pick(Decoys.pemHeaders)), .plain("..."), .plain("-----END PRIVATE KEY-----"), .plain("```"), .plain("")]
        default:
            return [.decoy(.dataURI, "![\(rng.pick(Vocabulary.nouns)) diagram](\(Decoys.dataURI(&rng)))"), .plain("")]
        }
    }

    static func plant(_ credential: Credential, _ rng: inout SplitMix64) -> Section {
        let intro: CorpusLine = .plain(Vocabulary.sentence(&rng, words: rng.int(in: 6...12)))
        if credential.isBlock {
            return [intro, .plain(""), .plain("```")] + CorpusLine.block(credential) + [.plain("```"), .plain("")]
        }
        if rng.chance(30) {
            return [intro, .plain(""), .credential(credential, "The staging \(NameCase.snake(credential.name)) is `\(credential.value)` until we rotate it."), .plain("")]
        }
        return [intro, .plain(""), .plain("```bash"), .credential(credential, "export \(credential.name)=\(credential.value)"), .plain("```"), .plain("")]
    }
}
