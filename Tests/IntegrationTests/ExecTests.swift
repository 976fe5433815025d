import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `secrets-agent exec` and `watch` through the real binary (DESIGN §8, §11–12): what the
/// child's environment holds and what the CLI's does not, redaction of stdout and stderr
/// however the child cuts its writes, exit codes and forwarded signals, nothing started for
/// a missing or denied secret, files mode and its cleanup, following rotations by signal and
/// by restart, the pseudo-terminal, and two watchers seeing the same events.
///
/// Children are Debian's python3 or /bin/sh. No failure message here repeats a value:
/// comparisons that involve one are reduced to booleans first.
@Suite(.serialized) struct ExecTests {
    static let python = "/usr/bin/python3"
    static let token = "tok-9f8e7d6c5b4a-live"
    /// Bytes an environment may carry besides letters: space, =, quotes, $, tab, UTF-8.
    static let password = "p w=1 \"q\" 'r' $HOME\tü-end"

    // MARK: - Environment

    @Test func theChildGetsExactlyTheCLIEnvironmentPlusEachSecret() throws {
        let agent = try seeded([("app/token", Self.token), ("db/pass", Self.password)])
        let dump = agent.home + "/environ"
        var environment = cliEnvironment(agent)
        environment["DB_PASS"] = "placeholder-from-the-cli"  // a secret's variable replaces the CLI's
        let result = try runExec(agent, ["exec", "--secret", "APP_TOKEN=app/token", "--secret", "DB_PASS=db/pass", "--",
                                         Self.python, "-c", "import sys; open(sys.argv[1], 'wb').write(open('/proc/self/environ', 'rb').read())", dump],
                                 environment: environment)
        #expect(result.status == 0, "\(scrub(result.stderr))")
        let written = try #require(fileBytes(dump))
        let entries = Set(written.split(separator: 0, omittingEmptySubsequences: true).map { Array($0) })
        let secretEntries: Set<[UInt8]> = [Array("APP_TOKEN=\(Self.token)".utf8), Array("DB_PASS=\(Self.password)".utf8)]
        var expected = Set(environment.filter { $0.key != "DB_PASS" }.map { Array("\($0.key)=\($0.value)".utf8) })
        let cliOnly = expected
        expected.formUnion(secretEntries)
        let exact = entries == expected
        #expect(exact, "the child's environment is the CLI's plus APP_TOKEN and DB_PASS")
        #expect(secretEntries.isSubset(of: entries), "both values arrive byte for byte")
        // Names only in the diagnostics: never an entry that might hold a value.
        let missing = cliOnly.subtracting(entries).map { variableName($0) }.sorted()
        let extra = entries.subtracting(expected).map { variableName($0) }.sorted()
        #expect(missing.isEmpty, "CLI variables the child lacks: \(missing)")
        #expect(extra.isEmpty, "variables the child has that it should not: \(extra)")
        #expect(!entries.contains(Array("DB_PASS=placeholder-from-the-cli".utf8)))
        agent.expectNeverPrinted(Self.token)
        agent.expectNeverPrinted(Self.password)
    }

    @Test func theRunningCLIHoldsNoValueInItsEnvironOrCmdline() throws {
        let agent = try seeded([("app/token", Self.token)])
        let ready = agent.home + "/ready"
        let cli = try launch(agent, ["exec", "--secret", "APP_TOKEN=app/token", "--",
                                     Self.python, "-c", "import sys, time; open(sys.argv[1], 'w').close(); time.sleep(60)", ready])
        defer { cli.terminate() }
        #expect(pollUntil { access(ready, F_OK) == 0 }, "the child started")
        let environ = try #require(fileBytes("/proc/\(cli.pid)/environ"))
        let cmdline = try #require(fileBytes("/proc/\(cli.pid)/cmdline"))
        #expect(environ.count > 0 && cmdline.count > 0)
        let inEnviron = agent.contains(environ, Array(Self.token.utf8))
        let inCmdline = agent.contains(cmdline, Array(Self.token.utf8))
        #expect(!inEnviron, "the value is in the CLI's /proc/pid/environ")
        #expect(!inCmdline, "the value is in the CLI's /proc/pid/cmdline")
        let isTheCLI = agent.contains(cmdline, Array("APP_TOKEN=app/token".utf8))
        #expect(isTheCLI, "the cmdline read is the exec CLI's")
        #expect(cli.stop() == 143)
    }

    // MARK: - Redaction

    @Test func aValueWrittenOneByteAtATimeIsRedactedOnStdoutAndStderr() throws {
        let agent = try seeded([("app/token", Self.token)])
        let script = """
            import os, time
            v = os.environb[b'APP_TOKEN']
            for fd in (1, 2):
                os.write(fd, b'before ')
                for b in v:
                    os.write(fd, bytes([b]))
                    time.sleep(0.004)
                os.write(fd, b' after\\n')
            """
        let result = try runExec(agent, ["exec", "--secret", "APP_TOKEN=app/token", "--", Self.python, "-c", script])
        #expect(result.status == 0)
        let outputIsRedacted = result.stdout == Array("before [REDACTED:app/token] after\n".utf8)
        let errorIsRedacted = result.stderr == "before [REDACTED:app/token] after\n"
        #expect(outputIsRedacted, "stdout is redacted")
        #expect(errorIsRedacted, "stderr is redacted")
        agent.expectNeverPrinted(Self.token)
    }

    @Test func aValueSplitAcrossTwoWritesAtEverySplitPointIsRedacted() throws {
        let short = "s3cr3t-XY"
        let agent = try seeded([("app/short", short)])
        // For each split point: the value cut in two writes, then a prefix of it followed
        // by another byte (held back, then released unchanged).
        let script = """
            import os, time
            v = os.environb[b'SHORT']
            for i in range(1, len(v)):
                for fd in (1, 2):
                    os.write(fd, b'p%d:' % i + v[:i])
                time.sleep(0.02)
                for fd in (1, 2):
                    os.write(fd, v[i:] + b'\\n')
                    os.write(fd, b'q%d:' % i + v[:i])
                time.sleep(0.02)
                for fd in (1, 2):
                    os.write(fd, b'|\\n')
            """
        let result = try runExec(agent, ["exec", "--secret", "SHORT=app/short", "--", Self.python, "-c", script])
        #expect(result.status == 0)
        var expected = ""
        for i in 1..<short.utf8.count { expected += "p\(i):[REDACTED:app/short]\nq\(i):\(short.prefix(i))|\n" }
        let outputMatches = result.stdout == Array(expected.utf8)
        let errorMatches = result.stderr == expected
        #expect(outputMatches, "stdout: every split redacted, every lone prefix passed through")
        #expect(errorMatches, "stderr: every split redacted, every lone prefix passed through")
        agent.expectNeverPrinted(short)
    }

    @Test func aMultiLineValueIsRedacted() throws {
        let multiLine = "multi-line-one\nmulti-line-two\nmulti-line-three"
        let agent = try seeded([("app/ml", multiLine)])
        let script = """
            import os, time
            v = os.environb[b'ML']
            cut = v.index(b'\\n') + 1
            for fd in (1, 2):
                os.write(fd, b'ml<' + v[:cut])
                time.sleep(0.02)
                os.write(fd, v[cut:] + b'>\\n')
            """
        let result = try runExec(agent, ["exec", "--secret", "ML=app/ml", "--", Self.python, "-c", script])
        #expect(result.status == 0)
        let outputMatches = result.stdout == Array("ml<[REDACTED:app/ml]>\n".utf8)
        let errorMatches = result.stderr == "ml<[REDACTED:app/ml]>\n"
        #expect(outputMatches, "stdout is redacted")
        #expect(errorMatches, "stderr is redacted")
        agent.expectNeverPrinted(multiLine)
    }

    @Test func aTenMegabyteBinaryStreamIsRedactedExactly() throws {
        let value = "bulk-secret-value-0123456789abcdef"
        let agent = try seeded([("app/bulk", value)])
        let raw = agent.home + "/raw.bin"
        // 10 MiB of seeded random bytes with the value written over them at 50 offsets, 12 of
        // them straddling a 64 KiB boundary; written in uneven chunks, and saved raw for the test.
        let script = """
            import os, random, sys
            value = os.environb[b'BULK']
            rng = random.Random(20240611)
            size = 10 * 1024 * 1024
            data = bytearray(rng.randbytes(size))
            n = len(value)
            offsets = [(k * 13 + 3) * 65536 - 1 - (k * 5) % (n - 1) for k in range(12)]
            offsets += [40_000 + i * 270_001 + rng.randrange(0, 50_000) for i in range(38)]
            offsets.sort()
            assert len(offsets) == 50 and all(b - a > n for a, b in zip(offsets, offsets[1:]))
            for o in offsets:
                data[o:o + n] = value
            open(sys.argv[1], 'wb').write(data)
            out = sys.stdout.buffer
            sizes = [65536, 4096, 100000, 1, 65535, 7, 131072, 3000]
            at = 0
            i = 0
            while at < size:
                out.write(data[at:at + sizes[i % len(sizes)]])
                out.flush()
                at += sizes[i % len(sizes)]
                i += 1
            os.write(2, b'err:' + value + b'\\n')
            """
        let result = try runExec(agent, ["exec", "--secret", "BULK=app/bulk", "--", Self.python, "-c", script, raw], timeout: 120)
        #expect(result.status == 0, "\(scrub(result.stderr, [value]))")
        let input = try #require(fileBytes(raw))
        #expect(input.count == 10 * 1024 * 1024)
        let needle = Array(value.utf8), marker = Array("[REDACTED:app/bulk]".utf8)
        let (expected, inserted) = replacing(needle, with: marker, in: input)
        #expect(inserted == 50, "the stream holds the value exactly 50 times")
        let markersInInput = occurrences(of: marker, in: input)
        let valuesOut = occurrences(of: needle, in: result.stdout), markersOut = occurrences(of: marker, in: result.stdout)
        #expect(markersInInput == 0)
        #expect(valuesOut == 0, "the value got through")
        #expect(markersOut == 50)
        let identical = result.stdout == expected
        #expect(identical, "every other byte is unchanged (\(result.stdout.count) bytes out, \(expected.count) expected)")
        let errorRedacted = result.stderr == "err:[REDACTED:app/bulk]\n"
        #expect(errorRedacted, "stderr is redacted")
    }

    @Test func noRedactPassesTheValueThrough() throws {
        let agent = try seeded([("app/token", Self.token)])
        let result = agent.run(["exec", "--no-redact", "--secret", "APP_TOKEN=app/token", "--",
                                "/bin/sh", "-c", "printf '%s\\n' \"$APP_TOKEN\"; printf 'e:%s\\n' \"$APP_TOKEN\" >&2"])
        #expect(result.status == 0)
        let passed = result.stdout == Array("\(Self.token)\n".utf8) && result.stderr == "e:\(Self.token)\n"
        #expect(passed, "--no-redact leaves stdout and stderr unchanged")
    }

    // MARK: - Exit codes and signals

    @Test func theExitStatusIsTheChildsOr128PlusItsSignal() throws {
        let agent = try seeded([("app/token", Self.token)])
        let secret = ["exec", "--secret", "APP_TOKEN=app/token", "--"]
        #expect(agent.run(secret + ["/bin/sh", "-c", "exit 3"]).status == 3)
        #expect(agent.run(secret + ["/bin/sh", "-c", "exit 0"]).status == 0)
        #expect(agent.run(secret + ["/bin/sh", "-c", "kill -TERM $$"]).status == 143)
        let notFound = agent.run(secret + ["no-such-command-4e1f"])
        #expect(notFound.status == 127)
        #expect(notFound.stderr.contains("no-such-command-4e1f"))
        let notFoundPath = agent.run(secret + [agent.home + "/missing-program"])
        #expect(notFoundPath.status == 127)
        let plain = agent.home + "/not-executable"
        try Data("#!/bin/sh\n".utf8).write(to: URL(fileURLWithPath: plain))
        chmod(plain, 0o644)
        #expect(agent.run(secret + [plain]).status == 126)
        agent.expectNeverPrinted(Self.token)
    }

    @Test func signalsSentToTheCLIReachTheChild() throws {
        let agent = try seeded([("app/token", Self.token)])
        let log = agent.home + "/signals", ready = agent.home + "/ready"
        let script = """
            import os, signal, sys
            log, ready = sys.argv[1], sys.argv[2]
            def handler(number, frame):
                fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                os.write(fd, signal.Signals(number).name.encode() + b'\\n')
                os.close(fd)
                if number == signal.SIGTERM:
                    os._exit(42)
            for s in (signal.SIGUSR1, signal.SIGUSR2, signal.SIGHUP, signal.SIGWINCH, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM):
                signal.signal(s, handler)
            signal.alarm(90)
            open(ready, 'w').close()
            while True:
                signal.pause()
            """
        let cli = try launch(agent, ["exec", "--secret", "APP_TOKEN=app/token", "--", Self.python, "-c", script, log, ready])
        defer { cli.terminate() }
        #expect(pollUntil { access(ready, F_OK) == 0 }, "the child started")
        var expected: [String] = []
        for (signal, name) in [(SIGUSR1, "SIGUSR1"), (SIGUSR2, "SIGUSR2"), (SIGHUP, "SIGHUP"), (SIGWINCH, "SIGWINCH"),
                               (SIGINT, "SIGINT"), (SIGQUIT, "SIGQUIT"), (SIGTERM, "SIGTERM")] {
            #expect(kill(cli.pid, signal) == 0, "the CLI is alive to receive \(name)")
            expected.append(name)
            let recorded = pollUntil { fileLines(log) == expected }
            #expect(recorded, "the child recorded \(name); log: \(fileLines(log))")
            guard recorded else { break }
        }
        #expect(cli.wait() == 42, "the CLI exits with the child's status after TERM")
    }

    /// Started under `nohup` (SIGHUP ignored), exec neither forwards HUP nor un-ignores it
    /// for the child, as a shell would not.
    @Test func aSignalIgnoredAtStartStaysIgnoredForTheChild() throws {
        let agent = try seeded([("app/token", Self.token)])
        let report = agent.home + "/hup", ready = agent.home + "/ready"
        let script = """
            import os, signal, sys, time
            ignored = signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
            open(sys.argv[2], 'w').close()
            time.sleep(1.0)
            with open(sys.argv[1], 'w') as f:
                f.write('ignored' if ignored else 'default')
            """
        let cli = try ExecBackground("/bin/sh", ["-c", "trap '' HUP; exec \"$0\" \"$@\"", TestAgent.binary,
                                                 "exec", "--secret", "APP_TOKEN=app/token", "--", Self.python, "-c", script, report, ready],
                                     environment: cliEnvironment(agent), directory: agent.home)
        defer { cli.terminate() }
        #expect(pollUntil { access(ready, F_OK) == 0 }, "the child started")
        #expect(kill(cli.pid, SIGHUP) == 0)
        #expect(cli.wait() == 0, "neither the CLI nor the child died of SIGHUP")
        #expect(fileBytes(report) == Array("ignored".utf8))
    }

    // MARK: - Missing and denied

    @Test func aMissingSecretStartsNothing() throws {
        let agent = try seeded([("app/token", Self.token)])
        let marker = agent.home + "/started"
        let result = agent.run(["exec", "--secret", "APP_TOKEN=app/token", "--secret", "OTHER=missing/name", "--",
                                "/bin/sh", "-c", "touch \"$1\"", "sh", marker])
        #expect(result.status == 3)
        #expect(result.stderr == "secrets-agent: missing/name not found in development\n")
        usleep(200_000)
        #expect(access(marker, F_OK) != 0, "the child ran")
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to run the CLI as another user"))
    func aDeniedSecretStartsNothing() throws {
        let agent = try TestAgent.withPolicy("""
            [[rule]]
            user = "sa-worker"
            role = "agent"
            environments = ["development"]
            secrets = ["allowed/*"]

            [[rule]]
            uid = 0
            role = "admin"
            """, users: ["sa-worker"])
        for (name, value) in [("allowed/token", "allowed-value-5a5a5a"), ("other/token", Self.token)] {
            #expect(agent.run(["add", name, "--stdin"], stdin: Array(value.utf8)).status == 0)
        }
        let markers = agent.home + "/markers"
        mkdir(markers, 0o777)
        chmod(markers, 0o777)
        // The control: within the grant the child runs as that user and leaves its marker.
        let allowed = agent.run(["exec", "--secret", "T=allowed/token", "--", "/bin/sh", "-c", "touch \"$1\"", "sh", markers + "/allowed"],
                                asUser: "sa-worker")
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(access(markers + "/allowed", F_OK) == 0)
        let denied = agent.run(["exec", "--secret", "T=other/token", "--", "/bin/sh", "-c", "touch \"$1\"", "sh", markers + "/denied"],
                               asUser: "sa-worker")
        #expect(denied.status == 4)
        #expect(denied.stderr.hasPrefix("secrets-agent: permission denied: "))
        #expect(denied.stderr.contains("other/token"))
        usleep(200_000)
        #expect(access(markers + "/denied", F_OK) != 0, "the child ran")
        agent.expectNeverPrinted(Self.token)
    }

    // MARK: - Files mode

    @Test func filesModeWrites0400FilesInA0700DirectoryAndRemovesThem() throws {
        let agent = try seeded([("app/token", Self.token), ("db/pass", Self.password)])
        let directory = agent.home + "/creds", copies = agent.home + "/copies", report = agent.home + "/report.json"
        mkdir(copies, 0o700)
        let script = """
            import json, os, stat, sys
            d = os.environ['CREDENTIALS_DIRECTORY']
            names = sorted(os.listdir(d))
            for n in names:
                open(os.path.join(sys.argv[1], n), 'wb').write(open(os.path.join(d, n), 'rb').read())
            json.dump({'directory': d, 'directoryMode': stat.S_IMODE(os.stat(d).st_mode), 'names': names,
                       'modes': [stat.S_IMODE(os.lstat(os.path.join(d, n)).st_mode) for n in names],
                       'variables': sorted(k for k in os.environ if k in ('APP_TOKEN', 'DB_PASS'))}, open(sys.argv[2], 'w'))
            """
        let result = try runExec(agent, ["exec", "--secret", "APP_TOKEN=app/token", "--secret", "DB_PASS=db/pass", "--files", directory, "--",
                                         Self.python, "-c", script, copies, report])
        #expect(result.status == 0, "\(scrub(result.stderr))")
        let json = try #require(fileBytes(report))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        #expect(object["directory"] as? String == directory, "CREDENTIALS_DIRECTORY names the directory")
        #expect(object["directoryMode"] as? Int == 0o700)
        #expect(object["names"] as? [String] == ["APP_TOKEN", "DB_PASS"], "one file per variable and nothing else")
        #expect(object["modes"] as? [Int] == [0o400, 0o400])
        #expect(object["variables"] as? [String] == [], "no variable holds a value in files mode")
        let tokenMatches = fileBytes(copies + "/APP_TOKEN") == Array(Self.token.utf8)
        let passwordMatches = fileBytes(copies + "/DB_PASS") == Array(Self.password.utf8)
        #expect(tokenMatches && passwordMatches, "the files hold the values byte for byte")
        #expect(access(directory, F_OK) != 0, "the directory is gone after a normal exit")
        agent.expectNeverPrinted(Self.token)
        agent.expectNeverPrinted(Self.password)
    }

    @Test func filesAreRemovedAfterTheChildCrashes() throws {
        let agent = try seeded([("app/token", Self.token)])
        let directory = agent.home + "/creds", marker = agent.home + "/saw-file"
        let result = try runExec(agent, ["exec", "--secret", "APP_TOKEN=app/token", "--files", directory, "--", "/bin/sh", "-c",
                                         "ulimit -c 0; test -f \"$CREDENTIALS_DIRECTORY/APP_TOKEN\" && touch \"$1\"; kill -SEGV $$", "sh", marker])
        #expect(result.status == 139)
        #expect(access(marker, F_OK) == 0, "the file existed while the child ran")
        #expect(access(directory, F_OK) != 0, "the directory is gone after a crash")
    }

    @Test func filesAreRemovedAfterSIGTERMToTheCLI() throws {
        let agent = try seeded([("app/token", Self.token)])
        let directory = agent.home + "/creds", ready = agent.home + "/ready"
        let cli = try launch(agent, ["exec", "--secret", "APP_TOKEN=app/token", "--files", directory, "--",
                                     Self.python, "-c", "import sys, time; open(sys.argv[1], 'w').close(); time.sleep(60)", ready])
        defer { cli.terminate() }
        #expect(pollUntil { access(ready, F_OK) == 0 }, "the child started")
        #expect(access(directory + "/APP_TOKEN", F_OK) == 0, "the file exists while the child runs")
        #expect(cli.stop() == 143, "TERM is forwarded and the child's death reported")
        #expect(access(directory, F_OK) != 0, "the directory is gone after SIGTERM")
    }

    @Test func filesModeRefusesAnExistingDirectory() throws {
        let agent = try seeded([("app/token", Self.token)])
        let directory = agent.home + "/creds", marker = agent.home + "/started"
        mkdir(directory, 0o755)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: directory + "/APP_TOKEN"))
        let result = agent.run(["exec", "--secret", "APP_TOKEN=app/token", "--files", directory, "--",
                                "/bin/sh", "-c", "touch \"$1\"", "sh", marker])
        #expect(result.status == 8)
        #expect(result.stderr.contains("already exists"))
        usleep(200_000)
        #expect(access(marker, F_OK) != 0, "the child ran")
        #expect(fileBytes(directory + "/APP_TOKEN") == Array("keep".utf8), "a directory it did not create is left alone")
    }

    @Test func filesModeWarnsOffTmpfsOnly() throws {
        let agent = try seeded([("app/token", Self.token)])
        let warning = "is not on tmpfs or ramfs"
        let command = ["/bin/sh", "-c", "test -f \"$CREDENTIALS_DIRECTORY/APP_TOKEN\""]
        if isMemoryFilesystem(agent.home) == false {
            let onDisk = agent.run(["exec", "--secret", "APP_TOKEN=app/token", "--files", agent.home + "/creds", "--"] + command)
            #expect(onDisk.status == 0)
            #expect(onDisk.stderr.contains("--files \(agent.home)/creds \(warning)"))
        }
        try #require(isMemoryFilesystem("/dev/shm") == true, "/dev/shm is tmpfs here")
        let inMemory = "/dev/shm/secrets-agent-exec-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { rmdir(inMemory) }
        let onTmpfs = agent.run(["exec", "--secret", "APP_TOKEN=app/token", "--files", inMemory, "--"] + command)
        #expect(onTmpfs.status == 0)
        #expect(!onTmpfs.stderr.contains(warning))
        #expect(access(inMemory, F_OK) != 0)
    }

    // MARK: - Rotation

    @Test func signalOnChangeLetsTheSameChildReadEachNewValue() throws {
        let agent = try seeded([("app/token", Self.token)])
        let directory = agent.home + "/creds", log = agent.home + "/reads"
        let script = """
            import os, signal, sys
            log, d = sys.argv[1], os.environ['CREDENTIALS_DIRECTORY']
            def record(*_):
                value = open(os.path.join(d, 'TOKEN'), 'rb').read()
                fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                os.write(fd, b'%d %s\\n' % (os.getpid(), value.hex().encode()))
                os.close(fd)
            signal.signal(signal.SIGUSR1, record)
            signal.alarm(90)
            record()
            while True:
                signal.pause()
            """
        let cli = try launch(agent, ["exec", "--secret", "TOKEN=app/token", "--files", directory, "--on-change", "signal:USR1", "--",
                                     Self.python, "-c", script, log])
        defer { cli.terminate() }
        #expect(pollUntil { fileLines(log).count == 1 }, "the child read the first value")
        let first = try #require(fileLines(log).first?.split(separator: " ").map(String.init))
        let readFirst = first.count == 2 && first[1] == hexString(Self.token)
        #expect(readFirst, "the child read the value the agent holds")
        let pid = first[0]

        let second = "tok-second-value-after-rotate"
        let rotated = agent.run(["rotate", "app/token", "--stdin"], stdin: Array(second.utf8))
        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(pollUntil(10) { fileLines(log).count == 2 }, "the child was signalled after the first rotation")
        let readSecond = fileLines(log).dropFirst().first == "\(pid) \(hexString(second))"
        #expect(readSecond, "the same process read the new value")

        #expect(agent.run(["rotate", "app/token", "--generate", "24"]).status == 0)
        let third = agent.run(["get", "app/token"]).stdout
        let generated = third.count == 48 && third != Array(second.utf8)
        #expect(generated, "get returns the generated value")
        #expect(pollUntil(10) { fileLines(log).count == 3 }, "the child was signalled after the second rotation")
        let readThird = fileLines(log).dropFirst(2).first == "\(pid) \(hexString(third))"
        #expect(readThird, "the same process read the generated value")
        #expect(cli.isRunning, "the CLI still runs its first child")
        #expect(cli.stop() == 143)
        #expect(access(directory, F_OK) != 0)
        let stderr = cli.stderr()
        let leaked = stderr.contains(Self.token) || stderr.contains(second)
        #expect(!leaked, "a value appeared on the CLI's stderr")
        agent.expectNeverPrinted(Self.token)
        agent.expectNeverPrinted(second)
    }

    @Test func restartOnChangeStartsANewChildWithTheNewValue() throws {
        let agent = try seeded([("app/token", Self.token)])
        let log = agent.home + "/starts"
        let script = """
            import os, signal, sys
            fd = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.write(fd, b'%d %s\\n' % (os.getpid(), os.environb[b'APP_TOKEN'].hex().encode()))
            os.close(fd)
            signal.alarm(90)
            while True:
                signal.pause()
            """
        let cli = try launch(agent, ["exec", "--secret", "APP_TOKEN=app/token", "--on-change", "restart", "--restart-timeout", "5", "--",
                                     Self.python, "-c", script, log])
        defer { cli.terminate() }
        #expect(pollUntil { fileLines(log).count == 1 }, "the first child started")
        let first = try #require(fileLines(log).first?.split(separator: " ").map(String.init))
        let readFirst = first.count == 2 && first[1] == hexString(Self.token)
        #expect(readFirst, "the first child has the first value")

        let second = "tok-restarted-with-this-value"
        #expect(agent.run(["rotate", "app/token", "--stdin"], stdin: Array(second.utf8)).status == 0)
        #expect(pollUntil(15) { fileLines(log).count == 2 }, "a second child started after the rotation")
        let next = try #require(fileLines(log).dropFirst().first?.split(separator: " ").map(String.init))
        #expect(next.count == 2 && next[0] != first[0], "a new process")
        let hasSecond = next.count == 2 && next[1] == hexString(second)
        #expect(hasSecond, "with the new value in its environment")
        if let old = Int32(first[0]) { #expect(kill(old, 0) != 0, "the first child is gone") }
        #expect(cli.isRunning)
        #expect(cli.stop() == 143)
        #expect(fileLines(log).count == 2, "TERM to the CLI stops the child without another restart")
        agent.expectNeverPrinted(second)
    }

    // MARK: - Terminal

    @Test func aTerminalGetsAPseudoTerminalAndStillRedacts() throws {
        let twoLines = "term-line-one-1a2b\nterm-line-two-3c4d"
        let agent = try seeded([("app/token", Self.token), ("app/ml", twoLines)])
        let exec = [TestAgent.binary, "exec", "--secret", "APP_TOKEN=app/token", "--secret", "ML=app/ml", "--", "/bin/sh", "-c",
                    "if test -t 1; then echo PTY-MARKER; fi; printf '%s\\n' \"$APP_TOKEN\"; printf 'ml<%s>\\n' \"$ML\""]
        var environment = cliEnvironment(agent)
        environment["SHELL"] = "/bin/sh"
        let result = try runProcess("/usr/bin/script", ["-qec", exec.map(shellQuoted).joined(separator: " "), "/dev/null"],
                                    environment: environment, directory: agent.home)
        #expect(result.status == 0)
        let output = result.stdout
        #expect(occurrences(of: Array("PTY-MARKER\r\n".utf8), in: output) == 1, "the child's stdout is a terminal")
        #expect(occurrences(of: Array("[REDACTED:app/token]\r\n".utf8), in: output) == 1)
        #expect(occurrences(of: Array("ml<[REDACTED:app/ml]>\r\n".utf8), in: output) == 1, "the two-line value is one marker")
        let valueShown = occurrences(of: Array(Self.token.utf8), in: output) > 0
        #expect(!valueShown, "the value got through the terminal")
        for line in twoLines.split(separator: "\n") {
            let lineShown = occurrences(of: Array(line.utf8), in: output) > 0
            #expect(!lineShown, "a line of the two-line value got through")
        }
    }

    // MARK: - Watch

    @Test func twoWatchersSeeEveryChangeInOrderWithoutValues() throws {
        let agent = try TestAgent()
        try agent.start()
        let watchers = try (0..<2).map { _ in try ExecLineReader(agent, ["watch", "--json"], environment: cliEnvironment(agent)) }
        defer { for watcher in watchers { watcher.process.forceStop() } }
        #expect(pollUntil(10) { watcherCount(agent) == 2 }, "both watchers are subscribed")
        let value = "watched-value-never-shown"
        #expect(agent.run(["add", "app/watched", "--stdin"], stdin: Array(value.utf8)).status == 0)
        #expect(agent.run(["rotate", "app/watched", "--stdin"], stdin: Array("watched-value-two".utf8)).status == 0)
        #expect(agent.run(["rm", "app/watched"]).status == 0)
        for (index, watcher) in watchers.enumerated() {
            #expect(pollUntil(10) { watcher.lines().count >= 3 }, "watcher \(index) printed three lines")
            let events = watcher.lines().compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(events.count == 3)
            #expect(events.map { $0["change"] as? String } == ["put", "rotate", "delete"], "watcher \(index)")
            #expect(events.map { $0["name"] as? String } == ["app/watched", "app/watched", "app/watched"])
            #expect(events.map { $0["environment"] as? String } == ["development", "development", "development"])
            #expect(events.map { $0["version"] as? Int } == [1, 2, 0], "watcher \(index): versions")
            #expect(events.allSatisfy { ($0["time"] as? String)?.hasSuffix("Z") == true })
            let printed = Array(watcher.output())
            let leaked = agent.contains(printed, Array(value.utf8)) || agent.contains(printed, Array("watched-value-two".utf8))
            #expect(!leaked, "watcher \(index) printed a value")
        }
        for watcher in watchers {
            #expect(watcher.isRunning, "watch keeps running after a delete")
            watcher.process.forceStop()
            #expect(!watcher.isRunning)
        }
    }
}

// MARK: - Running the CLI

private extension ExecTests {
    /// Seeds a fresh running agent with (name, value) pairs in development.
    func seeded(_ secrets: [(String, String)]) throws -> TestAgent {
        let agent = try TestAgent()
        try agent.start()
        for (name, value) in secrets {
            let added = agent.run(["add", name, "--stdin"], stdin: Array(value.utf8))
            try #require(added.status == 0, "add \(name): \(added.stderr)")
        }
        return agent
    }

    /// The environment TestAgent.run gives the CLI.
    func cliEnvironment(_ agent: TestAgent) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["SECRETS_AGENT_SOCK"] = agent.socket
        environment["SECRETS_AGENT_STORE"] = agent.store
        environment["SWIFT_BACKTRACE"] = "enable=no"
        environment.removeValue(forKey: "SECRETS_AGENT_ENV")
        return environment
    }

    /// Starts the CLI in the background, its output in files under the agent's home.
    func launch(_ agent: TestAgent, _ arguments: [String], environment: [String: String]? = nil) throws -> ExecBackground {
        try ExecBackground(TestAgent.binary, arguments, environment: environment ?? cliEnvironment(agent), directory: agent.home)
    }

    /// Runs the CLI to the end (killing it after `timeout` seconds) with output in files.
    func runExec(_ agent: TestAgent, _ arguments: [String], environment: [String: String]? = nil,
                 timeout: Double = 30) throws -> (status: Int32?, stdout: [UInt8], stderr: String) {
        let cli = try launch(agent, arguments, environment: environment)
        defer { cli.terminate() }
        let status = cli.wait(timeout)
        return (status, cli.stdout(), cli.stderr())
    }

    /// Runs any program with a pipe for its output and /dev/null as input.
    func runProcess(_ program: String, _ arguments: [String], environment: [String: String],
                    directory: String, timeout: Double = 30) throws -> (status: Int32?, stdout: [UInt8]) {
        let process = try ExecBackground(program, arguments, environment: environment, directory: directory)
        defer { process.terminate() }
        let status = process.wait(timeout)
        return (status, process.stdout())
    }

    func watcherCount(_ agent: TestAgent) -> Int? {
        let status = agent.run(["status", "--json"])
        let object = try? JSONSerialization.jsonObject(with: Data(status.stdout)) as? [String: Any]
        return object?["watchers"] as? Int
    }
}

/// A process running in the background with stdout and stderr in files.
private final class ExecBackground {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    init(_ program: String, _ arguments: [String], environment: [String: String], directory: String) throws {
        let tag = "\(UInt64.random(in: 0...UInt64.max))"
        stdoutPath = directory + "/out-" + tag
        stderrPath = directory + "/err-" + tag
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Waits up to `seconds` for the exit; the status (128 + N when killed by signal N), or
    /// nil on timeout.
    func wait(_ seconds: Double = 30) -> Int32? {
        guard pollUntil(seconds, { !process.isRunning }) else { return nil }
        return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    }

    /// Sends SIGTERM and waits for the exit status.
    func stop() -> Int32? {
        if process.isRunning { kill(pid, SIGTERM) }
        return wait(15)
    }

    /// Makes sure it is gone: TERM (forwarded to a child), then KILL.
    func terminate() {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        if wait(5) == nil { forceStop() }
    }

    /// SIGKILL and wait. For a program that does not wait for signals itself: Foundation's
    /// Process hands on the blocked-signal mask of the test runner's thread (TERM included),
    /// so TERM alone would stay pending. `exec` is unaffected: it blocks and waits for the
    /// signals it forwards, and gives its child an empty mask.
    func forceStop() {
        guard process.isRunning else { return }
        kill(pid, SIGKILL)
        _ = wait(5)
    }

    func stdout() -> [UInt8] { fileBytes(stdoutPath) ?? [] }
    func stderr() -> String { String(decoding: fileBytes(stderrPath) ?? [], as: UTF8.self) }
}

/// A CLI whose stdout is read as it comes, line by line.
private final class ExecLineReader {
    let process: ExecBackground
    init(_ agent: TestAgent, _ arguments: [String], environment: [String: String]) throws {
        process = try ExecBackground(TestAgent.binary, arguments, environment: environment, directory: agent.home)
    }

    var isRunning: Bool { process.isRunning }
    func output() -> [UInt8] { process.stdout() }
    /// The complete lines printed so far.
    func lines() -> [String] {
        let text = String(decoding: output(), as: UTF8.self)
        guard let end = text.lastIndex(of: "\n") else { return [] }
        return text[..<end].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

// MARK: - Small helpers

/// Polls `condition` every 20 ms for up to `seconds`.
private func pollUntil(_ seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

private func fileBytes(_ path: String) -> [UInt8]? {
    (try? Data(contentsOf: URL(fileURLWithPath: path))).map(Array.init)
}

private func fileLines(_ path: String) -> [String] {
    let text = String(decoding: fileBytes(path) ?? [], as: UTF8.self)
    return text.split(separator: "\n").map(String.init)
}

private func hexString(_ text: String) -> String { hexString(Array(text.utf8)) }
private func hexString(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

private func variableName(_ entry: [UInt8]) -> String {
    String(decoding: entry.prefix { $0 != UInt8(ascii: "=") }, as: UTF8.self)
}

/// `text` with the suite's fixed values replaced, for failure messages.
private func scrub(_ text: String, _ more: [String] = []) -> String {
    var result = text
    for value in [ExecTests.token, ExecTests.password] + more { result = result.replacingOccurrences(of: value, with: "<value>") }
    return result
}

private func shellQuoted(_ word: String) -> String {
    "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// Whether `path` is on tmpfs or ramfs, as `stat -f` reports it (nil when it cannot be told).
private func isMemoryFilesystem(_ path: String) -> Bool? {
    let stat = Process(), output = Pipe()
    stat.executableURL = URL(fileURLWithPath: "/usr/bin/stat")
    stat.arguments = ["-f", "-c", "%T", path]
    stat.standardOutput = output
    guard (try? stat.run()) != nil else { return nil }
    let type = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    stat.waitUntilExit()
    guard stat.terminationStatus == 0 else { return nil }
    return ["tmpfs", "ramfs"].contains(type.trimmingCharacters(in: .whitespacesAndNewlines))
}

/// Non-overlapping occurrences of `needle`, left to right.
private func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> Int {
    replacing(needle, with: needle, in: haystack).count
}

/// `haystack` with each non-overlapping occurrence of `needle` (left to right) replaced.
private func replacing(_ needle: [UInt8], with replacement: [UInt8], in haystack: [UInt8]) -> (result: [UInt8], count: Int) {
    guard !needle.isEmpty, haystack.count >= needle.count else { return (haystack, 0) }
    var result: [UInt8] = []
    result.reserveCapacity(haystack.count)
    var count = 0
    haystack.withUnsafeBufferPointer { hay in
        needle.withUnsafeBufferPointer { pattern in
            let base = hay.baseAddress!, first = Int32(pattern[0])
            var copied = 0, at = 0
            while at <= hay.count - pattern.count {
                guard let found = memchr(base + at, first, hay.count - pattern.count + 1 - at) else { break }
                let index = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
                if memcmp(base + index, pattern.baseAddress!, pattern.count) == 0 {
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: hay[copied..<index]))
                    result.append(contentsOf: replacement)
                    count += 1
                    at = index + pattern.count
                    copied = at
                } else {
                    at = index + 1
                }
            }
            result.append(contentsOf: UnsafeBufferPointer(rebasing: hay[copied...]))
        }
    }
    return (result, count)
}
