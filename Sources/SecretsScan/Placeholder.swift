/// Values that stand for a secret without being one: documentation examples, template and
/// environment references, masks. They are never findings.
enum Placeholder {
    /// Fragments (lower case) that make any value a placeholder wherever they occur.
    static let fragments: [StaticString] = [
        "example", "changeme", "change_me", "change-me", "changeit", "replace", "placeholder", "dummy",
        "sample", "your", "test", "fake", "redacted", "xxxx", "****", "...", "${", "$(", "{{", "}}", "%(", "<",
        ">", "todo", "fixme", "insert", "foobar", "lorem",
    ]

    /// Prefixes (lower case) of references to a secret kept in a store: a Vault path, an AWS
    /// ARN, a 1Password or cloud secret-manager URI.
    static let references: [StaticString] = [
        "vault:", "arn:", "op://", "ssm:", "secretsmanager:", "gcpsm:", "azkv:", "keyvault:", "projects/", "file:", "env:",
    ]

    /// Prefixes of the credential formats with a rule of their own. A keyword value in one of
    /// these formats is left to that rule: reported by it when it verifies, and not at all
    /// when it does not (a GitHub token with a wrong checksum, the jwt.io example token).
    static let tokenPrefixes: [StaticString] = [
        "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xox", "sk-", "sk_", "rk_", "pk_", "whsec_",
        "AKIA", "ASIA", "ABIA", "ACCA", "AIza", "hf_", "npm_", "pypi-", "SG.", "dop_v1_", "doo_v1_", "dor_v1_", "shpat_",
        "shpss_", "shpca_", "shppa_", "dapi", "dp.pt.", "lin_api_", "EAAA", "ATATT3", "key-", "eyJ",
    ]

    /// Signatures of JWTs published as documentation examples (jwt.io's).
    static let exampleJWTSignatures: [StaticString] = ["SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"]

    /// Whether `start..<end` starts with one of `tokenPrefixes`.
    static func hasTokenPrefix(_ text: ScanText, _ start: Int, _ end: Int) -> Bool {
        for prefix in tokenPrefixes where prefix.utf8CodeUnitCount <= end - start && text.has(prefix, at: start) { return true }
        return false
    }

    /// Whole values (lower case) that are placeholders.
    static let words: [StaticString] = [
        "null", "none", "nil", "true", "false", "undefined", "empty", "n/a", "na", "tbd", "password",
        "passwd", "pass", "secret", "token", "apikey", "api_key", "default", "admin", "root", "user",
        "username", "string", "value", "required", "optional", "unset", "hidden", "masked", "private", "%s", "%d", "%v",
        "{}",
    ]

    /// Fragments of a token that mark a documentation example, matched with their case (a
    /// long random token spells `yOur` now and then, an example writes `your` or `YOUR`).
    static let tokenFragments: [StaticString] = [
        "example", "EXAMPLE", "Example", "xxxx", "XXXX", "your", "YOUR", "Your", "sample", "SAMPLE", "dummy", "DUMMY",
        "placeholder", "PLACEHOLDER", "fake", "FAKE", "redacted", "REDACTED",
    ]

    /// Whether the value `start..<end` is a placeholder: one of `words`, containing one of
    /// `fragments` or a run of 6 equal bytes, an environment or template reference (`$VAR`,
    /// `%VAR%`, `{name}`) or a secret store's (`references`), one repeated byte, or equal to
    /// its key's name.
    static func isPlaceholder(_ text: ScanText, _ start: Int, _ end: Int, key: Range<Int>? = nil) -> Bool {
        guard end > start else { return true }
        for word in words where text.equalsIgnoringCase(start, end, word) { return true }
        for fragment in fragments where text.containsIgnoringCase(start, end, fragment) { return true }
        for reference in references where text.hasIgnoringCase(reference, at: start) { return true }
        let first = text[start]
        if first == UInt8(ascii: "$"), start + 1 < end,
           ByteSet.isAlpha(text[start + 1]) || text[start + 1] == UInt8(ascii: "_") { return true }
        if first == UInt8(ascii: "%"), end - start > 2, text[end - 1] == UInt8(ascii: "%") { return true }
        if first == UInt8(ascii: "{"), text[end - 1] == UInt8(ascii: "}") { return true }  // {password}
        if isRepeated(text, start, end) || hasRun(text, start, end) { return true }
        if let key, key.count == end - start {
            var same = true
            for k in 0..<key.count where ByteSet.lower(text[key.lowerBound + k]) != ByteSet.lower(text[start + k]) {
                same = false
                break
            }
            if same { return true }
        }
        return false
    }

    /// Whether the token body `start..<end` is a documentation example: it contains one of
    /// `tokenFragments` or a run of 6 equal bytes (`000000`). Random bodies almost never do.
    static func isDocumentationToken(_ text: ScanText, _ start: Int, _ end: Int) -> Bool {
        guard end > start else { return true }
        if hasRun(text, start, end) { return true }
        for fragment in tokenFragments where text.contains(fragment, in: start..<end) { return true }
        return false
    }

    /// Whether `start..<end` holds 6 equal bytes in a row.
    static func hasRun(_ text: ScanText, _ start: Int, _ end: Int) -> Bool {
        var same = 1
        for k in start + 1..<max(start + 1, end) {
            same = text[k] == text[k - 1] ? same + 1 : 1
            if same >= 6 { return true }
        }
        return false
    }

    static func isRepeated(_ text: ScanText, _ start: Int, _ end: Int) -> Bool {
        let first = text[start]
        for k in start..<end where text[k] != first { return false }
        return true
    }
}
