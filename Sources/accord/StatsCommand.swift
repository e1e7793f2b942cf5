import ArgumentParser
import Store

/// `accord stats`: counts per collection and type.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show how many objects and versions each collection holds, per type.",
        discussion: "Example:\n  accord stats --data /srv/accord"
    )

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let db = try await store.open(create: false)
        let collections = try await db.collections()
        let stats = try await db.statistics()
        print("Store: \(db.location)")
        print("Collections: \(collections.map { "\($0.alias) (\($0.id))" }.joined(separator: ", "))")
        guard !stats.rows.isEmpty else {
            print("The store is empty. Import a bundle with: accord import FILE")
            return
        }
        let widths = (max(10, stats.rows.map(\.collection.count).max() ?? 0), max(4, stats.rows.map(\.type.count).max() ?? 0))
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        func lpad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        print("\(pad("collection", widths.0))  \(pad("type", widths.1))  \(lpad("objects", 9))  \(lpad("versions", 9))")
        for row in stats.rows {
            print("\(pad(row.collection, widths.0))  \(pad(row.type, widths.1))  \(lpad(String(row.objects), 9))  \(lpad(String(row.versions), 9))")
        }
        let objects = stats.rows.reduce(0) { $0 + $1.objects }
        let versions = stats.rows.reduce(0) { $0 + $1.versions }
        print("\(pad("total", widths.0))  \(pad("", widths.1))  \(lpad(String(objects), 9))  \(lpad(String(versions), 9))")
    }
}
