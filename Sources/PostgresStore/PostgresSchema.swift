import Foundation
import PostgresNIO
import Store

/// The versioned schema of the PostgreSQL store.
///
/// Migrations are append-only: a released migration is never edited, a change is a new one.
/// Each runs in its own transaction, under an advisory lock, so nodes starting together take
/// turns and the second finds the work done.
enum PostgresSchema {
    /// The migrations in order: (version, name, SQL).
    static let migrations: [(Int64, String, String)] = [
        (1, "objects", """
            -- num is the compact key objects use; id is the UUID clients see.
            CREATE TABLE collections (
                num bigserial PRIMARY KEY,
                id text NOT NULL UNIQUE,
                alias text NOT NULL UNIQUE,
                title text NOT NULL,
                description text,
                created_us bigint NOT NULL,
                visibility text NOT NULL DEFAULT 'public',
                owner text,
                default_tlp bigint NOT NULL DEFAULT 1,
                read_only boolean NOT NULL DEFAULT false
            );
            -- Identifiers, types and values compare byte by byte (COLLATE "C"): the order SQLite
            -- uses, and index comparisons without the locale's rules.
            -- seq is the total order of the store, handed out under the write lock, so in commit
            -- order; date_added_us never decreases with seq. raw keeps the bytes as received
            -- (jsonb would reorder members and drop duplicates: clients get what was sent).
            CREATE TABLE objects (
                seq bigserial PRIMARY KEY,
                collection bigint NOT NULL REFERENCES collections(num),
                stix_id text COLLATE "C" NOT NULL,
                type text COLLATE "C" NOT NULL,
                version_us bigint NOT NULL,
                created_us bigint,
                date_added_us bigint NOT NULL,
                spec_version text COLLATE "C" NOT NULL,
                created_by_ref text,
                revoked boolean NOT NULL DEFAULT false,
                tlp bigint,
                owner_org text,
                raw bytea NOT NULL,
                version_text text,
                flags bigint NOT NULL DEFAULT 7,
                UNIQUE (collection, stix_id, version_us)
            );
            CREATE INDEX objects_by_collection ON objects(collection, seq);
            CREATE INDEX objects_by_added ON objects(collection, date_added_us, seq);
            CREATE INDEX objects_by_type ON objects(collection, type, seq);
            -- Index rows go with their object by the store's own deletes (no foreign key: a
            -- check per row would slow bulk ingest for nothing).
            CREATE TABLE object_refs (
                seq bigint NOT NULL,
                target text COLLATE "C" NOT NULL,
                property text COLLATE "C" NOT NULL,
                PRIMARY KEY (seq, target, property)
            );
            CREATE INDEX object_refs_by_target ON object_refs(target);
            CREATE TABLE observables (
                seq bigint NOT NULL,
                kind text COLLATE "C" NOT NULL,
                value text COLLATE "C" NOT NULL,
                PRIMARY KEY (seq, kind, value)
            );
            CREATE INDEX observables_by_value ON observables(value, kind);
            CREATE TABLE meta (key text PRIMARY KEY, value bigint NOT NULL);
            INSERT INTO meta(key, value) VALUES ('last_date_added_us', 0), ('generation', 0), ('reshape', 0);
            CREATE TABLE access_changes (seq bigserial PRIMARY KEY, stix_id text COLLATE "C" NOT NULL);
            """),
        (2, "directory-tokens-audit", """
            CREATE TABLE organisations (
                id text PRIMARY KEY,
                name text NOT NULL UNIQUE,
                country text NOT NULL,
                sector text NOT NULL,
                identity_id text NOT NULL,
                created_us bigint NOT NULL
            );
            CREATE TABLE communities (id text PRIMARY KEY, name text NOT NULL UNIQUE, created_us bigint NOT NULL);
            CREATE TABLE community_members (
                community text NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
                organisation text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
                PRIMARY KEY (community, organisation)
            );
            CREATE TABLE red_grants (
                stix_id text NOT NULL,
                owner_org text NOT NULL,
                recipient text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
                created_us bigint NOT NULL,
                PRIMARY KEY (stix_id, owner_org, recipient)
            );
            CREATE TABLE users (
                id text PRIMARY KEY,
                name text NOT NULL,
                email text,
                organisation text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
                role text NOT NULL,
                created_us bigint NOT NULL,
                revoked_us bigint,
                UNIQUE (organisation, name)
            );
            -- Only the SHA-256 of each secret is kept: a stolen database yields no usable token.
            CREATE TABLE tokens (
                id text PRIMARY KEY,
                name text NOT NULL,
                secret_sha256 bytea NOT NULL UNIQUE,
                role text NOT NULL,
                organisation text,
                created_us bigint NOT NULL,
                expires_us bigint,
                revoked_us bigint,
                user_id text REFERENCES users(id)
            );
            CREATE TABLE statuses (id text PRIMARY KEY, collection text NOT NULL, created_us bigint NOT NULL, body bytea NOT NULL);
            CREATE INDEX statuses_by_created ON statuses(created_us);
            CREATE TABLE pending_ingests (
                id text PRIMARY KEY REFERENCES statuses(id),
                collection text NOT NULL,
                received_us bigint NOT NULL,
                body bytea NOT NULL,
                organisation text,
                actor text
            );
            -- Append-only and hash-chained (see AuditRecord.hash); never updated or deleted.
            CREATE TABLE audit_log (
                seq bigint PRIMARY KEY,
                at_us bigint NOT NULL,
                actor text NOT NULL,
                organisation text,
                action text NOT NULL,
                target text,
                detail text,
                prev_hash bytea NOT NULL,
                hash bytea NOT NULL
            );
            """),
        (3, "search", """
            -- One document per object id, from its latest version: names weigh most, then
            -- aliases, values and patterns, then descriptions ('simple': no stemming, as FTS5).
            CREATE TABLE search_docs (stix_id text COLLATE "C" PRIMARY KEY, version_us bigint NOT NULL, doc tsvector NOT NULL);
            CREATE INDEX search_docs_by_words ON search_docs USING gin(doc);
            """),
        (4, "shared-sessions", """
            -- Web sessions and failed-login counts live here, not in a node's memory, so any node
            -- answers a signed-in browser and the limit counts failures on every node.
            CREATE TABLE web_sessions (
                id_sha256 bytea PRIMARY KEY,
                token_id text NOT NULL,
                csrf text NOT NULL,
                last_used_us bigint NOT NULL
            );
            CREATE INDEX web_sessions_by_use ON web_sessions(last_used_us);
            CREATE TABLE auth_failures (address text PRIMARY KEY, window_start_us bigint NOT NULL, failures bigint NOT NULL);
            """),
        (5, "no-collection-check", """
            -- Collections are never deleted, so the foreign key only cost a lookup per object row
            -- (a fifth of COPY's time in bulk ingest).
            -- (objects_by_collection stays although objects_by_added orders a collection the same
            -- way: with a row comparison for the cursor the planner misjudged type-filtered pages
            -- and walked the collection instead of objects_by_type.)
            ALTER TABLE objects DROP CONSTRAINT IF EXISTS objects_collection_fkey;
            """),
    ]

    /// Applies the migrations the database lacks, one transaction each, under an advisory lock.
    static func migrate(_ store: PostgresStore) async throws {
        try await store.withConnection { db in
            try await db.run(sql("SELECT pg_advisory_lock($1)", [PostgresStore.migrationLock]))
            do {
                try await db.run(sql("""
                    CREATE TABLE IF NOT EXISTS accord_migrations (version bigint PRIMARY KEY, name text NOT NULL, applied_us bigint NOT NULL)
                    """, []))
                let applied = Set(try await db.rows(sql("SELECT version FROM accord_migrations", [])).map { try $0.int(0) })
                if let newest = applied.max(), newest > migrations.last?.0 ?? 0 {
                    throw StoreError.unusableDirectory("the database schema (version \(newest)) is newer than this accord knows; upgrade accord")
                }
                for (version, name, statements) in migrations where !applied.contains(version) {
                    try await db.run("BEGIN")
                    do {
                        for statement in Self.statements(statements) { try await db.run(PostgresQuery(unsafeSQL: statement)) }
                        try await db.run(sql("INSERT INTO accord_migrations(version, name, applied_us) VALUES ($1, $2, $3)",
                                             [version, name, PostgresStore.nowMicros()]))
                        try await db.run("COMMIT")
                    } catch {
                        try? await db.run("ROLLBACK")
                        throw error
                    }
                }
            } catch {
                try? await db.run(sql("SELECT pg_advisory_unlock($1)", [PostgresStore.migrationLock]))
                throw error
            }
            try await db.run(sql("SELECT pg_advisory_unlock($1)", [PostgresStore.migrationLock]))
        }
    }

    /// The statements of a migration: each ends with a semicolon at the end of a line (the
    /// extended protocol takes one statement at a time).
    static func statements(_ text: String) -> [String] {
        text.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
            .filter { !$0.split(separator: "\n").allSatisfy { $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") || $0.trimmingCharacters(in: .whitespaces).isEmpty } }
    }
}
