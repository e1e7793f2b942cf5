import NIOCore
import PostgresNIO
import STIX
import Store

extension PostgresStore: TokenStore, StatusStore {
    public func createToken(name: String, role: Role, organisation: String?, secret: String?, expires: Int64?) async throws -> (id: String, secret: String) {
        let secret = secret ?? TokenSecrets.generate()
        let id = STIXUUID.random().description
        try await run(sql("INSERT INTO tokens(id, name, secret_sha256, role, organisation, created_us, expires_us) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                          [id, name, ByteBuffer(bytes: TokenSecrets.hash(secret)), role.rawValue, orNull(organisation), Self.nowMicros(), orNull(expires)]))
        return (id, secret)
    }

    public func revokeToken(_ id: String) async throws {
        let changed = try await withConnection { db in
            try await db.changed(sql("UPDATE tokens SET revoked_us = coalesce(revoked_us, $1) WHERE id = $2 RETURNING 1", [Self.nowMicros(), id]))
        }
        if changed == 0 { throw StoreError.unknown(kind: "token", key: id) }
    }

    public func tokens() async throws -> [TokenInfo] {
        try await rows(sql("SELECT id, name, role, organisation, expires_us, revoked_us, user_id FROM tokens ORDER BY created_us, id", [])).map {
            TokenInfo(id: try $0.string(0), name: try $0.string(1), role: Role(rawValue: try $0.string(2)) ?? .reader,
                      organisation: try $0.optionalString(3), expires: try $0.optionalInt(4), revoked: try $0.optionalInt(5), user: try $0.optionalString(6))
        }
    }

    public func principal(forSecret secret: String) async throws -> Principal? {
        try await withConnection { db in try await Self.principal(db, secret) }
    }

    static func principal(_ db: PostgresConnection, _ secret: String) async throws -> Principal? {
        guard let row = try await db.rows(sql("""
            SELECT id, name, role, organisation FROM tokens
            WHERE secret_sha256 = $1 AND revoked_us IS NULL AND (expires_us IS NULL OR expires_us > $2)
            """, [ByteBuffer(bytes: TokenSecrets.hash(secret)), nowMicros()])).first,
            let role = Role(rawValue: try row.string(2)) else { return nil }
        return Principal(tokenID: try row.string(0), name: try row.string(1), role: role, organisation: try row.optionalString(3))
    }

    public func page(_ query: PageQuery, authenticating secret: String) async throws -> (principal: Principal, page: ObjectPage)? {
        try await withConnection { db in
            guard let principal = try await Self.principal(db, secret) else { return nil }
            var query = query
            query.viewer = principal.viewer
            return (principal, try await Self.page(db, query))
        }
    }

    public func tokenCount() async throws -> Int {
        Int(try await rows(sql("SELECT count(*) FROM tokens", [])).first?.int(0) ?? 0)
    }

    public func createUser(name: String, email: String?, organisation: String, role: Role) async throws -> UserInfo {
        let org = try await requireOrganisation(organisation)
        let user = UserInfo(id: STIXUUID.random().description, name: name, email: email, organisation: org.id, role: role, revoked: nil)
        try await transaction { db in
            if try await !db.rows(sql("SELECT 1 FROM users WHERE organisation = $1 AND name = $2 FOR UPDATE", [org.id, name])).isEmpty {
                throw StoreError.duplicate(kind: "user of \(org.name)", name: name)
            }
            try await db.run(sql("INSERT INTO users(id, name, email, organisation, role, created_us) VALUES ($1, $2, $3, $4, $5, $6)",
                                 [user.id, name, orNull(email), org.id, role.rawValue, Self.nowMicros()]))
        }
        return user
    }

    public func users() async throws -> [UserInfo] {
        try await rows(sql("""
            SELECT u.id, u.name, u.email, u.organisation, u.role, u.revoked_us FROM users u
            JOIN organisations o ON o.id = u.organisation ORDER BY o.name COLLATE "C", u.name COLLATE "C"
            """, [])).map(Self.user)
    }

    public func revokeUser(_ key: String) async throws -> UserInfo {
        try await transaction { db in
            let matches = try await db.rows(sql("SELECT id, name, email, organisation, role, revoked_us FROM users WHERE id = $1 OR name = $1 FOR UPDATE",
                                                [key])).map(Self.user)
            guard matches.count == 1, var user = matches.first else {
                throw matches.isEmpty ? StoreError.unknown(kind: "user", key: key)
                                      : StoreError.unknown(kind: "single user (several share that name; use the id)", key: key)
            }
            let now = Self.nowMicros()
            try await db.run(sql("UPDATE users SET revoked_us = coalesce(revoked_us, $1) WHERE id = $2", [now, user.id]))
            try await db.run(sql("UPDATE tokens SET revoked_us = coalesce(revoked_us, $1) WHERE user_id = $2", [now, user.id]))
            user.revoked = user.revoked ?? now
            return user
        }
    }

    public func createToken(forUser userID: String, name: String, expires: Int64?) async throws -> (id: String, secret: String) {
        let secret = TokenSecrets.generate()
        let id = STIXUUID.random().description
        try await transaction { db in
            guard let row = try await db.rows(sql("SELECT organisation, role FROM users WHERE id = $1 AND revoked_us IS NULL", [userID])).first else {
                throw StoreError.unknown(kind: "active user", key: userID)
            }
            try await db.run(sql("""
                INSERT INTO tokens(id, name, secret_sha256, role, organisation, created_us, expires_us, user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """, [id, name, ByteBuffer(bytes: TokenSecrets.hash(secret)), try row.string(1), try row.string(0), Self.nowMicros(), orNull(expires), userID]))
        }
        return (id, secret)
    }

    static func user(_ row: PostgresRandomAccessRow) throws -> UserInfo {
        UserInfo(id: try row.string(0), name: try row.string(1), email: try row.optionalString(2), organisation: try row.string(3),
                 role: Role(rawValue: try row.string(4)) ?? .reader, revoked: try row.optionalInt(5))
    }

    public func saveStatus(id: String, collectionID: String, body: [UInt8]) async throws {
        try await transaction { db in
            try await db.run(sql("""
                INSERT INTO statuses(id, collection, created_us, body) VALUES ($1, $2, $3, $4)
                ON CONFLICT (id) DO UPDATE SET collection = excluded.collection, created_us = excluded.created_us, body = excluded.body
                """, [id, collectionID, Self.nowMicros(), ByteBuffer(bytes: body)]))
            // Keep at least 24 hours (TAXII asks for that much); drop what is older than 7 days.
            try await db.run(sql("DELETE FROM statuses WHERE created_us < $1 AND id NOT IN (SELECT id FROM pending_ingests)",
                                 [Self.nowMicros() - 7 * 86_400_000_000]))
        }
    }

    public func savePending(id: String, collectionID: String, received: Int64, body: [UInt8], status: [UInt8],
                            organisation: String?, actor: String?) async throws {
        try await transaction { db in
            try await db.run(sql("""
                INSERT INTO statuses(id, collection, created_us, body) VALUES ($1, $2, $3, $4)
                ON CONFLICT (id) DO UPDATE SET collection = excluded.collection, created_us = excluded.created_us, body = excluded.body
                """, [id, collectionID, Self.nowMicros(), ByteBuffer(bytes: status)]))
            try await db.run(sql("INSERT INTO pending_ingests(id, collection, received_us, body, organisation, actor) VALUES ($1, $2, $3, $4, $5, $6)",
                                 [id, collectionID, received, ByteBuffer(bytes: body), orNull(organisation), orNull(actor)]))
        }
    }

    public func pendingIngests() async throws -> [PendingIngest] {
        try await rows(sql("SELECT id, collection, received_us, body, organisation, actor FROM pending_ingests ORDER BY received_us", [])).map {
            PendingIngest(id: try $0.string(0), collectionID: try $0.string(1), received: try $0.int(2), body: try $0.bytes(3),
                          organisation: try $0.optionalString(4), actor: try $0.optionalString(5))
        }
    }

    public func completePending(id: String, status: [UInt8]) async throws {
        try await transaction { db in
            try await db.run(sql("UPDATE statuses SET body = $1 WHERE id = $2", [ByteBuffer(bytes: status), id]))
            try await db.run(sql("DELETE FROM pending_ingests WHERE id = $1", [id]))
        }
    }

    public func status(id: String) async throws -> [UInt8]? {
        try await rows(sql("SELECT body FROM statuses WHERE id = $1", [id])).first?.bytes(0)
    }
}
