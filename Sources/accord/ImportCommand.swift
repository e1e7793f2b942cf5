import ArgumentParser
import Foundation
import KnowledgeBase
import STIX
import Store

/// `accord import`: validate and store STIX bundles, one transaction per file.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Validate STIX 2.1 bundles or TAXII envelopes and store them.",
        discussion: """
            Each file is one transaction: if any object in it is invalid, nothing from that file \
            is stored (unless --partial), and every problem is listed with the object's position, \
            id, JSON path and reason. Re-importing an identical object changes nothing. Files of \
            any size stream through bounded memory.

            Examples:
              accord import enterprise-attack.json
              accord import --collection camp feed1.json feed2.json
              curl -s https://example.org/feed.json | accord import -
            Exit status: 0 when every object was stored or already present, 1 otherwise.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: ArgumentHelp("Collection id or alias to import into; an unknown alias creates it.", valueName: "collection"))
    var collection: String?

    @Flag(name: .long, help: "Store the valid objects of a file even when some are rejected.")
    var partial = false

    @Flag(name: .shortAndLong, help: "Print nothing but problems and the final summary.")
    var quiet = false

    @Argument(help: ArgumentHelp("Bundle files to import; - reads standard input.", valueName: "file"))
    var files: [String]

    func run() async throws {
        let db = try await store.open()
        let target = try await store.collection(collection, in: db, create: true)
        var failed = false
        for file in files {
            failed = try await importFile(file, into: target, db) || failed
        }
        if failed { throw ExitCode(1) }
    }

    /// Imports one file; returns true when something was rejected or the file was unusable.
    private func importFile(_ file: String, into target: CollectionInfo, _ db: any HubStore) async throws -> Bool {
        let source: FileByteSource
        do { source = try FileByteSource(path: file) } catch {
            Terminal.note("\(file): \(error)")
            return true
        }
        let size = file == "-" ? nil : (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
        let pipeline = BundlePipeline(source: source, extensions: try KnowledgeBase.extensionSchemas())
        let progress = ProgressDisplay(label: file, totalBytes: size)
        let quiet = self.quiet
        let started = Date()
        let report: IngestReport
        do {
            report = try await db.ingest(from: pipeline, into: target.id, options: IngestOptions(partial: partial) { r in
                if !quiet { progress.update(objects: r.processed, bytes: pipeline.bytesRead) }
            })
        } catch let error as DocumentError {
            progress.finish()
            Terminal.note("\(file): \(error)")
            Terminal.note("\(file): nothing imported (the file is not a readable STIX document)")
            return true
        }
        progress.finish()
        for rejection in report.rejections {
            for issue in rejection.issues where issue.severity == .error {
                Terminal.note("\(file): objects[\(rejection.index)]\(rejection.id.map { " (\($0))" } ?? ""): \(issue.path): \(issue.reason)")
            }
        }
        for notice in report.notices {
            for issue in notice.issues {
                Terminal.note("\(file): objects[\(notice.index)]\(notice.id.map { " (\($0))" } ?? ""): note: \(issue.reason)")
            }
        }
        if report.rejectedCount > report.rejections.count {
            Terminal.note("\(file): ... and \(report.rejectedCount - report.rejections.count) more rejected objects")
        }
        let seconds = Date().timeIntervalSince(started)
        let rate = seconds > 0 ? Int(Double(report.processed) / seconds) : report.processed
        let outcome = report.committed ? "" : " — nothing imported (use --partial to keep the valid objects)"
        Terminal.note("\(file): added \(report.added), unchanged \(report.unchanged), rejected \(report.rejectedCount), warnings \(report.warningCount) into '\(target.alias)' in \(String(format: "%.2f", seconds)) s (\(rate) objects/s)\(outcome)")
        return report.rejectedCount > 0
    }
}
