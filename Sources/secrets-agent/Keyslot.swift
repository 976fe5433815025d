import ArgumentParser
import SecretsAgentKit
import SecretsCore
import SecretsCrypto
import SecretsProtocol
#if canImport(Glibc)
import Glibc
#endif

extension SecretsAgentCommand {
    /// `secrets-agent keyslot add|rm|list`
    struct Keyslot: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "keyslot", 
            abstract: "Manage the keyslots that wrap the master key (admin, agent unlocked).",
            discussion: "Each keyslot opens the store with one method: a passphrase (Argon2id), a key file, or a systemd credential holding a key file. The last keyslot cannot be removed.",
            subcommands: [Add.self, Remove.self, List.self]
        )

        /// `secrets-agent keyslot add`
        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a keyslot; with no option, asks for a new passphrase twice on the terminal.")

            @Option(name: .customLong("passphrase-file"), help: ArgumentHelp("A passphrase in this file (owner-only).", valueName: "file"))
            var passphraseFile: String?
            @Option(name: .customLong("key-file"), help: ArgumentHelp("An existing key file (owner-only).", valueName: "file"))
            var keyFile: String?
            @Option(name: .customLong("generate-key-file"), help: ArgumentHelp("Create a new key file (0600) for the slot.", valueName: "file"))
            var generateKeyFile: String?
            @Option(name: .long, help: ArgumentHelp("A systemd credential from $CREDENTIALS_DIRECTORY.", valueName: "name"))
            var credential: String?
            @OptionGroup var connection: ConnectionOptions

            func validate() throws {
                if [passphraseFile, keyFile, generateKeyFile, credential].compactMap({ $0 }).count > 1 {
                    throw ValidationError("choose one of --passphrase-file, --key-file, --generate-key-file or --credential")
                }
            }

            func run() throws {
                let client = try connection.connect()
                let kind: SecretsAgent_V1_KeyslotKind
                let secret: SecureBytes
                if let passphraseFile {
                    (kind, secret) = (.passphrase, try PassphraseFile.read(passphraseFile))
                } else if let keyFile {
                    (kind, secret) = (.keyFile, try KeyMaterialFile.read(keyFile))
                } else if let generateKeyFile {
                    let contents = KeyFile.generateContents()
                    try KeyMaterialFile.create(generateKeyFile, contents: contents)
                    (kind, secret) = (.keyFile, contents)
                } else if let credential {
                    (kind, secret) = (.systemdCredential, try SystemdCredential.read(credential))
                } else {
                    let first = try Terminal.promptPassphrase("new passphrase: ")
                    let again = try Terminal.promptPassphrase("again: ")
                    guard first.constantTimeEquals(again) else { throw SecretsError.invalidArgument("the passphrases differ (try again)") }
                    (kind, secret) = (.passphrase, first)
                }
                let id: Int64
                do {
                    id = try secret.withUnsafeBytes { raw in try client.addKeyslot(kind: kind, secret: raw) }
                } catch {
                    if let generateKeyFile { unlink(generateKeyFile) }  // no slot uses it
                    throw error
                }
                Terminal.print("added keyslot \(id)")
            }
        }

        /// `secrets-agent keyslot rm ID`
        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a keyslot (not the last one).")

            @Argument(help: ArgumentHelp("The keyslot's id (see: secrets-agent keyslot list).", valueName: "id"))
            var id: Int64
            @OptionGroup var connection: ConnectionOptions

            func run() throws {
                try connection.connect().removeKeyslot(id: id)
                Terminal.print("removed keyslot \(id)")
            }
        }

        /// `secrets-agent keyslot list`
        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List keyslots (never their contents).")

            @Flag(name: .long, help: "Print a JSON array.")
            var json = false
            @OptionGroup var connection: ConnectionOptions

            func run() throws {
                let slots = try connection.connect().listKeyslots()
                func kind(_ slot: SecretsAgent_V1_Keyslot) -> String {
                    switch slot.kind {
                    case .passphrase: "passphrase"
                    case .keyFile: "key-file"
                    case .systemdCredential: "systemd-credential"
                    default: "unknown"
                    }
                }
                if json {
                    JSONOutput.print(slots.map { slot -> [String: Any] in
                        var object: [String: Any] = ["id": slot.id, "kind": kind(slot), "created_at": JSONOutput.timestamp(slot.createdAtUnixMs)]
                        if slot.argon2OpsLimit > 0 {
                            object["argon2_ops"] = slot.argon2OpsLimit
                            object["argon2_mem_mib"] = slot.argon2MemLimitBytes >> 20
                        }
                        return object
                    })
                    return
                }
                let rows = slots.map { slot in
                    ["\(slot.id)", kind(slot), JSONOutput.timestamp(slot.createdAtUnixMs),
                     slot.argon2OpsLimit > 0 ? "argon2id \(slot.argon2MemLimitBytes >> 20) MiB, \(slot.argon2OpsLimit) passes" : "-"]
                }
                let table = [["ID", "KIND", "CREATED", "KDF"]] + rows
                let widths = (0..<4).map { column in table.map { $0[column].count }.max() ?? 0 }
                for row in table {
                    let padded = row.enumerated().map { column, cell in
                        column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
                    }
                    Terminal.print(padded.joined(separator: "  "))
                }
            }
        }
    }
}
