import Benchmark
import Foundation
import GRDB
import STIX
import Store

/// The bundle both benchmarks read: `ACCORD_BENCH_BUNDLE`, made by `Benchmarks/make_bundle.py`.
let bundlePath = ProcessInfo.processInfo.environment["ACCORD_BENCH_BUNDLE"] ?? "/tmp/accord-bench-100k.json"

/// Collects every prepared element of a bundle (the baseline's pre-parsed rows).
func preparedObjects() throws -> [IndexedObject] {
    let pipeline = BundlePipeline(source: try FileByteSource(path: bundlePath))
    var out: [IndexedObject] = []
    while let batch = try pipeline.nextBatch() {
        for case .valid(let object, _, _) in batch { out.append(object) }
    }
    return out
}

func temporaryDirectory() -> String {
    NSTemporaryDirectory() + "accord-bench-" + UUID().uuidString
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .peakMemoryResident],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(120),
        maxIterations: 7
    )

    // The whole import path: stream the file, parse, validate, index, insert, commit.
    Benchmark("import: 100k-object bundle into a new SQLite store") { benchmark in
        for _ in benchmark.scaledIterations {
            let dir = temporaryDirectory()
            benchmark.startMeasurement()
            let store = try SQLiteStore(directory: dir)
            let collection = try await store.createCollection(alias: "bench", title: "bench", description: nil)
            let report = try await store.ingest(from: BundlePipeline(source: try FileByteSource(path: bundlePath)),
                                                into: collection.id, options: IngestOptions())
            benchmark.stopMeasurement()
            precondition(report.committed && report.added >= 100_000, "import failed: \(report.rejections.prefix(3))")
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    // The practical limit: the same rows, already parsed, inserted with plain GRDB cached
    // statements into the same schema in one transaction. No parsing, validation or checks.
    let rows = try! preparedObjects()
    Benchmark("baseline: raw GRDB insert of the same pre-parsed rows") { benchmark in
        for _ in benchmark.scaledIterations {
            let dir = temporaryDirectory()
            do {  // create the schema, then let go of the store
                let store = try SQLiteStore(directory: dir)
                _ = try await store.createCollection(alias: "bench", title: "bench", description: nil)
            }
            benchmark.startMeasurement()
            var config = Configuration()
            config.prepareDatabase { db in
                // The same settings the store's writer uses while it ingests.
                try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF")
            }
            let queue = try DatabaseQueue(path: dir + "/accord.sqlite", configuration: config)
            try await queue.write { db in
                let object = try db.cachedStatement(sql: """
                    INSERT INTO objects(collection, stix_id, type, version_us, created_us, date_added_us, spec_version,
                                        created_by_ref, revoked, tlp, owner_org, raw)
                    VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)
                    """)
                let ref = try db.cachedStatement(sql: "INSERT OR IGNORE INTO object_refs(seq, target, property) VALUES (?, ?, ?)")
                let observable = try db.cachedStatement(sql: "INSERT OR IGNORE INTO observables(seq, kind, value) VALUES (?, ?, ?)")
                for o in rows {
                    try object.execute(arguments: [o.id, o.type, o.modified ?? 0, o.created, 1, o.specVersion,
                                                   o.createdByRef, o.revoked, o.tlp?.rawValue, Data(o.raw)])
                    let seq = db.lastInsertedRowID
                    for r in o.refs { try ref.execute(arguments: [seq, r.target, r.property]) }
                    for b in o.observables { try observable.execute(arguments: [seq, b.kind, b.value]) }
                }
            }
            try queue.close()
            benchmark.stopMeasurement()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    // Keyset paging: a page of 1,000 at the start and 90,000 objects deep cost the same.
    let paged = temporaryDirectory()
    let pagingStore = try! SQLiteStore(directory: paged)
    nonisolated(unsafe) var pagingCollection = ""
    nonisolated(unsafe) var deepCursor: PageCursor?
    nonisolated(unsafe) var member = ""
    // Either paging benchmark may run first (they run in name order), so both prepare the store.
    let preparePaging: @Sendable () async throws -> Void = {
        guard pagingCollection.isEmpty else { return }
        let c = try await pagingStore.createCollection(alias: "paging", title: "paging", description: nil)
        _ = try await pagingStore.ingest(from: BundlePipeline(source: try FileByteSource(path: bundlePath)), into: c.id, options: IngestOptions())
        pagingCollection = c.id
        member = try await pagingStore.createOrganisation(name: "member", country: "KR", sector: "government").id
        var cursor: PageCursor?
        for _ in 0..<90 { cursor = try await pagingStore.page(PageQuery(collectionID: c.id, cursor: cursor, limit: 1000)).next }
        deepCursor = cursor
    }
    Benchmark("page: 1,000 objects at the start of a 100k collection", configuration: .init(maxIterations: 50, setup: {
        try await preparePaging()
    })) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try await pagingStore.page(PageQuery(collectionID: pagingCollection, limit: 1000)))
        }
    }
    // The access policy's cost: the same pages of 100, read by the local operator (no policy
    // in the query) and by an organisation (the policy as SQL conditions on every row).
    for (name, viewer) in [("policy: 100 pages of 100, a) read without policy (local operator)", { Viewer.system }),
                           ("policy: 100 pages of 100, b) read by an organisation (policy applied)", { Viewer.organisation(member) })] {
        Benchmark(name, configuration: .init(timeUnits: .microseconds, maxIterations: 60, setup: { try await preparePaging() })) { benchmark in
            for _ in benchmark.scaledIterations {
                var query = PageQuery(collectionID: pagingCollection, limit: 100)
                query.viewer = viewer()
                for _ in 0..<100 {
                    let page = try await pagingStore.page(query)
                    blackHole(page)
                    query.cursor = page.next
                }
            }
        }
    }
    Benchmark("page: 1,000 objects 90,000 deep in a 100k collection", configuration: .init(maxIterations: 50, setup: {
        try await preparePaging()
    })) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try await pagingStore.page(PageQuery(collectionID: pagingCollection, cursor: deepCursor, limit: 1000)))
        }
    }
}
