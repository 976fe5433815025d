#if canImport(Glibc)
import Glibc
#endif

/// The common subset of gitignore(5): blank lines and `#` comments, `!` to re-include,
/// a trailing `/` for directories only, a pattern with a `/` (other than trailing) anchored
/// to its `.gitignore`'s directory and one without matching a name at any depth, `*`, `?`,
/// `[…]` (with `!`/`^` and ranges), `**` as whole segments, `\` escapes. The last matching
/// pattern wins, deeper files after shallower ones; an excluded directory is not entered,
/// so nothing under it can be re-included (as in git). Not covered: `.git/info/exclude`
/// and `core.excludesFile` (in a work tree, `git ls-files` covers them).
extension FileWalk {
    /// The patterns of one `.gitignore`.
    struct IgnoreLayer: Sendable {
        /// Its directory, relative to the walk's root (`""` for the root).
        let base: String
        let patterns: [IgnorePattern]

        /// The layer of `directory/.gitignore`; nil when there is none (or it is unreadable).
        init?(directory: String, base: String) {
            let fd = open(FileWalk.join(directory, ".gitignore"), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var text: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 16 << 10)
            while text.count < 1 << 20 {
                let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                text.append(contentsOf: chunk[0..<n])
            }
            self.init(base: base, text: text)
        }

        init(base: String, text: [UInt8]) {
            self.base = base
            patterns = text.split(separator: 0x0A, omittingEmptySubsequences: true).compactMap { IgnorePattern(line: Array($0)) }
        }

        /// Whether `layers` (outermost first) exclude `path` (relative to the walk's root).
        static func ignores(_ layers: [IgnoreLayer], _ path: String, isDirectory: Bool) -> Bool {
            var ignored = false
            for layer in layers {
                let relative: Substring
                if layer.base.isEmpty {
                    relative = path[...]
                } else if path.hasPrefix(layer.base + "/") {
                    relative = path.dropFirst(layer.base.count + 1)
                } else {
                    continue
                }
                let segments = relative.utf8.split(separator: UInt8(ascii: "/")).map { Array($0) }
                for pattern in layer.patterns where pattern.matches(segments, isDirectory: isDirectory) {
                    ignored = !pattern.negated
                }
            }
            return ignored
        }
    }

    /// One line of a `.gitignore`.
    struct IgnorePattern: Sendable, Equatable {
        let negated: Bool
        let directoryOnly: Bool
        /// Matched against the whole relative path; otherwise against the last name.
        let anchored: Bool
        let segments: [[UInt8]]

        /// The pattern on `line`; nil for a blank line or a comment.
        init?(line: [UInt8]) {
            var line = line[...]
            if line.last == 0x0D { line = line.dropLast() }
            // Trailing spaces are ignored unless escaped.
            while line.last == 0x20, !(line.count >= 2 && line[line.endIndex - 2] == 0x5C) { line = line.dropLast() }
            guard let first = line.first, first != UInt8(ascii: "#") else { return nil }
            negated = first == UInt8(ascii: "!")
            if negated { line = line.dropFirst() }
            directoryOnly = line.last == UInt8(ascii: "/")
            while line.last == UInt8(ascii: "/") { line = line.dropLast() }
            anchored = line.contains(UInt8(ascii: "/"))
            while line.first == UInt8(ascii: "/") { line = line.dropFirst() }
            guard !line.isEmpty else { return nil }
            segments = line.split(separator: UInt8(ascii: "/")).map { Array($0) }
        }

        /// Whether the path with these `segments` matches.
        func matches(_ path: [[UInt8]], isDirectory: Bool) -> Bool {
            if directoryOnly && !isDirectory { return false }
            guard anchored else {
                guard let name = path.last else { return false }
                return IgnorePattern.glob(segments[0][...], name[...])
            }
            return IgnorePattern.match(segments[...], path[...])
        }

        /// Segment lists, where a `**` segment stands for any number of segments.
        static func match(_ pattern: ArraySlice<[UInt8]>, _ path: ArraySlice<[UInt8]>) -> Bool {
            guard let head = pattern.first else { return path.isEmpty }
            if head == Array("**".utf8) {
                var rest = path
                while true {
                    if match(pattern.dropFirst(), rest) { return true }
                    guard !rest.isEmpty else { return false }
                    rest = rest.dropFirst()
                }
            }
            guard let name = path.first, glob(head[...], name[...]) else { return false }
            return match(pattern.dropFirst(), path.dropFirst())
        }

        /// One segment against one name: `*`, `?`, `[…]`, `\x`.
        static func glob(_ pattern: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>) -> Bool {
            var p = pattern.startIndex, n = name.startIndex
            var star: (p: Int, n: Int)?
            while n < name.endIndex {
                if p < pattern.endIndex {
                    switch pattern[p] {
                    case UInt8(ascii: "*"):
                        star = (p + 1, n)
                        p += 1
                        continue
                    case UInt8(ascii: "?"):
                        p += 1; n += 1
                        continue
                    case UInt8(ascii: "["):
                        if let (matched, next) = bracket(pattern, p, name[n]) {
                            if matched { p = next; n += 1; continue }
                        } else if name[n] == UInt8(ascii: "[") {
                            p += 1; n += 1
                            continue
                        }
                    case UInt8(ascii: "\\") where p + 1 < pattern.endIndex:
                        if pattern[p + 1] == name[n] { p += 2; n += 1; continue }
                    default:
                        if pattern[p] == name[n] { p += 1; n += 1; continue }
                    }
                }
                guard let last = star else { return false }
                star = (last.p, last.n + 1)
                p = last.p
                n = last.n + 1
            }
            while p < pattern.endIndex && pattern[p] == UInt8(ascii: "*") { p += 1 }
            return p == pattern.endIndex
        }

        /// A `[…]` class at `start`: whether `byte` is in it and the index after it; nil
        /// when the bracket is not closed (then it is a literal `[`).
        static func bracket(_ pattern: ArraySlice<UInt8>, _ start: Int, _ byte: UInt8) -> (Bool, Int)? {
            var i = start + 1
            let negate = i < pattern.endIndex && (pattern[i] == UInt8(ascii: "!") || pattern[i] == UInt8(ascii: "^"))
            if negate { i += 1 }
            var matched = false
            var first = true
            while i < pattern.endIndex {
                var low = pattern[i]
                if low == UInt8(ascii: "]") && !first { return (matched != negate, i + 1) }
                first = false
                if low == UInt8(ascii: "\\") && i + 1 < pattern.endIndex { i += 1; low = pattern[i] }
                if i + 2 < pattern.endIndex && pattern[i + 1] == UInt8(ascii: "-") && pattern[i + 2] != UInt8(ascii: "]") {
                    let high = pattern[i + 2]
                    if low <= byte && byte <= high { matched = true }
                    i += 3
                } else {
                    if low == byte { matched = true }
                    i += 1
                }
            }
            return nil
        }
    }
}
