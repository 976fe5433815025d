/// dotenv files: `NAME=value`, sometimes quoted or exported.
enum EnvComposer: FileComposer {
    static func header(_ rng: inout SplitMix64) -> Section {
        [.plain("# \(rng.pick(Vocabulary.services)) settings for \(rng.pick(["production", "staging", "local development"]))")]
    }

    static func filler(_ rng: inout SplitMix64) -> Section {
        var lines: Section = rng.chance(30) ? [.plain(""), .plain("# --- \(rng.pick(Vocabulary.nouns)) ---")] : []
        for _ in 0..<rng.int(in: 1...5) { lines.append(line(Assignment.random(&rng))) }
        return lines
    }

    static func line(_ assignment: Assignment) -> CorpusLine {
        let value = assignment.value.contains(" ") ? "\"\(assignment.value)\"" : assignment.value
        let text = "\(assignment.name)=\(value)"
        return assignment.decoy.map { .decoy($0, text) } ?? .plain(text)
    }

    static func plant(_ credential: Credential, _ rng: inout SplitMix64) -> Section {
        if let key = credential.serviceAccount { return [.credential(credential, "\(credential.name)='\(key.compact)'")] }
        if credential.isBlock { return [.credential(credential, "\(credential.name)=\"\(credential.escaped)\"")] }
        switch rng.below(10) {
        case 0..<5: return [.credential(credential, "\(credential.name)=\(credential.value)")]
        case 5..<8: return [.credential(credential, "\(credential.name)=\"\(credential.value)\"")]
        default: return [.credential(credential, "export \(credential.name)=\(credential.value)")]
        }
    }
}

/// YAML: application config, Kubernetes manifests, docker-compose fragments.
enum YAMLComposer: FileComposer {
    static func filler(_ rng: inout SplitMix64) -> Section {
        let key = "\(rng.pick(Vocabulary.nouns))_\(rng.string(3, .lowerAlnum))"
        switch rng.below(4) {
        case 0:
            let service = rng.pick(Vocabulary.services)
            return [
                .plain("\(service)_\(rng.string(3, .lowerAlnum)):"), .plain("  containers:"), .plain("    - name: \(service)"),
                .decoy(.digest, "      image: registry.example.com/acme/\(service)@sha256:\(rng.hex(32))"),
                .plain("      ports:"), .plain("        - containerPort: \(rng.pick([8080, 9090, 3000]))"),
                .plain("      env:"), .plain("        - name: DB_PASSWORD"), .plain("          valueFrom:"),
                .plain("            secretKeyRef:"), .plain("              name: \(service)-db"),
                .decoy(.lowEntropyAssignment, "              key: password"),
            ]
        case 1:
            return [.plain("\(key):")] + (0..<rng.int(in: 2...4)).map { _ in .plain("  - \(rng.pick(Vocabulary.hosts))") }
        default:
            var lines: Section = [.plain("\(key):")]
            for _ in 0..<rng.int(in: 2...6) {
                let assignment = Assignment.random(&rng)
                let text = "  \(NameCase.snake(assignment.name)): \(Quote.yaml(assignment))"
                lines.append(assignment.decoy.map { .decoy($0, text) } ?? .plain(text))
            }
            return lines
        }
    }

    static func plant(_ credential: Credential, _ rng: inout SplitMix64) -> Section {
        let owner = "\(rng.pick(Vocabulary.services))_\(rng.string(3, .lowerAlnum))"
        if credential.serviceAccount != nil {
            return [.plain("apiVersion: v1"), .plain("kind: Secret"), .plain("metadata:"), .plain("  name: \(owner)-gcp"),
                    .plain("stringData:"), .part("  \(NameCase.kebab(credential.name)).json: |")]
                + CorpusLine.serviceAccount(credential, indent: "    ")
        }
        if credential.isBlock {
            return [.plain("\(owner):"), .part("  \(NameCase.snake(credential.name)): |")]
                + CorpusLine.block(credential, prefix: "    ", indent: "    ")
        }
        let quoted = rng.chance(50) ? Quote.json(credential.value) : credential.value
        // A keyword rule keeps its name on the credential's line: no `- name:` / `value:` pair.
        let form = RuleCatalog.keywordRules.contains(credential.rule) ? 2 : rng.below(3)
        switch form {
        case 0:
            return [.plain("\(owner):"), .plain("  env:"), .plain("    - name: \(credential.name)"),
                    .credential(credential, "      value: \(Quote.json(credential.value))")]
        case 1:
            return [.plain("\(owner):"), .plain("  environment:"), .credential(credential, "    - \(credential.name)=\(credential.value)")]
        default:
            return [.plain("\(owner):"), .credential(credential, "  \(NameCase.snake(credential.name)): \(quoted)"), .plain("  enabled: true")]
        }
    }
}

/// JSON config: one object whose members are the sections.
enum JSONComposer: FileComposer {
    static func header(_ rng: inout SplitMix64) -> Section { [.plain("{")] }
    static func footer(_ rng: inout SplitMix64) -> Section { [.plain("}")] }

    /// Commas after every member but the last.
    static func join(_ sections: [Section]) -> Section {
        var lines: Section = []
        for (index, section) in sections.enumerated() {
            var member = section
            if index < sections.count - 1, !member.isEmpty { member[member.count - 1].text += "," }
            lines += member
        }
        return lines
    }

    static func member(_ assignment: Assignment, indent: String) -> CorpusLine {
        let value = assignment.isString ? Quote.json(assignment.value) : assignment.value
        let text = "\(indent)\"\(NameCase.camel(assignment.name))\": \(value)"
        return assignment.decoy.map { .decoy($0, text) } ?? .plain(text)
    }

    /// `"key": {` members `}` at `indent`; each line of `members` is one member.
    static func object(_ key: String, _ members: Section, indent: String = "  ") -> Section {
        [.plain("\(indent)\"\(key)\": {")] + join(members.map { [$0] }) + [.plain("\(indent)}")]
    }

    static func filler(_ rng: inout SplitMix64) -> Section {
        switch rng.below(12) {
        case 0..<3: return [member(Assignment.random(&rng), indent: "  ")]
        case 3:
            let hosts = (0..<rng.int(in: 2...4)).map { _ in Quote.json(rng.pick(Vocabulary.hosts)) }
            return [.plain("  \"\(rng.pick(Vocabulary.nouns))Hosts\": [\(hosts.joined(separator: ", "))]")]
        case 4:
            return [.decoy(.dataURI, "  \"\(rng.pick(["logo", "icon", "placeholderImage"]))\": \"\(Decoys.dataURI(&rng))\"")]
        default:
            let members: Section = (0..<rng.int(in: 2...6)).map { _ in member(Assignment.random(&rng), indent: "    ") }
            return object("\(rng.pick(Vocabulary.nouns))\(rng.string(2, .digits))", members)
        }
    }

    static func plant(_ credential: Credential, _ rng: inout SplitMix64) -> Section {
        let key = NameCase.camel(credential.name)
        if credential.serviceAccount != nil {
            return CorpusLine.serviceAccount(credential, indent: "  ", opening: "  \"\(key)\": {")
        }
        let value = credential.isBlock ? credential.escaped : credential.value
        if rng.chance(50) { return [.credential(credential, "  \"\(key)\": \(Quote.json(value))")] }
        let members: Section = [
            .credential(credential, "    \"\(key)\": \(Quote.json(value))"),
            .plain("    \"timeoutMs\": \(rng.int(in: 100...30_000))"),
        ]
        return object(rng.pick(Vocabulary.services), rng.chance(50) ? members : members.reversed())
    }
}

/// TOML: tables of settings, Cargo-style dependencies.
enum TOMLComposer: FileComposer {
    static func filler(_ rng: inout SplitMix64) -> Section {
        if rng.chance(25) {
            return [.plain(""), .plain("[dependencies.\(rng.pick(Vocabulary.nouns))-\(rng.string(3, .lowerAlnum))]"),
                    .decoy(.version, "version = \"\(Decoys.version(&rng))\""), .plain("features = [\"\(rng.pick(Vocabulary.adjectives))\"]"),
                    .decoy(.digest, "checksum = \"\(rng.hex(32))\"")]
        }
        var lines: Section = [.plain(""), .plain("[\(rng.pick(Vocabulary.services)).\(rng.pick(Vocabulary.nouns))\(rng.string(2, .digits))]")]
        for _ in 0..<rng.int(in: 2...6) {
            let assignment = Assignment.random(&rng)
            let text = "\(NameCase.snake(assignment.name)) = " + (assignment.isString ? Quote.json(assignment.value) : assignment.value)
            lines.append(assignment.decoy.map { .decoy($0, text) } ?? .plain(text))
        }
        return lines
    }

    static func plant(_ credential: Credential, _ rng: inout SplitMix64) -> Section {
        let table: CorpusLine = .plain("[\(rng.pick(Vocabulary.services)).\(rng.pick(["credentials", "auth", "client", "upstream"]))\(rng.string(2, .digits))]")
        let name = NameCase.snake(credential.name)
        if credential.isBlock {
            return [.plain(""), table, .part("\(name) = \"\"\"")] + CorpusLine.block(credential, suffix: "\"\"\"")
        }
        return [.plain(""), table, .credential(credential, "\(name) = \(Quote.json(credential.value))"),
                .plain("retries = \(rng.int(in: 1...5))")]
    }
}

/// INI-style files: AWS shared credentials, .pypirc, .npmrc, setup.cfg.
enum INIComposer: FileComposer {
    static func filler(_ rng: inout SplitMix64) -> Section {
        switch rng.below(4) {
        case 0: return [.plain(""), .plain("[profile \(rng.pick(Vocabulary.services))]"), .plain("region = \(rng.pick(Vocabulary.regions))"),
                        .plain("output = json"), .plain("role_arn = arn:aws:iam::\(rng.string(12, .digits)):role/\(rng.pick(Vocabulary.services))-deployer"),
                        .plain("source_profile = default")]
        case 1: return [.plain("registry=https://registry.npmjs.org/"), .plain("always-auth=true"),
                        .decoy(.reference, "//npm.pkg.github.com/:_authToken=${NPM_TOKEN}")]
        default:
            var lines: Section = [.plain(""), .plain("[\(rng.pick(Vocabulary.nouns))]")]
            for _ in 0..<rng.int(in: 1...4) {
                let assignment = Assignment.random(&rng)
                let text = "\(NameCase.snake(assignment.name)) = \(assignment.value)"
                lines.append(assignment.decoy.map { .decoy($0, text) } ?? .plain(text))
            }
            return lines
        }
    }

    static func plant(_ credential: Credential, _ rng: inout SplitMix64) -> Section {
        switch credential.rule {
        case "npm-token":
            return [.credential(credential, "//registry.npmjs.org/:_authToken=\(credential.value)")]
        case "pypi-token":
            return [.plain(""), .plain("[pypi]"), .plain("username = __token__"), .credential(credential, "password = \(credential.value)")]
        case "aws-access-key-id", "aws-secret-access-key":
            return [.plain(""), .plain("[\(rng.chance(30) ? "default" : "profile-" + rng.pick(Vocabulary.services))]"),
                    .plain("region = \(rng.pick(Vocabulary.regions))"),
                    .credential(credential, "\(NameCase.snake(credential.name)) = \(credential.value)")]
        default:
            return [.plain(""), .plain("[\(rng.pick(Vocabulary.services))]"),
                    .credential(credential, "\(NameCase.snake(credential.name)) = \(credential.value)")]
        }
    }
}
