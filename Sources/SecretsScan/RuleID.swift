/// The rules `Scanner` knows, in the order of `Scanner.rules`: the raw value is the index
/// there and the bit in a `Scanner`'s mask of enabled rules.
enum RuleID: Int, CaseIterable, Sendable {
    case awsAccessKeyID, awsSecretAccessKey, gcpServiceAccount, gcpAPIKey, azureStorageConnectionString
    case githubPAT, githubOAuth, githubUserToken, githubServerToken, githubRefreshToken, githubFineGrainedPAT
    case gitlabPAT, slackToken, slackWebhook, twilioAPIKey, sendgridAPIKey, mailgunAPIKey
    case stripeSecretKey, stripeRestrictedKey, stripeWebhookSecret, openaiAPIKey, anthropicAPIKey
    case huggingfaceToken, npmToken, pypiToken, jwt, privateKey, opensshPrivateKey, pgpPrivateKey
    case postgresURL, mysqlURL, mongodbURL, redisURL, amqpURL
    case genericPassword, genericSecret, genericToken, genericAPIKey
    case telegramBotToken, digitaloceanToken, shopifyToken, databricksToken, dopplerToken, linearAPIKey
    case mailchimpAPIKey, discordBotToken, squareAccessToken, atlassianAPIToken

    var rule: Rule { Rule(id: spec.id, description: spec.description, confidence: spec.confidence) }

    /// Which of two overlapping candidates of equal confidence is kept: the higher tier (a
    /// structure spanning a block over the token inside it, a prefixed token over a keyword
    /// assignment), then the longer match.
    var tier: Int { spec.tier }

    private var spec: (id: String, description: String, confidence: Confidence, tier: Int) {
        switch self {
        case .awsAccessKeyID: ("aws-access-key-id", "AWS access key id", .high, 2)
        case .awsSecretAccessKey: ("aws-secret-access-key", "AWS secret access key assigned to an aws…secret key", .high, 1)
        case .gcpServiceAccount: ("gcp-service-account", "Google Cloud service account private key (JSON key file)", .high, 4)
        case .gcpAPIKey: ("gcp-api-key", "Google Cloud API key", .high, 2)
        case .azureStorageConnectionString:
            ("azure-storage-connection-string", "Azure storage connection string with an account key", .high, 3)
        case .githubPAT: ("github-pat", "GitHub personal access token (classic, checksum verified)", .high, 2)
        case .githubOAuth: ("github-oauth", "GitHub OAuth access token (checksum verified)", .high, 2)
        case .githubUserToken: ("github-user-token", "GitHub App user-to-server token (checksum verified)", .high, 2)
        case .githubServerToken: ("github-server-token", "GitHub App installation token (checksum verified)", .high, 2)
        case .githubRefreshToken: ("github-refresh-token", "GitHub App refresh token (checksum verified)", .high, 2)
        case .githubFineGrainedPAT: ("github-fine-grained-pat", "GitHub fine-grained personal access token", .high, 2)
        case .gitlabPAT: ("gitlab-pat", "GitLab personal access token", .high, 2)
        case .slackToken: ("slack-token", "Slack bot, user, app or refresh token", .high, 2)
        case .slackWebhook: ("slack-webhook", "Slack incoming webhook URL", .high, 3)
        case .twilioAPIKey: ("twilio-api-key", "Twilio API key SID", .medium, 2)
        case .sendgridAPIKey: ("sendgrid-api-key", "SendGrid API key", .high, 2)
        case .mailgunAPIKey: ("mailgun-api-key", "Mailgun API key", .medium, 2)
        case .stripeSecretKey: ("stripe-secret-key", "Stripe live secret key", .high, 2)
        case .stripeRestrictedKey: ("stripe-restricted-key", "Stripe live restricted key", .high, 2)
        case .stripeWebhookSecret: ("stripe-webhook-secret", "Stripe webhook signing secret", .high, 2)
        case .openaiAPIKey: ("openai-api-key", "OpenAI API key", .high, 2)
        case .anthropicAPIKey: ("anthropic-api-key", "Anthropic API key", .high, 2)
        case .huggingfaceToken: ("huggingface-token", "Hugging Face access token", .high, 2)
        case .npmToken: ("npm-token", "npm access token", .high, 2)
        case .pypiToken: ("pypi-token", "PyPI upload token", .high, 2)
        case .jwt: ("jwt", "JSON Web Token (header decodes to JSON with \"alg\")", .medium, 1)
        case .privateKey: ("private-key", "PEM private key block (RSA, EC, DSA, PKCS#8)", .high, 3)
        case .opensshPrivateKey: ("openssh-private-key", "OpenSSH private key block", .high, 3)
        case .pgpPrivateKey: ("pgp-private-key", "PGP private key block", .high, 3)
        case .postgresURL: ("postgres-url", "password in a PostgreSQL connection URL", .high, 1)
        case .mysqlURL: ("mysql-url", "password in a MySQL connection URL", .high, 1)
        case .mongodbURL: ("mongodb-url", "password in a MongoDB connection URL", .high, 1)
        case .redisURL: ("redis-url", "password in a Redis connection URL", .high, 1)
        case .amqpURL: ("amqp-url", "password in an AMQP connection URL", .high, 1)
        case .genericPassword: ("generic-password", "high-entropy value assigned to a password key", .medium, 0)
        case .genericSecret: ("generic-secret", "high-entropy value assigned to a secret key", .medium, 0)
        case .genericToken: ("generic-token", "high-entropy value assigned to a token key", .low, 0)
        case .genericAPIKey: ("generic-api-key", "high-entropy value assigned to an API key", .medium, 0)
        case .telegramBotToken: ("telegram-bot-token", "Telegram bot token", .high, 2)
        case .digitaloceanToken: ("digitalocean-token", "DigitalOcean personal access or OAuth token", .high, 2)
        case .shopifyToken: ("shopify-token", "Shopify access token or shared secret", .high, 2)
        case .databricksToken: ("databricks-token", "Databricks personal access token", .high, 2)
        case .dopplerToken: ("doppler-token", "Doppler token", .high, 2)
        case .linearAPIKey: ("linear-api-key", "Linear API key", .high, 2)
        case .mailchimpAPIKey: ("mailchimp-api-key", "Mailchimp API key", .high, 2)
        case .discordBotToken: ("discord-bot-token", "Discord bot token", .medium, 2)
        case .squareAccessToken: ("square-access-token", "Square access token", .medium, 2)
        case .atlassianAPIToken: ("atlassian-api-token", "Atlassian API token", .high, 2)
        }
    }
}
