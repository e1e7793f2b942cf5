import Foundation
import GRDB
import GRDBSQLite
import STIX

/// Inserts object versions and their index rows with cached statements inside one transaction.
struct SQLiteObjectWriter {
    typealias Outcome = WriteOutcome

    private let db: Database
    private let collection: Int64
    private let dateAdded: Int64
    private let owner: String?
    private let firstSequenceOfIngest: Int64
    private let insertObject: Statement
    private let insertRef: Statement
    private let insertObservable: Statement
    private let versionRules: Statement
    private let storedCopy: Statement
    private let removeObject: Statement
    private let refreshFlags: Statement
    private let searchLookup: Statement
    private let searchAdd: Statement
    private let searchUpdate: Statement
    private let searchRemoveText: Statement
    private let searchAddText: Statement

    init(db: Database, collection: Int64, dateAdded: Int64, owner: String?, firstSequenceOfIngest: Int64) throws {
        self.db = db
        self.collection = collection
        self.dateAdded = dateAdded
        self.owner = owner
        self.firstSequenceOfIngest = firstSequenceOfIngest
        insertObject = try db.cachedStatement(sql: """
            INSERT INTO objects(collection, stix_id, type, version_us, created_us, date_added_us, spec_version,
                                created_by_ref, revoked, tlp, owner_org, raw, version_text)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(collection, stix_id, version_us) DO NOTHING
            """)
        insertRef = try db.cachedStatement(sql: "INSERT OR IGNORE INTO object_refs(seq, target, property) VALUES (?, ?, ?)")
        insertObservable = try db.cachedStatement(sql: "INSERT OR IGNORE INTO observables(seq, kind, value) VALUES (?, ?, ?)")
        // The other versions of the object, in one range scan: whether the new version
        // contradicts one (all versions share `created`, nothing may follow a revocation), and
        // how many there are (when some, every version's flags change).
        // Also whether another organisation (or the hub itself) owns a version: nobody may add
        // versions to a partner's object.
        versionRules = try db.cachedStatement(sql: """
            SELECT coalesce(max(created_us IS NOT ?4 OR (revoked = 1 AND version_us < ?3)), 0)
                   | (coalesce(max(owner_org IS NOT ?5), 0) << 1) | (count(*) << 2)
            FROM objects WHERE collection = ?1 AND stix_id = ?2 AND version_us <> ?3
            """)
        refreshFlags = try db.cachedStatement(sql: VersionFlags.refresh)
        removeObject = try db.cachedStatement(sql: "DELETE FROM objects WHERE seq = ?")
        storedCopy = try db.cachedStatement(sql: "SELECT seq, raw FROM objects WHERE collection = ? AND stix_id = ? AND version_us = ?")
        searchLookup = try db.cachedStatement(sql: "SELECT num, version_us FROM search_ids WHERE stix_id = ?")
        searchAdd = try db.cachedStatement(sql: "INSERT INTO search_ids(stix_id, version_us) VALUES (?, ?)")
        searchUpdate = try db.cachedStatement(sql: "UPDATE search_ids SET version_us = ? WHERE num = ?")
        searchRemoveText = try db.cachedStatement(sql: "DELETE FROM search_text WHERE rowid = ?")
        searchAddText = try db.cachedStatement(sql: "INSERT INTO search_text(rowid, name, aliases, description, value) VALUES (?, ?, ?, ?, ?)")
    }

    /// Makes a newly stored version the searchable text of its id, unless a later version is.
    private func indexSearch(_ o: IndexedObject, version: Int64) throws {
        guard let text = o.searchText else { return }
        var existing: (num: Int64, version: Int64)?
        do {
            // Read and reset before writing to the same table.
            let lookup = SQLiteBinding(searchLookup)
            lookup.bind(1, o.id)
            if try lookup.nextRow(db) { existing = (lookup.int64(0), lookup.int64(1)) }
            sqlite3_reset(lookup.handle)
        }
        let num: Int64
        if let existing {
            guard version >= existing.version else { return }
            num = existing.num
            let update = SQLiteBinding(searchUpdate)
            update.bind(1, version)
            update.bind(2, num)
            try update.step(db)
            let remove = SQLiteBinding(searchRemoveText)
            remove.bind(1, num)
            try remove.step(db)
        } else {
            let add = SQLiteBinding(searchAdd)
            add.bind(1, o.id)
            add.bind(2, version)
            try add.step(db)
            num = db.lastInsertedRowID
        }
        let insert = SQLiteBinding(searchAddText)
        insert.bind(1, num)
        insert.bind(2, text.name)
        insert.bind(3, text.aliases)
        insert.bind(4, text.description)
        insert.bind(5, text.value)
        try insert.step(db)
    }

    /// Stores one version; an identical existing version is left alone, a different one refused.
    mutating func insert(_ o: IndexedObject) throws -> Outcome {
        let version = o.modified ?? 0
        let row = SQLiteBinding(insertObject)
        row.bind(1, collection)
        row.bind(2, o.id)
        row.bind(3, o.type)
        row.bind(4, version)
        row.bind(5, o.created)
        row.bind(6, dateAdded)
        row.bind(7, o.specVersion)
        row.bind(8, o.createdByRef)
        row.bind(9, o.revoked ? 1 : 0)
        row.bind(10, o.tlp.map { Int64($0.rawValue) })
        row.bind(11, owner)
        row.bind(12, o.raw)
        row.bind(13, o.versionText)
        try row.step(db)
        guard db.changesCount > 0 else { return try compareWithStored(o, version: version) }
        let seq = db.lastInsertedRowID
        try indexSearch(o, version: version)
        if o.modified != nil {
            let rules = SQLiteBinding(versionRules)
            rules.bind(1, collection)
            rules.bind(2, o.id)
            rules.bind(3, version)
            rules.bind(4, o.created)
            rules.bind(5, owner)
            let others = try rules.integer(db)
            if others & 3 != 0 {
                let remove = SQLiteBinding(removeObject)
                remove.bind(1, seq)
                try remove.step(db)
                if others & 2 != 0 {
                    return .conflict("the object belongs to another organisation: only its owner may add versions (share a new object that refers to it instead)")
                }
                return .conflict(try versionConflictReason(o))
            }
            if others >> 2 > 0 {
                let refresh = SQLiteBinding(refreshFlags)
                refresh.bind(1, collection)
                refresh.bind(2, o.id)
                try refresh.step(db)
            }
        }
        for ref in o.refs {
            let r = SQLiteBinding(insertRef)
            r.bind(1, seq)
            r.bind(2, ref.target)
            r.bind(3, ref.property)
            try r.step(db)
        }
        for observable in Set(o.observables) {
            let r = SQLiteBinding(insertObservable)
            r.bind(1, seq)
            r.bind(2, observable.kind)
            r.bind(3, observable.value)
            try r.step(db)
        }
        return .added
    }

    private func compareWithStored(_ o: IndexedObject, version: Int64) throws -> Outcome {
        let query = SQLiteBinding(storedCopy)
        query.bind(1, collection)
        query.bind(2, o.id)
        query.bind(3, version)
        guard let (seq, equal, storedRaw) = try query.integerAndBlob(db, comparingWith: o.raw) else {
            return .conflict("the version could not be stored")
        }
        if equal { return .unchanged }
        // Same content written differently (white space, member order) is still the same version.
        if let storedRaw, let a = try? JSONParser.parse(storedRaw), let b = try? JSONParser.parse(o.raw), a == b {
            return .unchanged
        }
        if o.modified == nil {
            // SCOs and marking definitions have no versions: two producers sending the same
            // deterministic id with different extras is normal sharing, not an error.
            return .kept("\(o.type) objects are not versioned; a copy with different content is already \(seq >= firstSequenceOfIngest ? "earlier in this bundle" : "stored") and is kept")
        }
        if seq >= firstSequenceOfIngest {
            return .conflict("duplicate: this version (id and modified) appears earlier in the same bundle with different content")
        }
        return .conflict("conflict: this version (id and modified) is already stored with different content; a new version needs a later modified timestamp")
    }

    private func versionConflictReason(_ o: IndexedObject) throws -> String {
        let revoked = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM objects WHERE collection = ? AND stix_id = ? AND revoked = 1 AND version_us < ?)",
                                        arguments: [collection, o.id, o.modified ?? 0]) ?? false
        if revoked { return "the object was revoked by an earlier version; revocation is final" }
        return "created differs from the stored versions of this object; every version must keep the original created"
    }
}
