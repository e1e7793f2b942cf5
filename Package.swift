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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .target(name: "Patterning"),
        .target(
            name: "STIX",
            dependencies: ["Patterning", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "Store",
            dependencies: ["STIX", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        .target(name: "TAXII", dependencies: ["Store", "STIX"]),
        .executableTarget(
            name: "accord",
            dependencies: [
                "STIX", "Store",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "PatterningTests", dependencies: ["Patterning"]),
        .testTarget(name: "STIXTests", dependencies: ["STIX"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "STIX"]),
        .testTarget(name: "TAXIITests", dependencies: ["TAXII", "Store", "STIX"]),
        .testTarget(name: "AccordCLITests", dependencies: ["accord", "Store", "STIX"]),
    ]
)
