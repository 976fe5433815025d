import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `secrets-agent inject` through the real binary (DESIGN §8, §12): rendering to stdout and
/// to a 0600 file, env= and --env, and that nothing is written when a reference is missing,
/// denied or locked, or the template is wrong.
@Suite(.serialized) struct InjectTests {
    static let dbPassword = "dev-db-value-7f3a9c1e"
    static let prodKey = "sk-prod-value-51c2d8aa"
    static let devKey = "sk-dev-value-88e0b4f1"
    static let stagingKey = "sk-staging-value-0d3e9b"
    static let values = [dbPassword, prodKey, devKey, stagingKey]

    static let template = """
        # app.env
        DATABASE_URL=postgres://app:{{ secret "db/password" }}@db:5432/app
        OPENAI_API_KEY={{ secret "openai/key" env="production" }}
        DEV_KEY={{secret "openai/key"}} again: {{ secret "openai/key" }} {not a tag} }}

        """

    static let rendered = """
        # app.env
        DATABASE_URL=postgres://app:\(dbPassword)@db:5432/app
        OPENAI_API_KEY=\(prodKey)
        DEV_KEY=\(devKey) again: \(devKey) {not a tag} }}

        """

    /// A running agent holding the four values.
    func seededAgent() throws -> TestAgent {
        let agent = try TestAgent()
        try agent.start()
        for (name, environment, value) in [("db/password", "development", Self.dbPassword), ("openai/key", "production", Self.prodKey),
                                           ("openai/key", "development", Self.devKey), ("openai/key", "staging", Self.stagingKey)] {
            let added = agent.run(["add", name, "--env", environment, "--stdin"], stdin: Array(value.utf8))
            #expect(added.status == 0, "\(added.stderr)")
        }
        return agent
    }

    /// No value appears in what the CLI wrote to stderr.
    func expectNoValue(_ result: TestAgent.Result, sourceLocation: SourceLocation = #_sourceLocation) {
        for value in Self.values {
            #expect(!result.stderr.contains(value), "a value appeared on stderr", sourceLocation: sourceLocation)
        }
    }

    func write(_ text: String, to path: String, mode: mode_t = 0o644) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, mode)
    }

    func read(_ path: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: path))).map { String(decoding: $0, as: UTF8.self) }
    }

    func mode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    // MARK: - Rendering

    @Test func rendersStdinToStdout() throws {
        let agent = try seededAgent()
        let result = agent.run(["inject"], stdin: Array(Self.template.utf8))
        #expect(result.status == 0)
        #expect(result.out == Self.rendered)
        #expect(result.stderr == "")
        let log = agent.log()
        for value in Self.values { #expect(!log.contains(value), "a value appeared in the agent log") }
    }

    @Test func rendersAFileToA0600File() throws {
        let agent = try seededAgent()
        let input = agent.home + "/app.env.tmpl", output = agent.home + "/app.env"
        try write(Self.template, to: input)
        let result = agent.run(["inject", "--in", input, "--out", output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty && result.stderr.isEmpty)
        #expect(read(output) == Self.rendered)
        #expect(mode(output) == 0o600)

        // An existing file, even a 0644 one, is replaced atomically and ends up 0600.
        try write("old contents\n", to: output, mode: 0o644)
        try write("KEY={{ secret \"openai/key\" env=\"staging\" }}\n", to: input)
        let again = agent.run(["inject", "--in", input, "--out", output])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(read(output) == "KEY=\(Self.stagingKey)\n")
        #expect(mode(output) == 0o600)
        // No temporary file is left beside it.
        let entries = try FileManager.default.contentsOfDirectory(atPath: agent.home).filter { $0.hasPrefix(".app.env") }
        #expect(entries == [])
        expectNoValue(result)
        expectNoValue(again)
    }

    @Test func theEnvironmentComesFromTheTagThenEnvThenTheDefault() throws {
        let agent = try seededAgent()
        let text = Array(#"{{ secret "openai/key" }} {{ secret "openai/key" env="development" }}"#.utf8)
        #expect(agent.run(["inject"], stdin: text).out == "\(Self.devKey) \(Self.devKey)")
        #expect(agent.run(["inject", "--env", "production"], stdin: text).out == "\(Self.prodKey) \(Self.devKey)")
        #expect(agent.run(["inject"], stdin: text, environment: ["SECRETS_AGENT_ENV": "staging"]).out == "\(Self.stagingKey) \(Self.devKey)")
        let bad = agent.run(["inject", "--env", "Prod"], stdin: text)
        #expect(bad.status == 64)
        #expect(bad.stderr == "secrets-agent: invalid environment 'Prod' (environments are 1-32 characters of a-z 0-9 -, starting with a letter)\n")
    }

    @Test func binaryValuesAreWrittenExactly() throws {
        let agent = try seededAgent()
        let binary: [UInt8] = [0x00, 0xFF, 0x0A, 0x7B, 0x7B, 0x7D, 0x7D, 0x80, 0x00]
        #expect(agent.run(["add", "bin/blob", "--stdin"], stdin: binary).status == 0)
        let result = agent.run(["inject"], stdin: Array("<{{ secret \"bin/blob\" }}>".utf8))
        #expect(result.status == 0)
        #expect(result.stdout == [0x3C] + binary + [0x3E])
    }

    @Test func aTemplateWithoutTagsNeedsNoAgent() throws {
        let agent = try TestAgent()  // not started
        let text = "plain { text } with }} and {\n"
        let result = agent.run(["inject"], stdin: Array(text.utf8))
        #expect(result.status == 0)
        #expect(result.out == text)
        let tagged = agent.run(["inject"], stdin: Array(#"{{ secret "a" }}"#.utf8))
        #expect(tagged.status == 6)
        #expect(tagged.stdout.isEmpty)
        #expect(tagged.stderr.hasPrefix("secrets-agent: cannot connect to \(agent.socket): "))
    }

    // MARK: - Nothing written on failure

    @Test func anUnknownReferenceExits3AndWritesNothing() throws {
        let agent = try seededAgent()
        let input = agent.home + "/t.tmpl", output = agent.home + "/out.env"
        try write("A={{ secret \"db/password\" }}\nB={{ secret \"db/missing\" }}\n", to: input)
        let toStdout = agent.run(["inject", "--in", input])
        #expect(toStdout.status == 3)
        #expect(toStdout.stdout.isEmpty)
        #expect(toStdout.stderr == "secrets-agent: cannot render \(input): db/missing not found in development\n")

        let toFile = agent.run(["inject", "--in", input, "--out", output])
        #expect(toFile.status == 3)
        #expect(access(output, F_OK) != 0, "the out file must not be created")
        #expect(try FileManager.default.contentsOfDirectory(atPath: agent.home).filter { $0.hasPrefix(".out.env") } == [])

        // An existing out file is left as it was.
        try write("previous\n", to: output)
        #expect(agent.run(["inject", "--in", input, "--out", output]).status == 3)
        #expect(read(output) == "previous\n")

        let otherEnvironment = agent.run(["inject"], stdin: Array(#"{{ secret "db/password" env="production" }}"#.utf8))
        #expect(otherEnvironment.status == 3)
        #expect(otherEnvironment.stderr == "secrets-agent: cannot render standard input: db/password not found in production\n")
        for result in [toStdout, toFile, otherEnvironment] { expectNoValue(result) }
    }

    @Test func aLockedAgentExits5AndWritesNothing() throws {
        let agent = try seededAgent()
        #expect(agent.run(["lock"]).status == 0)
        let output = agent.home + "/out.env"
        let result = agent.run(["inject", "--out", output], stdin: Array(Self.template.utf8))
        #expect(result.status == 5)
        #expect(result.stderr == "secrets-agent: cannot render standard input: agent is locked (run: secrets-agent unlock)\n")
        #expect(access(output, F_OK) != 0)
        let toStdout = agent.run(["inject"], stdin: Array(Self.template.utf8))
        #expect(toStdout.status == 5)
        #expect(toStdout.stdout.isEmpty)
    }

    @Test func aSyntaxErrorExits64WithLineAndColumn() throws {
        let agent = try seededAgent()
        let input = agent.home + "/bad.tmpl", output = agent.home + "/out.env"
        try write("A={{ secret \"db/password\" }}\nB=\t{{ .Values.key }}\n", to: input)
        let result = agent.run(["inject", "--in", input, "--out", output])
        #expect(result.status == 64)
        #expect(result.stderr == #"secrets-agent: cannot render \#(input): template line 2, column 7: expected "secret" after "{{" (only {{ secret "NAME" }} and {{ secret "NAME" env="E" }} are supported)"# + "\n")
        #expect(access(output, F_OK) != 0)

        let unterminated = agent.run(["inject"], stdin: Array("x\n{{ secret \"db/password\" env=\"production\"".utf8))
        #expect(unterminated.status == 64)
        #expect(unterminated.stdout.isEmpty)
        #expect(unterminated.stderr == #"secrets-agent: cannot render standard input: template line 2, column 1: unterminated tag: no "}}" before the end of the template"# + "\n")
        let name = agent.run(["inject"], stdin: Array(#"{{ secret "../etc" }}"#.utf8))
        #expect(name.status == 64)
        #expect(name.stderr == "secrets-agent: cannot render standard input: template line 1, column 11: invalid secret name '../etc': must start with a letter, digit or _ (names are 1-255 characters of A-Z a-z 0-9 _ . / -, start with a letter, digit or _, and have no '..' segment)\n")
    }

    @Test func theOutPathMustBeARegularFile() throws {
        let agent = try seededAgent()
        let target = agent.home + "/target", link = agent.home + "/link", directory = agent.home + "/dir"
        try write("target\n", to: target)
        symlink(target, link)
        mkdir(directory, 0o700)
        let text = Array(Self.template.utf8)

        let viaLink = agent.run(["inject", "--out", link], stdin: text)
        #expect(viaLink.status == 64)
        #expect(viaLink.stderr == "secrets-agent: refusing to write \(link): it is a symbolic link (give the path of the file itself)\n")
        #expect(read(target) == "target\n")

        let intoDirectory = agent.run(["inject", "--out", directory], stdin: text)
        #expect(intoDirectory.status == 64)
        #expect(intoDirectory.stderr == "secrets-agent: refusing to write \(directory): it is a directory (give a file name, e.g. \(directory)/app.env)\n")

        let missing = agent.run(["inject", "--out", agent.home + "/nowhere/app.env"], stdin: text)
        #expect(missing.status == 64)
        #expect(missing.stderr == "secrets-agent: cannot write \(agent.home)/nowhere/app.env: no directory \(agent.home)/nowhere (create it first)\n")
        for result in [viaLink, intoDirectory, missing] {
            #expect(result.stdout.isEmpty)
            expectNoValue(result)
        }
    }

    @Test func inputOver1MiBIsRefused() throws {
        let agent = try seededAgent()
        let result = agent.run(["inject"], stdin: [UInt8](repeating: 0x61, count: (1 << 20) + 1))
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "secrets-agent: cannot render standard input: the template is over the 1 MiB limit (split it into smaller templates)\n")
        let exactly = agent.run(["inject"], stdin: [UInt8](repeating: 0x61, count: 1 << 20))
        #expect(exactly.status == 0)
        #expect(exactly.stdout.count == 1 << 20)
        let missing = agent.run(["inject", "--in", agent.home + "/none.tmpl"])
        #expect(missing.status == 64)
        #expect(missing.stderr == "secrets-agent: cannot read \(agent.home)/none.tmpl: no such file or directory (check the path)\n")
    }

    @Test func helpInFull() throws {
        let agent = try TestAgent()
        let help = agent.run(["inject", "--help"])
        #expect(help.status == 0)
        #expect(help.out == """
            OVERVIEW: Render a template, replacing each {{ secret "NAME" }} with the
            secret's value.

            A tag is {{ secret "NAME" }} or {{ secret "NAME" env="E" }}, on one line; a tag
            without env= uses --env. All other text is copied exactly. There is no other
            template syntax: any other {{ is an error (exit 64, with its line and column).

            Every secret is fetched before anything is written: when one is missing (exit
            3), denied (exit 4) or the agent is locked (exit 5), nothing is printed and no
            file is created. --out FILE is written to a new file (mode 0600) in FILE's
            directory, then renamed over FILE; FILE may not be a symbolic link or a
            directory.

            Example:
              $ cat app.env.tmpl
              DATABASE_URL=postgres://app:{{ secret "db/password" }}@db/app
              OPENAI_API_KEY={{ secret "openai/key" env="production" }}
              $ secrets-agent inject --env staging --in app.env.tmpl --out app.env

            USAGE: secrets-agent inject [--env <env>] [--in <template>] [--out <file>] [--socket <path>]

            OPTIONS:
              --env <env>             The environment (default: $SECRETS_AGENT_ENV, else
                                      development).
              --in <template>         Read the template from this file (default: standard
                                      input; at most 1 MiB).
              --out <file>            Write the result to this file, mode 0600, replacing
                                      it atomically (default: standard output).
              --socket <path>         The agent's socket.
              --version               Show the version.
              -h, --help              Show help information.


            """)
        #expect(agent.run(["--help"]).out.contains("  inject "), "the root help lists inject")
    }

    // MARK: - Policy

    @Test(.enabled(if: geteuid() == 0, "needs root to create throwaway users"))
    func aDeniedReferenceExits4AndWritesNothing() throws {
        let matrix = PolicyMatrixTests()
        let agent = try matrix.agentWithPolicy()
        matrix.seed(agent)
        let worker = TestUsers.ids(of: "sa-worker").uid
        let allowed = agent.run(["inject", "--env", "production"], stdin: Array(#"k={{ secret "openai/key" }}"#.utf8), asUser: "sa-worker")
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.out == "k=prod-openai-value-111")

        let outDirectory = agent.home + "/shared"
        mkdir(outDirectory, 0o777)
        chmod(outDirectory, 0o777)
        let output = outDirectory + "/app.env"
        let text = Array(#"k={{ secret "openai/key" }} t={{ secret "other/token" }}"#.utf8)
        let denied = agent.run(["inject", "--env", "production", "--out", output], stdin: text, asUser: "sa-worker")
        #expect(denied.status == 4)
        #expect(denied.stdout.isEmpty)
        #expect(denied.stderr == "secrets-agent: cannot render standard input: permission denied: uid \(worker) (sa-worker) is agent for production; openai/*, db/** (rule at line 10 of \(agent.home)/policy.toml); other/token in production is outside that grant\n")
        #expect(access(output, F_OK) != 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outDirectory) == [])

        let otherEnvironment = agent.run(["inject"], stdin: Array(#"{{ secret "openai/key" env="staging" }}"#.utf8), asUser: "sa-worker")
        #expect(otherEnvironment.status == 4)
        #expect(otherEnvironment.stdout.isEmpty)
        #expect(otherEnvironment.stderr.hasPrefix("secrets-agent: cannot render standard input: "))
        for result in [allowed, denied, otherEnvironment] {
            for value in ["prod-openai-value-111", "prod-other-value-3333", "staging-openai-value-4"] {
                #expect(!result.stderr.contains(value))
            }
        }
    }
}
