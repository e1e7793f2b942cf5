import Foundation
import GRDB

extension SQLiteStore: AuditStore {
    public func appendAudit(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await pool.write { db in
            let last = try Row.fetchOne(db, sql: "SELECT seq, at_us, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            var sequence: Int64 = last?[0] ?? 0
            var previous: [UInt8] = last.map { [UInt8]($0[2] as Data) } ?? AuditRecord.origin
            // Times never go backwards along the chain, even if the clock does.
            let time = max(Self.nowMicros(), last?[1] ?? 0)
            for original in entries {
                // SQLite text ends at U+0000 as GRDB binds it: write it visibly escaped, so what
                // is stored is exactly what is hashed.
                let entry = original.escapingNUL
                sequence += 1
                let hash = AuditRecord.hash(previous: previous, sequence: sequence, time: time, entry: entry)
                try db.execute(sql: """
                    INSERT INTO audit_log(seq, at_us, actor, organisation, action, target, detail, prev_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [sequence, time, entry.actor, entry.organisation, entry.action, entry.target, entry.detail,
                                     Data(previous), Data(hash)])
                previous = hash
            }
        }
    }

    public func auditTail(_ count: Int) async throws -> [AuditRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM (SELECT seq, at_us, actor, organisation, action, target, detail, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT ?) ORDER BY seq",
                             arguments: [max(0, count)]).map(Self.auditRecord)
        }
    }

    public func verifyAudit() async throws -> AuditVerification {
        try read { db in
            var chain = AuditChainCheck()
            let rows = try Row.fetchCursor(db, sql: "SELECT seq, at_us, actor, organisation, action, target, detail, prev_hash, hash FROM audit_log ORDER BY seq")
            while let row = try rows.next() {
                if let broken = chain.check(Self.auditRecord(row)) { return broken }
            }
            return chain.intact
        }
    }

    static func auditRecord(_ row: Row) -> AuditRecord {
        AuditRecord(sequence: row[0], time: row[1],
                    entry: AuditEntry(actor: row[2], organisation: row[3], action: row[4], target: row[5], detail: row[6]),
                    previousHash: [UInt8](row[7] as Data), hash: [UInt8](row[8] as Data))
    }
}

extension AuditEntry {
    /// The entry with every U+0000 written as the text `\u0000`.
    public var escapingNUL: AuditEntry {
        func clean(_ s: String?) -> String? { s.map { $0.contains("\u{0}") ? $0.replacingOccurrences(of: "\u{0}", with: "\\u0000") : $0 } }
        return AuditEntry(actor: clean(actor) ?? "", organisation: clean(organisation), action: clean(action) ?? "", target: clean(target),
                          detail: clean(detail))
    }
}
