import SecretsCore

/// One `--secret VAR=NAME`: the variable (or file, in files mode) a secret is given as.
public struct SecretBinding: Sendable, Equatable {
    /// The environment variable, also the file name in files mode.
    public let variable: String
    public let name: SecretName

    /// Parses `VAR=NAME`.
    /// - Throws: `.invalidArgument` when VAR is not a shell identifier or NAME is invalid.
    public init(parsing text: String) throws(SecretsError) {
        guard let equals = text.firstIndex(of: "=") else {
            throw .invalidArgument("--secret \(text): expected VAR=NAME, e.g. --secret OPENAI_API_KEY=openai/key")
        }
        let variable = String(text[..<equals])
        guard SecretBinding.isIdentifier(variable) else {
            throw .invalidArgument("--secret \(text): \"\(variable)\" is not a variable name (letters, digits and _, not starting with a digit)")
        }
        self.variable = variable
        self.name = try SecretName(String(text[text.index(after: equals)...]))
    }

    public init(variable: String, name: SecretName) {
        self.variable = variable
        self.name = name
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.utf8.first, !(0x30...0x39).contains(first), text.utf8.count <= 255 else { return false }
        return text.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }
}
