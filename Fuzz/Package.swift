// swift-tools-version: 6.1
// Fuzzing for the STIX pattern parser and evaluator (Patterning, Matching, STIX's JSON parser).
// A package of its own so it builds in its own scratch folder: see README.md.
import PackageDescription

let package = Package(
    name: "AccordFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Accord", path: ".."),
    ],
    targets: [
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "PatternFuzz",
            dependencies: [
                "CFuzzerDriver",
                .product(name: "Patterning", package: "Accord"),
                .product(name: "STIX", package: "Accord"),
                .product(name: "Matching", package: "Accord"),
            ]
        ),
    ]
)
