/// The kinds of file the corpus is made of, with their share of its bytes and their sizes.
enum FileKind: String, CaseIterable, Sendable {
    case env, yaml, json, toml, ini, python, javascript, go, swift, shell, ci, log, markdown, lockfile
    /// A PEM/OpenSSH/PGP key file, or a public key or certificate (a hard negative).
    case keyFile
    /// A Google Cloud service-account key JSON, or a keyless external-account config.
    case serviceAccount

    /// Share of the corpus's bytes.
    var share: Double {
        switch self {
        case .env: 0.03
        case .yaml: 0.08
        case .json: 0.07
        case .toml: 0.03
        case .ini: 0.01
        case .python: 0.11
        case .javascript: 0.10
        case .go: 0.08
        case .swift: 0.05
        case .shell: 0.04
        case .ci: 0.04
        case .log: 0.13
        case .markdown: 0.10
        case .lockfile: 0.11
        case .keyFile: 0.01
        case .serviceAccount: 0.01
        }
    }

    /// Bytes of one file, roughly (the last section may run over).
    var sizeRange: ClosedRange<Int> {
        switch self {
        case .env: 600...2_500
        case .ini: 300...1_200
        case .yaml, .json, .toml: 1_500...9_000
        case .python, .javascript, .go, .swift: 3_000...16_000
        case .shell, .ci: 1_200...5_000
        case .log: 15_000...50_000
        case .markdown: 3_000...14_000
        case .lockfile: 30_000...110_000
        case .keyFile, .serviceAccount: 200...3_000
        }
    }

    /// The path of the `index`-th file of this kind (unique: the index is in it). Lock and
    /// key files get their name's end from what they hold.
    func path(_ index: Int, _ rng: inout SplitMix64) -> String {
        let service = rng.pick(Vocabulary.services)
        let module = rng.pick(Vocabulary.nouns)
        switch self {
        case .env: return "services/\(service)-\(index)/" + rng.pick([".env", ".env.production", ".env.staging", ".env.local"])
        case .yaml: return "deploy/\(service)-\(index)/" + rng.pick(["values.yaml", "config.yaml", "deployment.yaml", "docker-compose.yml"])
        case .json: return "config/\(service)-\(index)/" + rng.pick(["settings.json", "appsettings.json", "config.json"])
        case .toml: return "config/\(service)-\(index)/" + rng.pick(["config.toml", "settings.toml", "Cargo.toml"])
        case .ini: return "home/\(service)-\(index)/" + rng.pick([".aws/credentials", ".npmrc", ".pypirc", "setup.cfg"])
        case .python: return "src/\(service)_\(index)/\(module).py"
        case .javascript: return "web/src/\(service)-\(index)/\(module).js"
        case .go: return "internal/\(service)\(index)/\(module).go"
        case .swift: return "Sources/\(service.capitalized)\(index)/\(module.capitalized).swift"
        case .shell: return "scripts/\(service)-\(index)-\(module).sh"
        case .ci: return ".github/workflows/\(service)-\(index).yml"
        case .log: return "logs/\(service)-\(index).log"
        case .markdown: return "docs/\(service)-\(index)-\(module).md"
        case .lockfile: return "web/\(service)-\(index)/"  // + package-lock.json or go.sum
        case .keyFile: return "keys/\(service)-\(index)"  // + a suffix that fits the key
        case .serviceAccount: return "credentials/\(service)-\(index)-sa.json"
        }
    }
}
