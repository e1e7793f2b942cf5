import Foundation
import GRDB
import STIX

extension SQLiteStore {
    public func createUser(name: String, email: String?, organisation: String, role: Role) async throws -> UserInfo {
        let org = try await requireOrganisation(organisation)
        let user = UserInfo(id: STIXUUID.random().description, name: name, email: email, organisation: org.id, role: role, revoked: nil)
        try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE organisation = ? AND name = ?", arguments: [org.id, name]) == true {
                throw StoreError.duplicate(kind: "user of \(org.name)", name: name)
            }
            try db.execute(sql: "INSERT INTO users(id, name, email, organisation, role, created_us) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [user.id, name, email, org.id, role.rawValue, Self.nowMicros()])
        }
        return user
    }

    public func users() async throws -> [UserInfo] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT u.id, u.name, u.email, u.organisation, u.role, u.revoked_us FROM users u
                JOIN organisations o ON o.id = u.organisation ORDER BY o.name, u.name
                """).map(Self.user)
        }
    }

    public func revokeUser(_ key: String) async throws -> UserInfo {
        try await pool.write { db in
            let matches = try Row.fetchAll(db, sql: "SELECT id, name, email, organisation, role, revoked_us FROM users WHERE id = ?1 OR name = ?1",
                                           arguments: [key]).map(Self.user)
            guard matches.count == 1, var user = matches.first else {
                throw matches.isEmpty ? StoreError.unknown(kind: "user", key: key)
                                      : StoreError.unknown(kind: "single user (several share that name; use the id)", key: key)
            }
            let now = Self.nowMicros()
            try db.execute(sql: "UPDATE users SET revoked_us = coalesce(revoked_us, ?) WHERE id = ?", arguments: [now, user.id])
            try db.execute(sql: "UPDATE tokens SET revoked_us = coalesce(revoked_us, ?) WHERE user_id = ?", arguments: [now, user.id])
            user.revoked = user.revoked ?? now
            return user
        }
    }

    public func createToken(forUser userID: String, name: String, expires: Int64?) async throws -> (id: String, secret: String) {
        let secret = TokenSecrets.generate()
        let id = STIXUUID.random().description
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT organisation, role FROM users WHERE id = ? AND revoked_us IS NULL", arguments: [userID]) else {
                throw StoreError.unknown(kind: "active user", key: userID)
            }
            try db.execute(sql: """
                INSERT INTO tokens(id, name, secret_sha256, role, organisation, created_us, expires_us, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, name, Data(TokenSecrets.hash(secret)), row[1] as String, row[0] as String, Self.nowMicros(), expires, userID])
        }
        return (id, secret)
    }

    static func user(_ row: Row) -> UserInfo {
        UserInfo(id: row[0], name: row[1], email: row[2], organisation: row[3], role: Role(rawValue: row[4]) ?? .reader, revoked: row[5])
    }
}
