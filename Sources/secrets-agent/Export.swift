import ArgumentParser
import Foundation
import SecretsClient
import SecretsCore
import SecretsCrypto
import SecretsProtocol

extension SecretsAgentCommand {
    /// `secrets-agent export`
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", 
            abstract: "Export secrets to an encrypted backup (or, explicitly, a plaintext file).",
            discussion: """
            Values are read through the agent (each read is checked against your grant and audited like a \
            get). The output file is created with mode 0600 and only appears once complete; an existing file \
            is refused unless --force.

            --encrypted-to FILE writes a backup for 'secrets-agent restore': every secret with its \
            environment, rotation interval and generator (so a generated secret can still be redrawn), encrypted with XChaCha20-Poly1305 under a key derived from a \
            passphrase with Argon2id (256 MiB, 3 passes). The passphrase comes from --passphrase-file \
            (owner-only) or is asked twice on the terminal.

            --plaintext --out FILE writes the values in the clear, as dotenv (default) or JSON, for one \
            environment; a warning is printed on stderr.

            Examples:
              secrets-agent export --all-environments --encrypted-to all.sab
              secrets-agent export --prefix db/ --encrypted-to db.sab --passphrase-file pw
              secrets-agent export --env development --plaintext --out dev.env
            """
        )

        @Option(name: .long, help: ArgumentHelp("Only this environment (default: $SECRETS_AGENT_ENV, else development).", valueName: "env"))
        var env: String?
        @Flag(name: .customLong("all-environments"), help: "Export every environment.")
        var allEnvironments = false
        @Option(name: .long, help: ArgumentHelp("Only names starting with this prefix.", valueName: "prefix"))
        var prefix: String = ""
        @Option(name: .customLong("encrypted-to"), help: ArgumentHelp("Write an encrypted backup to this file.", valueName: "file"))
        var encryptedTo: String?
        @Option(name: .customLong("passphrase-file"), help: ArgumentHelp("Read the backup passphrase from this file (owner-only).", valueName: "file"))
        var passphraseFile: String?
        @Flag(name: .long, help: "Write values in the clear (needs --out).")
        var plaintext = false
        @Option(name: .long, help: ArgumentHelp("The plaintext output file.", valueName: "file"))
        var out: String?
        @Option(name: .long, help: ArgumentHelp("Plaintext format: dotenv or json.", valueName: "format"))
        var format: ImportFormat = .dotenv
        @Flag(name: .long, help: "Replace an existing output file.")
        var force = false
        /// For tests only: Argon2id at the enforced minimum (64 MiB, 3 passes) instead of
        /// 256 MiB; never weaker than what `restore` accepts.
        @Flag(name: .customLong("kdf-minimum"), help: .hidden)
        var kdfMinimum = false
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            if allEnvironments && env != nil { throw ValidationError("--env and --all-environments exclude each other") }
            switch (encryptedTo, plaintext) {
            case (nil, false): throw ValidationError("choose --encrypted-to FILE, or --plaintext --out FILE")
            case (.some, true): throw ValidationError("--encrypted-to and --plaintext exclude each other")
            case (nil, true):
                if out == nil { throw ValidationError("--plaintext needs --out FILE (values are never written to the terminal)") }
                if allEnvironments { throw ValidationError("--plaintext exports one environment (use --env E)") }
                if passphraseFile != nil { throw ValidationError("--passphrase-file goes with --encrypted-to") }
            case (.some, false):
                if out != nil { throw ValidationError("--out goes with --plaintext; an encrypted backup is written to --encrypted-to FILE") }
            }
        }

        func run() throws {
            let environment = allEnvironments ? nil : (env ?? AgentPaths.defaultEnvironment())
            if let environment { _ = try Environment(environment) }
            let path = encryptedTo ?? out ?? ""
            do {
                try OutputFile.checkWritable(path, force: force)
                let client = try connection.connect()
                let secrets = try client.list(environment: environment, prefix: prefix)
                if let encryptedTo {
                    let passphrase = try BackupPassphrase.read(file: passphraseFile, confirm: true)
                    try writeBackup(secrets, client: client, to: encryptedTo, passphrase: passphrase)
                    Terminal.print("exported \(secrets.count) secret\(secrets.count == 1 ? "" : "s") to \(encryptedTo) (encrypted)")
                } else {
                    Terminal.printError("secrets-agent: warning: writing \(secrets.count) secret value\(secrets.count == 1 ? "" : "s") in the clear to \(path) (mode 0600); delete it when done")
                    try writePlaintext(secrets, client: client, to: path)
                    Terminal.print("exported \(secrets.count) secret\(secrets.count == 1 ? "" : "s") to \(path) (plaintext \(format.rawValue))")
                }
            } catch let error as SecretsError where error.code != .unavailable || error.message.hasPrefix("cannot write") {
                throw SecretsError(error.code, "cannot export to \(path): \(error.message)")
            }
        }

        /// Reads every listed value through the agent and hands each to `body`, a few per
        /// round trip (a reply must fit one frame: at most 12 values of 64 KiB).
        private func forEachValue(_ secrets: [SecretsAgent_V1_SecretMetadata], client: AgentClient,
                                  _ body: (SecretsAgent_V1_SecretMetadata, UnsafeRawBufferPointer) throws -> Void) throws {
            var start = 0
            while start < secrets.count {
                let batch = Array(secrets[start..<min(start + 12, secrets.count)])
                let values = try client.batchGet(batch.map { AgentClient.BatchItem(name: $0.name, environment: $0.environment) })
                for (secret, value) in zip(batch, values) {
                    try value.value.withUnsafeBytes { try body(secret, $0) }
                }
                start += batch.count
            }
        }

        private func writeBackup(_ secrets: [SecretsAgent_V1_SecretMetadata], client: AgentClient, to path: String,
                                 passphrase: SecureBytes) throws {
            var payload = BackupPayload.Writer(createdAtUnixMs: Int64(Date().timeIntervalSince1970 * 1000))
            try forEachValue(secrets, client: client) { secret, value in
                payload.append(name: try SecretName(secret.name), environment: try Environment(secret.environment),
                               rotateEverySeconds: secret.rotateEverySeconds, generator: secret.valueGenerator, value: value)
            }
            let parameters: Argon2idParameters = kdfMinimum ? .minimum : .moderate
            let sealed = payload.withUnsafeBytes { raw in
                Result { () throws(CryptoError) in try SealedBackup.seal(raw, passphrase: passphrase, parameters: parameters) }
            }
            let file: [UInt8]
            switch sealed {
            case .success(let bytes): file = bytes
            case .failure(let error): throw SecretsError.internal("cannot encrypt the backup: \(error.message)")
            }
            try OutputFile.write(path, force: force) { sink in file.withUnsafeBytes(sink) }
        }

        private func writePlaintext(_ secrets: [SecretsAgent_V1_SecretMetadata], client: AgentClient, to path: String) throws {
            try OutputFile.write(path, force: force) { sink in
                var json = JSONSecretsWriter()
                if format == .json { json.begin(to: sink) }
                try forEachValue(secrets, client: client) { secret, value in
                    switch format {
                    case .dotenv: DotenvWriter.write(key: secret.name, value: value, to: sink)
                    case .json: try json.write(key: secret.name, value: value, to: sink)
                    }
                }
                if format == .json { json.end(to: sink) }
            }
        }
    }
}
