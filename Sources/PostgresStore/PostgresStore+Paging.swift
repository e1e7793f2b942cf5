import PostgresNIO
import STIX
import Store

extension PostgresStore {
    public func page(_ query: PageQuery) async throws -> ObjectPage {
        try await withConnection { db in try await Self.page(db, query) }
    }

    /// A collection's number and what `viewer` may read in it; nil when it does not exist or
    /// is hidden from the viewer (the two look the same).
    static func collectionReach(_ db: PostgresConnection, _ key: String, _ viewer: Viewer) async throws -> (num: Int64, reach: AccessPolicy.Reach, defaultLevel: Int64)? {
        guard let row = try await db.rows(sql("""
            SELECT num, visibility, owner, default_tlp,
                   EXISTS (SELECT 1 FROM community_members m WHERE m.community = c.owner AND m.organisation = $2)
            FROM collections c WHERE id = $1 OR alias = $1 ORDER BY id = $1 DESC LIMIT 1
            """, [key, viewer.organisation ?? ""])).first else { return nil }
        let member = try row.bool(4)
        let visibility = CollectionVisibility(kind: try row.string(1), owner: try row.optionalString(2))
        let reach = AccessPolicy.reach(viewer, visibility: visibility) { _ in member }
        return try reach.map { (try row.int(0), $0, try row.int(3)) }
    }

    /// The access policy as a condition on the `objects` row named `o` (AccessPolicy.canRead,
    /// in SQL); nil when everything is readable.
    static func policyCondition(_ reach: AccessPolicy.Reach, defaultLevel: Int64, alias o: String, _ q: inout SQL) -> String? {
        if reach.unrestricted || reach.maxLevel == .red { return nil }
        let level = "coalesce(\(o).tlp, \(defaultLevel))"
        guard let org = reach.organisation else { return "\(level) <= \(reach.maxLevel.rawValue)" }
        let a = q.bind(org), b = q.bind(org)
        return """
            (\(level) <= \(reach.maxLevel.rawValue) OR \(o).owner_org = \(a) OR (\(level) = \(TLP.red.rawValue) AND EXISTS (
                SELECT 1 FROM red_grants g WHERE g.stix_id = \(o).stix_id AND g.owner_org = \(o).owner_org AND g.recipient = \(b))))
            """
    }

    static func page(_ db: PostgresConnection, _ query: PageQuery) async throws -> ObjectPage {
        guard let (collection, reach, defaultLevel) = try await collectionReach(db, query.collectionID, query.viewer) else {
            throw StoreError.unknownCollection(query.collectionID)
        }
        return try await page(db, query, collection: collection, reach: reach, defaultLevel: defaultLevel)
    }

    /// One page of a resolved collection, read as `reach` allows; the same rules as the SQLite
    /// store's page, in PostgreSQL's dialect.
    static func page(_ db: PostgresConnection, _ query: PageQuery, collection: Int64, reach: AccessPolicy.Reach, defaultLevel: Int64) async throws -> ObjectPage {
        let limit = max(1, query.limit)
        var lowerBound = query.cursor?.sequence ?? 0
        if let after = query.addedAfter {
            if let last = try await db.rows(sql("""
                SELECT seq FROM objects WHERE collection = $1 AND date_added_us <= $2 ORDER BY date_added_us DESC, seq DESC LIMIT 1
                """, [collection, after])).first {
                lowerBound = max(lowerBound, try last.int(0))
            }
        }
        var q = SQL()
        var conditions = ["o.collection = \(q.bind(collection))", "o.seq > \(q.bind(lowerBound))"]
        if !query.ids.isEmpty { conditions.append("o.stix_id = ANY(\(q.bind(query.ids.map { $0.lowercased() })))") }
        if !query.types.isEmpty { conditions.append("o.type = ANY(\(q.bind(query.types)))") }
        if let target = query.referencing {
            conditions.append("""
                o.seq IN (SELECT r.seq FROM object_refs r WHERE r.target = \(q.bind(target.lowercased())) \
                AND r.property IN ('source_ref', 'target_ref', 'sighting_of_ref'))
                """)
        }
        if let condition = policyCondition(reach, defaultLevel: defaultLevel, alias: "o", &q) { conditions.append(condition) }
        // First, last and the latest spec version are chosen among the versions the reader may
        // read (see the SQLite store): flags answer unless an unreadable rival exists.
        func amongReadable(_ flag: Int64, rival: String) -> String {
            guard let readable = policyCondition(reach, defaultLevel: defaultLevel, alias: "v", &q) else { return "(o.flags & \(flag)) <> 0" }
            return """
                ((o.flags & \(flag)) <> 0 OR NOT EXISTS (SELECT 1 FROM objects v WHERE v.collection = o.collection AND v.stix_id = o.stix_id \
                AND \(rival) AND \(readable)))
                """
        }
        let sameSpec = "v.spec_version = o.spec_version"
        switch query.versions {
        case .last: conditions.append(amongReadable(1, rival: "\(sameSpec) AND v.version_us > o.version_us"))
        case .first: conditions.append(amongReadable(2, rival: "\(sameSpec) AND v.version_us < o.version_us"))
        case .all: break
        case .exact(let versions):
            conditions.append(versions.isEmpty ? "false" : """
                (CASE WHEN o.version_us = 0 THEN coalesce(o.created_us, o.date_added_us) ELSE o.version_us END) = ANY(\(q.bind(versions)))
                """)
        }
        if let specs = query.specVersions {
            conditions.append("o.spec_version = ANY(\(q.bind(specs)))")
        } else {
            conditions.append(amongReadable(4, rival: "v.spec_version > o.spec_version"))
        }
        q.append("""
            SELECT o.seq, o.stix_id, o.type, o.date_added_us, o.version_us, o.spec_version, o.version_text, coalesce(o.tlp, \(defaultLevel)), o.owner_org\
            \(query.withContent ? ", o.raw" : "") FROM objects o
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY o.seq LIMIT \(limit + 1)
            """)
        let rows = try await db.rows(q.query)
        var objects: [StoredObject] = []
        objects.reserveCapacity(min(rows.count, limit + 1))
        let contentOnly = query.contentOnly && query.withContent
        for row in rows {
            let level = TLP(rawValue: Int(try row.int(7)))
            if contentOnly {
                objects.append(StoredObject(sequence: try row.int(0), collectionID: query.collectionID, id: level == .red ? try row.string(1) : "",
                                            type: "", dateAdded: try row.int(3), modified: nil, raw: try row.bytes(9), level: level))
                continue
            }
            let version = try row.int(4)
            objects.append(StoredObject(sequence: try row.int(0), collectionID: query.collectionID, id: try row.string(1), type: try row.string(2),
                                        dateAdded: try row.int(3), modified: version == 0 ? nil : version,
                                        raw: query.withContent ? try row.bytes(9) : [], specVersion: try row.string(5),
                                        versionText: try row.optionalString(6), level: level, owner: try row.optionalString(8)))
        }
        let more = objects.count > limit
        if more { objects.removeLast() }
        let next = more ? objects.last.map { PageCursor(dateAdded: $0.dateAdded, sequence: $0.sequence) } : nil
        return ObjectPage(objects: objects, more: more, next: next)
    }

    public func delete(id: String, from collectionID: String, versions: VersionFilter, by viewer: Viewer) async throws -> Int {
        let id = id.lowercased()
        return try await writeTransaction { db in
            guard let collection = try await db.rows(sql("""
                SELECT num FROM collections WHERE id = $1 OR alias = $1 ORDER BY id = $1 DESC LIMIT 1
                """, [collectionID])).first?.int(0) else {
                throw StoreError.unknownCollection(collectionID)
            }
            var q = SQL()
            var condition = "collection = \(q.bind(collection)) AND stix_id = \(q.bind(id))"
            switch viewer {
            case .system: break
            case .anonymous: return 0
            case .organisation(let org): condition += " AND owner_org = \(q.bind(org))"
            }
            switch versions {
            case .all: break
            case .last: condition += " AND (flags & 1) <> 0"
            case .first: condition += " AND (flags & 2) <> 0"
            case .exact(let list): condition += list.isEmpty ? " AND false" : " AND version_us = ANY(\(q.bind(list)))"
            }
            q.append("DELETE FROM objects WHERE \(condition) RETURNING seq")
            let removed = try await db.rows(q.query).map { try $0.int(0) }
            guard !removed.isEmpty else { return 0 }
            try await db.run(sql("DELETE FROM object_refs WHERE seq = ANY($1)", [removed]))
            try await db.run(sql("DELETE FROM observables WHERE seq = ANY($1)", [removed]))
            try await Self.refreshFlags(db, collection: collection, ids: [id])
            try await Self.reindexSearch(db, id: id)
            try await Self.logAccessChange(db, id)
            return removed.count
        }
    }

    /// Recomputes which version is first, last and of the latest spec version, for every
    /// version of these objects (see the SQLite store's `VersionFlags`).
    static func refreshFlags(_ db: PostgresConnection, collection: Int64, ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        try await db.run(sql("""
            UPDATE objects o SET flags = f.flags FROM (
                SELECT seq,
                       (CASE WHEN version_us = max(version_us) OVER (PARTITION BY stix_id, spec_version) THEN 1 ELSE 0 END)
                     | (CASE WHEN version_us = min(version_us) OVER (PARTITION BY stix_id, spec_version) THEN 2 ELSE 0 END)
                     | (CASE WHEN spec_version = max(spec_version) OVER (PARTITION BY stix_id) THEN 4 ELSE 0 END) AS flags
                FROM objects WHERE collection = $1 AND stix_id = ANY($2)
            ) f WHERE o.seq = f.seq AND o.flags <> f.flags
            """, [collection, ids]))
    }
}
