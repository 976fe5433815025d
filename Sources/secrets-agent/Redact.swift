import ArgumentParser
import SecretsClient
import SecretsCore
import SecretsScan
#if canImport(Glibc)
import Glibc
#endif

extension SecretsAgentCommand {
    /// `secrets-agent redact`
    struct Redact: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "redact", 
            abstract: "Copy standard input (or FILE) to standard output with every credential and every secret value you may read replaced.",
            discussion: """
            A credential a scan rule finds becomes [REDACTED:RULE]; a value of a secret the agent lets you read (any environment) becomes [REDACTED:NAME]. Without a reachable agent, only the rules apply. Works line by line in bounded memory: a private key's PEM block is replaced as one, and lines longer than 1 MiB are judged in overlapping pieces. Output is written line by line to a terminal, in large chunks otherwise.

            Example:
              $ journalctl -u app | secrets-agent redact > app.log
            """
        )

        @Argument(help: ArgumentHelp("Read this file instead of standard input.", valueName: "file"))
        var file: String?
        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            let input: Int32
            if let file {
                input = open(file, O_RDONLY | O_CLOEXEC)
                guard input >= 0 else {
                    throw SecretsError(.internal, "cannot read \(file): \(ScanInput.reason(errno))")
                }
            } else {
                input = 0
            }
            defer { if input != 0 { close(input) } }
            var engine = Redact.engine(values: Redact.grantedValues(connection))
            let output = RedactOutput(lineBuffered: isatty(1) == 1, input: input)
            var pending: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 64 << 10)
            while true {
                try output.flushIfIdle(&pending)
                let n = chunk.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 {
                    let code = errno
                    engine.finish(output: &pending)
                    try output.write(&pending)
                    throw SecretsError(.internal, "cannot read \(file ?? "standard input"): \(ScanInput.reason(code))")
                }
                if n == 0 { break }
                chunk.withUnsafeBytes { engine.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n]), output: &pending) }
                try output.written(&pending)
            }
            engine.finish(output: &pending)
            try output.write(&pending)
        }

        /// The values of every secret the caller may read, in any environment; empty when no
        /// agent answers. Denied, missing and failed reads are left out silently.
        static func grantedValues(_ connection: ConnectionOptions) -> [(name: String, value: SecretValue)] {
            guard let client = try? connection.connect(), let secrets = try? client.list(environment: nil) else { return [] }
            var values: [(name: String, value: SecretValue)] = []
            for secret in secrets {
                if let read = try? client.get(name: secret.name, environment: secret.environment) {
                    values.append((secret.name, read.value))
                }
            }
            return values
        }

        /// The stream engine for `values`. Each value leaves locked memory only for the
        /// redactor's tables; the copies made on the way are wiped.
        static func engine(values: consuming [(name: String, value: SecretValue)]) -> StreamScan {
            var copies = values.map { $0.value.withUnsafeBytes { [UInt8]($0) } }
            let names = values.map(\.name)
            values = []
            let engine = StreamScan(values: zip(names, copies).map { Redactor.Pattern(name: $0, value: $1) })
            for index in copies.indices {
                copies[index].withUnsafeMutableBytes { if let base = $0.baseAddress { explicit_bzero(base, $0.count) } }
            }
            return engine
        }
    }
}

/// Where `redact` writes: after each line to a terminal; otherwise in chunks of 64 KiB, and
/// whenever the input has nothing more for now, so a slow stream still flows.
struct RedactOutput {
    static let chunk = 64 << 10
    let lineBuffered: Bool
    let input: Int32

    /// After a feed: writes now when line-buffered or when enough has gathered.
    func written(_ pending: inout [UInt8]) throws {
        if lineBuffered || pending.count >= RedactOutput.chunk { try write(&pending) }
    }

    /// Before a read: writes what is pending when the read would wait.
    func flushIfIdle(_ pending: inout [UInt8]) throws {
        guard !pending.isEmpty else { return }
        var poller = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
        if poll(&poller, 1, 0) == 0 { try write(&pending) }
    }

    /// Writes and empties `pending`.
    /// - Throws: exit 1 when stdout is closed or fails.
    func write(_ pending: inout [UInt8]) throws {
        var offset = 0
        while offset < pending.count {
            let n = pending.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                if errno == EPIPE { throw ExitCode(1) }
                throw SecretsError(.internal, "cannot write standard output: \(String(cString: strerror(errno)).lowercased()) (check where the output goes)")
            }
            offset += n
        }
        pending.removeAll(keepingCapacity: true)
    }
}
