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
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Already in async-http-client's graph; named so SecretsUpstream can set a CA file.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // C modules: the only places C is imported.
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium",
                       providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "CShims"),
        // The benchmark's C floor: a framed echo server and client, C on both sides.
        .target(name: "CBenchFloor"),

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
        // The OpenBao / Vault upstream (DESIGN §9): the only module that speaks HTTP.
        .target(name: "SecretsUpstream", dependencies: [
            "SecretsCore", "SecretsCrypto", "SecretsAgentKit",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "SecretsClient", dependencies: [
            "SecretsCore", "SecretsCrypto", "SecretsProtocol",
        ]),
        .target(name: "SecretsScan", dependencies: ["SecretsCore"]),
        .target(name: "SecretsExec", dependencies: [
            "CShims", "SecretsCore", "SecretsCrypto", "SecretsClient", "SecretsProtocol",
        ]),
        .executableTarget(name: "secrets-agent", dependencies: [
            "SecretsCore", "SecretsCrypto", "SecretsStore", "SecretsProtocol", "SecretsAgentKit", "SecretsUpstream", "SecretsClient", "SecretsExec", "SecretsScan",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: [
            // Release builds of the agent link with lld, which packs the 119,000 relative
            // relocations of a static-stdlib binary into a 23 KB bitmap (DT_RELR; glibc 2.36+)
            // instead of 2.9 MB that the loader reads at every start, and without exporting
            // every symbol (gold's -export-dynamic default, 3 MB of tables nothing here looks
            // up). Measured with secrets-agent-bench: 4 MiB less resident, every process
            // (issue 9). Debug builds keep the defaults the test tools expect.
            .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                          "-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux], configuration: .release)),
        ]),
        .executableTarget(name: "secrets-agent-example", dependencies: ["SecretsClient", "SecretsCore"]),
        .executableTarget(name: "secrets-agent-bench", dependencies: [
            "CShims", "CBenchFloor", "secrets-agent", "SecretsCore", "SecretsProtocol", "SecretsClient",  // secrets-agent: built with it, run as a child
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
        .testTarget(name: "SecretsUpstreamTests", dependencies: ["SecretsUpstream", "SecretsAgentKit", "SecretsCore"]),
        .testTarget(name: "SecretsClientTests", dependencies: ["SecretsClient", "SecretsCore", "SecretsProtocol"]),
        .testTarget(name: "SecretsScanTests", dependencies: ["SecretsScan", "SecretsCore"]),
        .testTarget(name: "SecretsExecTests", dependencies: ["SecretsExec", "SecretsCore", "SecretsCrypto"]),
        .testTarget(name: "IntegrationTests", dependencies: [
            "secrets-agent", "secrets-agent-example", "SecretsClient", "SecretsProtocol", "SecretsCore",
        ]),
    ],
    swiftLanguageModes: [.v6]
)
