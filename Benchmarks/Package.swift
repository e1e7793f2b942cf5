// swift-tools-version: 6.1
// Benchmarks live in their own package so that the main build and CI do not compile the
// benchmark harness. Run: scripts/bench (or `swift package benchmark` in this folder).
import PackageDescription

let package = Package(
    name: "AccordBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Accord", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .executableTarget(
            name: "Ingest",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "STIX", package: "Accord"),
                .product(name: "Store", package: "Accord"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/Ingest",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "MatchingBench",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Matching", package: "Accord"),
            ],
            path: "Benchmarks/MatchingBench",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
