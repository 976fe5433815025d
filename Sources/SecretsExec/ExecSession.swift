#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import SecretsClient
import SecretsCore
import SecretsCrypto
import SecretsProtocol
internal import CShims

/// `secrets-agent exec`: resolves the secrets, starts the child with them (environment or
/// files), forwards signals, redacts its output, follows rotations, and returns its exit
/// status. DESIGN §8.
public final class ExecSession: @unchecked Sendable {
    // @unchecked Sendable: mutable state lives in `state` (a Mutex); the rest is set once
    // before any thread starts.
    private let options: ExecOptions
    private let socketPath: String
    private let warn: @Sendable (String) -> Void
    private let state = Mutex(State())
    private var pumps: [RedactingPump] = []
    private var terminal: PseudoTerminal?
    private var files: SecretFiles?
    private var streams = ChildProcess.Streams()
    private var executable = ""

    private struct State {
        var values: [SecureBytes] = []
        var versions: [UInt64] = []
        var child: pid_t = 0
        var restarting = false
        var terminating = false
        /// Every value injected so far: a rotated-out value is still redacted.
        var redacted: [RedactedValue] = []
    }

    /// The signals forwarded to the child.
    static let forwarded: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGWINCH, SIGQUIT]

    public init(options: ExecOptions, socketPath: String, warn: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.socketPath = socketPath
        self.warn = warn
    }

    /// Runs the child to the end and returns the exit status to leave with. With neither
    /// redaction, files nor `--on-change`, the CLI replaces itself with the child instead
    /// (`execve`) and this returns only on failure.
    /// - Throws: `SecretsError` for a missing or denied secret (nothing is started), or
    ///   `ExecFailure` when the command cannot be run.
    public func run() throws -> Int32 {
        let environmentName = options.environment
        var watcher: AgentClient?
        if options.onChange != .none {
            // Watch before reading, so a rotation in between is not missed.
            let client = try AgentClient(socketPath: socketPath, clientName: "secrets-agent-exec")
            try client.watch(names: options.bindings.map(\.name.rawValue), environment: environmentName)
            watcher = client
        }
        let fetched = try fetch()
        executable = try ChildProcess.resolve(options.command[0], path: ProcessEnvironment.value(of: "PATH"))
        state.withLock { state in
            state.values = fetched.map(\.value)
            state.versions = fetched.map(\.version)
            state.redacted = patterns(for: state.values)
        }
        if let directory = options.filesDirectory {
            let files = try SecretFiles(creating: directory)
            self.files = files
            if !files.isInMemory {
                warn("--files \(directory) is not on tmpfs or ramfs, so the secrets touch a disk (use a directory under /dev/shm or $XDG_RUNTIME_DIR)")
            }
            try writeFiles(fetched.map(\.value))
        }
        if !options.redact, files == nil, options.onChange == .none {
            return try execDirectly(fetched.map(\.value))
        }

        let signals = ExecSession.blockForwardedSignals()
        var rawMode: RawTerminalMode?
        if options.redact {
            if isatty(1) == 1, let pty = PseudoTerminal(sizeFrom: 1) {
                terminal = pty
                adjustPatternsForTerminal()
                streams.terminal = pty.slave
                streams.output = -2
                streams.input = isatty(0) == 1 ? -2 : -1
                streams.error = isatty(2) == 1 ? -2 : try pipeForPump(destination: 2)
                pumps.append(RedactingPump(source: pty.master, destination: 1, patterns: currentPatterns()))
                if streams.input == -2 { rawMode = RawTerminalMode(0) }
            } else {
                streams.output = try pipeForPump(destination: 1)
                streams.error = try pipeForPump(destination: 2)
            }
        }
        defer {
            rawMode?.restore()
            files?.remove()
        }
        try startChild()
        for pump in pumps { DetachedThread.start { pump.run() } }
        if let pty = terminal, streams.input == -2 { startInputForwarder(to: pty.master) }
        startSignalForwarder(signals)
        if let watcher { startWatching(watcher) }

        var termination: ChildProcess.Termination
        while true {
            let pid = state.withLock { $0.child }
            termination = ChildProcess.wait(pid)
            let restart = state.withLock { state -> Bool in
                defer { state.restarting = false }
                return state.restarting && !state.terminating
            }
            guard restart else { break }
            do throws(ExecFailure) {
                try startChild()
            } catch {
                warn(error.message)
                termination = .exited(error.exitCode)
                break
            }
        }
        for pump in pumps { pump.childDidEnd() }
        for pump in pumps { while !pump.isDone { usleep(5_000) } }
        return termination.exitCode
    }

    // MARK: - Secrets

    private func fetch() throws(SecretsError) -> [(value: SecureBytes, version: UInt64)] {
        let client = try AgentClient(socketPath: socketPath, clientName: "secrets-agent-exec")
        let items = options.bindings.map { AgentClient.BatchItem(name: $0.name.rawValue, environment: options.environment) }
        return try client.batchGet(items).map { item in
            (item.value.withUnsafeBytes { SecureBytes(copying: $0) }, item.version)
        }
    }

    /// A value the redactor hides, and the secret name shown in its place.
    struct RedactedValue: Sendable, Equatable {
        let name: String
        let value: [UInt8]
    }

    private func patterns(for values: [SecureBytes]) -> [RedactedValue] {
        zip(options.bindings, values).map { binding, value in
            RedactedValue(name: binding.name.rawValue, value: value.copyToArray())
        }
    }

    private func currentPatterns() -> [Redactor.Pattern] {
        state.withLock { $0.redacted.map { Redactor.Pattern(name: $0.name, value: $0.value) } }
    }

    /// A terminal turns "\n" into "\r\n" on output, so multi-line values are also
    /// redacted in that form.
    private func adjustPatternsForTerminal() {
        state.withLock { state in
            state.redacted = ExecSession.withTerminalVariants(state.redacted)
        }
    }

    static func withTerminalVariants(_ patterns: [RedactedValue]) -> [RedactedValue] {
        var result = patterns
        for pattern in patterns where pattern.value.contains(0x0A) {
            var translated: [UInt8] = []
            var previous: UInt8 = 0
            for byte in pattern.value {
                if byte == 0x0A, previous != 0x0D { translated.append(0x0D) }
                translated.append(byte)
                previous = byte
            }
            result.append(RedactedValue(name: pattern.name, value: translated))
        }
        return result
    }

    private func writeFiles(_ values: [SecureBytes]) throws(SecretsError) {
        guard let files else { return }
        for (binding, value) in zip(options.bindings, values) { try files.write(binding.variable, value) }
    }

    // MARK: - The child

    private func environmentBlock() -> EnvironmentBlock {
        let base = ProcessEnvironment.current().filter { $0.0 != "CREDENTIALS_DIRECTORY" || files == nil }
        if let files {
            return EnvironmentBlock(base: base + [("CREDENTIALS_DIRECTORY", files.directory)], secrets: [])
        }
        let values = state.withLock { $0.values }
        return EnvironmentBlock(base: base, secrets: zip(options.bindings, values).map { ($0.variable, $1 as any SecretValueBytes) })
    }

    private func startChild() throws(ExecFailure) {
        let pid = try ChildProcess.spawn(executable, arguments: options.command, environment: environmentBlock(), streams: streams)
        state.withLock { $0.child = pid }
    }

    private func execDirectly(_ values: [SecureBytes]) throws(ExecFailure) -> Int32 {
        let block = environmentBlock()
        var argv: [UnsafeMutablePointer<CChar>?] = options.command.map { strdup($0) } + [nil]
        block.withEnvp { envp in
            var envp = envp
            _ = execve(executable, &argv, &envp)
        }
        let failure = ExecFailure(command: options.command[0], errno: errno)
        for pointer in argv { free(pointer) }
        throw failure
    }

    /// A pipe whose write end the child gets as a stream; a pump copies the read end to
    /// `destination` through the redactor.
    private func pipeForPump(destination: Int32) throws(ExecFailure) -> Int32 {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw ExecFailure(command: options.command[0], errno: errno) }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        pumps.append(RedactingPump(source: fds[0], destination: destination, patterns: currentPatterns()))
        return fds[1]
    }

    // MARK: - Threads

    private func startInputForwarder(to master: Int32) {
        DetachedThread.start {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress!, $0.count) }
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return }
                var offset = 0
                while offset < n {
                    let written = buffer.withUnsafeBytes { Glibc.write(master, $0.baseAddress! + offset, n - offset) }
                    if written < 0, errno == EINTR { continue }
                    guard written > 0 else { return }
                    offset += written
                }
            }
        }
    }

    /// Blocks the forwarded signals in every thread (the forwarder takes them with
    /// sigwaitinfo), except those the CLI was started with ignored (`nohup`), which stay
    /// ignored for it and for the child.
    static func blockForwardedSignals() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in forwarded where cshims_signal_ignored_at_start(signal) == 0 { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        return set
    }

    /// Forwards each signal to the child. A key pressed on the terminal (Ctrl-C) already
    /// reached the child, which shares the terminal's process group, so signals sent by
    /// the kernel are not sent twice; with a pseudo-terminal, SIGWINCH resizes it instead.
    private func startSignalForwarder(_ signals: sigset_t) {
        DetachedThread.start { [self] in
            var set = signals
            var info = siginfo_t()
            while true {
                let signal = sigwaitinfo(&set, &info)
                if signal < 0 { continue }
                if signal == SIGWINCH, let terminal {
                    terminal.copyWindowSize(from: 1)
                    continue
                }
                if terminal == nil, info.si_code == SI_KERNEL, [SIGINT, SIGQUIT, SIGWINCH].contains(signal) { continue }
                let pid = state.withLock { state -> pid_t in
                    if signal == SIGTERM || signal == SIGINT || signal == SIGHUP { state.terminating = true }
                    return state.child
                }
                ChildProcess.send(signal, to: pid)
            }
        }
    }

    private func startWatching(_ client: AgentClient) {
        /// The connection moves to the watch thread and is used there alone.
        struct HandOff: @unchecked Sendable { let client: AgentClient }
        let handOff = HandOff(client: client)
        DetachedThread.start { [self] in
            let watcher = handOff.client
            while true {
                let event: SecretsAgent_V1_ChangeEvent?
                do throws(SecretsError) { event = try watcher.nextChange() } catch {
                    warn("stopped following rotations: \(error.message)")
                    return
                }
                guard let event else {
                    warn("stopped following rotations: the agent closed the connection")
                    return
                }
                if event.kind == .changeDelete {
                    warn("\(event.name) was deleted; the child keeps the value it has")
                    continue
                }
                applyRotation(of: event.name)
            }
        }
    }

    /// Reads the new values, rewrites the files atomically, extends the redactor, then
    /// signals or restarts the child.
    private func applyRotation(of name: String) {
        let fetched: [(value: SecureBytes, version: UInt64)]
        do { fetched = try fetch() } catch {
            warn("\(name) changed but cannot be read: \(error.message); the child keeps the value it has")
            return
        }
        let changed = state.withLock { state -> Bool in
            guard fetched.map(\.version) != state.versions else { return false }
            state.values = fetched.map(\.value)
            state.versions = fetched.map(\.version)
            var added = patterns(for: state.values)
            if terminal != nil { added = ExecSession.withTerminalVariants(added) }
            state.redacted += added
            return true
        }
        guard changed else { return }
        let replacement = currentPatterns()
        for pump in pumps { pump.replacePatterns(replacement) }
        do { try writeFiles(fetched.map(\.value)) } catch {
            warn("\(name) changed but its file cannot be rewritten: \(error.message)")
            return
        }
        let pid = state.withLock { $0.child }
        switch options.onChange {
        case .none:
            break
        case .signal(let signal):
            warn("\(name) changed: sent signal \(signal) to \(pid)")
            ChildProcess.send(signal, to: pid)
        case .restart:
            warn("\(name) changed: restarting the command")
            let proceed = state.withLock { state -> Bool in
                guard !state.terminating else { return false }
                state.restarting = true
                return true
            }
            guard proceed else { return }
            ChildProcess.send(SIGTERM, to: pid)
            let timeout = options.restartTimeoutSeconds
            DetachedThread.start { [self] in
                for _ in 0..<Int(timeout * 20) {  // 50 ms steps
                    if state.withLock({ $0.child != pid }) { return }
                    usleep(50_000)
                }
                if state.withLock({ $0.child == pid }) { ChildProcess.send(SIGKILL, to: pid) }
            }
        }
    }
}
