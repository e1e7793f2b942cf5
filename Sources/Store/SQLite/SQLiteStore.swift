import Foundation
import GRDB
import STIX

/// The SQLite implementation of `ObjectStore` (GRDB, WAL mode: one writer, concurrent readers).
///
/// ```swift
/// let store = try SQLiteStore(directory: "./accord-data")
/// ```
public final class SQLiteStore: ObjectStore {
    /// The underlying connection pool.
    let pool: DatabasePool
    /// Path of the database file.
    public let path: String
    /// The database file's path.
    public var location: String { path }

    /// Opens (creating if needed) the store in `directory`, migrating the schema.
    public init(directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw StoreError.unusableDirectory("\(directory) exists and is not a directory") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError.unusableDirectory("cannot create data directory \(directory): \(error.localizedDescription)")
            }
        }
        path = (directory as NSString).appendingPathComponent("accord.sqlite")
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            // NORMAL is crash-safe in WAL mode (a kill -9 loses no committed transaction);
            // only an OS crash may lose the last commits, never consistency.
            try db.execute(sql: "PRAGMA page_size = 8192; PRAGMA synchronous = NORMAL; \(Self.readerCache); PRAGMA temp_store = MEMORY")
        }
        pool = try DatabasePool(path: path, configuration: config)
        try SQLiteSchema.migrator.migrate(pool)
    }

    /// The page cache of every reading connection (16 MB); the writer takes 256 MB while it ingests.
    static let readerCache = "PRAGMA cache_size = -16384"

    /// Runs a read on the calling thread, outside a transaction. Reads here are short: running
    /// them in place saves the two thread hops of GRDB's asynchronous read, and skipping the
    /// BEGIN/COMMIT pair a third of a small request's database time. Each statement sees
    /// committed data; none of these reads needs one snapshot across its statements (pages
    /// bound themselves by sequence numbers, which only grow).
    func read<T>(_ body: (Database) throws -> T) throws -> T { try pool.unsafeRead(body) }

    /// Runs a read on the calling thread's own connection (`ThreadConnection`), for the
    /// synchronous fast path of event-loop threads.
    func threadRead<T>(_ body: (ThreadConnection) throws -> T) throws -> T {
        try body(ThreadConnections.current(path: path))
    }

    public func collections() async throws -> [CollectionInfo] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.collectionColumns) FROM collections ORDER BY created_us, id").map(Self.collection)
        }
    }

    public func collection(_ key: String) async throws -> CollectionInfo? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.collectionColumns) FROM collections WHERE id = ? OR alias = ?", arguments: [key, key]).map(Self.collection)
        }
    }

    public func createCollection(alias: String, title: String, description: String?, visibility: CollectionVisibility,
                                 defaultLevel: TLP, readOnly: Bool) async throws -> CollectionInfo {
        let info = CollectionInfo(id: STIXUUID.random().description, alias: alias, title: title, description: description,
                                  visibility: visibility, defaultLevel: defaultLevel, readOnly: readOnly)
        let (kind, owner) = visibility.columns
        try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM collections WHERE alias = ?", arguments: [alias]) == true {
                throw StoreError.duplicateAlias(alias)
            }
            switch visibility {
            case .public: break
            case .community(let id):
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM communities WHERE id = ?", arguments: [id]) == true else {
                    throw StoreError.unknown(kind: "community", key: id)
                }
            case .privateTo(let id):
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM organisations WHERE id = ?", arguments: [id]) == true else {
                    throw StoreError.unknown(kind: "organisation", key: id)
                }
            }
            try db.execute(sql: """
                INSERT INTO collections(id, alias, title, description, created_us, visibility, owner, default_tlp, read_only)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [info.id, alias, title, description, Self.nowMicros(), kind, owner, defaultLevel.rawValue, readOnly])
        }
        return info
    }

    public func ingest(from source: some IngestSource, into collectionID: String, options: IngestOptions) async throws -> IngestReport {
        defer { source.finish() }
        return try await pool.writeWithoutTransaction { db in
            var report = IngestReport()
            // The writer inserts each object before its index rows, so foreign keys hold by
            // construction; checking them costs a lookup per index row. Deletions keep them on.
            // A large page cache only for the writer, only while it ingests: the transaction's
            // pages stay in memory instead of spilling, while readers keep small caches.
            try db.execute(sql: "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -262144")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON; \(Self.readerCache)") }
            try db.inTransaction(.immediate) {
                guard let collection = try Int64.fetchOne(db, sql: "SELECT num FROM collections WHERE id = ?", arguments: [collectionID]) else {
                    throw StoreError.unknownCollection(collectionID)
                }
                let last = try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'last_date_added_us'") ?? 0
                // Strictly after every earlier ingest, so `added_after` never hides a later batch.
                let dateAdded = max(Self.nowMicros(), last + 1)
                let firstSeq = (try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'objects'") ?? 0) + 1
                var writer = try SQLiteObjectWriter(db: db, collection: collection, dateAdded: dateAdded,
                                                    owner: options.ownerOrganisation, firstSequenceOfIngest: firstSeq)
                while let batch = try source.nextBatch() {
                    for element in batch {
                        guard let (object, index) = report.admit(element, partial: options.partial) else { continue }
                        report.record(try writer.insert(object), id: object.id, version: object.versionText, index: index,
                                      recordAccepted: options.recordAccepted)
                    }
                    options.progress?(report)
                }
                if report.rejectedCount > 0 && !options.partial {
                    report.added = 0
                    report.unchanged = 0
                    return .rollback
                }
                if report.added > 0 {
                    try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'last_date_added_us'", arguments: [dateAdded])
                    try Self.bumpGeneration(db)
                    report.dateAdded = dateAdded
                }
                report.committed = true
                return .commit
            }
            return report
        }
    }

    public func statistics() async throws -> StoreStatistics {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.alias, o.type, COUNT(DISTINCT o.stix_id), COUNT(*)
                FROM objects o JOIN collections c ON c.num = o.collection
                GROUP BY c.alias, o.type ORDER BY c.alias, o.type
                """)
            return StoreStatistics(rows: rows.map { StoreStatistics.Row(collection: $0[0], type: $0[1], objects: $0[2], versions: $0[3]) })
        }
    }

    /// Runs SQLite's own consistency check; returns its findings ("ok" when sound).
    public func integrityCheck() async throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    static let collectionColumns = "id, alias, title, description, visibility, owner, default_tlp, read_only"

    static func collection(_ row: Row) -> CollectionInfo {
        CollectionInfo(id: row[0], alias: row[1], title: row[2], description: row[3],
                       visibility: CollectionVisibility(kind: row[4], owner: row[5]), defaultLevel: TLP(rawValue: row[6]) ?? .red, readOnly: row[7])
    }

    public func generation() async throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'generation'") ?? 0 }
    }

    /// Marks a change of what pages hold (see the `generation` meta row).
    /// Marks a change that may take away, or newly grant, read access to objects stored before
    /// (a deletion, a TLP:RED grant, an organisation's removal): derived views that only add
    /// what arrived since their cursors must rebuild instead.
    static func bumpReshape(_ db: Database) throws {
        try bumpGeneration(db)
        try db.execute(sql: "UPDATE meta SET value = value + 1 WHERE key = 'reshape'")
    }

    /// Records that readers' access to `id` may have changed (and that the store changed).
    static func logAccessChange(_ db: Database, _ id: String) throws {
        try bumpGeneration(db)
        try db.execute(sql: "INSERT INTO access_changes(stix_id) VALUES (?)", arguments: [id])
    }

    public func accessChanges(after position: Int64) async throws -> (ids: [String], position: Int64) {
        try read { db in
            if position < 0 { return ([], try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM access_changes") ?? 0) }
            let rows = try Row.fetchAll(db, sql: "SELECT seq, stix_id FROM access_changes WHERE seq > ? ORDER BY seq LIMIT 10001", arguments: [position])
            // Too many to replay: the caller rebuilds (a position beyond every change).
            if rows.count > 10_000 { return ([], Int64.max) }
            return (rows.map { $0[1] }, rows.last.map { $0[0] } ?? position)
        }
    }

    public func reshapeGeneration() async throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'reshape'") ?? 0 }
    }

    static func bumpGeneration(_ db: Database) throws {
        try db.execute(sql: "UPDATE meta SET value = value + 1 WHERE key = 'generation'")
    }

    static func nowMicros() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}

extension SQLiteStore: StoreInspection {
    /// The index rows of an object's versions, for inspection and tests.
    public func indexRows(for id: String) async throws -> (refs: Set<String>, observables: Set<String>, tlp: Int?) {
        try read { db in
            let refs = try String.fetchAll(db, sql: "SELECT r.target FROM object_refs r JOIN objects o ON o.seq = r.seq WHERE o.stix_id = ?", arguments: [id])
            let observables = try String.fetchAll(db, sql: "SELECT b.kind || '=' || b.value FROM observables b JOIN objects o ON o.seq = b.seq WHERE o.stix_id = ?", arguments: [id])
            let tlp = try Int.fetchOne(db, sql: "SELECT tlp FROM objects WHERE stix_id = ? LIMIT 1", arguments: [id])
            return (Set(refs), Set(observables), tlp)
        }
    }
}

extension SQLiteStore {
    /// How many reference and observable index rows the store holds, for inspection and tests.
    public func indexRowCounts() async throws -> (refs: Int, observables: Int) {
        try read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM object_refs") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM observables") ?? 0)
        }
    }
}
