// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "secrets-agent",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "secrets-agent", targets: ["secrets-agent"]),
        .executable(name: "secrets-agent-bench", targets: ["secrets-agent-bench"]),
        .executable(name: "secrets-agent-scan-bench", targets: ["secrets-agent-scan-bench"]),
        .library(name: "SecretsClient", targets: ["SecretsClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C modules: the only places C is imported.
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium",
                       providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "CShims"),

        .target(name: "SecretsCrypto", dependencies: ["CSodium", "CShims"]),
        .target(name: "SecretsCore"),
        .target(name: "SecretsStore", dependencies: ["CSQLite", "SecretsCore", "SecretsCrypto"]),
        .target(name: "SecretsProtocol", dependencies: [
            "SecretsCore",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ], exclude: ["Generated/README.md"]),
        .target(name: "SecretsAgentKit", dependencies: [
            "CShims", "SecretsCore", "SecretsCrypto", "SecretsStore", "SecretsProtocol",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        .target(name: "SecretsClient", dependencies: [
            "SecretsCore", "SecretsCrypto", "SecretsProtocol",
        ]),
        .target(name: "SecretsScan", dependencies: ["SecretsCore"]),
        .target(name: "SecretsExec", dependencies: [
            "CShims", "SecretsCore", "SecretsCrypto", "SecretsClient", "SecretsProtocol",
        ]),
        .executableTarget(name: "secrets-agent", dependencies: [
            "SecretsCore", "SecretsCrypto", "SecretsStore", "SecretsAgentKit", "SecretsClient", "SecretsExec", "SecretsScan",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "secrets-agent-example", dependencies: ["SecretsClient", "SecretsCore"]),
        .executableTarget(name: "secrets-agent-bench", dependencies: [
            "CShims", "secrets-agent", "SecretsCore", "SecretsProtocol", "SecretsClient",  // secrets-agent: built with it, run as a child
        ]),
        .executableTarget(name: "secrets-agent-scan-bench", dependencies: ["SecretsScan", "SecretsCore"]),

        .testTarget(name: "SecretsCryptoTests", dependencies: ["SecretsCrypto"],
                    resources: [.copy("Vectors")]),
        .testTarget(name: "SecretsCoreTests", dependencies: ["SecretsCore"],
                    resources: [.copy("Vectors")]),
        .testTarget(name: "SecretsStoreTests", dependencies: ["SecretsStore", "SecretsCrypto"]),
        .testTarget(name: "SecretsProtocolTests", dependencies: [
            "SecretsProtocol", "SecretsCore", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        .testTarget(name: "SecretsAgentKitTests", dependencies: [
            "SecretsAgentKit", "SecretsCore", "SecretsCrypto", "SecretsStore",
        ]),
        .testTarget(name: "SecretsClientTests", dependencies: ["SecretsClient", "SecretsCore", "SecretsProtocol"]),
        .testTarget(name: "SecretsScanTests", dependencies: ["SecretsScan", "SecretsCore"]),
        .testTarget(name: "SecretsExecTests", dependencies: ["SecretsExec", "SecretsCore", "SecretsCrypto"]),
        .testTarget(name: "IntegrationTests", dependencies: [
            "secrets-agent", "secrets-agent-example", "SecretsClient", "SecretsProtocol", "SecretsCore",
        ]),
    ],
    swiftLanguageModes: [.v6]
)
