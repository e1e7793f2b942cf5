import Foundation
import NIOCore
import PostgresNIO
import Store

extension PostgresStore: TableSource {
    public func rows(of table: TableSpec, in range: ClosedRange<Int64>?) async throws -> [[CellValue]] {
        var q = SQL("SELECT \(table.columns.map(\.name).joined(separator: ", ")) FROM \(table.name)")
        if let key = table.rangeKey, let range {
            q.append(" WHERE \(key) BETWEEN \(q.bind(range.lowerBound)) AND \(q.bind(range.upperBound))")
        }
        // Byte order for text, as SQLite compares.
        let textColumns = Set(table.columns.filter { $0.kind == .text }.map(\.name))
        q.append(" ORDER BY " + table.orderBy.map { textColumns.contains($0) ? "\($0) COLLATE \"C\"" : $0 }.joined(separator: ", "))
        return try await rows(q.query).map { row in
            try table.columns.indices.map { i -> CellValue in
                switch table.columns[i].kind {
                case .integer: return try row[i].decode(Int64?.self).map(CellValue.integer) ?? .null
                case .boolean: return try row[i].decode(Bool?.self).map(CellValue.boolean) ?? .null
                case .text: return try row[i].decode(String?.self).map(CellValue.text) ?? .null
                case .blob: return try row[i].decode(ByteBuffer?.self).map { .blob(Array($0.readableBytesView)) } ?? .null
                }
            }
        }
    }

    public func extent(of table: TableSpec) async throws -> (count: Int64, maxKey: Int64) {
        let count = try await rows(sql("SELECT count(*) FROM \(table.name)", [])).first?.int(0) ?? 0
        var maxKey: Int64 = 0
        if let key = table.rangeKey { maxKey = try await rows(sql("SELECT coalesce(max(\(key)), 0) FROM \(table.name)", [])).first?.int(0) ?? 0 }
        return (count, maxKey)
    }

    /// Copies rows of several tables in one transaction (COPY, text format): the unit an
    /// interrupted migration resumes after. Rows already present in a small table are skipped.
    public func copy(_ batches: [(table: TableSpec, rows: [[CellValue]])]) async throws {
        try await transaction { db in
            for (table, rows) in batches where !rows.isEmpty {
                let columns = table.columns.map(\.name)
                if table.rangeKey == nil {
                    // Small tables may be copied again by a resumed run: through a scratch table,
                    // keeping what is there.
                    try await db.run(PostgresQuery(unsafeSQL: "CREATE TEMP TABLE copy_scratch (LIKE \(table.name)) ON COMMIT DROP"))
                    try await Self.copyRows(rows).copy(into: "copy_scratch", columns: columns, db)
                    try await db.run(PostgresQuery(unsafeSQL: """
                        INSERT INTO \(table.name)(\(columns.joined(separator: ", "))) SELECT \(columns.joined(separator: ", ")) FROM copy_scratch ON CONFLICT DO NOTHING
                        """))
                    try await db.run(PostgresQuery(unsafeSQL: "DROP TABLE copy_scratch"))
                } else {
                    try await Self.copyRows(rows).copy(into: table.name, columns: columns, db)
                }
            }
        }
    }

    /// Rows in COPY's text format, with the ingest writer's encoder.
    private static func copyRows(_ rows: [[CellValue]]) -> CopyRows {
        var out = CopyRows()
        for row in rows {
            out.row { r in
                for cell in row {
                    switch cell {
                    case .null: r.int(nil)
                    case .integer(let v): r.int(v)
                    case .boolean(let b): r.bool(b)
                    case .text(let t): r.text(t)
                    case .blob(let b): r.bytes(b)
                    }
                }
            }
        }
        return out
    }

    /// Whether the database holds objects or collections that no migration put there.
    public func holdsOwnContent() async throws -> Bool {
        let marked = try await !rows(sql("SELECT 1 FROM meta WHERE key = 'migrated_from_sqlite'", [])).isEmpty
        if marked { return false }
        return try await !rows(sql("SELECT 1 FROM collections LIMIT 1", [])).isEmpty
    }

    /// Marks the database as the target of a migration in progress (so a rerun may resume).
    public func markMigrationTarget() async throws {
        try await run(sql("INSERT INTO meta(key, value) VALUES ('migrated_from_sqlite', 0) ON CONFLICT (key) DO NOTHING", []))
    }

    /// Ends a migration: the source's counters, sequences past every copied key, and the
    /// search documents rebuilt from the copied objects.
    public func finishMigration(meta: [String: Int64]) async throws {
        try await writeTransaction { db in
            for key in ["last_date_added_us", "generation", "reshape"] {
                if let value = meta[key] {
                    try await db.run(sql("UPDATE meta SET value = greatest(value, $1) WHERE key = $2", [value, key]))
                }
            }
            try await Self.bumpReshape(db)
            for (table, column) in [("objects", "seq"), ("collections", "num"), ("access_changes", "seq")] {
                try await db.run(PostgresQuery(unsafeSQL: """
                    SELECT setval(pg_get_serial_sequence('\(table)', '\(column)'), greatest((SELECT coalesce(max(\(column)), 0) FROM \(table)), 1))
                    """))
            }
            try await db.run(sql("DELETE FROM search_docs", []))
            try await db.run(PostgresQuery(unsafeSQL: """
                INSERT INTO search_docs(stix_id, version_us, doc)
                SELECT stix_id, version_us, \(Self.searchDocumentOfJSON)
                FROM (SELECT DISTINCT ON (stix_id) stix_id, version_us, \(Self.rawJSON) AS j FROM objects
                      ORDER BY stix_id, version_us DESC, seq DESC) latest
                """))
            try await db.run(sql("UPDATE meta SET value = 1 WHERE key = 'migrated_from_sqlite'", []))
        }
    }
}
