import ArgumentParser
import Foundation
import KnowledgeBase
import STIX
import Store

/// `accord kb`: the bundled Korean Peninsula knowledge base.
struct KnowledgeBaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "Load or update the bundled Korean Peninsula cyber landscape.",
        discussion: """
            Accord ships a TLP:CLEAR STIX 2.1 bundle of the Korean Peninsula cyber landscape: DPRK \
            actors and intrusion sets, incidents since 2009 with attributions, losses and responses, and \
            the strategies, agreements, dialogues and cooperation networks of the states involved, each \
            object with its sources. `accord serve` loads it on first start into the public, read-only \
            collection '\(KnowledgeBase.collectionAlias)'.

            Ids are stable across versions: loading again changes nothing, and a newer bundle adds only \
            the objects whose `modified` changed, as new versions.

            Examples:
              accord kb load                  load the bundled version (nothing happens if it is loaded)
              accord kb update newer.json     load a newer knowledge-base bundle
              accord kb status                what is loaded
            """,
        subcommands: [Load.self, Status.self]
    )

    /// `accord kb load [FILE]`, also called as `accord kb update FILE`.
    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load the bundled knowledge base, or a newer bundle FILE: only new or changed objects are added, as new versions.",
            aliases: ["update"])

        @OptionGroup var store: StoreOptions

        @Argument(help: ArgumentHelp("A knowledge-base bundle to load instead of the bundled one.", valueName: "file"))
        var file: String?

        func run() async throws { try await KnowledgeBaseCommand.load(file, store: store) }
    }

    /// `accord kb status`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the knowledge-base collection (objects and versions per type) and the extension definitions the validator applies.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let db = try await store.open(create: false)
            guard let collection = try await db.collection(KnowledgeBase.collectionAlias) else {
                Terminal.say("The knowledge base is not loaded (accord kb load, or start accord serve).")
                return
            }
            let rows = try await db.statistics().rows.filter { $0.collection == collection.alias }
            Terminal.say("Collection '\(collection.alias)' (\(collection.id)): \(collection.title)\(collection.readOnly ? ", read-only" : "")")
            for row in rows { Terminal.say("  \(row.type): \(row.objects) objects, \(row.versions) versions") }
            let schemas = try KnowledgeBase.extensionSchemas()
            Terminal.say("Extension definitions checked by the validator: \(schemas.checkedIDs.joined(separator: ", "))")
        }
    }

    static func load(_ file: String?, store: StoreOptions) async throws {
        let bytes: [UInt8]?
        if let file {
            do { bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file))) } catch {
                throw CommandFailure("\(file): cannot read: \(error.localizedDescription)")
            }
        } else {
            bytes = nil
        }
        let db = try await store.open()
        let label = file ?? "knowledge base"
        let result = try await KnowledgeBase.load(into: db, bytes: bytes)
        let report = result.report
        for rejection in report.rejections {
            for issue in rejection.issues where issue.severity == .error {
                Terminal.note("\(label): objects[\(rejection.index)]\(rejection.id.map { " (\($0))" } ?? ""): \(issue.path): \(issue.reason)")
            }
        }
        guard report.committed else {
            throw CommandFailure("\(label): nothing loaded (\(report.rejectedCount) invalid objects)")
        }
        if result.created { Terminal.note("created collection '\(result.collection.alias)' (public, read-only)") }
        Terminal.say("\(label): added \(report.added), unchanged \(report.unchanged) in '\(result.collection.alias)'")
    }
}
