/// Words the filler is made of: service names, identifiers, prose.
enum Vocabulary {
    static let services = [
        "billing", "checkout", "payments", "ledger", "search", "catalog", "inventory", "auth", "gateway", "notifier",
        "mailer", "reports", "analytics", "ingest", "scheduler", "orders", "profile", "media", "thumbnails", "export",
        "webhooks", "audit", "pricing", "shipping", "recommender", "chat", "support", "admin", "metrics", "worker",
    ]
    static let nouns = [
        "account", "invoice", "session", "cache", "client", "config", "handler", "router", "queue", "batch", "record",
        "report", "upload", "message", "event", "policy", "schema", "widget", "order", "customer", "product", "user",
        "job", "task", "metric", "window", "buffer", "stream", "snapshot", "ticket", "region", "tenant", "plan",
    ]
    static let verbs = [
        "load", "fetch", "parse", "build", "render", "sync", "resolve", "validate", "update", "create", "delete",
        "merge", "schedule", "publish", "collect", "refresh", "compute", "format", "encode", "decode", "flush",
    ]
    static let adjectives = [
        "default", "primary", "legacy", "pending", "active", "internal", "remote", "local", "cached", "stale",
        "optional", "nightly", "regional", "shared", "readonly", "async", "batched", "secure", "verbose",
    ]
    static let prose = [
        "the", "service", "reads", "its", "configuration", "from", "environment", "and", "falls", "back", "to",
        "defaults", "when", "a", "value", "is", "missing", "requests", "are", "retried", "with", "exponential",
        "backoff", "each", "worker", "pulls", "jobs", "queue", "writes", "results", "database", "in", "batches",
        "deployments", "go", "through", "staging", "first", "then", "production", "after", "checks", "pass", "see",
        "runbook", "for", "rollback", "steps", "metrics", "exported", "every", "seconds", "alerts", "fire", "if",
        "latency", "exceeds", "budget", "cache", "entries", "expire", "after", "one", "hour", "by", "default",
    ]
    static let hosts = [
        "db.internal", "postgres-primary.prod.svc.cluster.local", "mysql.staging.internal", "10.0.3.17", "cache",
        "redis-master.default.svc", "rabbitmq.infra.internal", "mongo-0.mongo.data.svc", "db-replica-2.example.net",
        "localhost", "api.example.com", "queue.example.org",
    ]
    static let npmPackages = [
        "react", "react-dom", "lodash", "express", "axios", "chalk", "commander", "debug", "ms", "semver", "uuid",
        "yargs", "webpack", "babel-loader", "eslint", "prettier", "typescript", "jest", "zod", "dotenv", "cors",
        "body-parser", "mime-types", "tslib", "rxjs", "minimist", "glob", "rimraf", "postcss", "nanoid", "ws",
    ]
    static let goModules = [
        "github.com/spf13/cobra", "github.com/stretchr/testify", "golang.org/x/sys", "golang.org/x/net",
        "google.golang.org/grpc", "github.com/prometheus/client_golang", "go.uber.org/zap", "github.com/google/uuid",
        "github.com/jackc/pgx/v5", "gopkg.in/yaml.v3", "github.com/go-chi/chi/v5", "github.com/rs/zerolog",
    ]
    static let people = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory"]
    static let regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"]

    /// An identifier of two or three words in snake_case.
    static func identifier(_ rng: inout SplitMix64) -> String {
        var words = [rng.pick(verbs), rng.pick(nouns)]
        if rng.chance(40) { words.insert(rng.pick(adjectives), at: 1) }
        return words.joined(separator: "_")
    }

    /// A sentence of `count` words, capitalized, with a full stop.
    static func sentence(_ rng: inout SplitMix64, words count: Int) -> String {
        let words = (0..<count).map { _ in rng.pick(prose) }
        return words.joined(separator: " ").prefix(1).uppercased() + words.joined(separator: " ").dropFirst() + "."
    }

    /// A semantic version like `2.14.1`.
    static func version(_ rng: inout SplitMix64) -> String {
        "\(rng.int(in: 0...9)).\(rng.int(in: 0...30)).\(rng.int(in: 0...20))"
    }
}

/// Re-casing of UPPER_SNAKE names for the file kinds.
enum NameCase {
    static func snake(_ name: String) -> String { name.lowercased() }

    static func camel(_ name: String) -> String {
        let parts = name.lowercased().split(separator: "_")
        return parts.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
    }

    static func kebab(_ name: String) -> String { String(name.lowercased().map { $0 == "_" ? "-" : $0 }) }
}
