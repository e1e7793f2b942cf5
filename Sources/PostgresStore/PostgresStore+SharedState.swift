import Foundation
import NIOCore
import PostgresNIO
import Store

extension PostgresStore: SharedStateStore {
    public func startSession(idHash: [UInt8], tokenID: String, csrf: String) async throws {
        try await run(sql("INSERT INTO web_sessions(id_sha256, token_id, csrf, last_used_us) VALUES ($1, $2, $3, $4)",
                          [ByteBuffer(bytes: idHash), tokenID, csrf, Self.nowMicros()]))
    }

    public func session(idHash: [UInt8], idle: Int64) async throws -> (principal: Principal, csrf: String)? {
        let now = Self.nowMicros()
        return try await withConnection { db in
            guard let row = try await db.rows(sql("""
                SELECT t.id, t.name, t.role, t.organisation, s.csrf, s.last_used_us FROM web_sessions s JOIN tokens t ON t.id = s.token_id
                WHERE s.id_sha256 = $1 AND s.last_used_us > $2 AND t.revoked_us IS NULL AND (t.expires_us IS NULL OR t.expires_us > $3)
                """, [ByteBuffer(bytes: idHash), now - idle, now])).first, let role = Role(rawValue: try row.string(2)) else { return nil }
            if try row.int(5) < now - SharedStateSQL.touchInterval {
                try await db.run(sql("UPDATE web_sessions SET last_used_us = $1 WHERE id_sha256 = $2", [now, ByteBuffer(bytes: idHash)]))
                try await db.run(sql("DELETE FROM web_sessions WHERE last_used_us < $1", [now - idle]))
            }
            return (Principal(tokenID: try row.string(0), name: try row.string(1), role: role, organisation: try row.optionalString(3)),
                    try row.string(4))
        }
    }

    public func endSession(idHash: [UInt8]) async throws {
        try await run(sql("DELETE FROM web_sessions WHERE id_sha256 = $1", [ByteBuffer(bytes: idHash)]))
    }

    /// Several `accord serve` processes share a PostgreSQL store.
    public var servesSeveralNodes: Bool { true }

    public func authFailures(address: String, window: Int64) async throws -> (failures: Int, windowStart: Int64)? {
        let statement = SharedStateSQL.failures.replacingOccurrences(of: "?", with: "$")
        guard let row = try await rows(sql(statement, [address, Self.nowMicros() - window])).first else { return nil }
        return (Int(try row.int(0)), try row.int(1))
    }

    public func recordAuthFailure(address: String, window: Int64) async throws -> (failures: Int, windowStart: Int64) {
        let now = Self.nowMicros()
        return try await withConnection { db in
            if Int.random(in: 0..<256) == 0 {
                try await db.run(sql("DELETE FROM auth_failures WHERE window_start_us < $1", [now - max(window, 3_600_000_000)]))
            }
            let statement = SharedStateSQL.recordFailure.replacingOccurrences(of: "?", with: "$")
            guard let row = try await db.rows(sql(statement, [address, now, now - window])).first else { return (1, now) }
            return (Int(try row.int(0)), try row.int(1))
        }
    }
}
