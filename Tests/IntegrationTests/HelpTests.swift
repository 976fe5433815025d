import Testing

/// `--help` is the CLI's manual: asserted in full for one command, and present for all.
@Suite struct HelpTests {
    static let commands = ["init", "serve", "unlock", "lock", "status", "add", "update", "rotate", "get", "list", "rm", "history",
                           "exec", "watch", "inject", "derive", "verify", "scan", "redact",
                           "import", "export", "restore"]

    @Test func removeHelpInFull() throws {
        let agent = try TestAgent()
        let help = agent.run(["rm", "--help"])
        #expect(help.status == 0)
        #expect(help.out == """
            OVERVIEW: Delete a secret and all its versions.

            USAGE: secrets-agent rm <name> [--env <env>] [--socket <path>]

            ARGUMENTS:
              <name>                  The secret's name.

            OPTIONS:
              --env <env>             The environment (default: $SECRETS_AGENT_ENV, else
                                      development).
              --socket <path>         The agent's socket.
              --version               Show the version.
              -h, --help              Show help information.


            """)
    }

    @Test(arguments: commands)
    func everyCommandHasHelp(_ command: String) throws {
        let agent = try TestAgent()
        let help = agent.run([command, "--help"])
        #expect(help.status == 0)
        #expect(help.out.hasPrefix("OVERVIEW: "))
        #expect(help.out.contains("USAGE: secrets-agent \(command)"))
        #expect(agent.run(["--help"]).out.contains("  \(command) "), "the root help lists \(command)")
    }

    @Test func rootHelpStatesTheExitCodes() throws {
        let agent = try TestAgent()
        // The text is wrapped at 80 columns; compare it as one line.
        let help = agent.run(["--help"]).out.split(separator: "\n").joined(separator: " ")
        #expect(help.contains("Exit codes: 0 ok, 1 other failure, 3 not found, 4 permission denied, 5 agent locked, 6 no agent reachable, 7 integrity failure, 8 already exists or version conflict, 64 usage."))
    }
}
