import ArgumentParser
import SecretsClient
import SecretsCore
import SecretsCrypto
import SecretsProtocol

extension SecretsAgentCommand {
    /// `secrets-agent import`
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "import", 
            abstract: "Import secrets from a dotenv or JSON file, all or nothing.",
            discussion: """
            Every entry is read and checked before anything is written; then all are written in one \
            transaction on the agent. If any fails (a bad line, an invalid name, an existing secret without \
            --overwrite or --skip-existing, a denied name), nothing is written. Output names the secrets \
            created, updated or skipped, never a value.

            dotenv: KEY=VALUE lines; 'export ' prefix allowed; "double quotes" with \\n \\t \\r \\" \\\\ escapes; \
            'single quotes' taken literally; quoted values may span lines; # starts a comment at the start of a \
            line or after a blank in an unquoted value; a key given twice is an error. Nothing is interpolated.
            JSON: one object of strings; nested objects join keys with /: {"db": {"password": "..."}} is db/password.

            A key is the secret's name as it is. With --from-env-prefix APP only keys starting with APP_ are \
            taken, lowercased with _ turned into /: APP_GITHUB_TOKEN becomes github/token. Without FILE it reads \
            those variables from this command's own environment.

            Examples:
              secrets-agent import .env --env production
              secrets-agent import secrets.json --overwrite --dry-run
              secrets-agent import - --format dotenv < .env
              APP_DB_PASSWORD=... secrets-agent import --from-env-prefix APP
            """
        )

        @Argument(help: ArgumentHelp("The file to import; - for standard input.", valueName: "file"))
        var file: String?
        @OptionGroup var environment: EnvironmentOptions
        @Option(name: .long, help: ArgumentHelp("dotenv or json (default: json for a .json file, else dotenv).", valueName: "format"))
        var format: ImportFormat?
        @Option(name: .customLong("from-env-prefix"), help: ArgumentHelp("Only keys starting with PREFIX_, mapped to names (PREFIX_A_B → a/b).", valueName: "prefix"))
        var fromEnvPrefix: String?
        @OptionGroup var existing: ExistingSecretOptions
        @Flag(name: .customLong("dry-run"), help: "Check everything and report what would happen; write nothing.")
        var dryRun = false
        @Flag(name: .long, help: "Print a JSON object with created, updated and skipped arrays.")
        var json = false
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            if file == nil && fromEnvPrefix == nil {
                throw ValidationError("name a FILE to import (- for standard input), or use --from-env-prefix PREFIX to read this command's environment")
            }
        }

        func run() throws {
            let what = file ?? "the environment"
            do {
                let environment = try Environment(self.environment.environment)
                let naming = try ImportNaming(prefix: fromEnvPrefix)
                let source = try ImportSource.read(file: file, format: format, naming: naming)
                let items = try source.items(naming: naming, environment: environment, mode: existing.mode)
                let client = try connection.connect()
                let results = try source.values.withUnsafeBytes { values in
                    try client.batchPut(items, values: values, dryRun: dryRun)
                }
                BatchReport.print(results, verb: "import", dryRun: dryRun, json: json)
            } catch let error as SecretsError where error.code != .unavailable {
                throw SecretsError(error.code, "cannot import \(what): \(error.message)")
            }
        }
    }
}

/// The formats `import` reads and plaintext `export` writes.
enum ImportFormat: String, ExpressibleByArgument, CaseIterable {
    case dotenv, json
}
