import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import STIX
import Store

/// The PostgreSQL implementation of the store: several `accord serve` processes share one
/// database, so nothing a client relies on lives in one process's memory.
///
/// Writes that add or remove objects take one advisory lock for their transaction: sequence
/// numbers are then handed out in commit order, which keyset cursors need (a reader that has
/// passed sequence N never misses a later commit with a smaller number).
///
/// ```swift
/// let store = try await PostgresStore.open(url: "postgres://accord@127.0.0.1:5432/accord")
/// ```
public final class PostgresStore: ObjectStore, Sendable {
    /// The connection pool.
    let client: PostgresClient
    private let runner: Task<Void, Never>
    /// The database URL without its password, for messages.
    public let location: String

    /// Logs nothing: statements carry values that must not reach logs.
    static let quiet = Logger(label: "accord.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The advisory lock key of object writes (ingest, deletion, grants): "ACCORD01" in ASCII.
    static let writeLock: Int64 = 0x4143_434F_5244_3031
    /// The advisory lock key of schema migrations.
    static let migrationLock: Int64 = 0x4143_434F_5244_4D47

    init(client: PostgresClient, location: String) {
        self.client = client
        self.location = location
        runner = Task.detached { await client.run() }
    }

    deinit { runner.cancel() }

    /// Connects to `url` (`postgres://user:password@host:port/database?sslmode=...`) and brings
    /// the schema up to date (two nodes starting at once take turns).
    public static func open(url: String, maximumConnections: Int = 16) async throws -> PostgresStore {
        let parts = try DatabaseURL.parts(url)
        let location = DatabaseURL.redacted(url)
        var config = DatabaseURL.configuration(parts)
        config.options.maximumConnections = maximumConnections
        config.options.minimumConnections = 0
        // JIT compiles plans whose estimated cost is high, which a large table's index scans
        // can reach: tens of milliseconds of compiling for a page that takes one to read.
        config.options.additionalStartupParameters = [("jit", "off")]
        // One plain connection first: the pool retries a database that refuses for about a
        // minute and then only says that it could not connect.
        if let problem = await DatabaseURL.connectionProblem(parts) {
            throw StoreError.unusableDirectory("cannot use the PostgreSQL database \(location): \(problem)")
        }
        let client = PostgresClient(configuration: config, backgroundLogger: quiet)
        let store = PostgresStore(client: client, location: location)
        do {
            try await PostgresSchema.migrate(store)
        } catch {
            throw StoreError.unusableDirectory("cannot use the PostgreSQL database \(location): \(describe(error))")
        }
        return store
    }

    /// A readable account of a database error (PostgresNIO hides the server's message from
    /// `description` so that it cannot leak into logs by accident; here it is the message).
    public static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let message = e.serverInfo?[.message] { return message }
            let detail = "\(e.code)" + (e.underlying.map { ": \($0)" } ?? "")
            if detail.contains("CERTIFICATE_VERIFY_FAILED") {
                return "the server's TLS certificate is not signed by an authority this node trusts (sslrootcert names the authority's PEM file) (\(detail))"
            }
            if detail.contains("failedToValidateHostname") {
                return "the server's TLS certificate is not issued for this host name (connect by the name it names, or use sslmode=verify-ca) (\(detail))"
            }
            return detail
        }
        return "\(error)"
    }

    /// The server's account of a database error; nil for errors that are not the database's.
    public static func databaseMessage(_ error: any Error) -> String? {
        error is PSQLError ? describe(error) : nil
    }

    /// Runs `body` on one connection.
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { try await body($0) }
    }

    /// Runs `body` in a transaction; an error rolls it back and is rethrown as it is.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await connection.run("BEGIN")
            do {
                let result = try await body(connection)
                try await connection.run("COMMIT")
                return result
            } catch {
                try? await connection.run("ROLLBACK")
                throw error
            }
        }
    }

    /// A transaction that changes objects or who may read them: serialised across every node.
    func writeTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await transaction { connection in
            try await connection.run(sql("SELECT pg_advisory_xact_lock($1)", [Self.writeLock]))
            return try await body(connection)
        }
    }

    /// Runs one statement and collects its rows.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await withConnection { try await $0.rows(query) }
    }

    /// Runs one statement for its effect.
    func run(_ query: PostgresQuery) async throws {
        try await withConnection { try await $0.run(query) }
    }

    static func nowMicros() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }

    // MARK: collections

    static let collectionColumns = "id, alias, title, description, visibility, owner, default_tlp, read_only"

    static func collection(_ row: PostgresRandomAccessRow) throws -> CollectionInfo {
        CollectionInfo(id: try row.string(0), alias: try row.string(1), title: try row.string(2), description: try row.optionalString(3),
                       visibility: CollectionVisibility(kind: try row.string(4), owner: try row.optionalString(5)),
                       defaultLevel: TLP(rawValue: Int(try row.int(6))) ?? .red, readOnly: try row.bool(7))
    }

    public func collections() async throws -> [CollectionInfo] {
        try await rows(sql("SELECT \(Self.collectionColumns) FROM collections ORDER BY created_us, id", [])).map(Self.collection)
    }

    public func collection(_ key: String) async throws -> CollectionInfo? {
        try await rows(sql("SELECT \(Self.collectionColumns) FROM collections WHERE id = $1 OR alias = $1 ORDER BY id = $1 DESC LIMIT 1", [key]))
            .first.map(Self.collection)
    }

    public func createCollection(alias: String, title: String, description: String?, visibility: CollectionVisibility,
                                 defaultLevel: TLP, readOnly: Bool) async throws -> CollectionInfo {
        let info = CollectionInfo(id: STIXUUID.random().description, alias: alias, title: title, description: description,
                                  visibility: visibility, defaultLevel: defaultLevel, readOnly: readOnly)
        let (kind, owner) = visibility.columns
        try await transaction { db in
            // Two nodes creating the same alias at once: the unique index decides, the lock names it.
            try await db.run(sql("LOCK TABLE collections IN SHARE ROW EXCLUSIVE MODE", []))
            if try await !db.rows(sql("SELECT 1 FROM collections WHERE alias = $1", [alias])).isEmpty {
                throw StoreError.duplicateAlias(alias)
            }
            switch visibility {
            case .public: break
            case .community(let id):
                guard try await !db.rows(sql("SELECT 1 FROM communities WHERE id = $1", [id])).isEmpty else {
                    throw StoreError.unknown(kind: "community", key: id)
                }
            case .privateTo(let id):
                guard try await !db.rows(sql("SELECT 1 FROM organisations WHERE id = $1", [id])).isEmpty else {
                    throw StoreError.unknown(kind: "organisation", key: id)
                }
            }
            try await db.run(sql("""
                INSERT INTO collections(id, alias, title, description, created_us, visibility, owner, default_tlp, read_only)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """, [info.id, alias, title, orNull(description), Self.nowMicros(), kind, orNull(owner), Int64(defaultLevel.rawValue), readOnly]))
        }
        return info
    }

    public func statistics() async throws -> StoreStatistics {
        let rows = try await rows(sql("""
            SELECT c.alias, o.type, COUNT(DISTINCT o.stix_id), COUNT(*)
            FROM objects o JOIN collections c ON c.num = o.collection
            GROUP BY c.alias, o.type ORDER BY c.alias COLLATE "C", o.type COLLATE "C"
            """, []))
        return StoreStatistics(rows: try rows.map {
            StoreStatistics.Row(collection: try $0.string(0), type: try $0.string(1), objects: Int(try $0.int(2)), versions: Int(try $0.int(3)))
        })
    }

    // MARK: generations and access changes

    public func generation() async throws -> Int64 {
        try await rows(sql("SELECT value FROM meta WHERE key = 'generation'", [])).first?.int(0) ?? 0
    }

    public func reshapeGeneration() async throws -> Int64 {
        try await rows(sql("SELECT value FROM meta WHERE key = 'reshape'", [])).first?.int(0) ?? 0
    }

    public func accessChanges(after position: Int64) async throws -> (ids: [String], position: Int64) {
        if position < 0 { return ([], try await rows(sql("SELECT coalesce(max(seq), 0) FROM access_changes", [])).first?.int(0) ?? 0) }
        let rows = try await rows(sql("SELECT seq, stix_id FROM access_changes WHERE seq > $1 ORDER BY seq LIMIT 10001", [position]))
        // Too many to replay: the caller rebuilds (a position beyond every change).
        if rows.count > 10_000 { return ([], Int64.max) }
        return (try rows.map { try $0.string(1) }, try rows.last?.int(0) ?? position)
    }

    /// Marks a change of what pages hold.
    static func bumpGeneration(_ db: PostgresConnection) async throws {
        try await db.run(sql("UPDATE meta SET value = value + 1 WHERE key = 'generation'", []))
    }

    /// Marks a change that may take away, or newly grant, access to objects stored before.
    static func bumpReshape(_ db: PostgresConnection) async throws {
        try await db.run(sql("UPDATE meta SET value = value + 1 WHERE key IN ('generation', 'reshape')", []))
    }

    /// Records that readers' access to `id` may have changed (and that the store changed).
    static func logAccessChange(_ db: PostgresConnection, _ id: String) async throws {
        try await bumpGeneration(db)
        try await db.run(sql("INSERT INTO access_changes(stix_id) VALUES ($1)", [id]))
    }
}

/// `postgres://` URLs as libpq writes them, turned into a client configuration.
public enum DatabaseURL {
    /// Whether `text` names a PostgreSQL database rather than a data directory.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// What a URL names: where, who, which database, and how to use TLS.
    struct Parts {
        var host: String, port: Int, user: String, password: String?, database: String
        /// nil: no TLS; otherwise whether it is required, and its configuration.
        var tls: (required: Bool, configuration: TLSConfiguration)?
    }

    /// The parts of a URL, checked.
    static func parts(_ text: String) throws -> Parts {
        guard isPostgres(text), let url = URLComponents(string: text), let host = url.host, !host.isEmpty else {
            throw StoreError.unusableDirectory("'\(redacted(text))' is not a PostgreSQL URL (postgres://user:password@host:port/database)")
        }
        let user = url.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let password = url.password.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
        var database = String(url.path.dropFirst())
        if database.isEmpty { database = user }
        let mode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        var unverified = TLSConfiguration.makeClientConfiguration()
        unverified.certificateVerification = .none
        // libpq's sslrootcert: the authorities to trust instead of the system's (a database's
        // certificate is usually signed by the organisation's own authority).
        var verified = TLSConfiguration.makeClientConfiguration()
        if let roots = url.queryItems?.first(where: { $0.name == "sslrootcert" })?.value, !roots.isEmpty, roots != "system" {
            guard FileManager.default.isReadableFile(atPath: roots) else {
                throw StoreError.unusableDirectory("sslrootcert '\(roots)' is not a readable file of PEM certificates")
            }
            verified.trustRoots = .file(roots)
        }
        let tls: (required: Bool, configuration: TLSConfiguration)?
        switch mode {
        case "disable": tls = nil
        case "prefer", "allow": tls = (false, unverified)
        case "require": tls = (true, unverified)
        case "verify-ca":
            verified.certificateVerification = .noHostnameVerification
            tls = (true, verified)
        case "verify-full": tls = (true, verified)
        default:
            throw StoreError.unusableDirectory("sslmode '\(mode)' is not one of disable, prefer, require, verify-ca, verify-full")
        }
        return Parts(host: host, port: url.port ?? 5432, user: user, password: password, database: database, tls: tls)
    }

    /// The pool configuration a URL describes, and the URL without its password.
    static func configuration(_ text: String) throws -> (PostgresClient.Configuration, String) {
        (configuration(try parts(text)), redacted(text))
    }

    /// The pool configuration of a URL's parts.
    static func configuration(_ p: Parts) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = p.tls.map { $0.required ? .require($0.configuration) : .prefer($0.configuration) } ?? .disable
        return PostgresClient.Configuration(host: p.host, port: p.port, username: p.user, password: p.password, database: p.database, tls: tls)
    }

    /// Why one connection to the URL's database fails, in the server's words; nil when it
    /// succeeds.
    static func connectionProblem(_ p: Parts) async -> String? {
        do {
            let tls: PostgresConnection.Configuration.TLS = try p.tls.map {
                let context = try NIOSSLContext(configuration: $0.configuration)
                return $0.required ? .require(context) : .prefer(context)
            } ?? .disable
            let configuration = PostgresConnection.Configuration(host: p.host, port: p.port, username: p.user, password: p.password,
                                                                 database: p.database, tls: tls)
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: PostgresStore.quiet)
            try? await connection.close()
            return nil
        } catch {
            return PostgresStore.describe(error)
        }
    }

    /// The URL with any password replaced by `***`.
    public static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "***"
        return url.string ?? text
    }
}
