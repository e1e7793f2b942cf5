import Foundation
import NIOCore
import PostgresNIO
import STIX
import Store

extension PostgresStore {
    public func ingest(from source: some IngestSource, into collectionID: String, options: IngestOptions) async throws -> IngestReport {
        defer { source.finish() }
        do {
            return try await ingestTransaction(from: source, into: collectionID, options: options)
        } catch let refused as Rollback {
            return refused.report
        }
    }

    /// The ingest's transaction; refusing the whole bundle throws `Rollback` with the report.
    private func ingestTransaction(from source: some IngestSource, into collectionID: String, options: IngestOptions) async throws -> IngestReport {
        try await transaction { db in
            var report = IngestReport()
            // One writer at a time across nodes: sequence numbers in commit order, and
            // date_added strictly after every earlier ingest's.
            try await db.run(sql("SELECT pg_advisory_xact_lock($1)", [Self.writeLock]))
            // Rows this transaction adds are invisible to the statistics until it commits: on a
            // young table the planner would scan all objects for each chunk's id lookup (a 1M
            // bundle into an empty store became quadratic). Every lookup here has an index.
            try await db.run(sql("SET LOCAL enable_seqscan = off", []))
            guard let collection = try await db.rows(sql("SELECT num FROM collections WHERE id = $1", [collectionID])).first?.int(0) else {
                throw StoreError.unknownCollection(collectionID)
            }
            let last = try await db.rows(sql("SELECT value FROM meta WHERE key = 'last_date_added_us'", [])).first?.int(0) ?? 0
            let dateAdded = max(Self.nowMicros(), last + 1)
            var writer = PostgresObjectWriter(db: db, collection: collection, dateAdded: dateAdded, owner: options.ownerOrganisation)
            var chunk: [(object: IndexedObject, index: Int)] = []
            var idsInChunk: Set<String> = []
            func flush() async throws {
                guard !chunk.isEmpty else { return }
                let outcomes = try await writer.insert(chunk)
                for ((object, index), outcome) in zip(chunk, outcomes) {
                    report.record(outcome, id: object.id, version: object.versionText, index: index, recordAccepted: options.recordAccepted)
                }
                chunk.removeAll(keepingCapacity: true)
                idsInChunk.removeAll(keepingCapacity: true)
            }
            while let batch = try await Self.next(source) {
                for element in batch {
                    guard let (object, index) = report.admit(element, partial: options.partial) else { continue }
                    // Versions of one object are judged against each other in order: a repeated
                    // id starts a new chunk.
                    if idsInChunk.contains(object.id) || chunk.count >= PostgresObjectWriter.chunkSize { try await flush() }
                    chunk.append((object, index))
                    idsInChunk.insert(object.id)
                }
                if chunk.count >= PostgresObjectWriter.chunkSize / 2 { try await flush() }
                options.progress?(report)
            }
            try await flush()
            if report.rejectedCount > 0 && !options.partial {
                report.added = 0
                report.unchanged = 0
                throw Rollback(report: report)
            }
            if report.added > 0 {
                try await db.run(sql("UPDATE meta SET value = $1 WHERE key = 'last_date_added_us'", [dateAdded]))
                try await Self.bumpGeneration(db)
                report.dateAdded = dateAdded
            }
            report.committed = true
            return report
        }
    }

    /// Ends the transaction without storing anything, carrying the report out.
    private struct Rollback: Error {
        var report: IngestReport
    }

    /// Pulls the next batch off a blocking source without holding a concurrency thread.
    static func next(_ source: some IngestSource) async throws -> [PreparedElement]? {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try source.nextBatch() })
            }
        }
    }
}
