// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Accord",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "accord", targets: ["accord"]),
        .library(name: "STIX", targets: ["STIX"]),
        .library(name: "Patterning", targets: ["Patterning"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "TAXII", targets: ["TAXII"]),
        .library(name: "Matching", targets: ["Matching"]),
        .library(name: "KnowledgeBase", targets: ["KnowledgeBase"]),
        .library(name: "PostgresStore", targets: ["PostgresStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/davecom/SwiftGraph", from: "4.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(name: "Patterning"),
        .target(
            name: "STIX",
            dependencies: ["Patterning", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "Store",
            dependencies: [
                "STIX", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "PostgresStore",
            dependencies: [
                "STIX", "Store",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "Matching", dependencies: ["Patterning", "STIX"]),
        .target(name: "KnowledgeBase", dependencies: ["STIX", "Store"], resources: [.copy("Resources/korean-peninsula.json")]),
        .target(name: "Web", dependencies: [
            "STIX", "Store", "KnowledgeBase",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "SwiftGraph", package: "SwiftGraph"),
        ], resources: [.copy("Templates"), .copy("Static")]),
        .target(name: "TAXII", dependencies: [
            "Store", "STIX", "Matching", "Web",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(
            name: "accord",
            dependencies: [
                "STIX", "Store", "PostgresStore", "TAXII", "Matching", "Patterning", "KnowledgeBase",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "PatterningTests", dependencies: ["Patterning"]),
        .testTarget(name: "STIXTests", dependencies: ["STIX"]),
        .testTarget(name: "MatchingTests", dependencies: ["Matching", "Patterning", "STIX"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "PostgresStore", "STIX"]),
        .testTarget(name: "KnowledgeBaseTests", dependencies: ["KnowledgeBase", "Store", "STIX"]),
        .testTarget(name: "TAXIITests", dependencies: [
            "TAXII", "Store", "STIX",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "AccordCLITests", dependencies: ["accord", "Store", "STIX"]),
    ]
)
