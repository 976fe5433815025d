import SecretsScan
import Testing

/// The keyword-anchored rules: generic-*, aws-secret-access-key, gcp-service-account.
@Suite struct AssignmentTests {
    /// A value random enough for the generic rules.
    static let value = Fixture.random(20, Fixture.alnum, seed: 300)

    @Test(arguments: [
        // env
        ("DB_PASSWORD=VALUE\n", "generic-password"),
        ("export API_KEY=\"VALUE\"\n", "generic-api-key"),
        ("SECRET_KEY='VALUE'\r\n", "generic-secret"),
        ("GITHUB_TOKEN=VALUE", "generic-token"),
        ("--db-password=VALUE ", "generic-password"),
        // YAML
        ("database:\n  password: VALUE\n", "generic-password"),
        ("  client_secret: \"VALUE\"\n", "generic-secret"),
        ("- auth_token: 'VALUE' # comment\n", "generic-token"),
        ("x-api-key: VALUE\n", "generic-api-key"),
        // JSON
        ("{\"password\": \"VALUE\"}", "generic-password"),
        ("{\"apiKey\":\"VALUE\",\"n\":1}", "generic-api-key"),
        ("{\n  \"accessToken\" : \"VALUE\"\n}", "generic-token"),
        // TOML
        ("[db]\npassword = \"VALUE\"\n", "generic-password"),
        ("secret = 'VALUE'\n", "generic-secret"),
        // code
        ("    self.db_password = 'VALUE'\n", "generic-password"),
        ("const accessToken = `VALUE`;\n", "generic-token"),
        ("  password: \"VALUE\",\n", "generic-password"),
        ("'api_key' => 'VALUE',\n", "generic-api-key"),
        ("password := \"VALUE\"\n", "generic-password"),
        ("config[\"client_secret\"] = \"VALUE\"\n", "generic-secret"),
        ("$apikey = \"VALUE\";\n", "generic-api-key"),
        ("let bearer = \"VALUE\"\n", "generic-token"),
        ("Authorization: Bearer VALUE\n", "generic-token"),
        ("headers = {\"Authorization\": \"Token VALUE\"}\n", "generic-token"),
        // key spellings
        ("db.password=VALUE\n", "generic-password"),
        ("dbPassword: VALUE\n", "generic-password"),
        ("MYSQL_ROOT_PASSWORD=VALUE\n", "generic-password"),
        ("PASSWD=VALUE\n", "generic-password"),
        ("pwd = \"VALUE\"\n", "generic-password"),
        ("DB_PASS=VALUE\n", "generic-password"),
        ("ssh_passphrase: VALUE\n", "generic-password"),
        ("API-KEY: VALUE\n", "generic-api-key"),
        ("stripeApiKey = \"VALUE\"\n", "generic-api-key"),
        ("JWT_SECRET_KEY=VALUE\n", "generic-secret"),
        ("clientSecret: VALUE\n", "generic-secret"),
    ])
    func findsAssignedValues(_ template: String, _ rule: String) {
        let text = template.replacingFirst("VALUE", with: Self.value)
        #expect(matches(text) == [Match(rule, Self.value)], "in \(text.debugDescription)")
    }

    @Test func positionOfTheValue() {
        let text = "# settings\nservice:\n  api_key: \"\(Self.value)\"\n"
        #expect(scan(text) == [Finding(rule: "generic-api-key", confidence: .medium, start: 32, end: 52,
                                       line: 3, column: 13, endLine: 3, endColumn: 33)])
    }

    @Test(arguments: [
        // Random enough: long with entropy, or 8+ with three classes.
        "xK9#mQ2!", "Tr0ub4dor&3", "c9f1e2a47b3d8e60f5a2", "3f9a1c7e-5b2d-8f40-a6c1-e2d4b6f80a1c", "S3cure-P@ssw0rd-2024",
        "cGFzc3dvcmQxMjM0NTY3OA==", "q8Zr2LmVx7TnW4pYs6Kd",
    ])
    func randomValuesAreFindings(_ value: String) {
        #expect(matches("password: \"\(value)\"\n") == [Match("generic-password", value)])
    }

    @Test(arguments: [
        // Too short, too regular, or a word rather than a credential.
        "hunter2", "abc123", "aaaaaaaaaaaaaaaa", "abcabcabcabcabc", "passwordpassword", "1234567890123456",
        "user_password_hash", "settings.DB_PASSWORD", "process.env.API_KEY", "bert-base-uncased", "/run/secrets/db",
        "correct-horse-battery", "userPasswordHash", "lowercaseletters",
        // Placeholders and references.
        "changeme", "change_me_please", "${DB_PASSWORD}", "$DB_PASSWORD", "$(cat /run/secrets/db)", "{{ .Values.password }}",
        "{{password}}", "%s", "%(password)s", "<your-password>", "<password>", "xxxxxxxxxxxx", "XXXXXXXXXXXXXXXX",
        "************", "...", "your_api_key_here", "YOUR-API-KEY", "REPLACE_ME", "replace-with-real-key",
        "dummy-password-1", "test1234TEST", "placeholder-Value-1", "sample_Key_0123", "null", "None", "true", "false",
        "password", "PASSWORD", "Example-Passw0rd", "ExAmPlE123!", "insert-key-here-9", "%DB_PASSWORD%",
        "https://vault.internal/v1/secret/db", "0000000000Aa!",
        // Prose and regular expressions, as source code is full of them.
        "Anthropic API key", "Sent when the Token X9 expires", "SK[0-9a-f]{32}", "SG\\.[A-Za-z0-9_-]{22}", "[MN][A-Za-z0-9]+",
        "\\S{12,}Z9q", "dp\\.pt\\.[A-Za-z0-9]",
    ])
    func placeholdersAndWordsAreNotFindings(_ value: String) {
        for template in ["password: \"VALUE\"\n", "PASSWORD=VALUE\n", "{\"api_key\": \"VALUE\"}", "secret = 'VALUE'"] {
            let text = template.replacingFirst("VALUE", with: value)
            #expect(matches(text) == [], "in \(text.debugDescription)")
        }
    }

    @Test(arguments: [
        // Keys that are no keyword, or where the keyword is not the last word.
        "password_policy", "password_file", "password_min_length", "tokenizer", "max_tokens", "token_count", "secret_name",
        "secretKeyRef", "passwordRef", "bypass", "compass", "passenger", "api_key_id", "api_version", "keyboard",
        "private_key_id", "monkey", "secrets", "tokens", "url", "name",
    ])
    func otherKeysSayNothing(_ key: String) {
        #expect(matches("\(key) = \"\(Self.value)\"\n") == [])
        #expect(matches("\(key): \(Self.value)\n") == [])
    }

    @Test(arguments: [
        "if password == \"VALUE\" {",
        "assert token != \"VALUE\"",
        "password = get_password(\"VALUE\")",
        "password = os.environ[\"VALUE\"]",
        "token = fetch(VALUE)",
        "password: !vault |",
        "password:\n  VALUE",
        "password = \"VALUE",
        "password = \"\"",
        "password=",
        "token_url: https://auth.example.net/VALUE",
    ])
    func expressionsAndComparisonsAreNoAssignments(_ template: String) {
        let text = template.replacingFirst("VALUE", with: Self.value)
        #expect(matches(text) == [], "in \(text.debugDescription)")
    }

    @Test func valueEqualToItsKeyName() {
        #expect(matches("API_KEY_PRIMARY_TOKEN=API_KEY_PRIMARY_TOKEN\n") == [])
        #expect(matches("X1_PASSWORD=X1_PASSWORD\n") == [])
        #expect(matches("X1_PASSWORD=X1_PASSWORd\n") == [])
        #expect(matches("dbPassword: dbPassword1\n") == [])
        #expect(matches("AUTH_TOKEN='token-4f9a-Q2'\n") == [])
    }

    @Test func theSpecificRuleWinsOverTheGenericOne() {
        let pat = Fixture.githubToken("ghp_", seed: 301)
        #expect(matches("GITHUB_TOKEN=\(pat)\n") == [Match("github-pat", pat)])
        let stripe = "sk_live_" + Fixture.random(30, Fixture.alnum, seed: 302)
        #expect(matches("stripe:\n  secret_key: \"\(stripe)\"\n") == [Match("stripe-secret-key", stripe)])
        // A value in a format with a rule of its own is left to that rule, even when it is off
        // or rejects the value (a wrong checksum, the jwt.io example).
        #expect(matches("stripe:\n  secret_key: \"\(stripe)\"\n", rules: ["generic-secret"]) == [])
        var wrong = Array(pat)
        wrong[10] = wrong[10] == "Q" ? "R" : "Q"
        #expect(matches("GITHUB_TOKEN=\(String(wrong))\n") == [])
        let example = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
            + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        #expect(matches("ACCESS_TOKEN=\(example)\n") == [])
    }

    @Test(arguments: [
        "db_password = os.environ.get(\"DB_PASSWORD\", \"VALUE\")\n",
        "\tos.Setenv(\"API_KEY\", \"VALUE\")\n",
        "token = ENV.fetch('AUTH_TOKEN', 'VALUE')\n",
        "process.env.AUTH_TOKEN = process.env.AUTH_TOKEN || \"VALUE\";\n",
        "const secret = config.secret ?? 'VALUE'\n",
    ])
    func defaultsAndCallArguments(_ template: String) {
        let text = template.replacingFirst("VALUE", with: Self.value)
        #expect(matches(text).map(\.text) == [Self.value], "in \(text.debugDescription)")
    }

    @Test func aStringPairIsAnAssignmentOnlyAsCallArguments() {
        #expect(matches("[\"password\", \"\(Self.value)\"]") == [])
        #expect(matches("{\"token_uri\": \"https://oauth2.googleapis.com/token\", \"cert_url\": \"x509_cert_url\"}") == [])
        #expect(matches("get(\"password\", \"\(Self.value)\")") == [Match("generic-password", Self.value)])
        #expect(matches("get(\"password\", fallback)") == [])
    }

    @Test(arguments: ["WqIcnEgxIieLxrupk", "bGRnulzxrZerzkWc", "H6*+KKFbC***Nr_Rk.N5Z", "Xk9!mQ2%pL7^wR3*", "qzxvbnmkwhtjplrf"])
    func randomLettersAndSymbolsAreFindings(_ value: String) {
        #expect(matches("static let ldapBindPassword = \"\(value)\"\n") == [Match("generic-password", value)])
        #expect(matches("export LDAP_BIND_PASSWORD=\(value)\n") == [Match("generic-password", value)])
    }

    @Test(arguments: [
        "vault:secret/data/app#token", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
        "op://vault/item/password", "projects/acme/secrets/db-password/versions/latest",
    ])
    func secretStoreReferencesAreNotFindings(_ value: String) {
        #expect(matches("DB_PASSWORD=\(value)\n") == [])
        #expect(matches("secret: \"\(value)\"\n") == [])
    }
}

@Suite struct AWSSecretKeyTests {
    static let secret = Fixture.random(40, Fixture.base64, seed: 310)

    @Test(arguments: [
        "[default]\naws_access_key_id = AKIAZ7Q2KXH4LMNP3RTV\naws_secret_access_key = VALUE\n",
        "AWS_SECRET_ACCESS_KEY=VALUE\n",
        "export AWS_SECRET_ACCESS_KEY=\"VALUE\"\n",
        "{\"aws_secret_access_key\": \"VALUE\"}",
        "aws:\n  secretAccessKey: 'VALUE'\n",
        "{\"Credentials\": {\"SecretAccessKey\": \"VALUE\"}}",
        "AWS_SECRET=VALUE\n",
    ])
    func findsTheSecretKey(_ template: String) {
        let text = template.replacingFirst("VALUE", with: Self.secret)
        #expect(matches(text).filter { $0.rule == "aws-secret-access-key" } == [Match("aws-secret-access-key", Self.secret)])
        #expect(matches(text).allSatisfy { $0.rule != "generic-secret" })
    }

    @Test func position() {
        let text = "aws_secret_access_key = \(Self.secret)\n"
        #expect(scan(text) == [Finding(rule: "aws-secret-access-key", confidence: .high, start: 24, end: 64,
                                       line: 1, column: 25, endLine: 1, endColumn: 65)])
    }

    @Test func rejectsOtherShapes() {
        #expect(matches("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n") == [])
        #expect(matches("aws_secret_access_key = \(Self.secret.dropLast())\n").allSatisfy { $0.rule != "aws-secret-access-key" })
        #expect(matches("aws_secret_access_key = \(Self.secret)A\n").allSatisfy { $0.rule != "aws-secret-access-key" })
        #expect(matches("aws_access_key_id_value = \(Self.secret)\n") == [])  // no "secret" in the key
        #expect(matches("aws_secret_access_key = \(String(repeating: "A", count: 40))\n") == [])
        #expect(matches("aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}\n") == [])
    }

    @Test func anAWSSecretKeyOfAnotherShapeIsAGenericSecret() {
        let value = Fixture.random(24, Fixture.alnum, seed: 311)
        #expect(matches("AWS_SECRET=\(value)\n") == [Match("generic-secret", value)])
    }
}

@Suite struct GCPServiceAccountTests {
    static let pem = "-----BEGIN PRIVATE KEY-----\\n" + Fixture.random(64, Fixture.base64, seed: 320) + "\\n"
        + Fixture.random(64, Fixture.base64, seed: 321) + "\\n" + Fixture.random(20, Fixture.base64, seed: 322) + "==\\n-----END PRIVATE KEY-----\\n"

    static func keyFile(typeFirst: Bool = true, type: String = "service_account") -> String {
        let typeLine = "  \"type\": \"\(type)\",\n"
        let keyLines = "  \"private_key_id\": \"\(Fixture.random(40, Fixture.hex, seed: 323))\",\n  \"private_key\": \"\(pem)\",\n"
        return "{\n" + (typeFirst ? typeLine : "") + "  \"project_id\": \"my-project\",\n" + keyLines
            + "  \"client_email\": \"svc@my-project.iam.gserviceaccount.com\",\n" + (typeFirst ? "" : typeLine)
            + "  \"token_uri\": \"https://oauth2.googleapis.com/token\"\n}\n"
    }

    @Test func reportsThePrivateKeyValue() {
        let file = Self.keyFile()
        let start = offset(of: Self.pem, in: file)
        #expect(scan(file) == [Finding(rule: "gcp-service-account", confidence: .high, start: start, end: start + Self.pem.utf8.count,
                                       line: 5, column: 19, endLine: 5, endColumn: 19 + Self.pem.utf8.count)])
        #expect(matches(Self.keyFile(typeFirst: false)) == [Match("gcp-service-account", Self.pem)])
        let minified = Self.keyFile().filter { $0 != "\n" }.replacing("  ", with: "").replacing(": ", with: ":")
        #expect(matches(minified) == [Match("gcp-service-account", Self.pem)])
    }

    @Test func theTypeMustBeInTheSameObject() {
        // A service-account key file elsewhere in the document does not make another object's
        // private key one.
        let other = "{\"tls\": {\"private_key\": \"" + Self.pem + "\"},\n \"gcp\": " + Self.keyFile() + "}"
        #expect(matches(other).map(\.rule) == ["private-key", "gcp-service-account"])
        // The field names are Google's: `privateKey` is no key file's.
        #expect(matches(Self.keyFile().replacing("\"private_key\"", with: "\"privateKey\"")).map(\.rule) == ["private-key"])
    }

    @Test func withoutTheServiceAccountTypeItIsAPrivateKey() {
        let file = Self.keyFile(type: "authorized_user")
        #expect(matches(file).map(\.rule) == ["private-key"])
        #expect(matches(Self.keyFile(), rules: ["private-key"]).map(\.rule) == ["private-key"])
    }
}

@Suite struct AzureConnectionStringTests {
    static let key = Fixture.random(86, Fixture.base64, seed: 330) + "=="

    @Test func findsTheWholeConnectionString() {
        let string = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=\(Self.key);EndpointSuffix=core.windows.net"
        let text = "AZURE_STORAGE_CONNECTION_STRING=\"\(string)\"\n"
        #expect(scan(text) == [Finding(rule: "azure-storage-connection-string", confidence: .high, start: 33,
                                       end: 33 + string.utf8.count, line: 1, column: 34, endLine: 1, endColumn: 34 + string.utf8.count)])
        let short = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=\(Self.key)"
        #expect(matches("conn: \(short)\n") == [Match("azure-storage-connection-string", short)])
    }

    @Test(arguments: [
        "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=\(key.dropFirst())",
        "DefaultEndpointsProtocol=https;AccountName=acme;EndpointSuffix=core.windows.net",
        "DefaultEndpointsProtocol=https;AccountKey=\(key)",
        "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=<your-account-key>",
        "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + String(repeating: "A", count: 86) + "==",
    ])
    func rejectsIncompleteStrings(_ text: String) {
        #expect(matches(text) == [])
    }
}
