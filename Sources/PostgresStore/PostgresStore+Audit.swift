import NIOCore
import PostgresNIO
import Store

extension PostgresStore: AuditStore {
    /// The advisory lock key of the audit chain: appends from every node take turns.
    static let auditLock: Int64 = 0x4143_434F_5244_4155

    public func appendAudit(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await transaction { db in
            try await db.run(sql("SELECT pg_advisory_xact_lock($1)", [Self.auditLock]))
            let last = try await db.rows(sql("SELECT seq, at_us, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [])).first
            var sequence = try last?.int(0) ?? 0
            var previous = try last?.bytes(2) ?? AuditRecord.origin
            // Times never go backwards along the chain, even if a node's clock does.
            let time = max(Self.nowMicros(), try last?.int(1) ?? 0)
            var seqs: [Int64] = [], actors: [String] = [], orgs: [String] = [], actions: [String] = [], targets: [String] = []
            var details: [String] = [], prevs: [ByteBuffer] = [], hashes: [ByteBuffer] = []
            var hasOrg: [Bool] = [], hasTarget: [Bool] = [], hasDetail: [Bool] = []
            for original in entries {
                // PostgreSQL text cannot hold U+0000: write it visibly escaped, so what is
                // stored is exactly what is hashed (as the SQLite store does).
                let entry = original.escapingNUL
                sequence += 1
                let hash = AuditRecord.hash(previous: previous, sequence: sequence, time: time, entry: entry)
                seqs.append(sequence)
                actors.append(entry.actor)
                orgs.append(entry.organisation ?? "")
                hasOrg.append(entry.organisation != nil)
                actions.append(entry.action)
                targets.append(entry.target ?? "")
                hasTarget.append(entry.target != nil)
                details.append(entry.detail ?? "")
                hasDetail.append(entry.detail != nil)
                prevs.append(ByteBuffer(bytes: previous))
                hashes.append(ByteBuffer(bytes: hash))
                previous = hash
            }
            try await db.run(sql("""
                INSERT INTO audit_log(seq, at_us, actor, organisation, action, target, detail, prev_hash, hash)
                SELECT u.seq, $1, u.actor, CASE WHEN u.has_org THEN u.org END, u.action, CASE WHEN u.has_target THEN u.target END,
                       CASE WHEN u.has_detail THEN u.detail END, u.prev, u.hash
                FROM unnest($2::bigint[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::text[], $8::boolean[], $9::text[],
                            $10::boolean[], $11::bytea[], $12::bytea[])
                     AS u(seq, actor, org, has_org, action, target, has_target, detail, has_detail, prev, hash)
                """, [time, seqs, actors, orgs, hasOrg, actions, targets, hasTarget, details, hasDetail, prevs, hashes]))
        }
    }

    public func auditTail(_ count: Int) async throws -> [AuditRecord] {
        try await rows(sql("""
            SELECT * FROM (SELECT seq, at_us, actor, organisation, action, target, detail, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT $1) t
            ORDER BY seq
            """, [Int64(max(0, count))])).map(Self.auditRecord)
    }

    public func verifyAudit() async throws -> AuditVerification {
        var chain = AuditChainCheck()
        var after: Int64 = 0
        // In slices, so a long log never sits in memory whole.
        while true {
            let rows = try await rows(sql("""
                SELECT seq, at_us, actor, organisation, action, target, detail, prev_hash, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 10000
                """, [after]))
            guard let last = rows.last else { return chain.intact }
            for row in rows {
                if let broken = chain.check(try Self.auditRecord(row)) { return broken }
            }
            after = try last.int(0)
        }
    }

    static func auditRecord(_ row: PostgresRandomAccessRow) throws -> AuditRecord {
        AuditRecord(sequence: try row.int(0), time: try row.int(1),
                    entry: AuditEntry(actor: try row.string(2), organisation: try row.optionalString(3), action: try row.string(4),
                                      target: try row.optionalString(5), detail: try row.optionalString(6)),
                    previousHash: try row.bytes(7), hash: try row.bytes(8))
    }
}
