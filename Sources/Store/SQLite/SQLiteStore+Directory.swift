import Foundation
import GRDB
import STIX

extension SQLiteStore: DirectoryStore {
    public func createOrganisation(name: String, country: String, sector: String) async throws -> Organisation {
        let id = STIXUUID.random().description
        let identity = "identity--" + STIXUUID.random().description
        let organisation = Organisation(id: id, name: name, country: country.uppercased(), sector: sector, identityID: identity)
        try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM organisations WHERE name = ?", arguments: [name]) == true {
                throw StoreError.duplicate(kind: "organisation", name: name)
            }
            try db.execute(sql: "INSERT INTO organisations(id, name, country, sector, identity_id, created_us) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, name, organisation.country, sector, identity, Self.nowMicros()])
        }
        return organisation
    }

    public func organisations() async throws -> [Organisation] {
        try read { db in try Row.fetchAll(db, sql: "SELECT id, name, country, sector, identity_id FROM organisations ORDER BY name").map(Self.organisation) }
    }

    public func organisation(_ key: String) async throws -> Organisation? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT id, name, country, sector, identity_id FROM organisations WHERE id = ?1 OR name = ?1 ORDER BY id = ?1 DESC LIMIT 1",
                             arguments: [key]).map(Self.organisation)
        }
    }

    public func removeOrganisation(_ key: String) async throws {
        guard let found = try await organisation(key) else { throw StoreError.unknown(kind: "organisation", key: key) }
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM tokens WHERE organisation = ?", arguments: [found.id])
            try db.execute(sql: "DELETE FROM organisations WHERE id = ?", arguments: [found.id])
            try Self.bumpReshape(db)   // its grants went with it
        }
    }

    public func operatorOrganisation() async throws -> Organisation {
        if let found = try await organisation(Self.operatorName) { return found }
        return try await createOrganisation(name: Self.operatorName, country: "ZZ", sector: "hub operator")
    }

    /// The name of the organisation that runs the hub.
    static let operatorName = "Hub operator"

    public func createCommunity(name: String) async throws -> Community {
        let id = STIXUUID.random().description
        try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM communities WHERE name = ?", arguments: [name]) == true {
                throw StoreError.duplicate(kind: "community", name: name)
            }
            try db.execute(sql: "INSERT INTO communities(id, name, created_us) VALUES (?, ?, ?)", arguments: [id, name, Self.nowMicros()])
        }
        return Community(id: id, name: name, members: [])
    }

    public func communities() async throws -> [Community] {
        try read { db in
            let members = try Row.fetchAll(db, sql: "SELECT community, organisation FROM community_members ORDER BY organisation")
            let byCommunity = Dictionary(grouping: members, by: { $0[0] as String }).mapValues { $0.map { $0[1] as String } }
            return try Row.fetchAll(db, sql: "SELECT id, name FROM communities ORDER BY name").map {
                Community(id: $0[0], name: $0[1], members: byCommunity[$0[0] as String] ?? [])
            }
        }
    }

    public func setMembership(community: String, organisation: String, member: Bool) async throws {
        let org = try await requireOrganisation(organisation)
        try await pool.write { db in
            guard let id = try String.fetchOne(db, sql: "SELECT id FROM communities WHERE id = ?1 OR name = ?1", arguments: [community]) else {
                throw StoreError.unknown(kind: "community", key: community)
            }
            if member {
                try db.execute(sql: "INSERT OR IGNORE INTO community_members(community, organisation) VALUES (?, ?)", arguments: [id, org.id])
            } else {
                try db.execute(sql: "DELETE FROM community_members WHERE community = ? AND organisation = ?", arguments: [id, org.id])
            }
        }
    }

    public func memberships(of organisation: String) async throws -> Set<String> {
        try read { db in Set(try String.fetchAll(db, sql: "SELECT community FROM community_members WHERE organisation = ?", arguments: [organisation])) }
    }

    public func share(objectID: String, owner: String, with recipient: String) async throws {
        let to = try await requireOrganisation(recipient)
        try await pool.write { db in
            // Only an object the owner holds can be shared; anything else looks absent.
            // `collection IN (...)` lets SQLite seek the (collection, stix_id) index per collection.
            guard try Bool.fetchOne(db, sql: """
                SELECT 1 FROM objects WHERE collection IN (SELECT num FROM collections) AND stix_id = ? AND owner_org = ? LIMIT 1
                """, arguments: [objectID.lowercased(), owner]) == true else {
                throw StoreError.unknown(kind: "object", key: objectID)
            }
            try db.execute(sql: "INSERT OR IGNORE INTO red_grants(stix_id, owner_org, recipient, created_us) VALUES (?, ?, ?, ?)",
                           arguments: [objectID.lowercased(), owner, to.id, Self.nowMicros()])
            try Self.logAccessChange(db, objectID.lowercased())
        }
    }

    static func organisation(_ row: Row) -> Organisation {
        Organisation(id: row[0], name: row[1], country: row[2], sector: row[3], identityID: row[4])
    }
}
