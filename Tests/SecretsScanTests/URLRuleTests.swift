import SecretsScan
import Testing

@Suite struct URLRuleTests {
    static let password = Fixture.random(16, Fixture.alnum, seed: 200)

    @Test(arguments: [
        ("postgres://app:PASSWORD@db.internal:5432/app", "postgres-url"),
        ("postgresql://app:PASSWORD@db.internal/app?sslmode=require", "postgres-url"),
        ("postgresql+psycopg2://app:PASSWORD@localhost/app", "postgres-url"),
        ("jdbc:postgresql://app:PASSWORD@db:5432/app", "postgres-url"),
        ("mysql://root:PASSWORD@127.0.0.1:3306/shop", "mysql-url"),
        ("mysql+pymysql://root:PASSWORD@mysql/shop", "mysql-url"),
        ("mongodb://admin:PASSWORD@mongo1:27017,mongo2:27017/db?replicaSet=rs0", "mongodb-url"),
        ("mongodb+srv://svc:PASSWORD@cluster0.ab1cd.mongodb.net/app", "mongodb-url"),
        ("redis://default:PASSWORD@cache:6379/0", "redis-url"),
        ("redis://:PASSWORD@cache:6379", "redis-url"),
        ("rediss://:PASSWORD@cache.example.net:6380", "redis-url"),
        ("amqp://guest:PASSWORD@rabbit:5672/vhost", "amqp-url"),
        ("amqps://svc:PASSWORD@mq.internal", "amqp-url"),
    ])
    func reportsThePassword(_ template: String, _ rule: String) {
        let url = template.replacingFirst("PASSWORD", with: Self.password)
        for text in [url, "DATABASE_URL=\(url)\n", "  url: \"\(url)\"\n", "conn = '\(url)'"] {
            #expect(matches(text) == [Match(rule, Self.password)], "in \(text)")
        }
    }

    @Test func position() {
        let text = "[db]\nurl = \"postgres://app:\(Self.password)@db/app\"\n"
        let start = offset(of: Self.password, in: text)
        #expect(scan(text) == [Finding(rule: "postgres-url", confidence: .high, start: start, end: start + 16,
                                       line: 2, column: 23, endLine: 2, endColumn: 39)])
    }

    @Test func passwordsWithSymbols() {
        // Percent-encoded and raw symbols; the last @ ends the user information.
        #expect(matches("postgres://u:p%40ss%3Aw0rd!x@h/db") == [Match("postgres-url", "p%40ss%3Aw0rd!x")])
        #expect(matches("redis://u:a@b:c@host:6379") == [Match("redis-url", "a@b:c")])
    }

    @Test(arguments: [
        "postgres://db.internal:5432/app",  // no user information
        "postgres://app@db.internal:5432/app",  // a user, no password
        "postgres://app:@db.internal/app",  // an empty password
        "mysql://root:${MYSQL_PASSWORD}@db/shop",
        "mongodb://user:<password>@cluster0.mongodb.net",
        "redis://:password@localhost:6379",
        "amqp://guest:guest@localhost:5672",  // equal to the user: the documentation default
        "postgres://user:****@db/app",
        "postgres://user:xxxxxxxx@db/app",
        "postgres://user:changeme@db/app",
        "postgres://user:$DB_PASS@db/app",
        "postgres://user:test@db/app",
        "postgres://postgres:mysecretpassword@localhost:5432/postgres",
        "mysql://root:%s@db/shop",
        "redis://:{password}@cache:6379",
        "https://user:" + Fixture.random(16, Fixture.alnum, seed: 201) + "@example.net/",  // not a database scheme
        "xpostgres://u:" + Fixture.random(16, Fixture.alnum, seed: 202) + "@h/",
        "postgres://app/path?user=a@b",  // @ after the authority
    ])
    func noPasswordNoFinding(_ text: String) {
        #expect(matches(text) == [])
    }

    @Test func slackWebhookIsTheWholeURL() {
        let url = "https://hooks.slack.com/services/T024BE7LD/B0XYZ1234/" + Fixture.random(24, Fixture.alnum, seed: 203)
        let text = "SLACK_WEBHOOK_URL=\(url)\n"
        #expect(scan(text) == [Finding(rule: "slack-webhook", confidence: .high, start: 18, end: 18 + url.utf8.count,
                                       line: 1, column: 19, endLine: 1, endColumn: 19 + url.utf8.count)])
        #expect(matches("https://hooks.slack.com/services/T024BE7LD/") == [])
        #expect(matches("https://hooks.slack.com/workflows/T024BE7LD/B0XYZ1234/" + Fixture.random(24, Fixture.alnum, seed: 204)) == [])
    }
}
