import ArgumentParser
import SecretsClient
import SecretsCore
import SecretsCrypto
#if canImport(Glibc)
import Glibc
#endif

extension SecretsAgentCommand {
    /// `secrets-agent inject`
    struct Inject: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "inject", 
            abstract: "Render a template, replacing each {{ secret \"NAME\" }} with the secret's value.",
            discussion: """
            A tag is {{ secret "NAME" }} or {{ secret "NAME" env="E" }}, on one line; a tag without env= uses --env. All other text is copied exactly. There is no other template syntax: any other {{ is an error (exit 64, with its line and column).

            Every secret is fetched before anything is written: when one is missing (exit 3), denied (exit 4) or the agent is locked (exit 5), nothing is printed and no file is created. --out FILE is written to a new file (mode 0600) in FILE's directory, then renamed over FILE; FILE may not be a symbolic link or a directory.

            Example:
              $ cat app.env.tmpl
              DATABASE_URL=postgres://app:{{ secret "db/password" }}@db/app
              OPENAI_API_KEY={{ secret "openai/key" env="production" }}
              $ secrets-agent inject --env staging --in app.env.tmpl --out app.env
            """
        )

        /// Templates are config files: 1 MiB is plenty, and the limit keeps memory bounded.
        static let maxTemplateBytes = 1 << 20
        /// The rendered output lives in locked memory; keep it well under RLIMIT_MEMLOCK.
        static let maxOutputBytes = 4 << 20

        @OptionGroup var environment: EnvironmentOptions
        @Option(name: .customLong("in"), help: ArgumentHelp("Read the template from this file (default: standard input; at most 1 MiB).", valueName: "template"))
        var input: String?
        @Option(name: .customLong("out"), help: ArgumentHelp("Write the result to this file, mode 0600, replacing it atomically (default: standard output).", valueName: "file"))
        var output: String?
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            if input?.isEmpty == true { throw ValidationError("--in needs a file name") }
            if output?.isEmpty == true { throw ValidationError("--out needs a file name") }
        }

        func run() throws {
            let source = input ?? "standard input"
            let text = try Self.readTemplate(input, named: source)
            let template: Template
            do { template = try Template.parse(text) } catch {
                throw SecretsError.invalidArgument("cannot render \(source): \(error.message)")
            }
            if let output { try Self.checkDestination(output) }
            let values = try fetch(template.references, source: source)
            let rendered = try Self.render(template, values, source: source)
            // sodium_free wipes it too; this wipe does not depend on when the last reference goes.
            defer { rendered.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
            if let output {
                try Self.writeAtomically(rendered, to: output)
            } else {
                rendered.withUnsafeBytes { Terminal.writeStdout($0) }
            }
        }

        /// The values of `references`, in order, each fetched once per name and environment.
        private func fetch(_ references: [Template.Reference], source: String) throws(SecretsError) -> [SecretValue] {
            guard !references.isEmpty else { return [] }
            let fallback = environment.environment
            if references.contains(where: { $0.environment == nil }) { _ = try Environment(fallback) }
            let client = try connection.connect()
            var fetched: [Template.Reference: SecretValue] = [:]
            var values: [SecretValue] = []
            for reference in references {
                let resolved = Template.Reference(name: reference.name, environment: reference.environment ?? fallback)
                if let known = fetched[resolved] {
                    values.append(known)
                    continue
                }
                let value: SecretValue
                do {
                    value = try client.get(name: resolved.name, environment: resolved.environment!).value
                } catch {
                    throw Self.explain(error, resolved, source: source)
                }
                fetched[resolved] = value
                values.append(value)
            }
            return values
        }

        /// The agent's error with what was being rendered, and the secret when the agent's
        /// message does not already name it.
        static func explain(_ error: SecretsError, _ reference: Template.Reference, source: String) -> SecretsError {
            let name = reference.name, environment = reference.environment ?? ""
            let aboutThisSecret: Set<SecretsError.Code> = [.notFound, .permissionDenied, .invalidArgument, .integrityFailure]
            let message = error.message
            let named = (message.hasPrefix(name + " ") || message.contains(" \(name) ")) && message.contains(" \(environment)")
            let needsName = aboutThisSecret.contains(error.code) && !named
            return SecretsError(error.code, "cannot render \(source): " + (needsName ? "\(name) in \(environment): " : "") + message)
        }

        /// The output in locked memory; each value is copied into it once.
        static func render(_ template: Template, _ values: [SecretValue], source: String) throws(SecretsError) -> SecureBytes {
            guard let count = template.renderedCount(valueCount: { values[$0].count }), count <= maxOutputBytes else {
                throw .invalidArgument("cannot render \(source): the output would be over the 4 MiB limit (split the template)")
            }
            let rendered = SecureBytes(count: count)
            rendered.withUnsafeMutableBytes { out in
                var offset = 0
                func append(_ bytes: UnsafeRawBufferPointer) {
                    UnsafeMutableRawBufferPointer(rebasing: out[offset..<(offset + bytes.count)]).copyMemory(from: bytes)
                    offset += bytes.count
                }
                template.render(text: { $0.withUnsafeBytes(append) }, value: { values[$0].withUnsafeBytes(append) })
                precondition(offset == count, "inject: rendered \(offset) bytes, expected \(count)")
            }
            return rendered
        }

        // MARK: - Files

        /// The whole template, from `path` or standard input, refusing more than 1 MiB.
        static func readTemplate(_ path: String?, named source: String) throws(SecretsError) -> [UInt8] {
            let fd = path.map { open($0, O_RDONLY | O_CLOEXEC) } ?? 0
            guard fd >= 0 else {
                throw .invalidArgument("cannot read \(source): \(Self.reason(errno)) (check the path)")
            }
            defer { if path != nil { close(fd) } }
            var bytes = [UInt8](repeating: 0, count: maxTemplateBytes + 1)
            var count = 0
            while count < bytes.count {
                let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw .invalidArgument("cannot read \(source): \(Self.reason(errno))") }
                if n == 0 { break }
                count += n
            }
            guard count <= maxTemplateBytes else {
                throw .invalidArgument("cannot render \(source): the template is over the 1 MiB limit (split it into smaller templates)")
            }
            bytes.removeSubrange(count...)
            return bytes
        }

        /// Refuses, before any secret is fetched, a destination that is a symbolic link, a
        /// directory or another non-regular file, or whose directory is missing.
        static func checkDestination(_ path: String) throws(SecretsError) {
            var info = stat()
            if lstat(path, &info) == 0 {
                switch info.st_mode & S_IFMT {
                case S_IFREG: return
                case S_IFLNK: throw .invalidArgument("refusing to write \(path): it is a symbolic link (give the path of the file itself)")
                case S_IFDIR: throw .invalidArgument("refusing to write \(path): it is a directory (give a file name, e.g. \(path)/app.env)")
                default: throw .invalidArgument("refusing to write \(path): not a regular file (give a file path)")
                }
            }
            guard errno == ENOENT else { throw .invalidArgument("cannot write \(path): \(Self.reason(errno))") }
            let directory = Self.directory(of: path)
            guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                throw .invalidArgument("cannot write \(path): no directory \(directory) (create it first)")
            }
        }

        /// Writes to a new 0600 file beside `path`, syncs it, and renames it over `path`; on
        /// any failure the temporary file is removed and `path` is left as it was.
        static func writeAtomically(_ bytes: SecureBytes, to path: String) throws(SecretsError) {
            let directory = Self.directory(of: path)
            let base = path.split(separator: "/").last.map(String.init) ?? path
            var template = Array("\(directory)/.\(base).XXXXXX".utf8CString)
            let fd = mkstemp(&template)  // O_EXCL, mode 0600
            guard fd >= 0 else { throw .invalidArgument("cannot write \(path): \(Self.reason(errno))") }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
            var renamed = false
            defer { if !renamed { unlink(temporary) } }
            var failure: Int32 = 0
            if fchmod(fd, 0o600) != 0 { failure = errno }
            if failure == 0 {
                failure = bytes.withUnsafeBytes { raw -> Int32 in
                    var offset = 0
                    while offset < raw.count {
                        let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                        if n < 0 && errno == EINTR { continue }
                        if n <= 0 { return n < 0 ? errno : EIO }
                        offset += n
                    }
                    return 0
                }
            }
            if failure == 0 && fsync(fd) != 0 { failure = errno }
            if close(fd) != 0 && failure == 0 { failure = errno }
            guard failure == 0 else { throw .invalidArgument("cannot write \(path): \(Self.reason(failure)) (nothing was written)") }
            try checkDestination(path)  // it may have changed while the secrets were fetched
            guard rename(temporary, path) == 0 else {
                throw .invalidArgument("cannot write \(path): \(Self.reason(errno)) (nothing was written)")
            }
            renamed = true
            let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if directoryFD >= 0 {
                fsync(directoryFD)  // best effort: the rename survives a crash
                close(directoryFD)
            }
        }

        static func directory(of path: String) -> String {
            guard let slash = path.lastIndex(of: "/") else { return "." }
            return slash == path.startIndex ? "/" : String(path[..<slash])
        }

        static func reason(_ code: Int32) -> String {
            String(cString: strerror(code)).lowercased()
        }
    }
}
