/// The kinds of hard negative in the corpus: text that looks like a credential to a naive
/// scanner but is not one. Each decoy line is recorded, so a false positive on it is
/// reported with its kind.
enum DecoyKind: String, CaseIterable, Sendable {
    case gitSHA = "git-sha"
    case uuid
    case integrityHash = "integrity-hash"
    case dataURI = "data-uri"
    /// AKIAIOSFODNN7EXAMPLE, changeme, <your-token>, sk-..., xxxx...
    case placeholder
    /// `${VAR}`, `{{ .Values.x }}`, `${{ secrets.X }}`, `os.environ["X"]`.
    case reference
    case urlWithoutPassword = "url-without-password"
    case identifier = "random-identifier"
    case hexColor = "hex-color"
    case version
    /// `password = "password"`, `token: null`, `token_ttl: 3600`.
    case lowEntropyAssignment = "low-entropy-assignment"
    /// A `gh?_` token whose CRC-32 checksum does not match.
    case wrongChecksum = "wrong-checksum"
    /// Public keys, certificates, `ssh-ed25519 AAAA...` lines.
    case publicKey = "public-key"
    /// Examples from vendors' documentation (the jwt.io token, AWS's example keys).
    case documentationExample = "documentation-example"
    /// A private-key BEGIN line with no key after it (code that looks for one, or "...").
    case pemHeaderOnly = "pem-header-only"
    /// Content digests: docker `sha256:`, go.sum `h1:`, ETags, checksums.
    case digest
    /// Stripe publishable keys and other ids that are public by design.
    case publicByDesign = "public-by-design"

    /// Decoys made to have a credential's shape: the self-test lets these (and only these)
    /// match a rule's format outside a labeled line.
    var hasCredentialShape: Bool {
        switch self {
        case .placeholder, .wrongChecksum, .documentationExample, .pemHeaderOnly: true
        default: false
        }
    }
}
