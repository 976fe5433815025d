import ArgumentParser
import SecretsAgentKit
import SecretsCore
import SecretsCrypto
import SecretsProtocol

extension SecretsAgentCommand {
    /// `secrets-agent unlock`
    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unlock", 
            abstract: "Unlock the agent with a passphrase, key file or systemd credential.",
            discussion: "With no option, asks for the passphrase on the terminal without echo. Passphrases are never read from the command line or the environment."
        )

        @OptionGroup var connection: ConnectionOptions

        @Option(name: .customLong("passphrase-file"), help: ArgumentHelp("Read the passphrase from this file (owner-only).", valueName: "file"))
        var passphraseFile: String?

        @Option(name: .customLong("key-file"), help: ArgumentHelp("Unlock with this key file (owner-only).", valueName: "file"))
        var keyFile: String?

        @Option(name: .long, help: ArgumentHelp("Unlock with this systemd credential, from $CREDENTIALS_DIRECTORY.", valueName: "name"))
        var credential: String?

        func validate() throws {
            if [passphraseFile, keyFile, credential].compactMap({ $0 }).count > 1 {
                throw ValidationError("choose one of --passphrase-file F, --key-file F or --credential NAME")
            }
        }

        func run() throws {
            let client = try connection.connect()
            let kind: SecretsAgent_V1_KeyslotKind
            let secret: SecureBytes
            if let keyFile {
                kind = .keyFile
                secret = try KeyMaterialFile.read(keyFile)
            } else if let credential {
                kind = .systemdCredential
                secret = try SystemdCredential.read(credential)
            } else if let passphraseFile {
                kind = .passphrase
                secret = try PassphraseFile.read(passphraseFile)
            } else {
                kind = .passphrase
                secret = try Terminal.promptPassphrase("passphrase for \(client.socketPath): ")
            }
            try secret.withUnsafeBytes { raw in try client.unlock(kind: kind, secret: raw) }
            Terminal.print("unlocked")
        }
    }
}
