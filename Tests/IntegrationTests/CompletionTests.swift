import Foundation
import Testing

/// The shell completions and the man page in contrib/ are generated from the CLI
/// (contrib/scripts/generate-docs.sh): they match what the binary generates now, they
/// complete subcommands and options in a real bash, and the man page covers every command.
@Suite struct CompletionTests {
    static let contrib = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("contrib").path

    static func committed(_ path: String) throws -> String {
        try String(contentsOfFile: contrib + "/" + path, encoding: .utf8)
    }

    /// What bash offers after `line` (the cursor at its end), using the committed script.
    static func complete(_ line: String) -> [String] {
        let script = """
            shopt -s extglob
            source "$1"
            COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}
            read -r -a COMP_WORDS <<<"$2"
            [ "${2: -1}" = " " ] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            _secrets-agent secrets-agent "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script, "bash", contrib + "/completions/secrets-agent.bash", line]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return [] }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test(arguments: [("bash", "completions/secrets-agent.bash"), ("zsh", "completions/_secrets-agent"),
                      ("fish", "completions/secrets-agent.fish")])
    func committedCompletionsMatchTheBinary(shell: String, path: String) throws {
        let agent = try TestAgent()
        let generated = agent.run(["--generate-completion-script", shell])
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(generated.out == (try Self.committed(path)), "contrib/\(path) is stale (run: contrib/scripts/generate-docs.sh)")
    }

    @Test func bashCompletesCommandsAndOptions() {
        #expect(Self.complete("secrets-agent im") == ["import"])
        #expect(Self.complete("secrets-agent doc") == ["doctor"])
        let exportOptions = Self.complete("secrets-agent export --")
        #expect(exportOptions.contains("--encrypted-to"), "\(exportOptions)")
        #expect(exportOptions.contains("--passphrase-file"), "\(exportOptions)")
        #expect(!exportOptions.contains("--kdf-minimum"), "a test-only option is offered: \(exportOptions)")
        #expect(Self.complete("secrets-agent add x --format ").sorted() == ["base64", "base64url", "hex", "raw"])
    }

    @Test func theManPageCoversEveryCommand() throws {
        let agent = try TestAgent()
        let help = agent.run(["--help"]).out
        let page = try Self.committed("man/secrets-agent.1")
        // SUBCOMMANDS lines of --help: two spaces, the name, then its summary.
        let commands = help.components(separatedBy: "SUBCOMMANDS:").last!
            .split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let word = line.split(separator: " ").first else { return nil }
                return String(word)
            }
            .filter { $0.first?.isLetter == true && $0 != "See" }
        #expect(commands.count >= 25, "\(commands)")
        for command in commands {
            #expect(page.contains(".It Em \(command)"), "the man page lacks \(command) (run: contrib/scripts/generate-docs.sh)")
        }
        #expect(page.contains(".Dt SECRETS-AGENT 1"))
    }
}
