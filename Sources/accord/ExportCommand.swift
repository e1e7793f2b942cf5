import ArgumentParser
import Foundation
import STIX
import Store

/// `accord export`: write stored objects as a STIX 2.1 bundle on standard output.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write stored objects as one STIX 2.1 bundle on standard output.",
        discussion: """
            Objects are written exactly as they were received (byte for byte), collection by \
            collection in the order they were added, so an export re-imports as a no-op and \
            re-validates clean.

            Examples:
              accord export > everything.json
              accord export --collection camp --type indicator --type malware
              accord export --added-after 2026-01-01T00:00:00Z --latest
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: ArgumentHelp("Only this collection (id or alias).", valueName: "collection"))
    var collection: String?

    @Option(name: .long, help: ArgumentHelp("Only objects of this type; repeat for several.", valueName: "type"))
    var type: [String] = []

    @Option(name: .customLong("added-after"), help: ArgumentHelp("Only versions added strictly after this STIX timestamp.", valueName: "timestamp"))
    var addedAfter: String?

    @Flag(name: .long, help: "Only the latest version of each object (default: every version).")
    var latest = false

    @Option(name: .customLong("as"), help: ArgumentHelp("Export only what this organisation (id or name) may read, as TAXII would serve it (default: everything, as the local operator).", valueName: "org"))
    var viewerOrganisation: String?

    func validate() throws {
        if let addedAfter, case .failure(let e) = Timestamp.parse(addedAfter) {
            throw ValidationError("--added-after '\(addedAfter)' \(e)")
        }
        for t in type where !IdentifierRules.isValidTypeName(t) {
            throw ValidationError("--type '\(t)' is not a STIX type name (such as indicator or ipv4-addr)")
        }
    }

    func run() async throws {
        let db = try await store.open(create: false)
        let collections = collection == nil ? try await db.collections() : [try await store.collection(collection, in: db, create: false)]
        var after: Int64?
        if let addedAfter, case .success(let t) = Timestamp.parse(addedAfter) { after = t.microseconds }
        let out = OutputBuffer()
        out.write("{\"type\":\"bundle\",\"id\":\"bundle--\(STIXUUID.random())\",\"objects\":[")
        let counter = Counter()
        var viewer = Viewer.system
        if let viewerOrganisation { viewer = .organisation(try await db.requireOrganisation(viewerOrganisation).id) }
        for c in collections {
            // Every version and every spec version, unless --latest: an export re-imports as a no-op.
            var query = PageQuery(collectionID: c.id, addedAfter: after, limit: 1_000, types: type,
                                  versions: latest ? .last : .all, specVersions: latest ? nil : ["2.0", "2.1"])
            query.viewer = viewer
            do {
                try await db.forEachPage(query) { objects in
                    for object in objects {
                        out.write(counter.next() == 0 ? "\n" : ",\n")
                        out.write(object.raw)
                    }
                }
            } catch StoreError.unknownCollection where collection == nil {
                continue  // hidden from --as: as absent as on TAXII
            }
        }
        out.write("\n]}\n")
        out.flush()
        Terminal.note("exported \(counter.value) objects")
    }
}

/// A thread-safe counter for callbacks.
final class Counter: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()

    /// Returns the count before incrementing it.
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count - 1
    }

    /// The current count.
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
