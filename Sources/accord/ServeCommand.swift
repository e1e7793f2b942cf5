import ArgumentParser
import Store

/// `accord serve`: will run the TAXII 2.1 server; for now it prepares the store and says so.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Prepare the store and serve it (the TAXII 2.1 server is not built yet).",
        discussion: """
            Today this creates the data directory and the store if needed and reports what it \
            holds. The TAXII 2.1 endpoints arrive with the TAXII server work; until then use \
            `accord import`, `accord export` and `accord stats`.
            """
    )

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let db = try await store.open()
        let stats = try await db.statistics()
        let objects = stats.rows.reduce(0) { $0 + $1.objects }
        print("Accord store ready at \(db.path) with \(objects) objects.")
        print("The TAXII 2.1 server is not available in this version: nothing is listening.")
        print("Use `accord import FILE`, `accord export` and `accord stats` (see `accord --help`).")
    }
}
