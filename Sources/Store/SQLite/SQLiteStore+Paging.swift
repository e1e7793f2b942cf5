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
                conditions.append(versions.isEmpty ? "0" : "o.version_us IN (\(Self.placeholders(versions.count)))")
                arguments += StatementArguments(versions)
            }
            if let specs = query.specVersions {
                conditions.append(specs.isEmpty ? "0" : "o.spec_version IN (\(Self.placeholders(specs.count)))")
                arguments += StatementArguments(specs)
            } else {
                conditions.append("o.spec_version = (SELECT max(v.spec_version) FROM objects v WHERE \(sameObject))")
            }
            let sql = """
                SELECT o.seq, o.stix_id, o.type, o.date_added_us, o.version_us, o.raw FROM objects o
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY o.seq LIMIT \(limit + 1)
                """
            var objects: [StoredObject] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                let version: Int64 = row[4]
                let raw: Data = row[5]
                objects.append(StoredObject(sequence: row[0], collectionID: query.collectionID, id: row[1], type: row[2],
                                            dateAdded: row[3], modified: version == 0 ? nil : version, raw: [UInt8](raw)))
            }
            let more = objects.count > limit
            if more { objects.removeLast() }
            let next = more ? objects.last.map { PageCursor(dateAdded: $0.dateAdded, sequence: $0.sequence) } : nil
            return ObjectPage(objects: objects, more: more, next: next)
        }
    }

    static func placeholders(_ n: Int) -> String {
        Array(repeating: "?", count: n).joined(separator: ",")
    }
}
