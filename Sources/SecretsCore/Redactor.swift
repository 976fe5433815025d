/// Replaces secret values in a byte stream with `[REDACTED:NAME]`: the filter `exec` puts on
/// the stdout and stderr of a child it started with those values in its environment
/// (DESIGN §8).
///
/// Matching is leftmost-longest and non-overlapping: scanning left to right, at each
/// position the longest value that occurs there is replaced and scanning resumes after it.
/// The output does not depend on how the stream is cut into chunks. `feed` holds back only
/// the end of the input that is a proper prefix of some value, still undecided (at most
/// `maximumHeldBack` bytes), and returns everything else at once; `finish` redacts and
/// returns the rest. One Aho–Corasick automaton drives the scan, so a byte costs O(1)
/// amortized; after each replacement at most `maximumHeldBack` bytes are scanned again.
///
/// No value occurs in the output outside the replacement texts. The edge: those texts are
/// output too, so a value that is a substring of a `[REDACTED:NAME]` (say `RED` or `]`), or
/// that spans one and the bytes beside it (say `]\n`), can be found there; what shows is
/// the marker, not the child writing the value.
///
/// The values stay in the redactor's tables (and a held-back prefix in its buffer) for its
/// lifetime. It never prints them: it is not `CustomStringConvertible` and its mirror has
/// no children.
public struct Redactor: Sendable {
    /// One value to hide and the name shown in its place. Several patterns may share a name.
    public struct Pattern: Sendable {
        /// The name in the marker: `[REDACTED:` + name + `]`.
        public let name: String
        let value: [UInt8]

        /// A value to hide, shown as `[REDACTED:name]`. An empty value hides nothing.
        public init(name: String, value: [UInt8]) {
            self.name = name
            self.value = value
        }
    }

    private let automaton: Automaton
    /// The input not yet returned: a proper prefix of some value, scanned up to `state`.
    private var held: [UInt8] = []
    /// The automaton's state after `held`, scanned from the end of the last replacement.
    private var state: Int32 = 0
    /// The leftmost (then longest) complete occurrence seen in `held`, not yet final.
    private var candidate: Match?

    /// A redactor for `patterns`; empty values are ignored. When two patterns have the same
    /// value, the first one's name is shown.
    public init(patterns: [Pattern]) {
        var replacements: [[UInt8]] = []
        var replacementOfName: [String: Int32] = [:]
        var values: [(value: [UInt8], replacement: Int32)] = []
        for pattern in patterns where !pattern.value.isEmpty {
            let index = replacementOfName[pattern.name] ?? {
                replacements.append(Array("[REDACTED:\(pattern.name)]".utf8))
                replacementOfName[pattern.name] = Int32(replacements.count - 1)
                return Int32(replacements.count - 1)
            }()
            values.append((pattern.value, index))
        }
        automaton = Automaton(values: values, replacements: replacements)
    }

    /// The most bytes ever held back between calls: longest pattern length − 1 (0 without
    /// patterns).
    public var maximumHeldBack: Int { max(0, automaton.longest - 1) }

    /// The number of bytes held back now.
    var heldBackCount: Int { held.count }

    /// Feeds the next chunk read from the child; returns the bytes that can be written now.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer) -> [UInt8] {
        chunk.withMemoryRebound(to: UInt8.self) { process($0, atEnd: false) }
    }

    /// Feeds the next chunk read from the child; returns the bytes that can be written now.
    public mutating func feed(_ chunk: [UInt8]) -> [UInt8] {
        chunk.withUnsafeBufferPointer { process($0, atEnd: false) }
    }

    /// End of stream: returns whatever was held back (redacted). The redactor is then ready
    /// for a new stream.
    public mutating func finish() -> [UInt8] {
        process(UnsafeBufferPointer(start: nil, count: 0), atEnd: true)
    }

    /// A complete occurrence: where it starts (in `held`, then `held` + chunk), its length
    /// and the replacement that stands for it.
    private struct Match: Sendable {
        var start: Int
        var length: Int
        var replacement: Int32
    }

    /// Scans `chunk` after `held` and returns everything decided; keeps the rest.
    private mutating func process(_ chunk: UnsafeBufferPointer<UInt8>, atEnd: Bool) -> [UInt8] {
        let automaton = automaton
        let (out, rest, nextState, nextCandidate) = automaton.withTables { tables in
            held.withUnsafeBufferPointer { held in
                var scan = Scan(tables: tables, replacements: automaton.replacements, held: held, chunk: chunk,
                                state: state, candidate: candidate)
                let keep = scan.run(atEnd: atEnd)
                return (scan.out, scan.input[keep...], scan.state, scan.candidate)
            }
        }
        held = rest
        state = atEnd ? 0 : nextState
        candidate = atEnd ? nil : nextCandidate
        return out
    }

    /// One call's scan of the input `held` + `chunk`, indexed from the start of `held`.
    ///
    /// A candidate becomes final once no match can start before it or extend it: when the
    /// automaton's state (the longest suffix of the input that is a prefix of some value)
    /// starts after it, or starts at it as a complete value with no extension. Then it is
    /// written, and the bytes after it are scanned again from the root (matches do not
    /// overlap).
    private struct Scan {
        let tables: Automaton.Tables
        let replacements: [[UInt8]]
        let input: Joined
        var state: Int32
        var candidate: Match?
        var out: [UInt8] = []
        /// The input before this is decided and in `out`.
        var written = 0

        init(tables: Automaton.Tables, replacements: [[UInt8]], held: UnsafeBufferPointer<UInt8>,
             chunk: UnsafeBufferPointer<UInt8>, state: Int32, candidate: Match?) {
            self.tables = tables
            self.replacements = replacements
            self.input = Joined(first: held, second: chunk)
            self.state = state
            self.candidate = candidate
            out.reserveCapacity(input.count)
        }

        /// Scans the chunk (the held bytes are scanned already), writes what is decided and
        /// returns where the bytes to hold back start; `candidate` is then relative to it.
        mutating func run(atEnd: Bool) -> Int {
            let total = input.count
            var i = input.first.count
            while true {
                while i < total {
                    let byte = input[i]
                    i += 1
                    if state == 0 {
                        // Most bytes start no value: nothing to do (at the root there is no
                        // candidate, since the last step would have made it final).
                        state = tables.rootNext[Int(byte)]
                        if state == 0 { continue }
                    } else {
                        state = tables.next(state, byte)
                    }
                    let node = tables.nodes[Int(state)]
                    if node.matchLength > 0 {
                        let start = i - Int(node.matchLength)
                        if start <= candidate?.start ?? start {
                            candidate = Match(start: start, length: Int(node.matchLength), replacement: node.matchReplacement)
                        }
                    }
                    if let match = candidate {
                        let stateStart = i - Int(node.depth)
                        if match.start < stateStart || (match.start == stateStart && node.edges.isEmpty) {
                            i = replace(match)
                        }
                    }
                }
                // At the end nothing can extend the candidate or start before it.
                guard atEnd, let match = candidate else { break }
                i = replace(match)
            }
            let keep = atEnd ? total : min(candidate?.start ?? total, total - Int(tables.nodes[Int(state)].depth))
            input.append(written..<keep, to: &out)
            candidate?.start -= keep
            return keep
        }

        /// Writes the input up to `match` and its replacement; scanning resumes after it.
        private mutating func replace(_ match: Match) -> Int {
            input.append(written..<match.start, to: &out)
            out.append(contentsOf: replacements[Int(match.replacement)])
            written = match.start + match.length
            state = 0
            candidate = nil
            return written
        }
    }

    /// Two buffers read as one.
    private struct Joined {
        let first: UnsafeBufferPointer<UInt8>
        let second: UnsafeBufferPointer<UInt8>

        var count: Int { first.count + second.count }

        subscript(index: Int) -> UInt8 {
            index < first.count ? first[index] : second[index - first.count]
        }

        subscript(range: PartialRangeFrom<Int>) -> [UInt8] {
            var bytes: [UInt8] = []
            append(range.lowerBound..<count, to: &bytes)
            return bytes
        }

        func append(_ range: Range<Int>, to bytes: inout [UInt8]) {
            if range.lowerBound < first.count {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: first[range.lowerBound..<min(range.upperBound, first.count)]))
            }
            if range.upperBound > first.count {
                let lower = max(range.lowerBound, first.count) - first.count
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: second[lower..<range.upperBound - first.count]))
            }
        }
    }
}

extension Redactor: CustomReflectable {
    /// No children: the values stay out of `dump`, `print` and debuggers.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension Redactor.Pattern: CustomReflectable {
    /// The name only, never the value.
    public var customMirror: Mirror { Mirror(self, children: ["name": name], displayStyle: .struct) }
}

extension Redactor {
    /// The Aho–Corasick automaton of the values: a trie with failure links, each node
    /// knowing the longest value that ends there. The root's transitions are a table of 256;
    /// other nodes keep their few edges in one flat array.
    struct Automaton: Sendable {
        struct Node: Sendable {
            /// Length of the node's string (the path from the root).
            var depth: Int32
            /// The longest proper suffix of the node's string that is a node.
            var failure: Int32
            /// This node's edges in `edges`.
            var edges: Range<Int32>
            /// Length of the longest value that is a suffix of the node's string, or 0.
            var matchLength: Int32
            /// Its replacement, when `matchLength > 0`.
            var matchReplacement: Int32
        }

        struct Edge: Sendable {
            var byte: UInt8
            var target: Int32
        }

        let nodes: [Node]
        let edges: [Edge]
        let rootNext: [Int32]
        let replacements: [[UInt8]]
        let longest: Int

        init(values: [(value: [UInt8], replacement: Int32)], replacements: [[UInt8]]) {
            // The trie; the first pattern of a value gives its replacement.
            var children: [[UInt8: Int32]] = [[:]]
            var depth: [Int32] = [0]
            var terminal: [Int32] = [-1]
            for (value, replacement) in values {
                var node = 0
                for byte in value {
                    if let next = children[node][byte] {
                        node = Int(next)
                    } else {
                        precondition(children.count < Int32.max, "redactor: patterns too long")
                        children[node][byte] = Int32(children.count)
                        children.append([:])
                        depth.append(depth[node] + 1)
                        terminal.append(-1)
                        node = children.count - 1
                    }
                }
                if terminal[node] < 0 { terminal[node] = replacement }
            }

            // Failure links and matches, breadth first so a node's failure is done before it.
            let count = children.count
            var failure = [Int32](repeating: 0, count: count)
            var matchLength = [Int32](repeating: 0, count: count)
            var matchReplacement = [Int32](repeating: -1, count: count)
            var queue: [Int] = [0]
            var head = 0
            while head < queue.count {
                let node = queue[head]
                head += 1
                if terminal[node] >= 0 {
                    matchLength[node] = depth[node]
                    matchReplacement[node] = terminal[node]
                } else if node != 0 {
                    matchLength[node] = matchLength[Int(failure[node])]
                    matchReplacement[node] = matchReplacement[Int(failure[node])]
                }
                for (byte, child) in children[node] {
                    if node != 0 {
                        var fallback = Int(failure[node])
                        while true {
                            if let next = children[fallback][byte] { failure[Int(child)] = next; break }
                            if fallback == 0 { break }
                            fallback = Int(failure[fallback])
                        }
                    }
                    queue.append(Int(child))
                }
            }

            var nodes: [Node] = []
            var edges: [Edge] = []
            nodes.reserveCapacity(count)
            for node in 0..<count {
                let first = Int32(edges.count)
                if node != 0 {
                    for (byte, child) in children[node].sorted(by: { $0.key < $1.key }) {
                        edges.append(Edge(byte: byte, target: child))
                    }
                }
                nodes.append(Node(depth: depth[node], failure: failure[node], edges: first..<Int32(edges.count),
                                  matchLength: matchLength[node], matchReplacement: matchReplacement[node]))
            }
            var rootNext = [Int32](repeating: 0, count: 256)
            for (byte, child) in children[0] { rootNext[Int(byte)] = child }
            self.nodes = nodes
            self.edges = edges
            self.rootNext = rootNext
            self.replacements = replacements
            self.longest = Int(depth.max() ?? 0)
        }

        /// Calls `body` with the tables as buffers, for the scan loop.
        func withTables<R>(_ body: (Tables) -> R) -> R {
            nodes.withUnsafeBufferPointer { nodes in
                edges.withUnsafeBufferPointer { edges in
                    rootNext.withUnsafeBufferPointer { rootNext in
                        body(Tables(nodes: nodes, edges: edges, rootNext: rootNext))
                    }
                }
            }
        }

        /// The tables, valid inside `withTables`.
        struct Tables {
            let nodes: UnsafeBufferPointer<Node>
            let edges: UnsafeBufferPointer<Edge>
            let rootNext: UnsafeBufferPointer<Int32>

            /// The state after `state` reads `byte`: the longest suffix of the input so far
            /// that is a node.
            @inline(__always)
            func next(_ state: Int32, _ byte: UInt8) -> Int32 {
                var node = state
                while node != 0 {
                    let current = nodes[Int(node)]
                    var k = Int(current.edges.lowerBound)
                    while k < Int(current.edges.upperBound) {
                        if edges[k].byte == byte { return edges[k].target }
                        k += 1
                    }
                    node = current.failure
                }
                return rootNext[Int(byte)]
            }
        }
    }
}
