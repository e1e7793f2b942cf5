import Foundation
import GRDB
import STIX

/// Inserts object versions and their index rows with cached statements inside one transaction.
struct SQLiteObjectWriter {
    enum Outcome { case added, unchanged, conflict(String) }

    private let db: Database
    private let collectionID: String
    private let dateAdded: Int64
    private let owner: String?
    private let firstSequenceOfIngest: Int64
    private let insertObject: Statement
    private let insertRef: Statement
    private let insertObservable: Statement

    init(db: Database, collectionID: String, dateAdded: Int64, owner: String?, firstSequenceOfIngest: Int64) throws {
        self.db = db
        self.collectionID = collectionID
        self.dateAdded = dateAdded
        self.owner = owner
        self.firstSequenceOfIngest = firstSequenceOfIngest
        insertObject = try db.cachedStatement(sql: """
            INSERT INTO objects(collection_id, stix_id, type, version_us, created_us, date_added_us, spec_version,
                                created_by_ref, revoked, tlp, owner_org, raw)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(collection_id, stix_id, version_us) DO NOTHING
            """)
        insertRef = try db.cachedStatement(sql: "INSERT INTO object_refs(seq, target, path) VALUES (?, ?, ?)")
        insertObservable = try db.cachedStatement(sql: "INSERT INTO observables(seq, kind, value) VALUES (?, ?, ?)")
    }

    /// Stores one version; an identical existing version is left alone, a different one refused.
    mutating func insert(_ o: IndexedObject) throws -> Outcome {
        let version = o.modified ?? 0
        insertObject.setUncheckedArguments([
            collectionID, o.id, o.type, version, o.created, dateAdded, o.specVersion,
            o.createdByRef, o.revoked, o.tlp?.rawValue, owner, Data(o.raw),
        ])
        try insertObject.execute()
        guard db.changesCount > 0 else { return try compareWithStored(o, version: version) }
        let seq = db.lastInsertedRowID
        for ref in o.refs {
            insertRef.setUncheckedArguments([seq, ref.target, ref.path])
            try insertRef.execute()
        }
        for observable in Set(o.observables) {
            insertObservable.setUncheckedArguments([seq, observable.kind, observable.value])
            try insertObservable.execute()
        }
        return .added
    }

    private func compareWithStored(_ o: IndexedObject, version: Int64) throws -> Outcome {
        guard let row = try Row.fetchOne(db, sql: "SELECT seq, raw FROM objects WHERE collection_id = ? AND stix_id = ? AND version_us = ?",
                                         arguments: [collectionID, o.id, version]) else {
            return .conflict("the version could not be stored")
        }
        let storedRaw: Data = row[1]
        let seq: Int64 = row[0]
        if storedRaw.elementsEqual(o.raw) { return .unchanged }
        // Same content written differently (white space, member order) is still the same version.
        if let a = try? JSONParser.parse([UInt8](storedRaw)), let b = try? JSONParser.parse(o.raw), a == b {
            return .unchanged
        }
        let what = o.modified == nil ? "an object with this id" : "this version (id and modified)"
        if seq >= firstSequenceOfIngest {
            return .conflict("duplicate: \(what) appears earlier in the same bundle with different content")
        }
        return .conflict("conflict: \(what) is already stored with different content; a new version needs a later modified timestamp")
    }
}
