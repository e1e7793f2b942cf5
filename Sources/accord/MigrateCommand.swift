import ArgumentParser
import Foundation
import PostgresStore
import Store

/// `accord migrate`: brings a store's schema up to date, or moves a hub from SQLite to PostgreSQL.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring a store's schema up to date, or move a hub from its SQLite data directory to PostgreSQL.",
        discussion: """
            Without --from/--to, applies the schema migrations the store lacks (every command does \
            this on opening a store; this is for doing it ahead of starting several servers) and \
            prints the store it checked.

            With --from DIR --to URL, copies everything a hub holds (collections, objects with their \
            versions, sequence numbers and date_added, organisations, communities, users, token \
            hashes, TLP:RED grants, status resources, pending ingests and the audit log with its hash \
            chain) into a PostgreSQL database that holds no hub yet, then compares both stores table \
            by table (row counts and SHA-256 over every row) and fails if anything differs. Objects \
            are copied in chunks, each in its own transaction: if the copy is interrupted, running the \
            same command again resumes after the last chunk committed. Stop the servers of the source \
            hub first; the comparison catches any change made while copying.

            Examples:
              accord migrate --database postgres://accord@db.example:5432/accord
              accord migrate --from ./accord-data --to postgres://accord:secret@db.example:5432/accord
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: ArgumentHelp("The SQLite data directory of the hub to move.", valueName: "dir"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("The PostgreSQL database to move it into (postgres://...).", valueName: "url"))
    var to: String?

    @Option(name: .long, help: ArgumentHelp("Objects per transaction while copying.", valueName: "n"))
    var chunk = 20_000

    @Flag(name: .customLong("verify-only"), help: "Only compare --from and --to, copying nothing.")
    var verifyOnly = false

    func validate() throws {
        guard (from == nil) == (to == nil) else { throw ValidationError("--from and --to go together") }
        if let to, !DatabaseURL.isPostgres(to) { throw ValidationError("--to must be a postgres:// URL") }
        guard (1...1_000_000).contains(chunk) else { throw ValidationError("--chunk must be between 1 and 1000000") }
        if verifyOnly && from == nil { throw ValidationError("--verify-only compares --from with --to") }
    }

    func run() async throws {
        guard let from, let to else {
            let opened = try await store.open()
            Terminal.say("The schema of \(opened.location) is up to date")
            return
        }
        guard FileManager.default.fileExists(atPath: (from as NSString).appendingPathComponent("accord.sqlite")) else {
            throw CommandFailure("no Accord store in '\(from)' (--from names the data directory of the hub to move)")
        }
        let source = try SQLiteStore(directory: from)
        let target: PostgresStore
        do { target = try await PostgresStore.open(url: to) } catch { throw CommandFailure("\(error)") }
        let started = Date()
        if !verifyOnly {
            if try await target.holdsOwnContent() {
                throw CommandFailure("\(target.location) already holds a hub that no migration put there; move into an empty database")
            }
            try await target.markMigrationTarget()
            try await copy(from: source, to: target)
            try await target.finishMigration(meta: try await source.metaValues())
        }
        let copied = Date()
        let same = try await verify(source, target)
        if !verifyOnly {
            Terminal.say(String(format: "Copied in %.1f s, verified in %.1f s", copied.timeIntervalSince(started), Date().timeIntervalSince(copied)))
        }
        guard same else { throw CommandFailure("the stores differ (see above); run the command again to resume or repair the copy") }
        Terminal.say("\(target.location) holds the same hub as \(from)\(verifyOnly ? "" : "; start the servers with --database \(target.location)")")
    }

    /// Copies every table, small ones whole and large ones in ranges after what the target
    /// already holds (objects with their index rows, one transaction a chunk).
    private func copy(from source: SQLiteStore, to target: PostgresStore) async throws {
        let tables = Dictionary(uniqueKeysWithValues: TableSpec.hub.map { ($0.name, $0) })
        let small = TableSpec.hub.filter { $0.rangeKey == nil }
        try await target.copy(try await small.asyncMap { ($0, try await source.rows(of: $0, in: nil)) })
        for name in ["audit_log", "access_changes"] {
            guard let table = tables[name] else { continue }
            try await copyRanges(of: [table], leading: table, from: source, to: target, label: name)
        }
        guard let objects = tables["objects"], let refs = tables["object_refs"], let observables = tables["observables"] else { return }
        try await copyRanges(of: [objects, refs, observables], leading: objects, from: source, to: target, label: "objects")
    }

    private func copyRanges(of group: [TableSpec], leading: TableSpec, from source: SQLiteStore, to target: PostgresStore, label: String) async throws {
        let total = try await source.extent(of: leading)
        var next = try await target.extent(of: leading).maxKey + 1
        var copied: Int64 = 0, lastNote = Date()
        let started = Date()
        if next > 1 && next <= total.maxKey { Terminal.note("\(label): resuming after \(next - 1)") }
        while next <= total.maxKey {
            let range = next...min(total.maxKey, next + Int64(chunk) - 1)
            var batches: [(table: TableSpec, rows: [[CellValue]])] = []
            for table in group { batches.append((table, try await source.rows(of: table, in: range))) }
            try await target.copy(batches)
            copied += Int64(batches.first?.rows.count ?? 0)
            next = range.upperBound + 1
            if Date().timeIntervalSince(lastNote) > 2 {
                lastNote = Date()
                let rate = Double(copied) / max(0.001, Date().timeIntervalSince(started))
                Terminal.note("\(label): \(copied) copied (up to \(range.upperBound) of \(total.maxKey)), \(Int(rate)) rows/s")
            }
        }
        if copied > 0 {
            Terminal.note("\(label): \(copied) copied in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        }
    }

    /// Compares every table: row counts and a SHA-256 over all rows in the same order.
    private func verify(_ source: SQLiteStore, _ target: PostgresStore) async throws -> Bool {
        var same = true
        Terminal.say("table               rows (SQLite)  rows (PostgreSQL)  SHA-256 of all rows")
        for table in TableSpec.hub {
            var a = RowDigest(), b = RowDigest()
            let maxKey = max(try await source.extent(of: table).maxKey, try await target.extent(of: table).maxKey)
            if table.rangeKey == nil {
                for row in try await source.rows(of: table, in: nil) { a.add(row) }
                for row in try await target.rows(of: table, in: nil) { b.add(row) }
            } else {
                var low: Int64 = 0
                while low <= maxKey {
                    let range = low...(low + Int64(chunk) - 1)
                    for row in try await source.rows(of: table, in: range) { a.add(row) }
                    for row in try await target.rows(of: table, in: range) { b.add(row) }
                    low = range.upperBound + 1
                }
            }
            let match = a.count == b.count && a.hex == b.hex
            same = same && match
            let name = table.name.padding(toLength: 18, withPad: " ", startingAt: 0)
            Terminal.say("\(name)  \(String(a.count).leftPadded(13))  \(String(b.count).leftPadded(17))  \(match ? "equal " + a.hex.prefix(16) : "DIFFERENT")")
        }
        let findings = try await target.integrityCheck()
        if findings != ["ok"] {
            same = false
            Terminal.say("PostgreSQL consistency: \(findings.joined(separator: "; "))")
        }
        return same
    }
}

extension String {
    /// The string right-aligned in `width` columns.
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
