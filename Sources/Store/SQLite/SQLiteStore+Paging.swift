import Foundation
import GRDB

extension SQLiteStore {
    public func page(_ query: PageQuery) async throws -> ObjectPage {
        let limit = max(1, query.limit)
        return try await pool.read { db in
            guard let collection = try Int64.fetchOne(db, sql: "SELECT num FROM collections WHERE id = ?", arguments: [query.collectionID]) else {
                throw StoreError.unknownCollection(query.collectionID)
            }
            // Both bounds become one lower bound on seq (see the schema): one index seek.
            var lowerBound = query.cursor?.sequence ?? 0
            if let after = query.addedAfter {
                let last = try Int64.fetchOne(db, sql: """
                    SELECT seq FROM objects WHERE collection = ? AND date_added_us <= ?
                    ORDER BY date_added_us DESC, seq DESC LIMIT 1
                    """, arguments: [collection, after]) ?? 0
                lowerBound = max(lowerBound, last)
            }
            var conditions = ["o.collection = ?", "o.seq > ?"]
            var arguments: StatementArguments = [collection, lowerBound]
            if !query.ids.isEmpty {
                conditions.append("o.stix_id IN (\(Self.placeholders(query.ids.count)))")
                arguments += StatementArguments(query.ids.map { $0.lowercased() })
            }
            if !query.types.isEmpty {
                conditions.append("o.type IN (\(Self.placeholders(query.types.count)))")
                arguments += StatementArguments(query.types)
            }
            let sameObject = "v.collection = o.collection AND v.stix_id = o.stix_id"
            switch query.versions {
            case .last: conditions.append("o.version_us = (SELECT max(v.version_us) FROM objects v WHERE \(sameObject))")
            case .first: conditions.append("o.version_us = (SELECT min(v.version_us) FROM objects v WHERE \(sameObject))")
            case .all: break
            case .exact(let versions):
                // The version TAXII reports: modified, else created, else date_added.
                conditions.append(versions.isEmpty ? "0" : "(CASE WHEN o.version_us = 0 THEN coalesce(o.created_us, o.date_added_us) ELSE o.version_us END) IN (\(Self.placeholders(versions.count)))")
                arguments += StatementArguments(versions)
            }
            if let specs = query.specVersions {
                conditions.append(specs.isEmpty ? "0" : "o.spec_version IN (\(Self.placeholders(specs.count)))")
                arguments += StatementArguments(specs)
            } else {
                conditions.append("o.spec_version = (SELECT max(v.spec_version) FROM objects v WHERE \(sameObject))")
            }
            let sql = """
                SELECT o.seq, o.stix_id, o.type, o.date_added_us, o.version_us, o.spec_version, o.version_text\(query.withContent ? ", o.raw" : "") FROM objects o
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY o.seq LIMIT \(limit + 1)
                """
            var objects: [StoredObject] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                let version: Int64 = row[4]
                let raw: [UInt8] = query.withContent ? [UInt8](row[7] as Data) : []
                objects.append(StoredObject(sequence: row[0], collectionID: query.collectionID, id: row[1], type: row[2],
                                            dateAdded: row[3], modified: version == 0 ? nil : version, raw: raw, specVersion: row[5],
                                            versionText: row[6]))
            }
            let more = objects.count > limit
            if more { objects.removeLast() }
            let next = more ? objects.last.map { PageCursor(dateAdded: $0.dateAdded, sequence: $0.sequence) } : nil
            return ObjectPage(objects: objects, more: more, next: next)
        }
    }

    public func delete(id: String, from collectionID: String, versions: VersionFilter) async throws -> Int {
        try await pool.write { db in
            guard let collection = try Int64.fetchOne(db, sql: "SELECT num FROM collections WHERE id = ?", arguments: [collectionID]) else {
                throw StoreError.unknownCollection(collectionID)
            }
            var condition = ""
            var arguments: StatementArguments = [collection, id.lowercased()]
            switch versions {
            case .all: break
            case .last: condition = " AND version_us = (SELECT max(version_us) FROM objects WHERE collection = ?1 AND stix_id = ?2)"
            case .first: condition = " AND version_us = (SELECT min(version_us) FROM objects WHERE collection = ?1 AND stix_id = ?2)"
            case .exact(let list):
                condition = list.isEmpty ? " AND 0" : " AND version_us IN (\(Self.placeholders(list.count)))"
                arguments += StatementArguments(list)
            }
            // Index rows go with their object (ON DELETE CASCADE; foreign keys are on outside ingest).
            try db.execute(sql: "DELETE FROM objects WHERE collection = ?1 AND stix_id = ?2" + condition, arguments: arguments)
            return db.changesCount
        }
    }

    static func placeholders(_ n: Int) -> String {
        Array(repeating: "?", count: n).joined(separator: ",")
    }
}
