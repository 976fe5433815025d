/// Python modules: functions, classes, settings constants.
enum PythonComposer: FileComposer {
    static func header(_ rng: inout SplitMix64) -> Section {
        [.plain("\"\"\"\(Vocabulary.sentence(&rng, words: rng.int(in: 5...12)))\"\"\""), .plain(""), .plain("import logging"), .plain("import os"),
         .plain("from dataclasses import dataclass"), .plain(""), .plain("logger = logging.getLogger(__name__)"), .plain("")]
    }

    static func filler(_ rng: inout SplitMix64) -> Section {
        let name = Vocabulary.identifier(&rng)
        let noun = rng.pick(Vocabulary.nouns)
        switch rng.below(5) {
        case 0:
            let assignment = Assignment.random(&rng)
            let value = assignment.isString ? Quote.json(assignment.value) : pythonLiteral(assignment.value)
            let line = "\(assignment.name) = \(value)"
            return [assignment.decoy.map { .decoy($0, line) } ?? .plain(line), .plain("")]
        case 1:
            return [.plain("@dataclass"), .plain("class \(noun.capitalized)\(rng.pick(Vocabulary.nouns).capitalized):"),
                    .plain("    \(noun)_id: str"), .plain("    \(rng.pick(Vocabulary.nouns))_count: int = 0"),
                    .decoy(.lowEntropyAssignment, "    token: str | None = None"), .plain(""), .plain("")]
        case 2:
            return [.plain("def \(name)(\(noun), *, timeout=\(rng.int(in: 1...60))):"),
                    .plain("    \"\"\"\(Vocabulary.sentence(&rng, words: rng.int(in: 4...10)))\"\"\""),
                    .decoy(.reference, "    password = os.environ[\"\(rng.pick(["DB_PASSWORD", "SMTP_PASSWORD", "ADMIN_PASSWORD"]))\"]"),
                    .plain("    if not \(noun):"), .plain("        raise ValueError(\"missing \(noun)\")"),
                    .decoy(.uuid, "    logger.info(\"\(rng.pick(Vocabulary.verbs)) %s\", \"\(rng.uuid())\")"),
                    .plain("    return connect(\(noun), password=password, timeout=timeout)"), .plain(""), .plain("")]
        case 3:
            return [.plain("def \(name)(items):"), .plain("    result = []"), .plain("    for item in items:"),
                    .plain("        if item.\(rng.pick(Vocabulary.adjectives)):"), .plain("            result.append(item.\(noun))"),
                    rng.chance(25) ? .decoy(.pemHeaderOnly, "        elif item.text.startswith(\"\(rng.pick(Decoys.pemHeaders))\"):")
                        : .plain("        elif item.\(noun) is None:"),
                    .plain("            logger.warning(\"skipping %s\", item)"), .plain("    return result"), .plain(""), .plain("")]
        default:
            return [.decoy(.gitSHA, "BUILD_COMMIT = \"\(Decoys.gitSHA(&rng))\""),
                    .decoy(.version, "__version__ = \"\(Vocabulary.version(&rng))\""),
                    .decoy(.hexColor, "DEFAULT_COLOR = \"\(Decoys.hexColor(&rng))\""), .plain("")]
        }
    }

    private static func pythonLiteral(_ value: String) -> String {
        switch value {
        case "true": "True"
        case "false": "False"
        case "null": "None"
        default: value
        }
    }

    static func plant(_ credential: Credential, _ rng: inout SplitMix64) -> Section {
        if credential.serviceAccount != nil {
            return CorpusLine.serviceAccount(credential, indent: "", opening: "\(credential.name) = {") + [.plain("")]
        }
        if credential.isBlock {
            return CorpusLine.block(credential, prefix: "\(credential.name) = \"\"\"", suffix: "\"\"\"") + [.plain("")]
        }
        let value = Quote.json(credential.value)
        let snake = NameCase.snake(credential.name)
        switch rng.below(4) {
        case 0: return [.credential(credential, "\(credential.name) = \(value)"), .plain("")]
        case 1: return [.credential(credential, "\(snake) = os.environ.get(\"\(credential.name)\", \(value))"), .plain("")]
        case 2: return [.credential(credential, "client = \(rng.pick(Vocabulary.services).capitalized)Client(\(snake)=\(value), timeout=30)"), .plain("")]
        default:
            return [.plain("SETTINGS = {"), .plain("    \"region\": \"\(rng.pick(Vocabulary.regions))\","),
                    .credential(credential, "    \"\(snake)\": \(value),"), .plain("}"), .plain("")]
        }
    }
}

/// JavaScript modules.
enum JavaScriptComposer: FileComposer {
    static func header(_ rng: inout SplitMix64) -> Section {
        ["'use strict';", "", "import \(rng.pick(["axios", "express", "debug"])) from '\(rng.pick(Vocabulary.npmPackages))';",
         "import { \(NameCase.camel(Vocabulary.identifier(&rng).uppercased())) } from './\(rng.pick(Vocabulary.nouns))';", ""].map { .plain($0) }
    }

    static func filler(_ rng: inout SplitMix64) -> Section {
        let name = NameCase.camel(Vocabulary.identifier(&rng).uppercased())
        switch rng.below(5) {
        case 0:
            let assignment = Assignment.random(&rng)
            let line = "const \(NameCase.camel(assignment.name)) = \(assignment.isString ? Quote.json(assignment.value) : assignment.value);"
            return [assignment.decoy.map { .decoy($0, line) } ?? .plain(line), .plain("")]
        case 1:
            return [.plain("export async function \(name)(\(rng.pick(Vocabulary.nouns))) {"),
                    .decoy(.reference, "  const token = process.env.\(rng.pick(["API_TOKEN", "AUTH_TOKEN", "GITHUB_TOKEN"]));"),
                    .plain("  const res = await fetch(`${BASE_URL}/\(rng.pick(Vocabulary.nouns))s`, {"),
                    .plain("    headers: { Authorization: `Bearer ${token}` },"), .plain("  });"),
                    .plain("  if (!res.ok) throw new Error(`\(name) failed: ${res.status}`);"), .plain("  return res.json();"), .plain("}"), .plain("")]
        case 2:
            return [.decoy(.dataURI, "const \(rng.pick(["logo", "spinner", "avatarFallback"])) = '\(Decoys.dataURI(&rng))';"), .plain("")]
        case 3:
            return [.plain("export const \(name) = {"), .decoy(.hexColor, "  primary: '\(Decoys.hexColor(&rng))',"),
                    .decoy(.hexColor, "  secondary: '\(Decoys.hexColor(&rng))',"), .decoy(.uuid, "  tenantId: '\(rng.uuid())',"),
                    .decoy(.placeholder, "  apiKey: '\(rng.pick(["<your-api-key>", "YOUR_API_KEY", "xxxxxxxxxxxxxxxxxxxxxxxx"]))',"), .plain("};"), .plain("")]
        default:
            return [.plain("function \(name)(list) {"), .plain("  return list"), .plain("    .filter((x) => x.\(rng.pick(Vocabulary.adjectives)))"),
                    .plain("    .map((x) => ({ ...x, \(rng.pick(Vocabulary.nouns)): x.id }));"), .plain("}"), .plain("")]
        }
    }

    static func plant(_ credential: Credential, _ rng: inout SplitMix64) -> Section {
        let camel = NameCase.camel(credential.name)
        if credential.isBlock {
            return CorpusLine.block(credential, prefix: "const \(camel) = `", suffix: "`;") + [.plain("")]
        }
        let value = rng.chance(50) ? Quote.json(credential.value) : "'\(credential.value)'"
        switch rng.below(4) {
        case 0: return [.credential(credential, "const \(camel) = \(value);"), .plain("")]
        case 1: return [.credential(credential, "export const \(credential.name) = \(value);"), .plain("")]
        case 2:
            return [.plain("const config = {"), .plain("  retries: \(rng.int(in: 1...5)),"), .credential(credential, "  \(camel): \(value),"), .plain("};"), .plain("")]
        default: return [.credential(credential, "process.env.\(credential.name) = process.env.\(credential.name) || \(value);"), .plain("")]
        }
    }
}

/// Go source files.
enum GoComposer: FileComposer {
    static func header(_ rng: inout SplitMix64) -> Section {
        ["package \(rng.pick(Vocabulary.services))", "", "import (", "\t\"context\"", "\t\"fmt\"", "\t\"os\"", "\t\"time\"", ")", ""].map { .plain($0) }
    }

    static func filler(_ rng: inout SplitMix64) -> Section {
        let name = NameCase.camel(Vocabulary.identifier(&rng).uppercased())
        let type = rng.pick(Vocabulary.nouns).capitalized
        switch rng.below(5) {
        case 0:
            return [.plain("type \(type)Config struct {"), .plain("\tHost     string `json:\"host\"`"),
                    .decoy(.lowEntropyAssignment, "\tPassword string `json:\"password,omitempty\"`"),
                    .plain("\tTimeout  time.Duration `json:\"timeout\"`"), .plain("}"), .plain("")]
        case 1:
            return [.plain("func \(name)(ctx context.Context, id string) (*\(type), error) {"),
                    .decoy(.reference, "\ttoken := os.Getenv(\"\(rng.pick(["API_TOKEN", "SERVICE_TOKEN", "AUTH_TOKEN"]))\")"),
                    .plain("\tif token == \"\" {"), .plain("\t\treturn nil, fmt.Errorf(\"\(name): no token for %s\", id)"), .plain("\t}"),
                    .plain("\tctx, cancel := context.WithTimeout(ctx, \(rng.int(in: 1...30))*time.Second)"), .plain("\tdefer cancel()"),
                    .plain("\treturn fetch\(type)(ctx, id, token)"), .plain("}"), .plain("")]
        case 2:
            return rng.chance(30) ? [.decoy(.pemHeaderOnly, "const \(name)PEMType = \"\(rng.pick(Decoys.pemHeaders))\""), .plain("")]
                : [.plain("const \(name)Timeout = \(rng.int(in: 1...60)) * time.Second"), .plain("")]
        case 3:
            return [.plain("var ("), .decoy(.gitSHA, "\tcommit  = \"\(Decoys.gitSHA(&rng))\""),
                    .decoy(.version, "\tversion = \"v\(Vocabulary.version(&rng))\""),
                    .decoy(.uuid, "\tnodeID  = \"\(rng.uuid())\""), .plain(")"), .plain("")]
        default:
            let assignment = Assignment.random(&rng)
            let line = "const \(NameCase.camel(assignment.name)) = \(assignment.isString ? Quote.json(assignment.value) : assignment.value)"
            return [assignment.decoy.map { .decoy($0, line) } ?? .plain(line), .plain("")]
        }
    }

    static func plant(_ credential: Credential, _ rng: inout SplitMix64) -> Section {
        let camel = NameCase.camel(credential.name)
        if credential.isBlock {
            return CorpusLine.block(credential, prefix: "var \(camel) = []byte(`", suffix: "`)") + [.plain("")]
        }
        let value = Quote.json(credential.value)
        switch rng.below(3) {
        case 0: return [.credential(credential, "const \(camel) = \(value)"), .plain("")]
        case 1:
            return [.plain("func init() {"), .credential(credential, "\tos.Setenv(\"\(credential.name)\", \(value))"), .plain("}"), .plain("")]
        default:
            return [.plain("func new\(rng.pick(Vocabulary.nouns).capitalized)Client() *Client {"),
                    .credential(credential, "\t\(camel) := \(value)"), .plain("\treturn &Client{key: \(camel)}"), .plain("}"), .plain("")]
        }
    }
}

/// Swift source files.
enum SwiftComposer: FileComposer {
    static func header(_ rng: inout SplitMix64) -> Section { [.plain("import Foundation"), .plain("")] }

    static func filler(_ rng: inout SplitMix64) -> Section {
        let type = rng.pick(Vocabulary.nouns).capitalized + rng.pick(Vocabulary.nouns).capitalized
        switch rng.below(4) {
        case 0:
            return [.plain("struct \(type): Codable {"), .plain("    let id: UUID"), .plain("    var \(rng.pick(Vocabulary.nouns))Count: Int"),
                    .decoy(.lowEntropyAssignment, "    var token: String? = nil"), .plain("}"), .plain("")]
        case 1:
            return [.plain("func \(NameCase.camel(Vocabulary.identifier(&rng).uppercased()))() -> String? {"),
                    .decoy(.reference, "    let password = ProcessInfo.processInfo.environment[\"\(rng.pick(["PASSWORD", "DB_PASSWORD"]))\"]"),
                    .plain("    guard let password, !password.isEmpty else { return nil }"), .plain("    return password"), .plain("}"), .plain("")]
        case 2:
            return [.decoy(.uuid, "let defaultTenant = UUID(uuidString: \"\(rng.uuid().uppercased())\")!"),
                    .decoy(.hexColor, "let accent = Color(hex: \"\(Decoys.hexColor(&rng))\")"), .plain("")]
        default:
            let assignment = Assignment.random(&rng)
            let line = "let \(NameCase.camel(assignment.name)) = \(assignment.isString ? Quote.json(assignment.value) : assignment.value)"
            return [assignment.decoy.map { .decoy($0, line) } ?? .plain(line), .plain("")]
        }
    }

    static func plant(_ credential: Credential, _ rng: inout SplitMix64) -> Section {
        let camel = NameCase.camel(credential.name)
        let value = Quote.json(credential.value)
        // A header field would take a keyword rule's name away from its usual spelling.
        switch rng.below(RuleCatalog.keywordRules.contains(credential.rule) ? 2 : 3) {
        case 0: return [.credential(credential, "let \(camel) = \(value)"), .plain("")]
        case 1:
            return [.plain("enum \(rng.pick(Vocabulary.services).capitalized)Secrets {"), .credential(credential, "    static let \(camel) = \(value)"),
                    .plain("}"), .plain("")]
        default:
            return [.plain("var request = URLRequest(url: endpoint)"),
                    .credential(credential, "request.setValue(\(value), forHTTPHeaderField: \"\(NameCase.kebab(credential.name))\")"), .plain("")]
        }
    }
}

/// Shell scripts.
enum ShellComposer: FileComposer {
    static func header(_ rng: inout SplitMix64) -> Section {
        [.plain("#!/usr/bin/env bash"), .plain("# \(Vocabulary.sentence(&rng, words: 7))"), .plain("set -euo pipefail"), .plain("")]
    }

    static func filler(_ rng: inout SplitMix64) -> Section {
        let service = rng.pick(Vocabulary.services)
        switch rng.below(6) {
        case 0:
            return [.plain("\(Vocabulary.identifier(&rng))() {"), .plain("  local target=\"$1\""),
                    .plain("  echo \"\(rng.pick(Vocabulary.verbs))ing ${target}\" >&2"),
                    .decoy(.digest, "  docker pull registry.example.com/acme/\(service)@sha256:\(rng.hex(32))"), .plain("}"), .plain("")]
        case 1:
            return [.decoy(.gitSHA, "git -C \"$REPO\" checkout --quiet \(Decoys.gitSHA(&rng))"), .plain("")]
        case 2:
            return [.plain("if [ -z \"${PASSWORD:-}\" ]; then"), .plain("  read -rsp \"Password for \(service): \" PASSWORD"), .plain("fi"),
                    .decoy(.reference, "export API_TOKEN=\"$(vault kv get -field=token secret/\(service))\""), .plain("")]
        case 3:
            return [.decoy(.placeholder, "# usage: GITHUB_TOKEN=<your-token> \(service).sh deploy"),
                    .plain("curl -fsSL https://get.example.com/install.sh | sh -s -- --version \(Vocabulary.version(&rng))"), .plain("")]
        default:
            let assignment = Assignment.random(&rng)
            let line = "export \(assignment.name)=\"\(assignment.value)\""
            return [assignment.decoy.map { .decoy($0, line) } ?? .plain(line), .plain("")]
        }
    }

    static func plant(_ credential: Credential, _ rng: inout SplitMix64) -> Section {
        if credential.isBlock {
            return [.plain("mkdir -p \"$HOME/.ssh\""), .part("cat > \"$HOME/.keys/\(NameCase.kebab(credential.name))\" <<'EOF'")]
                + CorpusLine.block(credential) + [.part("EOF"), .plain("")]
        }
        let value = credential.value
        switch (credential.rule, rng.below(3)) {
        case ("slack-webhook", 0):
            return [.credential(credential, "curl -fsS -X POST -H 'Content-type: application/json' --data '{\"text\":\"deploy done\"}' \(value)"), .plain("")]
        case ("github-server-token", 0), ("github-pat", 0), ("github-fine-grained-pat", 0):
            return [.credential(credential, "git clone https://x-access-token:\(value)@github.com/acme/\(rng.pick(Vocabulary.services)).git"), .plain("")]
        case ("postgres-url", 0): return [.credential(credential, "psql \"\(value)\" -c 'select 1'"), .plain("")]
        case ("mongodb-url", 0): return [.credential(credential, "mongosh \"\(value)\" --eval 'db.stats()'"), .plain("")]
        case ("redis-url", 0): return [.credential(credential, "redis-cli -u \(value) ping"), .plain("")]
        case ("jwt", 0), ("openai-api-key", 0), ("anthropic-api-key", 0), ("huggingface-token", 0), ("digitalocean-token", 0),
             ("linear-api-key", 0), ("square-access-token", 0), ("gitlab-pat", 0):
            return [.credential(credential, "curl -fsS -H \"Authorization: Bearer \(value)\" https://api.example.com/v1/\(rng.pick(Vocabulary.nouns))s"), .plain("")]
        case (_, 1): return [.credential(credential, "\(credential.name)='\(value)'"), .plain("")]
        default: return [.credential(credential, "export \(credential.name)=\"\(value)\""), .plain("")]
        }
    }
}
