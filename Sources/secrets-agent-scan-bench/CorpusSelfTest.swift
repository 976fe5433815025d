import Foundation

/// `--self-test`: checks that the corpus is what the scores assume (deterministic, every
/// rule planted often and in varied contexts, every credential in its format and on its
/// labeled line, no credential-shaped text left unlabeled) and that the scoring and the
/// detect-secrets parser count right. Prints one line per check.
enum CorpusSelfTest {
    struct Check {
        let name: String
        let failure: String?
    }

    static func run(seed: UInt64) -> [Check] {
        let corpus = CorpusGenerator.generate(seed: seed)
        let again = CorpusGenerator.generate(seed: seed)
        let other = CorpusGenerator.generate(seed: seed &+ 1)
        let lines = corpus.files.map { file in file.bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) } }
        return [
            check("the same seed gives the same corpus") {
                guard corpus.files.count == again.files.count,
                      zip(corpus.files, again.files).allSatisfy({ $0.path == $1.path && $0.bytes == $1.bytes }),
                      corpus.labels == again.labels else { return "two generations differ" }
                return other.concatenated() == corpus.concatenated() ? "seed + 1 gives the same corpus" : nil
            },
            check("about 3 MB in many files of every kind") {
                guard (2_700_000...3_500_000).contains(corpus.byteCount) else { return "\(corpus.byteCount) bytes" }
                guard corpus.files.count >= 200 else { return "only \(corpus.files.count) files" }
                let kinds = Set(corpus.files.map(\.kind))
                let missing = FileKind.allCases.filter { !kinds.contains($0) }
                return missing.isEmpty ? nil : "no \(missing.map(\.rawValue).joined(separator: ", ")) file"
            },
            check("paths are unique") {
                Set(corpus.files.map(\.path)).count == corpus.files.count ? nil : "duplicate paths"
            },
            check("every rule planted >= 15 times in >= 3 kinds of file") {
                var failures: [String] = []
                for rule in RuleCatalog.ids {
                    let plants = corpus.plants.filter { $0.label.rule == rule }
                    let kinds = Set(plants.map { corpus.files[$0.label.file].kind })
                    if plants.count < 15 || kinds.count < 3 { failures.append("\(rule): \(plants.count) in \(kinds.count) kinds") }
                }
                return failures.isEmpty ? nil : failures.joined(separator: "; ")
            },
            check("one label per line") {
                Set(corpus.plants.map { Corpus.LineRef(file: $0.label.file, line: $0.label.line) }).count == corpus.plants.count
                    ? nil : "two credentials share a line"
            },
            check("each labeled line holds its credential") {
                for plant in corpus.plants {
                    let text = lines[plant.label.file][plant.label.line - 1]
                    let needle = plant.credential.isBlock || plant.credential.serviceAccount != nil ? plant.credential.evidence : plant.credential.value
                    if !text.contains(needle) {
                        return "\(corpus.files[plant.label.file].path):\(plant.label.line) lacks its \(plant.label.rule)"
                    }
                }
                return nil
            },
            check("each credential follows its rule's format") {
                let failures = corpus.plants.compactMap { plant in
                    CredentialFormat.violation(plant.credential).map { "\(plant.label.rule) at \(corpus.files[plant.label.file].path):\(plant.label.line): \($0)" }
                }
                return failures.isEmpty ? nil : "\(failures.count) violations, first: \(failures[0])"
            },
            check("a block credential's span covers all its lines") {
                for plant in corpus.plants where plant.credential.isBlock || plant.credential.serviceAccount != nil {
                    guard let span = corpus.spans[plant.label], span.contains(plant.label.line) else { return "no span for \(plant.label.rule)" }
                    let fileLines = lines[plant.label.file]
                    let last = plant.credential.serviceAccount != nil ? "\"universe_domain\"" : "-----END"
                    if fileLines[plant.label.line - 1].contains(last) { continue }  // written on one line
                    if !span.contains(where: { fileLines[$0 - 1].contains(last) }) {
                        return "\(corpus.files[plant.label.file].path):\(plant.label.line): the span \(span) misses the last line"
                    }
                }
                return nil
            },
            check("keyword rules keep their keyword on the labeled line") {
                let keywords = ["generic-password": "password", "generic-secret": "secret", "generic-token": "token",
                                "generic-api-key": "api", "aws-secret-access-key": "aws"]
                for plant in corpus.plants {
                    guard let keyword = keywords[plant.label.rule] else { continue }
                    if !lines[plant.label.file][plant.label.line - 1].lowercased().contains(keyword) {
                        return "\(corpus.files[plant.label.file].path):\(plant.label.line) has no '\(keyword)'"
                    }
                }
                return nil
            },
            check("github-shaped decoys carry a wrong checksum") {
                let decoys = corpus.decoys.filter { $0.kind == .wrongChecksum }
                guard decoys.count >= 15 else { return "only \(decoys.count) wrong-checksum decoys" }
                let token = try! NSRegularExpression(pattern: "gh[pousr]_[A-Za-z0-9]{36}")
                for decoy in decoys {
                    let text = lines[decoy.file][decoy.line - 1]
                    guard let match = token.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return "a decoy line holds no token" }
                    if GitHubChecksum.isValid(String(text[Range(match.range, in: text)!])) { return "a decoy's checksum is right" }
                }
                return nil
            },
            check("every kind of hard negative appears >= 10 times") {
                var counts: [DecoyKind: Int] = [:]
                for decoy in corpus.decoys { counts[decoy.kind, default: 0] += 1 }
                let rare = DecoyKind.allCases.filter { (counts[$0] ?? 0) < 10 }
                return rare.isEmpty ? nil : rare.map { "\($0.rawValue): \(counts[$0] ?? 0)" }.joined(separator: ", ")
            },
            check("no credential shape outside labeled lines and shaped decoys") {
                let pattern = try! NSRegularExpression(pattern: CredentialFormat.accidentalPattern)
                let labeled = Set(corpus.plants.map { Corpus.LineRef(file: $0.label.file, line: $0.label.line) })
                let shaped = Set(corpus.decoys.filter(\.kind.hasCredentialShape).map { Corpus.LineRef(file: $0.file, line: $0.line) })
                for (file, fileLines) in lines.enumerated() {
                    for (index, text) in fileLines.enumerated() {
                        let ref = Corpus.LineRef(file: file, line: index + 1)
                        guard !labeled.contains(ref), !shaped.contains(ref), !corpus.partLines.contains(ref) else { continue }
                        if let match = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) {
                            return "\(corpus.files[file].path):\(index + 1) holds '\(text[Range(match.range, in: text)!].prefix(40))'"
                        }
                    }
                }
                return nil
            },
            check("scoring counts true and false positives per rule and by line") {
                let corpus = tinyCorpus()
                let findings: Set<Corpus.Label> = [Corpus.Label(file: 0, line: 1, rule: "jwt"), Corpus.Label(file: 0, line: 2, rule: "generic-token"),
                                                   Corpus.Label(file: 0, line: 4, rule: "jwt")]
                let accuracy = Accuracy(findings: findings, corpus: corpus)
                let jwt = accuracy.perRule.first { $0.rule == "jwt" }!.tally
                guard jwt.truePositives == 1, jwt.falsePositives == 1, jwt.falseNegatives == 1 else { return "jwt tally \(jwt)" }
                guard accuracy.overall.truePositives == 1, accuracy.overall.falsePositives == 2, accuracy.overall.falseNegatives == 1 else {
                    return "overall \(accuracy.overall)"
                }
                guard accuracy.byLine.truePositives == 2, accuracy.byLine.falsePositives == 1, accuracy.byLine.falseNegatives == 0 else {
                    return "by line \(accuracy.byLine)"
                }
                guard accuracy.falsePositiveCauses == ["labeled line, other rule": 1, "placeholder": 1] else { return "causes \(accuracy.falsePositiveCauses)" }
                guard abs((accuracy.overall.f1 ?? 0) - 0.4) < 1e-9, accuracy.perRule.count == RuleCatalog.ids.count else { return "f1 \(accuracy.overall.f1 ?? -1)" }
                return nil
            },
            check("detect-secrets output maps to corpus lines") {
                let json = #"{"version": "1.5.0", "results": {"./a.env": [{"type": "Secret Keyword", "line_number": 2}], "b/c.yaml": [{"type": "JSON Web Token", "line_number": 7}, {"type": "Base64 High Entropy String", "line_number": 7}]}}"#
                guard let parsed = try? DetectSecrets.parse(Array(json.utf8), paths: ["a.env": 0, "b/c.yaml": 1]) else { return "parse failed" }
                guard parsed == [Corpus.LineRef(file: 0, line: 2): ["Secret Keyword"],
                                 Corpus.LineRef(file: 1, line: 7): ["JSON Web Token", "Base64 High Entropy String"]] else { return "parsed \(parsed)" }
                let unknown = #"{"results": {"elsewhere.txt": []}}"#
                return (try? DetectSecrets.parse(Array(unknown.utf8), paths: [:])) == nil ? nil : "an unknown file was accepted"
            },
            check("pathological inputs are single lines of >= 1 MB") {
                for input in Throughput.pathologicalInputs() where input.bytes.count < 1_000_000 || input.bytes.contains(0x0A) {
                    return input.name
                }
                return nil
            },
            check("--keep writes every file and label") {
                guard let directory = try? CorpusDirectory.temporary() else { return "no temporary directory" }
                defer { directory.remove() }
                do throws(ScanBenchFailure) { try directory.write(corpus) } catch { return error.message }
                for file in corpus.files where FileManager.default.contents(atPath: directory.corpus + "/" + file.path).map(Array.init) != file.bytes {
                    return "\(file.path) differs on disk"
                }
                let labels = (try? String(contentsOfFile: directory.appending("labels.tsv"), encoding: .utf8)) ?? ""
                return labels.split(separator: "\n").count == corpus.plants.count + 1 ? nil : "labels.tsv has the wrong number of lines"
            },
        ]
    }

    /// One file: a JWT on line 1, a generic token on line 2, a placeholder decoy on line 4.
    private static func tinyCorpus() -> Corpus {
        var rng = SplitMix64(seed: 7)
        var corpus = Corpus(seed: 7)
        corpus.add(path: "tiny.env", kind: .env, lines: [
            .credential(CredentialFactory.make("jwt", &rng), "ACCESS_TOKEN=..."),
            .credential(CredentialFactory.make("jwt", &rng), "ID_TOKEN=..."),
            .plain("PORT=8080"),
            .decoy(.placeholder, "API_KEY=<your-api-key>"),
        ])
        return corpus
    }

    private static func check(_ name: String, _ body: () -> String?) -> Check {
        Check(name: name, failure: body())
    }
}
