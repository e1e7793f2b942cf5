import ArgumentParser
import Foundation
import KnowledgeBase
import STIX
import Store

/// `accord report`: reports computed from the store.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports computed from what the store holds.",
        subcommands: [LandscapeReport.self]
    )

    /// `accord report landscape`.
    struct LandscapeReport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "landscape",
            abstract: "Incidents, losses, actors, attributions and cooperation instruments, computed from the store.",
            discussion: """
                Every figure is computed from the STIX objects the store holds (the knowledge base and \
                whatever partners shared), never from hand-written text: incidents per year and type, \
                cumulative reported losses, actors by number of incidents, attributions by basis, the \
                cooperation instruments per state, and which states are parties to which instruments.

                Incidents count when they carry Accord's incident extension; instruments are \
                cyber-instrument objects. With --as ORG only what that organisation may read counts.

                Examples:
                  accord report landscape > landscape.md
                  accord report landscape --format html > landscape.html
                  accord report landscape --format json --as KISA
                """
        )

        @OptionGroup var store: StoreOptions

        @Option(name: .long, help: ArgumentHelp("markdown, html or json.", valueName: "format"))
        var format = "markdown"

        @Option(name: .customLong("as"), help: ArgumentHelp("Count only what this organisation (name or id) may read.", valueName: "org"))
        var organisation: String?

        @Option(name: .long, help: ArgumentHelp("Only these collections (id or alias; repeatable).", valueName: "collection"))
        var collection: [String] = []

        func validate() throws {
            guard ["markdown", "html", "json"].contains(format) else { throw ValidationError("--format must be markdown, html or json") }
        }

        func run() async throws {
            let db = try await store.open(create: false)
            var viewer = Viewer.system
            if let organisation { viewer = .organisation(try await db.requireOrganisation(organisation).id) }
            let chosen = collection.isEmpty ? try await db.collections() : try await collection.asyncMap { try await store.collection($0, in: db, create: false) }
            let box = ObjectBox()
            for c in chosen {
                var query = PageQuery(collectionID: c.id, limit: 1_000, types: ["incident", "identity", "relationship", KnowledgeBase.instrumentType,
                                                                                "intrusion-set", "threat-actor"], versions: .last)
                query.viewer = viewer
                do {
                    try await db.forEachPage(query) { page in
                        for stored in page {
                            if let o = try? JSONParser.parse(stored.raw).objectValue { box.objects.append(o) }
                        }
                    }
                } catch StoreError.unknownCollection where collection.isEmpty {
                    continue  // hidden from --as
                }
            }
            let landscape = Landscape(objects: box.objects)
            switch format {
            case "html": FileHandle.standardOutput.write(Data(landscape.html().utf8))
            case "json": FileHandle.standardOutput.write(Data(landscape.json()))
            default: FileHandle.standardOutput.write(Data(landscape.markdown().utf8))
            }
        }
    }
}

/// Collects parsed objects from page callbacks.
final class ObjectBox: @unchecked Sendable {
    var objects: [JSONObject] = []
}
