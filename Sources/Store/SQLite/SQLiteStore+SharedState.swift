import Foundation
import GRDB

extension SQLiteStore: SharedStateStore {
    public func startSession(idHash: [UInt8], tokenID: String, csrf: String) async throws {
        let now = Self.nowMicros()
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO web_sessions(id_sha256, token_id, csrf, last_used_us) VALUES (?, ?, ?, ?)",
                           arguments: [Data(idHash), tokenID, csrf, now])
        }
    }

    public func session(idHash: [UInt8], idle: Int64) async throws -> (principal: Principal, csrf: String)? {
        let now = Self.nowMicros()
        let found: (Principal, String, Int64)? = try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT t.id, t.name, t.role, t.organisation, s.csrf, s.last_used_us FROM web_sessions s JOIN tokens t ON t.id = s.token_id
                WHERE s.id_sha256 = ? AND s.last_used_us > ? AND t.revoked_us IS NULL AND (t.expires_us IS NULL OR t.expires_us > ?)
                """, arguments: [Data(idHash), now - idle, now]), let role = Role(rawValue: row[2]) else { return nil }
            return (Principal(tokenID: row[0], name: row[1], role: role, organisation: row[3]), row[4], row[5])
        }
        guard let (principal, csrf, lastUsed) = found else { return nil }
        if lastUsed < now - SharedStateSQL.touchInterval {
            try await pool.write { db in
                try db.execute(sql: "UPDATE web_sessions SET last_used_us = ? WHERE id_sha256 = ?", arguments: [now, Data(idHash)])
                try db.execute(sql: "DELETE FROM web_sessions WHERE last_used_us < ?", arguments: [now - idle])
            }
        }
        return (principal, csrf)
    }

    public func endSession(idHash: [UInt8]) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM web_sessions WHERE id_sha256 = ?", arguments: [Data(idHash)]) }
    }

    /// One process serves a SQLite store in production: its memory holds the counts.
    public var servesSeveralNodes: Bool { false }

    public func authFailures(address: String, window: Int64) async throws -> (failures: Int, windowStart: Int64)? {
        try read { db in
            try Row.fetchOne(db, sql: SharedStateSQL.failures, arguments: [address, Self.nowMicros() - window]).map { ($0[0], $0[1]) }
        }
    }

    public func recordAuthFailure(address: String, window: Int64) async throws -> (failures: Int, windowStart: Int64) {
        let now = Self.nowMicros()
        return try await pool.write { db in
            if Int.random(in: 0..<256) == 0 {
                try db.execute(sql: "DELETE FROM auth_failures WHERE window_start_us < ?", arguments: [now - max(window, 3_600_000_000)])
            }
            let row = try Row.fetchOne(db, sql: SharedStateSQL.recordFailure, arguments: [address, now, now - window])
            return (row?[0] ?? 1, row?[1] ?? now)
        }
    }
}
