/// Lock files: package-lock.json (integrity hashes) or go.sum. Never hold a credential.
enum LockfileComposer: FileComposer {
    /// Whether this file is a package-lock.json (else go.sum); decided by the generator
    /// with the file's name.
    enum Flavor { case packageLock, goSum }

    static func lines(_ flavor: Flavor, targetBytes: Int, _ rng: inout SplitMix64) -> Section {
        var sections: [Section] = []
        var bytes = 0
        while bytes < targetBytes {
            let section = flavor == .packageLock ? packageEntry(&rng) : goSumEntry(&rng)
            bytes += section.reduce(0) { $0 + $1.text.utf8.count + 1 }
            sections.append(section)
        }
        guard flavor == .packageLock else { return sections.flatMap { $0 } }
        let name = rng.pick(Vocabulary.services)
        return [.plain("{"), .plain("  \"name\": \"\(name)\","), .plain("  \"version\": \"1.0.0\","), .plain("  \"lockfileVersion\": 3,"),
                .plain("  \"requires\": true,"), .plain("  \"packages\": {")] + JSONComposer.join(sections) + [.plain("  }"), .plain("}")]
    }

    private static func packageEntry(_ rng: inout SplitMix64) -> Section {
        let package = rng.pick(Vocabulary.npmPackages) + (rng.chance(50) ? "" : "-" + rng.pick(Vocabulary.nouns))
        let version = Vocabulary.version(&rng)
        var lines: Section = [.plain("    \"node_modules/\(package)\": {"), .plain("      \"version\": \"\(version)\","),
                              .plain("      \"resolved\": \"https://registry.npmjs.org/\(package)/-/\(package)-\(version).tgz\","),
                              .decoy(.integrityHash, "      \"integrity\": \"\(Decoys.integrity(&rng))\",")]
        if rng.chance(30) { lines.append(.plain("      \"dev\": true,")) }
        lines.append(.plain("      \"license\": \"\(rng.pick(["MIT", "ISC", "Apache-2.0", "BSD-3-Clause"]))\""))
        lines.append(.plain("    }"))
        return lines
    }

    private static func goSumEntry(_ rng: inout SplitMix64) -> Section {
        let module = rng.pick(Vocabulary.goModules)
        let version = "v" + Vocabulary.version(&rng)
        return [.decoy(.digest, "\(module) \(version) h1:\(Alphabet.base64Encoded(rng.bytes(32)))"),
                .decoy(.digest, "\(module) \(version)/go.mod h1:\(Alphabet.base64Encoded(rng.bytes(32)))")]
    }

    static func filler(_ rng: inout SplitMix64) -> Section { packageEntry(&rng) }
    static func plant(_ credential: Credential, _ rng: inout SplitMix64) -> Section { preconditionFailure("lock files hold no credential") }
}

/// Key files: one private key block (sometimes after OpenSSL's bag attributes), or a public
/// key or certificate as a hard negative.
enum KeyFileComposer {
    /// The file's lines and the suffix its name gets.
    static func plant(_ credential: Credential, _ rng: inout SplitMix64) -> (lines: Section, suffix: String) {
        var lines: Section = []
        if credential.rule == "private-key", rng.chance(25) {
            lines = ["Bag Attributes", "    friendlyName: \(rng.pick(Vocabulary.services))",
                     "    localKeyID: " + (0..<20).map { _ in rng.string(2, .hexUpper) }.joined(separator: " "),
                     "Key Attributes: <No Attributes>"].map { .plain($0) }
        }
        lines += CorpusLine.block(credential)
        let suffix = switch credential.rule {
        case "openssh-private-key": rng.pick(["_id_ed25519", "_id_rsa", "-deploy-key"])
        case "pgp-private-key": rng.pick([".asc", "-secret.asc", ".gpg.asc"])
        default: rng.pick([".pem", ".key", "-tls.key"])
        }
        return (lines, suffix)
    }

    static func publicKey(_ rng: inout SplitMix64) -> (lines: Section, suffix: String) {
        let block = PEMFactory.publicBlock(&rng)
        let lines = block.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? CorpusLine.decoy(.publicKey, String($0.element)) : .plain(String($0.element)) }
        return (lines, block.contains("CERTIFICATE") ? ".crt" : block.contains("PGP") ? ".pub.asc" : ".pub.pem")
    }
}

/// Google Cloud credential files: a service-account key (planted), or a keyless
/// external-account (workload identity federation) config as a hard negative.
enum ServiceAccountComposer {
    static func plant(_ credential: Credential) -> Section {
        CorpusLine.serviceAccount(credential, indent: "")
    }

    static func externalAccount(_ rng: inout SplitMix64) -> Section {
        let project = rng.string(12, .digits)
        return ["{", "  \"type\": \"external_account\",",
                "  \"audience\": \"//iam.googleapis.com/projects/\(project)/locations/global/workloadIdentityPools/github/providers/github\",",
                "  \"subject_token_type\": \"urn:ietf:params:oauth:token-type:jwt\",",
                "  \"token_url\": \"https://sts.googleapis.com/v1/token\",",
                "  \"credential_source\": {", "    \"file\": \"/var/run/secrets/tokens/gcp-ksa/token\"", "  }", "}"]
            .map { .plain($0) }
    }
}
