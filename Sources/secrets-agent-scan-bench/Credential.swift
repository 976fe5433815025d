/// One planted credential: synthetic (random), never real, in its rule's format.
struct Credential: Sendable {
    let rule: String
    /// The credential's text; PEM blocks span lines, a service-account key is its compact
    /// JSON.
    let value: String
    /// Text the labeled line must contain: the credential itself, or for a block the BEGIN
    /// line (for a service-account key, the private key's BEGIN line).
    let evidence: String
    /// The name it is assigned to, in UPPER_SNAKE.
    let name: String
    /// The key's fields, for `gcp-service-account` only.
    let serviceAccount: ServiceAccountKey?

    init(rule: String, value: String, name: String, evidence: String? = nil, serviceAccount: ServiceAccountKey? = nil) {
        self.rule = rule
        self.value = value
        self.name = name
        self.evidence = evidence ?? String(value.split(separator: "\n").first ?? "")
        self.serviceAccount = serviceAccount
    }

    /// The lines of a block credential (one line for a token).
    var lines: [String] { value.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    /// A block on one line with its newlines written as `\n`, as in a JSON string or a
    /// quoted dotenv value.
    var escaped: String { lines.joined(separator: "\\n") + (lines.count > 1 ? "\\n" : "") }

    var isBlock: Bool { lines.count > 1 }
}

/// The fields of a Google Cloud service-account key, and its renderings.
struct ServiceAccountKey: Sendable {
    let projectID: String
    let privateKeyID: String
    /// A PKCS#8 PEM block.
    let privateKey: String
    let clientEmail: String
    let clientID: String

    /// The fields in the order Google writes them, values as JSON literals.
    var fields: [(String, String)] {
        let escapedKey = privateKey.split(separator: "\n").joined(separator: "\\n") + "\\n"
        let account = clientEmail.split(separator: "@")[0]
        return [
            ("type", "\"service_account\""),
            ("project_id", "\"\(projectID)\""),
            ("private_key_id", "\"\(privateKeyID)\""),
            ("private_key", "\"\(escapedKey)\""),
            ("client_email", "\"\(clientEmail)\""),
            ("client_id", "\"\(clientID)\""),
            ("auth_uri", "\"https://accounts.google.com/o/oauth2/auth\""),
            ("token_uri", "\"https://oauth2.googleapis.com/token\""),
            ("auth_provider_x509_cert_url", "\"https://www.googleapis.com/oauth2/v1/certs\""),
            ("client_x509_cert_url", "\"https://www.googleapis.com/robot/v1/metadata/x509/\(account)%40\(projectID).iam.gserviceaccount.com\""),
            ("universe_domain", "\"googleapis.com\""),
        ]
    }

    /// Pretty-printed JSON, each line prefixed by `indent`; the index of the
    /// `"private_key"` line.
    func prettyLines(indent: String, separator: String = ": ") -> (lines: [String], keyLine: Int) {
        var lines = [indent + "{"]
        var keyLine = 0
        for (index, field) in fields.enumerated() {
            if field.0 == "private_key" { keyLine = lines.count }
            lines.append(indent + "  \"\(field.0)\"\(separator)\(field.1)" + (index < fields.count - 1 ? "," : ""))
        }
        lines.append(indent + "}")
        return (lines, keyLine)
    }

    /// The key on one line, as `gcloud` writes it into an environment variable.
    var compact: String {
        "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }
}
