/// Generates the labeled corpus for a seed: about 3 MB of files of every `FileKind`, with
/// `RuleCatalog.plantsPerRule` credentials of every rule planted in varied contexts and
/// hard negatives throughout. The same seed gives the same bytes.
enum CorpusGenerator {
    static let targetBytes = 3_000_000
    /// Hard-negative key files: public keys, certificates, keyless GCP configs.
    static let publicKeyFiles = 12
    static let externalAccountFiles = 6

    static func generate(seed: UInt64) -> Corpus {
        var rng = SplitMix64(seed: seed)
        var queues: [FileKind: [Credential]] = [:]
        for profile in RuleCatalog.profiles {
            for index in 0..<RuleCatalog.plantsPerRule {
                let kind = profile.contexts[index % profile.contexts.count]
                queues[kind, default: []].append(CredentialFactory.make(profile.id, &rng))
            }
        }
        var corpus = Corpus(seed: seed)
        for kind in FileKind.allCases {
            let queue = rng.shuffled(queues[kind] ?? [])
            switch kind {
            case .keyFile:
                var files = queue.map { Optional($0) } + Array(repeating: nil, count: publicKeyFiles)
                files = rng.shuffled(files)
                for (index, credential) in files.enumerated() {
                    let base = kind.path(index, &rng)
                    let (lines, suffix) = credential.map { KeyFileComposer.plant($0, &rng) } ?? KeyFileComposer.publicKey(&rng)
                    corpus.add(path: base + suffix, kind: kind, lines: lines)
                }
            case .serviceAccount:
                var files = queue.map { Optional($0) } + Array(repeating: nil, count: externalAccountFiles)
                files = rng.shuffled(files)
                for (index, credential) in files.enumerated() {
                    let lines = credential.map { ServiceAccountComposer.plant($0) } ?? ServiceAccountComposer.externalAccount(&rng)
                    corpus.add(path: kind.path(index, &rng), kind: kind, lines: lines)
                }
            case .lockfile:
                var produced = 0
                var index = 0
                while produced < budget(kind) {
                    let flavor: LockfileComposer.Flavor = rng.chance(75) ? .packageLock : .goSum
                    let path = kind.path(index, &rng) + (flavor == .packageLock ? "package-lock.json" : "go.sum")
                    let lines = LockfileComposer.lines(flavor, targetBytes: rng.int(in: kind.sizeRange), &rng)
                    corpus.add(path: path, kind: kind, lines: lines)
                    produced += corpus.files.last!.bytes.count
                    index += 1
                }
            default:
                addFiles(of: kind, planting: queue, to: &corpus, &rng)
            }
        }
        return corpus
    }

    private static func budget(_ kind: FileKind) -> Int { Int(Double(targetBytes) * kind.share) }

    /// Files of `kind` until its share of the bytes is reached and every credential queued
    /// for it is planted, spreading the credentials over the files.
    private static func addFiles(of kind: FileKind, planting credentials: [Credential], to corpus: inout Corpus, _ rng: inout SplitMix64) {
        let averageSize = (kind.sizeRange.lowerBound + kind.sizeRange.upperBound) / 2
        var queue = credentials[...]
        var produced = 0
        var index = 0
        while produced < budget(kind) || !queue.isEmpty {
            let filesLeft = max(1, (budget(kind) - produced) / averageSize)
            let take = min(queue.count, (queue.count + filesLeft - 1) / filesLeft)
            let plants = Array(queue.prefix(take))
            queue = queue.dropFirst(take)
            let lines = compose(kind.composer, targetBytes: rng.int(in: kind.sizeRange), plants: plants, &rng)
            corpus.add(path: kind.path(index, &rng), kind: kind, lines: lines)
            produced += corpus.files.last!.bytes.count
            index += 1
        }
    }

    /// Header, filler sections up to `targetBytes`, the plant sections at random places
    /// between them, footer.
    static func compose(_ composer: any FileComposer.Type, targetBytes: Int, plants: [Credential], _ rng: inout SplitMix64) -> Section {
        let header = composer.header(&rng)
        var sections: [Section] = []
        var bytes = header.reduce(0) { $0 + $1.text.utf8.count + 1 }
        while bytes < targetBytes {
            let section = composer.filler(&rng)
            bytes += section.reduce(0) { $0 + $1.text.utf8.count + 1 }
            sections.append(section)
        }
        for credential in plants {
            sections.insert(composer.plant(credential, &rng), at: rng.below(sections.count + 1))
        }
        return header + composer.join(sections) + composer.footer(&rng)
    }
}
