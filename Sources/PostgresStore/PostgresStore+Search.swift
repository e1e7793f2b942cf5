import PostgresNIO
import Store

extension PostgresStore: SearchStore {
    /// The search document of a text (SQL over four text expressions): names weigh most, then
    /// aliases, values and patterns, then descriptions. 'simple' neither stems nor drops words,
    /// like the SQLite store's FTS5 tokenizer.
    static func searchDocument(_ name: String, _ aliases: String, _ description: String, _ value: String) -> String {
        """
        setweight(to_tsvector('simple', coalesce(\(name), '')), 'A') || setweight(to_tsvector('simple', coalesce(\(aliases), '')), 'B') \
        || setweight(to_tsvector('simple', coalesce(\(value), '')), 'C') || setweight(to_tsvector('simple', coalesce(\(description), '')), 'D')
        """
    }

    /// The search document of a stored version whose JSON is `j` (a version being re-indexed
    /// after deletions, or copied by a migration).
    static let searchDocumentOfJSON = searchDocument("j->>'name'", "coalesce(j->>'aliases', j->>'x_mitre_aliases')", "j->>'description'",
                                                     "coalesce(j->>'value', j->>'pattern')")

    /// An object's JSON as jsonb (which refuses `\u0000`; only search text is read from it, and
    /// there U+0000 separates words, as at ingest).
    static let rawJSON = "replace(convert_from(raw, 'UTF8'), '\\u0000', ' ')::jsonb"

    public func searchIDs(matching words: [String], limit: Int) async throws -> [String] {
        // U+0000 separates words, as in the documents (PostgreSQL text cannot hold it).
        let terms = words.flatMap { word -> [String] in word.split(separator: "\u{0}").map(String.init) }.filter { !$0.isEmpty }.prefix(8)
        guard !terms.isEmpty else { return [] }
        // PostgreSQL's own parser splits the words; each lexeme becomes a quoted prefix term, all
        // required: nothing a user types is read as query syntax.
        return try await rows(sql("""
            WITH q AS (
                SELECT to_tsquery('simple', string_agg(quote_literal(t) || ':*', ' & ')) AS query
                FROM unnest(tsvector_to_array(to_tsvector('simple', $1))) AS t
            )
            SELECT d.stix_id FROM search_docs d, q
            WHERE q.query IS NOT NULL AND d.doc @@ q.query
            ORDER BY ts_rank('{0.1, 0.4, 0.8, 1.0}', d.doc, q.query) DESC, d.stix_id
            LIMIT $2
            """, [terms.joined(separator: " "), Int64(max(0, limit))])).map { try $0.string(0) }
    }

    /// Makes the latest version left of `id` (any collection) its searchable text, or removes
    /// it when none is left: run after versions are deleted.
    static func reindexSearch(_ db: PostgresConnection, id: String) async throws {
        try await db.run(sql("DELETE FROM search_docs WHERE stix_id = $1", [id]))
        try await db.run(sql("""
            INSERT INTO search_docs(stix_id, version_us, doc)
            SELECT $1, version_us, \(searchDocumentOfJSON)
            FROM (SELECT version_us, \(Self.rawJSON) AS j FROM objects WHERE collection = ANY(ARRAY(SELECT num FROM collections)) AND stix_id = $1
                  ORDER BY version_us DESC LIMIT 1) latest
            """, [id]))
    }
}
