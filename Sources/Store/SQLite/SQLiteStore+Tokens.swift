import Foundation
import GRDB
import STIX

extension SQLiteStore: TokenStore, StatusStore, SynchronousPageReader {
    public func createToken(name: String, role: Role, organisation: String?, secret: String?, expires: Int64?) async throws -> (id: String, secret: String) {
        let secret = secret ?? TokenSecrets.generate()
        let id = STIXUUID.random().description
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO tokens(id, name, secret_sha256, role, organisation, created_us, expires_us) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, name, Data(TokenSecrets.hash(secret)), role.rawValue, organisation, Self.nowMicros(), expires])
        }
        return (id, secret)
    }

    public func revokeToken(_ id: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE tokens SET revoked_us = coalesce(revoked_us, ?) WHERE id = ?", arguments: [Self.nowMicros(), id])
            if db.changesCount == 0 { throw StoreError.unknown(kind: "token", key: id) }
        }
    }

    public func tokens() async throws -> [TokenInfo] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, role, organisation, expires_us, revoked_us, user_id FROM tokens ORDER BY created_us, id").map {
                TokenInfo(id: $0[0], name: $0[1], role: Role(rawValue: $0[2]) ?? .reader, organisation: $0[3], expires: $0[4], revoked: $0[5],
                          user: $0[6])
            }
        }
    }

    public func principal(forSecret secret: String) async throws -> Principal? {
        try read { db in try Self.principal(db, secret) }
    }

    public func page(_ query: PageQuery, authenticating secret: String) async throws -> (principal: Principal, page: ObjectPage)? {
        try read { db in
            guard let principal = try Self.principal(db, secret) else { return nil }
            var query = query
            query.viewer = principal.viewer
            return (principal, try Self.page(db, query))
        }
    }

    public func accessNow(collection key: String, authenticating secret: String) throws -> PageAccess? {
        try threadRead { db in
            guard let principal = try Self.principal(db, secret) else { return nil }
            guard let (collection, reach, defaultLevel) = try Self.collectionReach(db, key, principal.viewer) else {
                throw StoreError.unknownCollection(key)
            }
            let generation = try db.cached("SELECT value FROM meta WHERE key = 'generation'")
            let current = try generation.nextRow(db) ? generation.int64(0) : 0
            return PageAccess(principal: principal, key: .init(collection: collection, reach: reach, defaultLevel: defaultLevel),
                              generation: current)
        }
    }

    public func pageNow(_ query: PageQuery, access: PageAccess) throws -> ObjectPage {
        try threadRead { db in
            try Self.page(db, query, collection: access.key.collection, reach: access.key.reach, defaultLevel: access.key.defaultLevel)
        }
    }

    static func principal(_ db: some SQLiteStatements, _ secret: String) throws -> Principal? {
        let lookup = try db.cached("""
            SELECT id, name, role, organisation FROM tokens
            WHERE secret_sha256 = ? AND revoked_us IS NULL AND (expires_us IS NULL OR expires_us > ?)
            """)
        lookup.bind(1, TokenSecrets.hash(secret))
        lookup.bind(2, nowMicros())
        guard try lookup.nextRow(db), let role = Role(rawValue: lookup.text(2) ?? "") else { return nil }
        return Principal(tokenID: lookup.text(0) ?? "", name: lookup.text(1) ?? "", role: role, organisation: lookup.text(3))
    }

    public func tokenCount() async throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM tokens") ?? 0 }
    }

    /// Stores a TAXII status resource body under its id.
    public func saveStatus(id: String, collectionID: String, body: [UInt8]) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO statuses(id, collection, created_us, body) VALUES (?, ?, ?, ?)",
                           arguments: [id, collectionID, Self.nowMicros(), Data(body)])
            // Keep at least 24 hours (TAXII asks for that much); drop what is older than 7 days.
            try db.execute(sql: "DELETE FROM statuses WHERE created_us < ? AND id NOT IN (SELECT id FROM pending_ingests)",
                           arguments: [Self.nowMicros() - 7 * 86_400_000_000])
        }
    }

    public func savePending(id: String, collectionID: String, received: Int64, body: [UInt8], status: [UInt8],
                            organisation: String?, actor: String?) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO statuses(id, collection, created_us, body) VALUES (?, ?, ?, ?)",
                           arguments: [id, collectionID, Self.nowMicros(), Data(status)])
            try db.execute(sql: "INSERT INTO pending_ingests(id, collection, received_us, body, organisation, actor) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, collectionID, received, Data(body), organisation, actor])
        }
    }

    public func pendingIngests() async throws -> [PendingIngest] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, collection, received_us, body, organisation, actor FROM pending_ingests ORDER BY received_us").map {
                PendingIngest(id: $0[0], collectionID: $0[1], received: $0[2], body: [UInt8]($0[3] as Data), organisation: $0[4], actor: $0[5])
            }
        }
    }

    public func completePending(id: String, status: [UInt8]) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE statuses SET body = ? WHERE id = ?", arguments: [Data(status), id])
            try db.execute(sql: "DELETE FROM pending_ingests WHERE id = ?", arguments: [id])
        }
    }

    /// A stored status resource body.
    public func status(id: String) async throws -> [UInt8]? {
        try read { db in
            try Data.fetchOne(db, sql: "SELECT body FROM statuses WHERE id = ?", arguments: [id]).map { [UInt8]($0) }
        }
    }
}
