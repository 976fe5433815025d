#if canImport(Glibc)
import Glibc
#endif
@testable import SecretsClient
import Testing

/// The loaders that read the process environment: systemd credentials
/// (`$CREDENTIALS_DIRECTORY`) and the deprecated environment-variable loader. They change
/// the environment and file descriptor 2, so they run one at a time and restore both.
@Suite(.serialized) struct SecretCredentialTests {
    static let value = "sk_live_correct-horse-9c1d"

    static func error(_ body: () throws(LoaderError) -> Secret) -> LoaderError? {
        #expect(throws: LoaderError.self) { _ = try body() }
    }

    // MARK: systemd credentials

    @Test func aCredentialLoadsFromTheCredentialsDirectory() throws {
        let directory = try TestDirectory()
        try directory.write(Self.value + "\n", to: "api-token", mode: 0o400)
        try withEnvironment(["CREDENTIALS_DIRECTORY": directory.path]) {
            let secret = try Secret.fromSystemdCredential("api-token")
            #expect(secret.verify(Self.value))
        }
        try withEnvironment(["CREDENTIALS_DIRECTORY": directory.path + "/"]) {
            let secret = try Secret.fromSystemdCredential("api-token")
            #expect(secret.verify(Self.value))
        }
    }

    @Test func anUnsetCredentialsDirectoryIsNamed() {
        for unset in [nil, ""] as [String?] {
            withEnvironment(["CREDENTIALS_DIRECTORY": unset]) {
                let error = Self.error { () throws(LoaderError) in try Secret.fromSystemdCredential("api-token") }
                #expect(error?.kind == .credentialsDirectoryUnset)
                #expect(error?.message == "cannot load credential api-token: $CREDENTIALS_DIRECTORY is not set (run under systemd with LoadCredential=, or set CREDENTIALS_DIRECTORY)")
            }
        }
    }

    @Test func aRelativeCredentialsDirectoryIsRefused() throws {
        withEnvironment(["CREDENTIALS_DIRECTORY": "run/credentials/billing.service"]) {
            let error = Self.error { () throws(LoaderError) in try Secret.fromSystemdCredential("api-token") }
            #expect(error?.kind == .credentialsDirectoryRelative)
            #expect(error?.message == "cannot load credential api-token: $CREDENTIALS_DIRECTORY is the relative path run/credentials/billing.service (set it to an absolute path)")
        }
    }

    // "/\u{301}" is one Character but still holds a "/" byte.
    @Test(arguments: ["../api-token", "sub/api-token", "/etc/shadow", "api-token/", ".", "..", "api/\u{301}token"])
    func aNameThatIsNotOneComponentIsRefused(name: String) throws {
        let directory = try TestDirectory()
        withEnvironment(["CREDENTIALS_DIRECTORY": directory.path]) {
            let error = Self.error { () throws(LoaderError) in try Secret.fromSystemdCredential(name) }
            #expect(error?.kind == .invalidArgument)
            #expect(error?.message == "cannot load credential \(name): not a credential name (give the NAME of LoadCredential=NAME:PATH, not a path)")
        }
    }

    @Test func anEmptyNameIsRefused() throws {
        let directory = try TestDirectory()
        withEnvironment(["CREDENTIALS_DIRECTORY": directory.path]) {
            let error = Self.error { () throws(LoaderError) in try Secret.fromSystemdCredential("") }
            #expect(error?.kind == .invalidArgument)
            #expect(error?.message == "cannot load credential: the name is empty (give the NAME of LoadCredential=NAME:PATH)")
        }
    }

    @Test func credentialsFollowTheFileRules() throws {
        let directory = try TestDirectory()
        let credentials = try directory.directory("credentials")
        let open = try directory.write(Self.value, to: "credentials/open", mode: 0o644)
        let outside = try directory.write(Self.value, to: "outside")
        let escape = try directory.symlink("credentials/escape", to: outside)
        withEnvironment(["CREDENTIALS_DIRECTORY": credentials]) {
            let mode = Self.error { () throws(LoaderError) in try Secret.fromSystemdCredential("open") }
            #expect(mode?.kind == .insecurePermissions)
            #expect(mode?.message == "cannot load secret from \(open): mode 0644 is too open, expected 0600 or 0400 (run: chmod 600 \(open))")
            let escaped = Self.error { () throws(LoaderError) in try Secret.fromSystemdCredential("escape") }
            #expect(escaped?.kind == .invalidPath)
            #expect(escaped?.message == "cannot load secret from \(escape): it resolves outside \(credentials) (keep the file, and any link's target, inside \(credentials))")
            let missing = Self.error { () throws(LoaderError) in try Secret.fromSystemdCredential("missing") }
            #expect(missing?.kind == .notFound)
            let leaked = [mode, escaped, missing].contains { $0?.message.contains("horse") ?? false }
            #expect(!leaked, "an error message contains the credential's value")
        }
    }

    // MARK: the deprecated environment loader

    static let variable = "SECRETS_CLIENT_TEST_TOKEN"
    static let warning = "secrets-agent: warning: reading secret from environment variable SECRETS_CLIENT_TEST_TOKEN is deprecated (use a systemd credential or a 0600 file)\n"

    @Test func theEnvironmentLoaderWarnsExactlyOnceAndNeverPrintsTheValue() throws {
        Secret.resetEnvironmentWarning()
        let captured = try capturingStandardError {
            try withEnvironment([Self.variable: "  " + Self.value + "\n", "SECRETS_CLIENT_TEST_OTHER": Self.value]) {
                let first = try loadFromEnvironment(Self.variable)
                #expect(first.verify(Self.value))
                let second = try loadFromEnvironment(Self.variable)
                #expect(second.verify(Self.value))
                let other = try loadFromEnvironment("SECRETS_CLIENT_TEST_OTHER")
                #expect(other.verify(Self.value))
            }
        }
        // Other tests may write to stderr meanwhile; count only the warnings.
        let warnings = captured.components(separatedBy: "secrets-agent: warning: reading secret from environment variable").count - 1
        #expect(warnings == 1, "expected one warning, found \(warnings)")
        #expect(captured.contains(Self.warning), "the warning is not the expected line")
        let leaked = captured.contains("horse") || captured.contains("sk_live")
        #expect(!leaked, "the warning printed the value")
    }

    @Test func theWarningIsPrintedEvenWhenTheVariableIsMissing() throws {
        Secret.resetEnvironmentWarning()
        let captured = try capturingStandardError {
            withEnvironment([Self.variable: nil]) {
                _ = Self.error { () throws(LoaderError) in try loadFromEnvironment(Self.variable) }
            }
        }
        #expect(captured.contains(Self.warning))
    }

    @Test func aMissingOrEmptyVariableIsNamed() throws {
        _ = try capturingStandardError {
            withEnvironment([Self.variable: nil]) {
                let error = Self.error { () throws(LoaderError) in try loadFromEnvironment(Self.variable) }
                #expect(error?.kind == .environmentVariableUnset)
                #expect(error?.message == "cannot load secret from environment variable SECRETS_CLIENT_TEST_TOKEN: it is not set (set it, or better use a systemd credential or a 0600 file)")
            }
            for empty in ["", " \n\t"] {
                withEnvironment([Self.variable: empty]) {
                    let error = Self.error { () throws(LoaderError) in try loadFromEnvironment(Self.variable) }
                    #expect(error?.kind == .environmentVariableUnset)
                    #expect(error?.message == "cannot load secret from environment variable SECRETS_CLIENT_TEST_TOKEN: it is empty (set it, or better use a systemd credential or a 0600 file)")
                }
            }
        }
    }

    @Test(arguments: ["", "A=B"])
    func aMalformedVariableNameIsRefused(name: String) throws {
        _ = try capturingStandardError {
            let error = Self.error { () throws(LoaderError) in try loadFromEnvironment(name) }
            #expect(error?.kind == .invalidArgument)
            #expect(error?.message == "cannot load secret from environment variable \(name): not a variable name (give a name such as API_TOKEN)")
        }
    }
}
