import Foundation
import SecretsClient
import SecretsCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `import`, `export` and `restore` against the real binary: exact values, all-or-nothing,
/// the prefix mapping, an encrypted round trip into a fresh store, and no value in any output.
@Suite(.serialized) struct ImportExportTests {
    static let tricky = """
        # a comment, then a blank line

        export GITHUB_TOKEN=ghp_0123456789abcdefTOKEN # inline comment
        DB_PASSWORD="p@ss # not a comment \\"quoted\\" \\\\ back"
        SINGLE='no \\n escape, # kept'
        HASHED=abc#def
        PEM="-----BEGIN KEY-----
        MIIBOgIBAAJBAKj34GkxFhD9
        -----END KEY-----"
        TABBED="a\\tb\\nc"
        """ + "\r\nCRLF_VALUE=crlf-value-42\r\n"

    static let expected: [String: String] = [
        "GITHUB_TOKEN": "ghp_0123456789abcdefTOKEN",
        "DB_PASSWORD": "p@ss # not a comment \"quoted\" \\ back",
        "SINGLE": "no \\n escape, # kept",
        "HASHED": "abc#def",
        "PEM": "-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\n-----END KEY-----",
        "TABBED": "a\tb\nc",
        "CRLF_VALUE": "crlf-value-42",
    ]

    func write(_ agent: TestAgent, _ name: String, _ contents: [UInt8], mode: mode_t = 0o600) -> String {
        let path = agent.home + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(contents))
        chmod(path, mode)
        return path
    }

    func listing(_ agent: TestAgent) -> String {
        agent.run(["list", "--all-environments", "--json"]).out
    }

    @Test func trickyDotenvImportsExactly() throws {
        let agent = try TestAgent()
        try agent.start()
        let file = write(agent, "tricky.env", Array(Self.tricky.utf8))
        let result = agent.run(["import", file, "--env", "staging", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
        let created = (report?["created"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(Set(created) == Set(Self.expected.keys))
        #expect((report?["updated"] as? [Any])?.isEmpty == true)
        for (name, value) in Self.expected {
            let got = agent.run(["get", name, "--env", "staging"])
            #expect(got.status == 0)
            #expect(got.out == value, "\(name)")
        }
        for value in Self.expected.values { agent.expectNeverPrinted(value) }
    }

    @Test func jsonImportWithNestedObjects() throws {
        let agent = try TestAgent()
        try agent.start()
        let file = write(agent, "secrets.json", Array(#"{"db": {"password": "json-pass-\u00e9-1"}, "openai/key": "sk-json-2"}"#.utf8))
        let result = agent.run(["import", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.out.contains("created db/password in development (version 1)"))
        #expect(agent.run(["get", "db/password"]).out == "json-pass-é-1")
        #expect(agent.run(["get", "openai/key"]).out == "sk-json-2")
        let bad = write(agent, "bad.json", Array(#"{"a": "x", "port": 5432}"#.utf8))
        let refused = agent.run(["import", bad])
        #expect(refused.status == 64)
        #expect(refused.stderr == "secrets-agent: cannot import \(bad): line 1: 'port' is a number, not a string (quote the value; only strings and objects are imported)\n")
        agent.expectNeverPrinted("json-pass")
        agent.expectNeverPrinted("sk-json-2")
    }

    @Test func failingImportsChangeNothing() throws {
        let agent = try TestAgent()
        try agent.start()
        let first = write(agent, "first.env", Array("KEEP=original-value-1\nOTHER=other-value-2\n".utf8))
        #expect(agent.run(["import", first]).status == 0)
        let before = listing(agent)

        // An existing secret without --overwrite, after new ones: exit 8, nothing written.
        let clash = write(agent, "clash.env", Array("NEW_A=new-value-a\nKEEP=replacement-value\nNEW_B=new-value-b\n".utf8))
        let exists = agent.run(["import", clash])
        #expect(exists.status == 8)
        #expect(exists.stderr == "secrets-agent: cannot import \(clash): KEEP already exists in development (use --overwrite to update it, or --skip-existing)\n")
        #expect(listing(agent) == before)

        // A bad line in the middle: exit 64, line named, nothing written.
        let broken = write(agent, "broken.env", Array("NEW_A=a1\nthis-line-is-secret-ish\nNEW_B=b1\n".utf8))
        let bad = agent.run(["import", broken])
        #expect(bad.status == 64)
        #expect(bad.stderr == "secrets-agent: cannot import \(broken): line 2: expected KEY=VALUE (a line holds KEY=VALUE, a # comment or nothing)\n")
        #expect(listing(agent) == before)

        // An invalid name in the middle, an empty value, a duplicate key, an unclosed quote.
        for (text, message) in [
            ("NEW_A=a\nbad..name/../x=v\nNEW_B=b\n", "line 2: invalid secret name 'bad..name/../x'"),
            ("NEW_A=a\nEMPTY=\n", "line 2: EMPTY: value is empty"),
            ("NEW_A=a\nNEW_B=b\nNEW_A=c\n", "line 3: 'NEW_A' is already set at line 1 (keep one of them)"),
            ("NEW_A=a\nNEW_B=\"open\nNEW_C=c\n", "line 2: the value of 'NEW_B' opens a quote that is never closed"),
        ] {
            let path = write(agent, "case.env", Array(text.utf8))
            let result = agent.run(["import", path])
            #expect(result.status == 64, "\(text)")
            #expect(result.stderr.hasPrefix("secrets-agent: cannot import \(path): \(message)"), "\(result.stderr)")
            #expect(listing(agent) == before)
        }

        // --dry-run reports and writes nothing; --skip-existing and --overwrite then apply.
        let dry = agent.run(["import", clash, "--overwrite", "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.out.contains("would update KEEP in development"))
        #expect(listing(agent) == before)
        let skipped = agent.run(["import", clash, "--skip-existing"])
        #expect(skipped.out.contains("skipped KEEP in development (it exists)"))
        #expect(agent.run(["get", "KEEP"]).out == "original-value-1")
        let overwritten = agent.run(["import", clash, "--overwrite"])
        #expect(overwritten.out.contains("updated KEEP in development (version 2)"))
        #expect(agent.run(["get", "KEEP"]).out == "replacement-value")
        for value in ["original-value-1", "other-value-2", "replacement-value", "new-value-a", "new-value-b"] {
            agent.expectNeverPrinted(value)
        }
    }

    @Test func fromEnvPrefixMapsNames() throws {
        let agent = try TestAgent()
        try agent.start()
        let file = write(agent, "prefixed.env", Array("APP_GITHUB_TOKEN=prefix-token-1\nAPP_DB_PASSWORD=prefix-db-2\nOTHER_KEY=ignored-3\n".utf8))
        let result = agent.run(["import", file, "--from-env-prefix", "APP", "--env", "production"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(agent.run(["get", "github/token", "--env", "production"]).out == "prefix-token-1")
        #expect(agent.run(["get", "db/password", "--env", "production"]).out == "prefix-db-2")
        #expect(agent.run(["get", "OTHER_KEY", "--env", "production"]).status == 3)

        // Without FILE: this command's own environment.
        let fromEnv = agent.run(["import", "--from-env-prefix", "SVC_"],
                                environment: ["SVC_API_KEY": "env-api-key-4", "SVC_NESTED_DEEP_NAME": "env-nested-5"])
        #expect(fromEnv.status == 0, "\(fromEnv.stderr)")
        #expect(agent.run(["get", "api/key"]).out == "env-api-key-4")
        #expect(agent.run(["get", "nested/deep/name"]).out == "env-nested-5")
        let none = agent.run(["import", file, "--from-env-prefix", "NOPE"])
        #expect(none.status == 64)
        #expect(none.stderr == "secrets-agent: cannot import \(file): no key starts with NOPE_ (check the prefix)\n")
        for value in ["prefix-token-1", "prefix-db-2", "env-nested-5"] { agent.expectNeverPrinted(value) }
    }

    /// 1,000 secrets (binary values too) across three environments, exported encrypted,
    /// restored into a fresh store, every value compared.
    @Test func encryptedRoundTripIntoAFreshStore() throws {
        let agent = try TestAgent()
        try agent.start()
        var random = SystemRandomNumberGenerator()
        var expected: [String: [UInt8]] = [:]
        let environments = ["development", "staging", "production"]
        for (index, environment) in environments.enumerated() {
            var file: [UInt8] = []
            for i in 0..<(index == 0 ? 334 : 333) {
                let name = "svc\(i % 9)/key-\(i)"
                var value = Array("v-\(environment)-\(i)-".utf8)
                value += (0..<Int.random(in: 1...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                expected["\(environment)|\(name)"] = value
                value.withUnsafeBytes { raw in DotenvWriter.write(key: name, value: raw) { file += $0 } }
            }
            let path = write(agent, "\(environment).env", file)
            let result = agent.run(["import", path, "--env", environment])
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(expected.count == 1000)
        let passphrase = write(agent, "pass", Array("a long backup passphrase\n".utf8))
        let backup = agent.home + "/backup.sab"
        let exported = agent.run(["export", "--all-environments", "--encrypted-to", backup, "--passphrase-file", passphrase, "--kdf-minimum"])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.out == "exported 1000 secrets to \(backup) (encrypted)\n")
        var info = stat()
        #expect(stat(backup, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let again = agent.run(["export", "--all-environments", "--encrypted-to", backup, "--passphrase-file", passphrase, "--kdf-minimum"])
        #expect(again.status == 8)

        let fresh = try TestAgent()
        try fresh.start()
        let wrong = write(fresh, "wrong", Array("not the passphrase\n".utf8))
        let refused = fresh.run(["restore", backup, "--passphrase-file", wrong])
        #expect(refused.status == 7)
        #expect(refused.stderr == "secrets-agent: cannot open backup \(backup): wrong passphrase or damaged file (check the passphrase or passphrase file)\n")
        #expect(fresh.run(["list", "--all-environments", "--json"]).out.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]")

        let restored = fresh.run(["restore", backup, "--passphrase-file", passphrase, "--json"])
        #expect(restored.status == 0, "\(restored.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(restored.stdout)) as? [String: Any]
        #expect((report?["created"] as? [Any])?.count == 1000)

        let client = try AgentClient(socketPath: fresh.socket)
        let keys = expected.keys.sorted()
        var compared = 0
        for start in stride(from: 0, to: keys.count, by: 100) {
            let chunk = keys[start..<min(start + 100, keys.count)]
            let items = chunk.map { key -> AgentClient.BatchItem in
                let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
                return AgentClient.BatchItem(name: parts[1], environment: parts[0])
            }
            for (key, got) in zip(chunk, try client.batchGet(items)) {
                #expect(got.value.withUnsafeBytes { Array($0) } == expected[key], "\(key)")
                compared += 1
            }
        }
        #expect(compared == 1000)

        // Only one environment, and everything exists now: --skip-existing skips all 333.
        let partial = fresh.run(["restore", backup, "--passphrase-file", passphrase, "--env", "staging", "--skip-existing"])
        #expect(partial.status == 0)
        #expect(partial.out.hasSuffix("restore: 0 created, 0 updated, 333 skipped\n"))
        let clash = fresh.run(["restore", backup, "--passphrase-file", passphrase])
        #expect(clash.status == 8)
        for (key, value) in expected.prefix(50) where key.hasPrefix("staging") {
            let text = String(decoding: value, as: UTF8.self)
            agent.expectNeverPrinted(String(text.prefix(30)))
            fresh.expectNeverPrinted(String(text.prefix(30)))
        }
    }

    /// A secret the agent generated keeps its generator through export and restore: the
    /// restored agent lists it as auto-rotating with the same interval, size and format, and
    /// `rotate NAME` without a value redraws it there. A supplied value stays without one.
    @Test func generatedSecretKeepsItsGeneratorThroughRestore() throws {
        let agent = try TestAgent()
        try agent.start()
        #expect(agent.run(["add", "gen/token", "--generate", "32", "--format", "base64", "--rotate-every", "30d"]).status == 0)
        #expect(agent.run(["add", "gen/hex", "--generate", "16"]).status == 0)
        #expect(agent.run(["add", "human/key", "--stdin", "--rotate-every", "30d"], stdin: Array("human-chosen-value-7".utf8)).status == 0)
        func value(_ of: TestAgent, _ name: String) throws -> String {
            let got = try AgentClient(socketPath: of.socket).get(name: name, environment: "development")
            return String(decoding: got.value.withUnsafeBytes { Array($0) }, as: UTF8.self)
        }
        func listed(_ of: TestAgent) throws -> [String: [String: Any]] {
            let result = of.run(["list", "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let array = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [[String: Any]] ?? []
            return Dictionary(uniqueKeysWithValues: array.map { ($0["name"] as? String ?? "", $0) })
        }
        let original = try value(agent, "gen/token")
        let originalHex = try value(agent, "gen/hex")
        #expect(original.utf8.count == 44 && Data(base64Encoded: original)?.count == 32)
        let before = try listed(agent)
        #expect(before["gen/token"]?["rotate_every"] as? String == "30d")
        #expect(before["gen/token"]?["auto_rotates"] as? Bool == true)
        func generator(_ entry: [String: Any]?) -> String? {
            (entry?["generator"] as? [String: Any]).map { "\($0["bytes"] as? Int ?? 0):\($0["format"] as? String ?? "")" }
        }
        #expect(generator(before["gen/token"]) == "32:base64")
        #expect(generator(before["gen/hex"]) == "16:hex")
        #expect(before["human/key"]?["auto_rotates"] as? Bool == false)
        #expect(before["human/key"]?["generator"] == nil)

        let passphrase = write(agent, "pass", Array("generator backup passphrase\n".utf8))
        let backup = agent.home + "/gen.sab"
        let exported = agent.run(["export", "--encrypted-to", backup, "--passphrase-file", passphrase, "--kdf-minimum"])
        #expect(exported.status == 0, "\(exported.stderr)")

        let fresh = try TestAgent()
        try fresh.start()
        let restored = fresh.run(["restore", backup, "--passphrase-file", passphrase])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.out.hasSuffix("restore: 3 created, 0 updated, 0 skipped\n"), "\(restored.out)")
        #expect(try value(fresh, "gen/token") == original)
        #expect(try value(fresh, "gen/hex") == originalHex)
        let after = try listed(fresh)
        for name in ["gen/token", "gen/hex", "human/key"] {
            for key in ["rotate_every", "auto_rotates"] {
                #expect(after[name]?[key] as? AnyHashable == before[name]?[key] as? AnyHashable, "\(name) \(key)")
            }
            #expect(generator(after[name]) == generator(before[name]), "\(name)")
        }
        let plainList = fresh.run(["list"])
        #expect(plainList.out.contains("every 30d, auto"), "\(plainList.out)")

        // The restored agent redraws it: same size and format, a new value.
        let rotated = fresh.run(["rotate", "gen/token"])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let redrawn = try value(fresh, "gen/token")
        #expect(redrawn != original)
        #expect(redrawn.utf8.count == 44 && Data(base64Encoded: redrawn)?.count == 32)
        #expect(fresh.run(["rotate", "gen/hex"]).status == 0)
        let redrawnHex = try value(fresh, "gen/hex")
        #expect(redrawnHex != originalHex && redrawnHex.utf8.count == 32 && redrawnHex.allSatisfy(\.isHexDigit))
        #expect(try listed(fresh)["gen/token"]?["auto_rotates"] as? Bool == true)
        // A value a person supplied still needs a new one.
        let human = fresh.run(["rotate", "human/key"])
        #expect(human.status == 64)
        #expect(human.stderr.contains("was not generated by the agent"), "\(human.stderr)")

        for secret in [original, originalHex, redrawn, redrawnHex, "human-chosen-value-7"] {
            agent.expectNeverPrinted(secret)
            fresh.expectNeverPrinted(secret)
        }
    }

    @Test func tamperedBackupIsAnIntegrityFailure() throws {
        let agent = try TestAgent()
        try agent.start()
        let file = write(agent, "one.env", Array("ONE=tamper-value-1\n".utf8))
        #expect(agent.run(["import", file]).status == 0)
        let passphrase = write(agent, "pass", Array("passphrase\n".utf8))
        let backup = agent.home + "/b.sab"
        #expect(agent.run(["export", "--encrypted-to", backup, "--passphrase-file", passphrase, "--kdf-minimum"]).status == 0)
        var bytes = Array(FileManager.default.contents(atPath: backup)!)
        bytes[bytes.count - 5] ^= 0x40
        FileManager.default.createFile(atPath: backup, contents: Data(bytes))
        #expect(agent.run(["rm", "ONE"]).status == 0)
        let result = agent.run(["restore", backup, "--passphrase-file", passphrase])
        #expect(result.status == 7)
        #expect(agent.run(["get", "ONE"]).status == 3)
        let notBackup = agent.run(["restore", file, "--passphrase-file", passphrase])
        #expect(notBackup.status == 64)
        #expect(notBackup.stderr.contains("not a secrets-agent backup"))
        agent.expectNeverPrinted("tamper-value-1")
    }

    @Test func plaintextExportIsOwnerOnlyAndWarns() throws {
        let agent = try TestAgent()
        try agent.start()
        let file = write(agent, "tricky.env", Array(Self.tricky.utf8))
        #expect(agent.run(["import", file]).status == 0)
        let out = agent.home + "/plain.env"
        let result = agent.run(["export", "--plaintext", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "secrets-agent: warning: writing 7 secret values in the clear to \(out) (mode 0600); delete it when done\n")
        #expect(result.out == "exported 7 secrets to \(out) (plaintext dotenv)\n")
        var info = stat()
        #expect(stat(out, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let parsed = try DotenvParser.parse(Array(FileManager.default.contents(atPath: out)!))
        #expect(Dictionary(uniqueKeysWithValues: parsed.map { ($0.key, String(decoding: $0.value, as: UTF8.self)) }) == Self.expected)

        let refused = agent.run(["export", "--plaintext", "--out", out])
        #expect(refused.status == 8)
        #expect(refused.stderr == "secrets-agent: cannot export to \(out): refusing to overwrite \(out): it exists (remove it, choose another path, or use --force)\n")
        let json = agent.home + "/plain.json"
        #expect(agent.run(["export", "--plaintext", "--out", json, "--format", "json"]).status == 0)
        let parsedJSON = try JSONSecretsParser.parse(Array(FileManager.default.contents(atPath: json)!))
        #expect(parsedJSON.count == 7)
        #expect(agent.run(["export", "--plaintext", "--out", json, "--format", "json", "--force"]).status == 0)

        // Re-importing the export into another environment gives the same values.
        #expect(agent.run(["import", out, "--env", "staging"]).status == 0)
        for (name, value) in Self.expected { #expect(agent.run(["get", name, "--env", "staging"]).out == value) }
        for value in Self.expected.values { agent.expectNeverPrinted(value) }
    }

    @Test func usageErrors() throws {
        let agent = try TestAgent()
        for (arguments, message) in [
            (["import"], "name a FILE to import"),
            (["import", "x.env", "--overwrite", "--skip-existing"], "--overwrite and --skip-existing exclude each other"),
            (["export"], "choose --encrypted-to FILE, or --plaintext --out FILE"),
            (["export", "--plaintext"], "--plaintext needs --out FILE"),
            (["export", "--plaintext", "--out", "x", "--all-environments"], "--plaintext exports one environment"),
        ] {
            let result = agent.run(arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }
}

/// `restore --help` in full: the manual of the all-or-nothing contract and exit 7.
@Suite struct RestoreHelpTests {
    @Test func restoreHelpInFull() throws {
        let agent = try TestAgent()
        let help = agent.run(["restore", "--help"])
        #expect(help.status == 0)
        #expect(help.out == """
            OVERVIEW: Restore secrets from an encrypted backup made by export, all or
            nothing.

            Decrypts the backup, then writes every secret (with its environment, rotation
            interval and generator, so the agent can still redraw a secret it generated) in
            one transaction on the agent: if any fails, nothing is written. An existing
            secret is an error (exit 8) unless --overwrite or --skip-existing. A wrong
            passphrase or a damaged or altered file exits 7 and writes nothing. Output
            names the secrets, never a value.

            Examples:
              secrets-agent restore all.sab
              secrets-agent restore all.sab --env production --skip-existing
              secrets-agent restore all.sab --passphrase-file pw --dry-run --json

            USAGE: secrets-agent restore <file> [--passphrase-file <file>] [--env <env>] [--overwrite] [--skip-existing] [--dry-run] [--json] [--socket <path>]

            ARGUMENTS:
              <file>                  The backup file.

            OPTIONS:
              --passphrase-file <file>
                                      Read the backup passphrase from this file
                                      (owner-only).
              --env <env>             Only restore this environment.
              --overwrite             Update secrets that already exist (a new version).
              --skip-existing         Leave secrets that already exist as they are.
              --dry-run               Check everything and report what would happen; write
                                      nothing.
              --json                  Print a JSON object with created, updated and skipped
                                      arrays.
              --socket <path>         The agent's socket.
              --version               Show the version.
              -h, --help              Show help information.


            """)
    }
}

/// A batch larger than one frame goes in parts (`more`), still all or nothing.
@Suite struct BatchPutPartsTests {
    @Test func largeBatchesAreWrittenWholeOrNotAtAll() throws {
        let agent = try TestAgent()
        try agent.start()
        let client = try AgentClient(socketPath: agent.socket)
        var values: [UInt8] = []
        var items: [AgentClient.BatchPutItem] = []
        for i in 0..<40 {  // 40 × 60 KiB: three frames' worth
            let start = values.count
            values += (0..<(60 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }
            items.append(.init(name: "big/\(i)", environment: "development", mode: .create, value: start..<values.count))
        }
        // One secret exists already and is last in the batch: nothing may be written.
        #expect(agent.run(["add", "big/39", "--stdin"], stdin: Array("exists".utf8)).status == 0)
        let error = #expect(throws: SecretsError.self) {
            try values.withUnsafeBytes { raw in try client.batchPut(items, values: raw) }
        }
        #expect(error?.code == .alreadyExists)
        #expect(try client.list(environment: "development").map(\.name) == ["big/39"])

        items[39].mode = .unspecified
        let results = try values.withUnsafeBytes { raw in try client.batchPut(items, values: raw) }
        #expect(results.count == 40)
        #expect(results.filter { $0.outcome == .created }.count == 39)
        #expect(results.last?.outcome == .updated && results.last?.version == 2)
        for i in [0, 17, 39] {
            let got = try client.get(name: "big/\(i)", environment: "development")
            #expect(got.value.withUnsafeBytes { Array($0) } == Array(values[items[i].value]))
        }
        // Every entry has its own audit entry.
        let puts = try client.auditEntries(name: "big/17").filter { $0.operation == "put" && $0.outcome == "ok" }
        #expect(puts.count == 1)
    }
}
