import ArgumentParser
import SecretsAgentKit
import SecretsCore
import SecretsCrypto
#if canImport(Glibc)
import Glibc
#endif

extension SecretsAgentCommand {
    /// `secrets-agent init`
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "init", 
            abstract: "Create a new store with a random master key, wrapped in its first keyslot.",
            discussion: """
            The master key is 32 random bytes; it is stored only wrapped by the keyslot you choose: a passphrase (Argon2id, 256 MiB, 3 passes), an existing key file, or a new key file that init generates (64 hex characters, mode 0600). Key and passphrase files must be owned by you and have no group/other permission bits.
            """
        )

        @OptionGroup var storeOptions: StoreOptions

        @Option(name: .customLong("passphrase-file"), help: ArgumentHelp("Protect the store with the passphrase in this file.", valueName: "file"))
        var passphraseFile: String?

        @Option(name: .customLong("key-file"), help: ArgumentHelp("Protect the store with this existing key file.", valueName: "file"))
        var keyFile: String?

        @Option(name: .customLong("generate-key-file"), help: ArgumentHelp("Create a new key file (0600) and protect the store with it.", valueName: "file"))
        var generateKeyFile: String?

        @Option(name: .long, help: ArgumentHelp("Value cipher: xchacha20poly1305 (default) or aes256gcm (needs AES-NI).", valueName: "cipher"))
        var cipher: String = AEADAlgorithm.xchacha20poly1305.rawValue

        func validate() throws {
            guard [passphraseFile, keyFile, generateKeyFile].compactMap({ $0 }).count == 1 else {
                throw ValidationError("choose exactly one of --passphrase-file F, --key-file F or --generate-key-file F")
            }
            guard AEADAlgorithm(rawValue: cipher) != nil else {
                throw ValidationError("unknown cipher '\(cipher)' (use xchacha20poly1305 or aes256gcm)")
            }
        }

        func run() throws {
            let path = storeOptions.storePath
            let method: UnlockMethod
            if let passphraseFile {
                method = .passphrase(try PassphraseFile.read(passphraseFile))
            } else if let keyFile {
                method = .keyFile(try KeyMaterialFile.read(keyFile))
            } else {
                let file = generateKeyFile!
                let contents = KeyFile.generateContents()
                try KeyMaterialFile.create(file, contents: contents)
                method = .keyFile(contents)
            }
            let storeID: String
            do {
                storeID = try StoreSetup.initialize(storePath: path, method: method, cipher: AEADAlgorithm(rawValue: cipher)!)
            } catch {
                if let generateKeyFile { unlink(generateKeyFile) }  // the store never used it
                throw error
            }
            Terminal.print("initialized \(path) (store \(storeID), \(method.slotKind) keyslot)")
            if let file = generateKeyFile ?? keyFile {
                Terminal.print("start the agent: secrets-agent serve --store \(path) --unlock-key-file \(file)")
            } else {
                Terminal.print("start the agent: secrets-agent serve --store \(path), then: secrets-agent unlock")
            }
        }
    }
}
