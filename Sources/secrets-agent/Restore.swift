import ArgumentParser
import Foundation
import SecretsClient
import SecretsCore
import SecretsCrypto
import SecretsProtocol

extension SecretsAgentCommand {
    /// `secrets-agent restore`
    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "restore", 
            abstract: "Restore secrets from an encrypted backup made by export, all or nothing.",
            discussion: """
            Decrypts the backup, then writes every secret (with its environment, rotation interval and \
            generator, so the agent can still redraw a secret it generated) in one transaction on the agent: \
            if any fails, nothing is written. An existing secret is an error \
            (exit 8) unless --overwrite or --skip-existing. A wrong passphrase or a damaged or altered file \
            exits 7 and writes nothing. Output names the secrets, never a value.

            Examples:
              secrets-agent restore all.sab
              secrets-agent restore all.sab --env production --skip-existing
              secrets-agent restore all.sab --passphrase-file pw --dry-run --json
            """
        )

        @Argument(help: ArgumentHelp("The backup file.", valueName: "file"))
        var file: String
        @Option(name: .customLong("passphrase-file"), help: ArgumentHelp("Read the backup passphrase from this file (owner-only).", valueName: "file"))
        var passphraseFile: String?
        @Option(name: .long, help: ArgumentHelp("Only restore this environment.", valueName: "env"))
        var env: String?
        @OptionGroup var existing: ExistingSecretOptions
        @Flag(name: .customLong("dry-run"), help: "Check everything and report what would happen; write nothing.")
        var dryRun = false
        @Flag(name: .long, help: "Print a JSON object with created, updated and skipped arrays.")
        var json = false
        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            do {
                let only = try env.map { (raw) throws(SecretsError) in try Environment(raw) }
                let file = try readBackup()
                let client = try connection.connect()
                let passphrase = try BackupPassphrase.read(file: passphraseFile, confirm: false)
                let payload: SecureBytes
                switch Result(catching: { () throws(CryptoError) in try SealedBackup.open(file, passphrase: passphrase) }) {
                case .success(let opened): payload = opened
                case .failure(let error) where error.kind == .authenticationFailed:
                    throw SecretsError.integrityFailure("cannot open backup \(self.file): \(error.message) (check the passphrase or passphrase file)")
                case .failure(let error) where error.kind == .invalidInput:
                    throw SecretsError.invalidArgument("cannot open backup \(self.file): \(error.message)")
                case .failure(let error):
                    throw SecretsError.integrityFailure("cannot open backup \(self.file): \(error.message)")
                }
                let results = try payload.withUnsafeBytes { raw in
                    let entries = try BackupPayload.entries(in: raw).entries.filter { only == nil || $0.environment == only }
                    guard !entries.isEmpty else {
                        throw SecretsError.notFound("cannot restore \(self.file): it holds no secrets\(only.map { " in \($0)" } ?? "")")
                    }
                    let items = entries.map { entry in
                        AgentClient.BatchPutItem(name: entry.name.rawValue, environment: entry.environment.rawValue,
                                                 mode: existing.mode, rotateEverySeconds: entry.rotateEverySeconds,
                                                 generator: entry.generator, value: entry.value)
                    }
                    return try client.batchPut(items, values: raw, dryRun: dryRun)
                }
                BatchReport.print(results, verb: "restore", dryRun: dryRun, json: json)
            } catch let error as SecretsError where error.code != .unavailable && !error.message.hasPrefix("cannot ") {
                throw SecretsError(error.code, "cannot restore \(file): \(error.message)")
            }
        }

        /// The backup file's bytes (ciphertext: not secret).
        private func readBackup() throws(SecretsError) -> [UInt8] {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw .invalidArgument("cannot read \(file): no such file or not readable (check the path)")
            }
            return Array(data)
        }
    }
}
