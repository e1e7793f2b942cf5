import Foundation
import NIOCore
import PostgresNIO
import STIX
import Store

/// Writes chunks of object versions inside an ingest's transaction, with COPY: one query reads
/// the versions already stored for the chunk's ids, the rules are judged here, and what is
/// accepted streams in with sequence numbers reserved from the table's sequence (the ingest
/// holds the write lock, so the block is contiguous and in commit order, and numbers are never
/// reused, even after deletions). Within a chunk every id appears once, so each version is
/// judged against the versions stored before it exactly as the SQLite writer judges them.
struct PostgresObjectWriter {
    typealias Outcome = WriteOutcome

    /// Objects per chunk.
    static let chunkSize = 2000

    let db: PostgresConnection
    let collection: Int64
    let dateAdded: Int64
    let owner: String?
    /// The first sequence number this ingest reserved (nil until a chunk reserves some).
    private(set) var firstSequenceOfIngest: Int64?

    init(db: PostgresConnection, collection: Int64, dateAdded: Int64, owner: String?) {
        self.db = db
        self.collection = collection
        self.dateAdded = dateAdded
        self.owner = owner
    }

    /// A stored version of one of the chunk's ids.
    private struct Stored {
        var version: Int64
        var created: Int64?
        var revoked: Bool
        var owner: String?
        var seq: Int64
    }

    /// Stores a chunk (ids unique within it); answers an outcome per object, in order.
    mutating func insert(_ chunk: [(object: IndexedObject, index: Int)]) async throws -> [Outcome] {
        let objects = chunk.map(\.object)
        var existing: [String: [Stored]] = [:]
        // One index probe per id (LATERAL, kept apart by OFFSET 0 so the planner cannot merge it
        // into a join): never a walk of the collection, whatever the statistics say about a
        // table this transaction is filling.
        for row in try await db.rows(sql("""
            SELECT o.stix_id, o.version_us, o.created_us, o.revoked, o.owner_org, o.seq FROM unnest($2::text[]) AS u(id)
            CROSS JOIN LATERAL (SELECT * FROM objects v WHERE v.collection = $1 AND v.stix_id = u.id OFFSET 0) o
            """, [collection, objects.map(\.id)])) {
            existing[try row.string(0), default: []].append(Stored(version: try row.int(1), created: try row.optionalInt(2), revoked: try row.bool(3),
                                                                  owner: try row.optionalString(4), seq: try row.int(5)))
        }
        var outcomes = [Outcome?](repeating: nil, count: objects.count)
        var duplicates: [Int] = []
        var refresh: [String] = []
        for (i, o) in objects.enumerated() {
            guard let versions = existing[o.id], !versions.isEmpty else { continue }
            let version = o.modified ?? 0
            if versions.contains(where: { $0.version == version }) {
                duplicates.append(i)
                continue
            }
            guard o.modified != nil else { continue }
            if versions.contains(where: { $0.owner != owner }) {
                outcomes[i] = .conflict("the object belongs to another organisation: only its owner may add versions (share a new object that refers to it instead)")
            } else if versions.contains(where: { $0.revoked && $0.version < version }) {
                outcomes[i] = .conflict("the object was revoked by an earlier version; revocation is final")
            } else if versions.contains(where: { $0.created != o.created }) {
                outcomes[i] = .conflict("created differs from the stored versions of this object; every version must keep the original created")
            } else {
                refresh.append(o.id)
            }
        }
        if !duplicates.isEmpty {
            var copies: [String: (seq: Int64, raw: [UInt8])] = [:]
            for row in try await db.rows(sql("""
                SELECT o.stix_id, o.seq, o.raw FROM objects o
                JOIN unnest($2::text[], $3::bigint[]) AS u(id, v) ON o.stix_id = u.id AND o.version_us = u.v
                WHERE o.collection = $1
                """, [collection, duplicates.map { objects[$0].id }, duplicates.map { objects[$0].modified ?? 0 }])) {
                copies[try row.string(0)] = (try row.int(1), try row.bytes(2))
            }
            for i in duplicates { outcomes[i] = compare(objects[i], with: copies[objects[i].id]) }
        }

        let accepted = objects.indices.filter { outcomes[$0] == nil }
        guard !accepted.isEmpty else { return outcomes.map { $0 ?? .added } }
        // A contiguous block of sequence numbers, in chunk order.
        let last = try await db.rows(sql("""
            SELECT setval(pg_get_serial_sequence('objects', 'seq'), nextval(pg_get_serial_sequence('objects', 'seq')) + $1 - 1)
            """, [Int64(accepted.count)])).first?.int(0) ?? 0
        let first = last - Int64(accepted.count) + 1
        if firstSequenceOfIngest == nil { firstSequenceOfIngest = first }

        // Index rows first; the objects' rows are made while the server stores the previous
        // piece of them.
        var refRows = CopyRows(), observableRows = CopyRows()
        var search = SearchColumns()
        for (n, i) in accepted.enumerated() {
            let o = objects[i], seq = first + Int64(n)
            outcomes[i] = .added
            var refs = Set<String>()
            for ref in o.refs where refs.insert(ref.target + "\t" + ref.property).inserted {
                refRows.row { r in r.int(seq); r.text(ref.target); r.text(ref.property) }
            }
            for observable in Set(o.observables) {
                observableRows.row { r in r.int(seq); r.text(observable.kind); r.text(observable.value) }
            }
            if let t = o.searchText { search.append(o.id, version: o.modified ?? 0, t) }
        }
        try await CopyRows.stream(into: "objects", columns: ["seq", "collection", "stix_id", "type", "version_us", "created_us", "date_added_us",
                                                             "spec_version", "created_by_ref", "revoked", "tlp", "owner_org", "raw", "version_text"],
                                  count: accepted.count, db) { n, r in
            let o = objects[accepted[n]]
            r.int(first + Int64(n)); r.int(collection); r.text(o.id); r.text(o.type); r.int(o.modified ?? 0); r.int(o.created); r.int(dateAdded)
            r.text(o.specVersion); r.text(o.createdByRef); r.bool(o.revoked); r.int(o.tlp.map { Int64($0.rawValue) }); r.text(owner)
            r.bytes(o.raw); r.text(o.versionText)
        }
        try await refRows.copy(into: "object_refs", columns: ["seq", "target", "property"], db)
        try await observableRows.copy(into: "observables", columns: ["seq", "kind", "value"], db)
        try await PostgresStore.refreshFlags(db, collection: collection, ids: refresh)
        if !search.ids.isEmpty {
            // Bound as arrays, not through a scratch table: truncating a temporary table per
            // chunk cost more than the rows. The latest version's text is the searchable one; an
            // older version arriving later leaves it.
            try await db.run(sql("""
                INSERT INTO search_docs(stix_id, version_us, doc)
                SELECT u.stix_id, u.version_us, \(PostgresStore.searchDocument("u.name", "u.aliases", "u.description", "u.value"))
                FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(stix_id, version_us, name, aliases, description, value)
                ON CONFLICT (stix_id) DO UPDATE SET version_us = excluded.version_us, doc = excluded.doc
                WHERE excluded.version_us >= search_docs.version_us
                """, [search.ids, search.versions, search.names, search.aliases, search.descriptions, search.values]))
        }
        return outcomes.map { $0 ?? .added }
    }

    /// A chunk's search text, a column each, bound as arrays (an absent field is empty text,
    /// which makes the same empty document part as NULL).
    private struct SearchColumns {
        var ids: [String] = [], versions: [Int64] = []
        var names: [String] = [], aliases: [String] = [], descriptions: [String] = [], values: [String] = []

        mutating func append(_ id: String, version: Int64, _ text: IndexedObject.SearchText) {
            ids.append(id)
            versions.append(version)
            names.append(Self.storable(text.name))
            aliases.append(Self.storable(text.aliases))
            descriptions.append(Self.storable(text.description))
            values.append(Self.storable(text.value))
        }

        /// PostgreSQL text cannot hold U+0000 (JSON may); for searching it separates words.
        private static func storable(_ text: String?) -> String {
            guard let text else { return "" }
            return text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: " ") : text
        }
    }

    /// The outcome for a version whose id and version were stored already.
    private func compare(_ o: IndexedObject, with stored: (seq: Int64, raw: [UInt8])?) -> Outcome {
        guard let stored else { return .conflict("the version could not be stored") }
        if stored.raw == o.raw { return .unchanged }
        // Same content written differently (white space, member order) is still the same version.
        if let a = try? JSONParser.parse(stored.raw), let b = try? JSONParser.parse(o.raw), a == b { return .unchanged }
        let earlierInBundle = firstSequenceOfIngest.map { stored.seq >= $0 } ?? false
        if o.modified == nil {
            // SCOs and marking definitions have no versions: two producers sending the same
            // deterministic id with different extras is normal sharing, not an error.
            return .kept("\(o.type) objects are not versioned; a copy with different content is already \(earlierInBundle ? "earlier in this bundle" : "stored") and is kept")
        }
        if earlierInBundle {
            return .conflict("duplicate: this version (id and modified) appears earlier in the same bundle with different content")
        }
        return .conflict("conflict: this version (id and modified) is already stored with different content; a new version needs a later modified timestamp")
    }
}
