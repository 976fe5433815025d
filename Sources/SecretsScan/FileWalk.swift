#if canImport(Glibc)
import Glibc
#endif

/// The files `scan` reads for a path: the file itself, or a directory's files
/// recursively in byte order of their names.
///
/// Left out: `.git`, binary files (a NUL byte in the first 8 KiB), files over `maxSize`,
/// special files, and symbolic links met in a directory (a link's target inside the tree
/// is scanned where it is; one outside is not scanned at all). A path named by the caller
/// is followed even when it is a link. With `gitignore`, what `.gitignore` files in the
/// tree exclude is left out too (see `FileWalk+Gitignore.swift`), or, given the list git
/// keeps (`listed`), only the files on it are read.
public struct FileWalk: Sendable {
    /// What the walk met.
    public enum Event {
        /// A file to scan, and its contents.
        case file(path: String, contents: [UInt8])
        /// A file left out, and why.
        case skipped(path: String, reason: SkipReason)
        /// A path that could not be read: the `errno`.
        case unreadable(path: String, errno: Int32)
    }

    /// Why a file was left out.
    public enum SkipReason: String, Sendable {
        case binary = "binary"
        case tooLarge = "over the size limit"
        case link = "symbolic link"
        case special = "not a regular file"
    }

    /// The default size limit: 10 MiB.
    public static let defaultMaxSize = 10 << 20
    /// How much of a file is searched for a NUL byte.
    static let binaryProbe = 8 << 10

    public let maxSize: Int
    public let gitignore: Bool

    public init(maxSize: Int = FileWalk.defaultMaxSize, gitignore: Bool = false) {
        self.maxSize = maxSize
        self.gitignore = gitignore
    }

    /// Visits the files of `path`. `listed`: the files to read instead of walking, as
    /// paths relative to `path` (e.g. from `git ls-files`).
    public func walk(_ path: String, listed: [String]? = nil, _ visit: (Event) -> Void) {
        var info = stat()
        guard stat(path, &info) == 0 else { return visit(.unreadable(path: path, errno: errno)) }
        guard info.st_mode & S_IFMT == S_IFDIR else { return read(path, named: true, visit) }
        if let listed {
            for relative in listed.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                guard !relative.split(separator: "/").contains(".git") else { continue }
                visitEntry(FileWalk.join(path, relative), relative: relative, layers: nil, visit)
            }
            return
        }
        let layers = gitignore ? [IgnoreLayer(directory: path, base: "")].compactMap { $0 } : []
        walkDirectory(path, relative: "", layers: layers, visit)
    }

    private func walkDirectory(_ path: String, relative: String, layers: [IgnoreLayer], _ visit: (Event) -> Void) {
        guard let directory = opendir(path) else { return visit(.unreadable(path: path, errno: errno)) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." && name != ".git" { names.append(name) }
        }
        closedir(directory)
        for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let child = relative.isEmpty ? name : relative + "/" + name
            visitEntry(FileWalk.join(path, name), relative: child, layers: layers, visit)
        }
    }

    /// One entry met in a walk (`layers` nil: a listed file).
    private func visitEntry(_ path: String, relative: String, layers: [IgnoreLayer]?, _ visit: (Event) -> Void) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            // A listed file deleted since is no longer there to leak.
            if layers == nil && errno == ENOENT { return }
            return visit(.unreadable(path: path, errno: errno))
        }
        let kind = info.st_mode & S_IFMT
        if let layers, IgnoreLayer.ignores(layers, relative, isDirectory: kind == S_IFDIR) { return }
        switch kind {
        case S_IFDIR:
            guard var layers else { return }  // a listed directory is a submodule
            if gitignore, let nested = IgnoreLayer(directory: path, base: relative) { layers.append(nested) }
            walkDirectory(path, relative: relative, layers: layers, visit)
        case S_IFREG: read(path, named: false, visit)
        case S_IFLNK: visit(.skipped(path: path, reason: .link))
        default: visit(.skipped(path: path, reason: .special))
        }
    }

    /// Reads a file (any kind when `named` by the caller, else a regular file, not followed).
    private func read(_ path: String, named: Bool, _ visit: (Event) -> Void) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | (named ? 0 : O_NOFOLLOW | O_NONBLOCK))
        guard fd >= 0 else { return visit(.unreadable(path: path, errno: errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return visit(.unreadable(path: path, errno: errno)) }
        if info.st_mode & S_IFMT == S_IFDIR { return visit(.unreadable(path: path, errno: EISDIR)) }
        if info.st_mode & S_IFMT == S_IFREG && Int(info.st_size) > maxSize {
            return visit(.skipped(path: path, reason: .tooLarge))
        }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return visit(.unreadable(path: path, errno: errno)) }
            if n == 0 { break }
            contents.append(contentsOf: chunk[0..<n])
            if contents.count > maxSize { return visit(.skipped(path: path, reason: .tooLarge)) }
        }
        if contents.prefix(FileWalk.binaryProbe).contains(0) { return visit(.skipped(path: path, reason: .binary)) }
        visit(.file(path: path, contents: contents))
    }

    /// `directory/name`, without doubling a slash; `.` stays out of the result.
    static func join(_ directory: String, _ name: String) -> String {
        if directory == "." { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
