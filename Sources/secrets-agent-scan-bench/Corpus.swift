/// The generated corpus: its files in memory, every planted credential's label, and every
/// hard negative's line.
struct Corpus: Sendable {
    struct File: Sendable {
        /// Relative to the corpus directory.
        let path: String
        let kind: FileKind
        let bytes: [UInt8]
    }

    /// What a true positive must match: the file, the 1-based line (a block's BEGIN line)
    /// and the rule.
    struct Label: Hashable, Sendable {
        let file: Int
        let line: Int
        let rule: String
    }

    struct Plant: Sendable {
        let label: Label
        let credential: Credential
    }

    struct Decoy: Sendable {
        let file: Int
        let line: Int
        let kind: DecoyKind
    }

    let seed: UInt64
    private(set) var files: [File] = []
    private(set) var plants: [Plant] = []
    private(set) var decoys: [Decoy] = []
    /// Lines of planted credentials other than the labeled ones.
    private(set) var partLines: Set<LineRef> = []
    /// Per label, the lines its credential spans: the labeled line and the parts next to
    /// it (a block's body, the key that introduces it). Scoring by line credits a finding
    /// anywhere in a span, so a scanner that reports a YAML block on its key is not
    /// charged twice for being off by a line.
    private(set) var spans: [Label: ClosedRange<Int>] = [:]

    struct LineRef: Hashable, Sendable {
        let file: Int
        let line: Int
    }

    init(seed: UInt64) { self.seed = seed }

    /// Adds a file made of `lines`, recording its labels and decoys.
    mutating func add(path: String, kind: FileKind, lines: Section) {
        let file = files.count
        var bytes: [UInt8] = []
        func isPart(_ index: Int) -> Bool {
            guard lines.indices.contains(index), case .credentialPart = lines[index].role else { return false }
            return true
        }
        for (index, line) in lines.enumerated() {
            bytes += line.text.utf8
            bytes.append(0x0A)
            switch line.role {
            case .plain: break
            case .credential(let credential):
                let label = Label(file: file, line: index + 1, rule: credential.rule)
                plants.append(Plant(label: label, credential: credential))
                var first = index, last = index
                while isPart(first - 1) { first -= 1 }
                while isPart(last + 1) { last += 1 }
                spans[label] = (first + 1)...(last + 1)
            case .credentialPart: partLines.insert(LineRef(file: file, line: index + 1))
            case .decoy(let kind): decoys.append(Decoy(file: file, line: index + 1, kind: kind))
            }
        }
        files.append(File(path: path, kind: kind, bytes: bytes))
    }

    /// Each line some credential spans, with the labels spanning it.
    func labelsBySpannedLine() -> [LineRef: [Label]] {
        var index: [LineRef: [Label]] = [:]
        for (label, span) in spans {
            for line in span { index[LineRef(file: label.file, line: line), default: []].append(label) }
        }
        return index
    }

    var labels: Set<Label> { Set(plants.map(\.label)) }

    var byteCount: Int { files.reduce(0) { $0 + $1.bytes.count } }

    /// Every file, one after another, as one buffer (for throughput).
    func concatenated() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(byteCount)
        for file in files { buffer += file.bytes }
        return buffer
    }

    /// `file<TAB>line<TAB>rule`, one label a line, sorted by file and line.
    var labelsTSV: String {
        "file\tline\trule\n" + plants.map(\.label).sorted { ($0.file, $0.line) < ($1.file, $1.line) }
            .map { "\(files[$0.file].path)\t\($0.line)\t\($0.rule)\n" }.joined()
    }

    /// `file<TAB>line<TAB>kind`, one hard negative a line.
    var decoysTSV: String {
        "file\tline\tkind\n" + decoys.map { "\(files[$0.file].path)\t\($0.line)\t\($0.kind.rawValue)\n" }.joined()
    }
}
