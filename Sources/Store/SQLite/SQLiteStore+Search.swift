import GRDB

extension SQLiteStore: SearchStore {
    public func searchIDs(matching words: [String], limit: Int) async throws -> [String] {
        // U+0000 separates words (FTS5 would read it as the end of the query), as in the
        // documents, where it separates words too.
        let terms = words.flatMap { word -> [String] in word.split(separator: "\u{0}").map(String.init) }.map { $0.filter { $0 != "\"" } }.filter { !$0.isEmpty }.prefix(8)
        guard !terms.isEmpty else { return [] }
        // Each word quoted (no FTS operators from users), as a prefix, all required.
        let match = terms.map { "\"\($0)\"*" }.joined(separator: " AND ")
        return try read { db in
            try String.fetchAll(db, sql: """
                SELECT i.stix_id FROM search_text JOIN search_ids i ON i.num = search_text.rowid
                WHERE search_text MATCH ? ORDER BY bm25(search_text, 10.0, 8.0, 1.0, 4.0) LIMIT ?
                """, arguments: [match, limit])
        }
    }
}
