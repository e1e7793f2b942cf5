import PostgresNIO
import STIX
import Store

extension PostgresStore: DirectoryStore {
    /// The name of the organisation that runs the hub (the SQLite store's, so a moved hub keeps it).
    static let operatorName = "Hub operator"

    public func createOrganisation(name: String, country: String, sector: String) async throws -> Organisation {
        let id = STIXUUID.random().description
        let identity = "identity--" + STIXUUID.random().description
        let organisation = Organisation(id: id, name: name, country: country.uppercased(), sector: sector, identityID: identity)
        let inserted = try await withConnection { db in
            try await db.changed(sql("""
                INSERT INTO organisations(id, name, country, sector, identity_id, created_us) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (name) DO NOTHING RETURNING 1
                """, [id, name, organisation.country, sector, identity, Self.nowMicros()]))
        }
        if inserted == 0 { throw StoreError.duplicate(kind: "organisation", name: name) }
        return organisation
    }

    public func organisations() async throws -> [Organisation] {
        try await rows(sql("SELECT id, name, country, sector, identity_id FROM organisations ORDER BY name COLLATE \"C\"", [])).map(Self.organisation)
    }

    public func organisation(_ key: String) async throws -> Organisation? {
        try await rows(sql("SELECT id, name, country, sector, identity_id FROM organisations WHERE id = $1 OR name = $1 ORDER BY id = $1 DESC LIMIT 1",
                           [key])).first.map(Self.organisation)
    }

    public func removeOrganisation(_ key: String) async throws {
        guard let found = try await organisation(key) else { throw StoreError.unknown(kind: "organisation", key: key) }
        try await writeTransaction { db in
            try await db.run(sql("DELETE FROM web_sessions WHERE token_id IN (SELECT id FROM tokens WHERE organisation = $1)", [found.id]))
            try await db.run(sql("DELETE FROM tokens WHERE organisation = $1", [found.id]))
            try await db.run(sql("DELETE FROM organisations WHERE id = $1", [found.id]))
            try await Self.bumpReshape(db)   // its grants went with it
        }
    }

    public func operatorOrganisation() async throws -> Organisation {
        if let found = try await organisation(Self.operatorName) { return found }
        do {
            return try await createOrganisation(name: Self.operatorName, country: "ZZ", sector: "hub operator")
        } catch StoreError.duplicate {
            // Another node created it a moment ago.
            return try await requireOrganisation(Self.operatorName)
        }
    }

    public func createCommunity(name: String) async throws -> Community {
        let id = STIXUUID.random().description
        let inserted = try await withConnection { db in
            try await db.changed(sql("INSERT INTO communities(id, name, created_us) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING RETURNING 1",
                                     [id, name, Self.nowMicros()]))
        }
        if inserted == 0 { throw StoreError.duplicate(kind: "community", name: name) }
        return Community(id: id, name: name, members: [])
    }

    public func communities() async throws -> [Community] {
        try await withConnection { db in
            let members = try await db.rows(sql("SELECT community, organisation FROM community_members ORDER BY organisation COLLATE \"C\"", []))
            var byCommunity: [String: [String]] = [:]
            for row in members { byCommunity[try row.string(0), default: []].append(try row.string(1)) }
            return try await db.rows(sql("SELECT id, name FROM communities ORDER BY name COLLATE \"C\"", [])).map {
                Community(id: try $0.string(0), name: try $0.string(1), members: byCommunity[try $0.string(0)] ?? [])
            }
        }
    }

    public func setMembership(community: String, organisation: String, member: Bool) async throws {
        let org = try await requireOrganisation(organisation)
        try await transaction { db in
            guard let id = try await db.rows(sql("SELECT id FROM communities WHERE id = $1 OR name = $1", [community])).first?.string(0) else {
                throw StoreError.unknown(kind: "community", key: community)
            }
            if member {
                try await db.run(sql("INSERT INTO community_members(community, organisation) VALUES ($1, $2) ON CONFLICT DO NOTHING", [id, org.id]))
            } else {
                try await db.run(sql("DELETE FROM community_members WHERE community = $1 AND organisation = $2", [id, org.id]))
            }
        }
    }

    public func memberships(of organisation: String) async throws -> Set<String> {
        Set(try await rows(sql("SELECT community FROM community_members WHERE organisation = $1", [organisation])).map { try $0.string(0) })
    }

    public func share(objectID: String, owner: String, with recipient: String) async throws {
        let to = try await requireOrganisation(recipient)
        let id = objectID.lowercased()
        try await writeTransaction { db in
            // Only an object the owner holds can be shared; anything else looks absent.
            guard try await !db.rows(sql("""
                SELECT 1 FROM objects WHERE collection = ANY(ARRAY(SELECT num FROM collections)) AND stix_id = $1 AND owner_org = $2 LIMIT 1
                """, [id, owner])).isEmpty else {
                throw StoreError.unknown(kind: "object", key: objectID)
            }
            try await db.run(sql("INSERT INTO red_grants(stix_id, owner_org, recipient, created_us) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                                 [id, owner, to.id, Self.nowMicros()]))
            try await Self.logAccessChange(db, id)
        }
    }

    static func organisation(_ row: PostgresRandomAccessRow) throws -> Organisation {
        Organisation(id: try row.string(0), name: try row.string(1), country: try row.string(2), sector: try row.string(3), identityID: try row.string(4))
    }
}
