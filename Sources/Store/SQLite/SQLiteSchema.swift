import GRDB
import STIX

/// The versioned schema of the SQLite store.
///
/// Migrations are append-only: a released migration is never edited, a change is a new one.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-objects") { db in
            try db.execute(sql: """
                -- num is the compact key objects use; id is the UUID clients see.
                CREATE TABLE collections (
                    num INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    alias TEXT NOT NULL UNIQUE,
                    title TEXT NOT NULL,
                    description TEXT,
                    created_us INTEGER NOT NULL
                );
                -- seq is the total order of the store (AUTOINCREMENT: never reused, so keyset
                -- cursors stay valid after deletions); date_added_us never decreases with seq.
                CREATE TABLE objects (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    collection INTEGER NOT NULL REFERENCES collections(num),
                    stix_id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    version_us INTEGER NOT NULL,   -- modified; 0 for unversioned objects
                    created_us INTEGER,
                    date_added_us INTEGER NOT NULL,
                    spec_version TEXT NOT NULL,
                    created_by_ref TEXT,
                    revoked INTEGER NOT NULL DEFAULT 0,
                    tlp INTEGER,                   -- strictest TLP level, NULL when unmarked
                    owner_org TEXT,
                    raw BLOB NOT NULL,
                    UNIQUE (collection, stix_id, version_us)
                );
                -- Paging walks (collection, seq): date_added never decreases with seq, so seq order
                -- is (date_added, seq) order, and a cursor is one seek at any depth even when a
                -- million objects share one date_added. (SQLite appends the rowid, seq, to every index.)
                CREATE INDEX objects_by_collection ON objects(collection);
                CREATE INDEX objects_by_added ON objects(collection, date_added_us);
                CREATE INDEX objects_by_type ON objects(collection, type, seq);
                -- Index tables are clustered by seq (WITHOUT ROWID): rows of one object sit together
                -- and appends in seq order touch only the right edge of the tree.
                CREATE TABLE object_refs (
                    seq INTEGER NOT NULL REFERENCES objects(seq) ON DELETE CASCADE,
                    target TEXT NOT NULL,
                    property TEXT NOT NULL,        -- source_ref, object_marking_refs, marking_ref, ...
                    PRIMARY KEY (seq, target, property)
                ) WITHOUT ROWID;
                CREATE INDEX object_refs_by_target ON object_refs(target);
                CREATE TABLE observables (
                    seq INTEGER NOT NULL REFERENCES objects(seq) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (seq, kind, value)
                ) WITHOUT ROWID;
                CREATE INDEX observables_by_value ON observables(value, kind);
                CREATE TABLE meta (
                    key TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                );
                INSERT INTO meta(key, value) VALUES ('last_date_added_us', 0);
                """)
        }
        migrator.registerMigration("v2-tokens-statuses") { db in
            try db.execute(sql: """
                -- Only the SHA-256 of each secret is kept: a stolen database yields no usable token.
                CREATE TABLE tokens (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    secret_sha256 BLOB NOT NULL UNIQUE,
                    role TEXT NOT NULL,
                    organisation TEXT,
                    created_us INTEGER NOT NULL,
                    expires_us INTEGER,
                    revoked_us INTEGER
                );
                -- TAXII status resources, kept so clients can poll them after a restart.
                CREATE TABLE statuses (
                    id TEXT PRIMARY KEY,
                    collection TEXT NOT NULL,
                    created_us INTEGER NOT NULL,
                    body BLOB NOT NULL
                );
                CREATE INDEX statuses_by_created ON statuses(created_us);
                -- Bodies of TAXII POSTs being ingested in the background; removed when done, so
                -- what is left after a crash or shutdown is resumed on the next start.
                CREATE TABLE pending_ingests (
                    id TEXT PRIMARY KEY REFERENCES statuses(id),
                    collection TEXT NOT NULL,
                    received_us INTEGER NOT NULL,
                    body BLOB NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3-version-text") { db in
            // The version TAXII reports, as the object writes it: `modified`, else `created`
            // (marking definitions); NULL for SCOs, whose version is their date_added.
            try db.execute(sql: "ALTER TABLE objects ADD COLUMN version_text TEXT")
        }
        migrator.registerMigration("v4-version-flags") { db in
            // Which of its object's versions a row is, kept by the writer so that a page filters
            // rows by a bit instead of two correlated subqueries per row (8x cheaper pages).
            try db.execute(sql: """
                ALTER TABLE objects ADD COLUMN flags INTEGER NOT NULL DEFAULT \(VersionFlags.all);
                UPDATE objects SET flags = \(VersionFlags.refreshExpression)
                WHERE (collection, stix_id) IN (SELECT collection, stix_id FROM objects GROUP BY 1, 2 HAVING count(*) > 1);
                """)
        }
        migrator.registerMigration("v5-access") { db in
            try db.execute(sql: """
                CREATE TABLE organisations (
                    id TEXT PRIMARY KEY,            -- UUIDv4
                    name TEXT NOT NULL UNIQUE,
                    country TEXT NOT NULL,          -- ISO 3166-1 alpha-2 (ZZ: unknown)
                    sector TEXT NOT NULL,
                    identity_id TEXT NOT NULL,      -- the STIX identity that represents it
                    created_us INTEGER NOT NULL
                );
                CREATE TABLE communities (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    created_us INTEGER NOT NULL
                );
                CREATE TABLE community_members (
                    community TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
                    organisation TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
                    PRIMARY KEY (community, organisation)
                ) WITHOUT ROWID;
                -- Who sees a collection: 'public', 'community' (owner = community id) or
                -- 'private' (owner = organisation id); unmarked objects count as default_tlp.
                ALTER TABLE collections ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public';
                ALTER TABLE collections ADD COLUMN owner TEXT;
                ALTER TABLE collections ADD COLUMN default_tlp INTEGER NOT NULL DEFAULT 1;
                -- TLP:RED recipients an owner organisation named for one of its objects.
                CREATE TABLE red_grants (
                    stix_id TEXT NOT NULL,
                    owner_org TEXT NOT NULL,
                    recipient TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
                    created_us INTEGER NOT NULL,
                    PRIMARY KEY (stix_id, owner_org, recipient)
                ) WITHOUT ROWID;
                """)
            // Every token now belongs to an organisation: tokens made before organisations
            // existed (the bootstrap admin) go to the hub operator's.
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM tokens WHERE organisation IS NULL LIMIT 1") == true {
                let id = STIXUUID.random().description
                try db.execute(sql: """
                    INSERT INTO organisations(id, name, country, sector, identity_id, created_us) VALUES (?, ?, 'ZZ', 'hub operator', ?, ?)
                    """, arguments: [id, SQLiteStore.operatorName, "identity--" + STIXUUID.random().description, SQLiteStore.nowMicros()])
                try db.execute(sql: "UPDATE tokens SET organisation = ? WHERE organisation IS NULL", arguments: [id])
            }
        }
        migrator.registerMigration("v6-generation") { db in
            // Bumped by every commit that changes what a page may hold (objects added or
            // deleted, TLP:RED grants): readers may keep finished pages while it stays put.
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('generation', 0)")
        }
        migrator.registerMigration("v7-audit") { db in
            try db.execute(sql: """
                -- Append-only and hash-chained (see AuditRecord.hash); never updated or deleted.
                CREATE TABLE audit_log (
                    seq INTEGER PRIMARY KEY,
                    at_us INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    organisation TEXT,
                    action TEXT NOT NULL,
                    target TEXT,
                    detail TEXT,
                    prev_hash BLOB NOT NULL,
                    hash BLOB NOT NULL
                );
                -- A resumed background ingest must still know who submitted it (the owner).
                ALTER TABLE pending_ingests ADD COLUMN organisation TEXT;
                ALTER TABLE pending_ingests ADD COLUMN actor TEXT;
                """)
        }
        migrator.registerMigration("v8-users") { db in
            try db.execute(sql: """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    email TEXT,
                    organisation TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
                    role TEXT NOT NULL,
                    created_us INTEGER NOT NULL,
                    revoked_us INTEGER,
                    UNIQUE (organisation, name)
                );
                -- Tokens of a person (NULL: a machine token of the organisation).
                ALTER TABLE tokens ADD COLUMN user_id TEXT REFERENCES users(id);
                """)
        }
        migrator.registerMigration("v9-read-only-collections") { db in
            try db.execute(sql: "ALTER TABLE collections ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v10-search") { db in
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('reshape', 0)")
            // Full-text search over names, aliases, descriptions, observable values and patterns:
            // one row per object id (search_ids.num is the FTS rowid), from its latest version.
            // The writer keeps it on ingest (text extracted on the parsing thread); the trigger
            // keeps it on deletion, from the latest version left.
            try db.execute(sql: """
                CREATE TABLE search_ids (num INTEGER PRIMARY KEY, stix_id TEXT NOT NULL UNIQUE, version_us INTEGER NOT NULL);
                CREATE VIRTUAL TABLE search_text USING fts5(name, aliases, description, value, tokenize = 'unicode61 remove_diacritics 2');
                CREATE TRIGGER objects_search_delete AFTER DELETE ON objects
                WHEN EXISTS (SELECT 1 FROM search_ids WHERE stix_id = OLD.stix_id AND version_us = OLD.version_us)
                BEGIN
                    DELETE FROM search_text WHERE rowid = (SELECT num FROM search_ids WHERE stix_id = OLD.stix_id);
                    DELETE FROM search_ids WHERE stix_id = OLD.stix_id;
                    INSERT INTO search_ids(stix_id, version_us)
                        SELECT stix_id, version_us FROM objects WHERE collection IN (SELECT num FROM collections) AND stix_id = OLD.stix_id
                        ORDER BY version_us DESC LIMIT 1;
                    INSERT INTO search_text(rowid, name, aliases, description, value)
                        SELECT i.num, json_extract(t, '$.name'), coalesce(json_extract(t, '$.aliases'), json_extract(t, '$.x_mitre_aliases')),
                               json_extract(t, '$.description'), coalesce(json_extract(t, '$.value'), json_extract(t, '$.pattern'))
                        FROM search_ids i, (SELECT CAST(raw AS TEXT) AS t FROM objects
                                            WHERE collection IN (SELECT num FROM collections) AND stix_id = OLD.stix_id
                                            ORDER BY version_us DESC LIMIT 1)
                        WHERE i.stix_id = OLD.stix_id AND json_valid(t);
                END;
                INSERT INTO search_ids(stix_id, version_us)
                    SELECT stix_id, max(version_us) FROM objects GROUP BY stix_id;
                INSERT INTO search_text(rowid, name, aliases, description, value)
                    SELECT i.num, json_extract(t, '$.name'), coalesce(json_extract(t, '$.aliases'), json_extract(t, '$.x_mitre_aliases')),
                           json_extract(t, '$.description'), coalesce(json_extract(t, '$.value'), json_extract(t, '$.pattern'))
                    FROM search_ids i JOIN (SELECT stix_id, version_us, CAST(raw AS TEXT) AS t, row_number() OVER (PARTITION BY stix_id ORDER BY version_us DESC, seq DESC) AS r FROM objects) o
                      ON o.stix_id = i.stix_id AND o.r = 1
                    WHERE json_valid(t);
                """)
        }
        migrator.registerMigration("v11-access-changes") { db in
            // Ids whose readability changed for some readers (a deletion, a TLP:RED grant), in
            // order: views derived from the store update those ids instead of rebuilding.
            try db.execute(sql: "CREATE TABLE access_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, stix_id TEXT NOT NULL)")
        }
        migrator.registerMigration("v12-shared-sessions") { db in
            // Web sessions and failed-login counts live in the store, not in a process's memory,
            // so that a restart keeps sessions and every node of a PostgreSQL hub shares them.
            try db.execute(sql: """
                CREATE TABLE web_sessions (id_sha256 BLOB PRIMARY KEY, token_id TEXT NOT NULL, csrf TEXT NOT NULL, last_used_us INTEGER NOT NULL);
                CREATE INDEX web_sessions_by_use ON web_sessions(last_used_us);
                CREATE TABLE auth_failures (address TEXT PRIMARY KEY, window_start_us INTEGER NOT NULL, failures INTEGER NOT NULL);
                """)
        }
        return migrator
    }
}
