import ArgumentParser
import Foundation
import PostgresStore
import Store

/// The `--data` option every command that touches the store shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Data directory holding the store (default: $ACCORD_DATA, else ./accord-data).",
        valueName: "dir"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp(
        "A PostgreSQL database to use instead of the data directory: postgres://user:password@host:port/database[?sslmode=disable|prefer|require|verify-ca|verify-full][&sslrootcert=CA.pem] (default: $ACCORD_DATABASE_URL). Several `accord serve` processes may share one. A password here shows in the process list: prefer $ACCORD_DATABASE_URL, or $PGPASSWORD with no password in the URL.",
        valueName: "url"))
    var database: String?

    /// The directory in effect: the option, else `ACCORD_DATA`, else `./accord-data`.
    var directory: String {
        data ?? ProcessInfo.processInfo.environment["ACCORD_DATA"] ?? "./accord-data"
    }

    /// The PostgreSQL URL in effect, if any: the option, else `ACCORD_DATABASE_URL` (unless
    /// --data was given).
    var databaseURL: String? {
        if let database { return database }
        if data != nil { return nil }
        let env = ProcessInfo.processInfo.environment["ACCORD_DATABASE_URL"] ?? ""
        return env.isEmpty ? nil : env
    }

    /// Opens the store, creating it and its default collection on first use; commands that
    /// only read pass `create: false`, so a mistyped --data is reported instead of created.
    func open(create: Bool = true) async throws -> any HubStore {
        let store: any HubStore
        if let url = databaseURL {
            guard data == nil else { throw ValidationError("--data and --database name two stores: give one") }
            guard DatabaseURL.isPostgres(url) else {
                throw ValidationError("--database must be a postgres:// URL (postgres://user:password@host:port/database)")
            }
            do { store = try await PostgresStore.open(url: url) } catch { throw CommandFailure("\(error)") }
        } else {
            if !create, !FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("accord.sqlite")) {
                throw CommandFailure("no Accord store in '\(directory)' (check --data or $ACCORD_DATA; `accord import` creates one)")
            }
            store = try SQLiteStore(directory: directory)
        }
        if try await store.collections().isEmpty {
            _ = try await store.createCollection(alias: "default", title: "Default collection",
                                                 description: "Objects imported without --collection.")
        }
        return store
    }

    /// Finds a collection by id or alias; with `create`, makes a new one for an unknown alias.
    func collection(_ key: String?, in store: any HubStore, create: Bool) async throws -> CollectionInfo {
        let key = key ?? "default"
        if let found = try await store.collection(key) { return found }
        guard create else { throw CommandFailure("no collection with id or alias '\(key)' (see `accord stats`)") }
        guard Self.isAlias(key) else {
            throw ValidationError("'\(key)' is not a collection alias: use 1-64 characters of a-z, 0-9, '-' and '_'")
        }
        let created = try await store.createCollection(alias: key, title: key, description: nil)
        Terminal.note("created collection '\(key)' (id \(created.id))")
        return created
    }

    /// Whether `s` is a valid collection alias: 1-64 characters of a-z, 0-9, '-' and '_'.
    static func isAlias(_ s: String) -> Bool {
        (1...64).contains(s.utf8.count) && s.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F }
    }
}
