import Benchmark
import Foundation
import Matching

/// Deterministic indicator values: IPv4 addresses, domains and SHA-256 hashes, a third each.
func value(_ i: Int) -> (ObservableProperty, String) {
    switch i % 3 {
    case 0: return (PlainObservable.ipv4.property, "10.\(i >> 16 & 255).\(i >> 8 & 255).\(i & 255)")
    case 1: return (PlainObservable.domain.property, "host\(i).example")
    default:
        var hasher = Hasher()
        hasher.combine(i)
        let h = UInt64(bitPattern: Int64(hasher.finalize()))
        return (PlainObservable.sha256.property, String(repeating: String(h, radix: 16).leftPadded(16), count: 4))
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}

/// The pattern an indicator of `value(i)` carries.
func pattern(_ i: Int) -> String {
    let (property, text) = value(i)
    let path = property.steps.map { $0.contains("-") ? "'\($0)'" : $0 }.joined(separator: ".")
    return "[\(property.type):\(path) = '\(text)']"
}

func index(_ count: Int) -> IndicatorIndex {
    var index = IndicatorIndex()
    for i in 0..<count {
        try! index.add(IndexedIndicator(id: "indicator--\(i)", name: nil, pattern: pattern(i)))
    }
    return index
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .peakMemoryResident],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(120),
        maxIterations: 5
    )

    // Index construction: parse every pattern, extract its atoms, insert them.
    Benchmark("matching: build the index of 1M equality indicators", configuration: .init(scalingFactor: .one)) { benchmark in
        benchmark.startMeasurement()
        let built = index(1_000_000)
        benchmark.stopMeasurement()
        precondition(built.count == 1_000_000)
    }

    // Lookups: 1M plain observables (1% of them indicators) against 100k indicators, one core.
    let hundredK = index(100_000)
    let observables: [(ObservableProperty, String)] = (0..<1_000_000).map { n in
        n % 100 == 0 ? value(n % 100_000) : value(200_000 + n)
    }
    Benchmark("matching: 1M observables against 100k equality indicators", configuration: .init(scalingFactor: .mega)) { benchmark in
        var hits = 0
        for (property, text) in observables {
            hits += hundredK.matches(property, value: text, time: 0).count
        }
        blackHole(hits)
        precondition(hits == 10_000, "expected 10,000 hits, got \(hits)")
    }
}
