/// The credential rules the corpus plants, in report order: every id the scanner's final
/// rule set will have, whether or not `Scanner.rules` knows it yet (an unknown rule scores
/// recall 0). For each: the variable names a credential of that kind is assigned to, and
/// the file kinds it is planted in, round-robin, so every rule appears in varied contexts.
enum RuleCatalog {
    struct Profile: Sendable {
        let id: String
        /// UPPER_SNAKE names; file kinds re-case them (camelCase in JSON, snake in YAML...).
        let names: [String]
        let contexts: [FileKind]
    }

    /// Credentials planted per rule.
    static let plantsPerRule = 20

    private static let services: [FileKind] = [.env, .yaml, .json, .python, .javascript, .go, .toml, .shell, .ci, .swift]
    private static let aiKeys: [FileKind] = [.env, .python, .javascript, .yaml, .shell, .swift, .toml, .ci, .markdown, .json]
    private static let github: [FileKind] = [.env, .shell, .ci, .yaml, .python, .javascript, .go, .log, .markdown, .json]
    private static let payments: [FileKind] = [.env, .python, .javascript, .yaml, .json, .go, .swift, .toml, .log]
    private static let databases: [FileKind] = [.env, .yaml, .json, .toml, .python, .go, .javascript, .shell, .log, .ci, .swift]
    private static let keywords: [FileKind] = [.env, .yaml, .json, .toml, .ini, .python, .javascript, .go, .swift, .shell, .ci]

    static let profiles: [Profile] = [
        Profile(id: "aws-access-key-id", names: ["AWS_ACCESS_KEY_ID"],
                contexts: [.ini, .env, .yaml, .python, .shell, .ci, .json, .log, .markdown, .toml]),
        Profile(id: "aws-secret-access-key", names: ["AWS_SECRET_ACCESS_KEY"],
                contexts: [.ini, .env, .yaml, .python, .shell, .ci, .json, .toml, .go]),
        Profile(id: "gcp-service-account", names: ["GOOGLE_CREDENTIALS", "GCP_SA_KEY", "SERVICE_ACCOUNT_JSON"],
                contexts: [.serviceAccount, .yaml, .env, .python, .json]),
        Profile(id: "gcp-api-key", names: ["GOOGLE_API_KEY", "FIREBASE_API_KEY", "MAPS_API_KEY"],
                contexts: [.javascript, .json, .env, .yaml, .python, .swift, .log, .markdown, .go]),
        Profile(id: "azure-storage-connection-string", names: ["AZURE_STORAGE_CONNECTION_STRING", "BLOB_CONNECTION_STRING"],
                contexts: [.env, .json, .yaml, .python, .toml, .shell, .go, .javascript]),
        Profile(id: "github-pat", names: ["GITHUB_TOKEN", "GH_TOKEN", "GITHUB_PAT"], contexts: github),
        Profile(id: "github-oauth", names: ["GITHUB_OAUTH_TOKEN", "GH_OAUTH_TOKEN"], contexts: github),
        Profile(id: "github-user-token", names: ["GITHUB_USER_TOKEN", "GH_APP_USER_TOKEN"], contexts: github),
        Profile(id: "github-server-token", names: ["GITHUB_INSTALLATION_TOKEN", "GH_APP_TOKEN"], contexts: github),
        Profile(id: "github-refresh-token", names: ["GITHUB_REFRESH_TOKEN", "GH_REFRESH_TOKEN"], contexts: github),
        Profile(id: "github-fine-grained-pat", names: ["GITHUB_TOKEN", "GH_PAT", "RELEASE_TOKEN"], contexts: github),
        Profile(id: "gitlab-pat", names: ["GITLAB_TOKEN", "GL_TOKEN", "CI_PUSH_TOKEN"], contexts: github),
        Profile(id: "slack-token", names: ["SLACK_BOT_TOKEN", "SLACK_TOKEN"], contexts: services),
        Profile(id: "slack-webhook", names: ["SLACK_WEBHOOK_URL", "ALERTS_WEBHOOK"],
                contexts: [.env, .yaml, .json, .shell, .python, .javascript, .ci, .markdown, .toml]),
        Profile(id: "twilio-api-key", names: ["TWILIO_API_KEY", "TWILIO_KEY_SID"], contexts: services),
        Profile(id: "sendgrid-api-key", names: ["SENDGRID_API_KEY", "MAIL_API_KEY"], contexts: services),
        Profile(id: "mailgun-api-key", names: ["MAILGUN_API_KEY", "MG_KEY"], contexts: services),
        Profile(id: "stripe-secret-key", names: ["STRIPE_SECRET_KEY", "STRIPE_API_KEY"], contexts: payments),
        Profile(id: "stripe-restricted-key", names: ["STRIPE_RESTRICTED_KEY", "STRIPE_READ_KEY"], contexts: payments),
        Profile(id: "stripe-webhook-secret", names: ["STRIPE_WEBHOOK_SECRET", "WEBHOOK_SIGNING_SECRET"], contexts: payments),
        Profile(id: "openai-api-key", names: ["OPENAI_API_KEY", "OPENAI_KEY"], contexts: aiKeys),
        Profile(id: "anthropic-api-key", names: ["ANTHROPIC_API_KEY", "CLAUDE_API_KEY"], contexts: aiKeys),
        Profile(id: "huggingface-token", names: ["HF_TOKEN", "HUGGINGFACE_HUB_TOKEN"], contexts: aiKeys),
        Profile(id: "npm-token", names: ["NPM_TOKEN", "NODE_AUTH_TOKEN"], contexts: [.ini, .env, .ci, .shell, .yaml, .markdown]),
        Profile(id: "pypi-token", names: ["PYPI_TOKEN", "TWINE_PASSWORD", "PYPI_API_TOKEN"],
                contexts: [.ini, .env, .ci, .shell, .toml, .yaml]),
        Profile(id: "jwt", names: ["ACCESS_TOKEN", "ID_TOKEN", "SESSION_JWT"],
                contexts: [.log, .shell, .env, .json, .python, .javascript, .markdown, .yaml, .go]),
        Profile(id: "private-key", names: ["TLS_KEY", "SIGNING_KEY", "PRIVATE_KEY"],
                contexts: [.keyFile, .yaml, .python, .shell, .env, .json, .markdown, .go, .ci]),
        Profile(id: "openssh-private-key", names: ["SSH_PRIVATE_KEY", "DEPLOY_KEY"],
                contexts: [.keyFile, .yaml, .shell, .ci, .markdown, .python]),
        Profile(id: "pgp-private-key", names: ["GPG_PRIVATE_KEY", "SIGNING_KEY"],
                contexts: [.keyFile, .yaml, .shell, .ci, .markdown]),
        Profile(id: "postgres-url", names: ["DATABASE_URL", "POSTGRES_DSN", "DB_URL"], contexts: databases),
        Profile(id: "mysql-url", names: ["MYSQL_URL", "DATABASE_URL"], contexts: databases),
        Profile(id: "mongodb-url", names: ["MONGO_URL", "MONGODB_URI"], contexts: databases),
        Profile(id: "redis-url", names: ["REDIS_URL", "CACHE_URL"], contexts: databases),
        Profile(id: "amqp-url", names: ["AMQP_URL", "RABBITMQ_URL", "BROKER_URL"], contexts: databases),
        Profile(id: "generic-password",
                names: ["DB_PASSWORD", "PASSWORD", "SMTP_PASSWORD", "ADMIN_PASSWORD", "POSTGRES_PASSWORD", "LDAP_BIND_PASSWORD"],
                contexts: keywords),
        Profile(id: "generic-secret",
                names: ["CLIENT_SECRET", "APP_SECRET", "JWT_SECRET", "SESSION_SECRET", "OAUTH_CLIENT_SECRET"],
                contexts: keywords),
        Profile(id: "generic-token",
                names: ["AUTH_TOKEN", "API_TOKEN", "ACCESS_TOKEN", "BEARER_TOKEN", "SERVICE_TOKEN"],
                contexts: keywords),
        Profile(id: "generic-api-key",
                names: ["API_KEY", "SERVICE_API_KEY", "X_API_KEY", "PAYMENTS_API_KEY", "SEARCH_API_KEY"],
                contexts: keywords),
        Profile(id: "telegram-bot-token", names: ["TELEGRAM_BOT_TOKEN", "TG_BOT_TOKEN"], contexts: services),
        Profile(id: "digitalocean-token", names: ["DIGITALOCEAN_TOKEN", "DO_API_TOKEN"], contexts: services),
        Profile(id: "shopify-token", names: ["SHOPIFY_ACCESS_TOKEN", "SHOPIFY_ADMIN_TOKEN"], contexts: services),
        Profile(id: "databricks-token", names: ["DATABRICKS_TOKEN", "DATABRICKS_PAT"], contexts: services),
        Profile(id: "doppler-token", names: ["DOPPLER_TOKEN", "DOPPLER_SERVICE_TOKEN"], contexts: services),
        Profile(id: "linear-api-key", names: ["LINEAR_API_KEY", "LINEAR_KEY"], contexts: services),
        Profile(id: "mailchimp-api-key", names: ["MAILCHIMP_API_KEY", "MC_API_KEY"], contexts: services),
        Profile(id: "discord-bot-token", names: ["DISCORD_BOT_TOKEN", "DISCORD_TOKEN"], contexts: services),
        Profile(id: "square-access-token", names: ["SQUARE_ACCESS_TOKEN", "SQUARE_TOKEN"], contexts: services),
        Profile(id: "atlassian-api-token", names: ["ATLASSIAN_API_TOKEN", "JIRA_API_TOKEN"], contexts: services),
    ]

    /// Every rule id, in report order.
    static let ids: [String] = profiles.map(\.id)

    static func profile(_ id: String) -> Profile {
        profiles.first { $0.id == id }!
    }

    /// Rules whose credential spans several lines (labeled on the BEGIN line).
    static let blockRules: Set<String> = ["private-key", "openssh-private-key", "pgp-private-key"]
    /// Rules that only mean something beside their keyword, so a context must keep the
    /// name on the credential's line.
    static let keywordRules: Set<String> = [
        "aws-secret-access-key", "generic-password", "generic-secret", "generic-token", "generic-api-key",
    ]
}
