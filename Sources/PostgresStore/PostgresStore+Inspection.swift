import PostgresNIO
import Store

extension PostgresStore: StoreInspection {
    public func indexRows(for id: String) async throws -> (refs: Set<String>, observables: Set<String>, tlp: Int?) {
        try await withConnection { db in
            let seqs = "SELECT seq FROM objects WHERE collection = ANY(ARRAY(SELECT num FROM collections)) AND stix_id = $1"
            let refs = try await db.rows(sql("SELECT target FROM object_refs WHERE seq IN (\(seqs))", [id])).map { try $0.string(0) }
            let observables = try await db.rows(sql("SELECT kind || '=' || value FROM observables WHERE seq IN (\(seqs))", [id])).map { try $0.string(0) }
            let tlp = try await db.rows(sql("SELECT tlp FROM objects WHERE seq IN (\(seqs)) LIMIT 1", [id])).first?.optionalInt(0)
            return (Set(refs), Set(observables), tlp.map { Int($0) })
        }
    }

    public func indexRowCounts() async throws -> (refs: Int, observables: Int) {
        try await withConnection { db in
            (Int(try await db.rows(sql("SELECT count(*) FROM object_refs", [])).first?.int(0) ?? 0),
             Int(try await db.rows(sql("SELECT count(*) FROM observables", [])).first?.int(0) ?? 0))
        }
    }

    /// What PostgreSQL's constraints cannot say: index rows without their object, objects whose
    /// version flags disagree with their versions, search documents of objects that are gone.
    public func integrityCheck() async throws -> [String] {
        let checks: [(String, String)] = [
            ("index rows of references without their object", "SELECT count(*) FROM object_refs r WHERE NOT EXISTS (SELECT 1 FROM objects o WHERE o.seq = r.seq)"),
            ("observable rows without their object", "SELECT count(*) FROM observables b WHERE NOT EXISTS (SELECT 1 FROM objects o WHERE o.seq = b.seq)"),
            ("objects whose version flags disagree with their versions", """
                SELECT count(*) FROM (SELECT flags,
                       (CASE WHEN version_us = max(version_us) OVER (PARTITION BY collection, stix_id, spec_version) THEN 1 ELSE 0 END)
                     | (CASE WHEN version_us = min(version_us) OVER (PARTITION BY collection, stix_id, spec_version) THEN 2 ELSE 0 END)
                     | (CASE WHEN spec_version = max(spec_version) OVER (PARTITION BY collection, stix_id) THEN 4 ELSE 0 END) AS expected
                FROM objects) f WHERE flags <> expected
                """),
            ("search documents of objects no longer stored", """
                SELECT count(*) FROM search_docs d WHERE NOT EXISTS (SELECT 1 FROM objects o WHERE o.collection = ANY(ARRAY(SELECT num FROM collections)) AND o.stix_id = d.stix_id)
                """),
        ]
        var findings: [String] = []
        for (what, query) in checks {
            let n = try await rows(sql(query, [])).first?.int(0) ?? 0
            if n > 0 { findings.append("\(n) \(what)") }
        }
        return findings.isEmpty ? ["ok"] : findings
    }
}
