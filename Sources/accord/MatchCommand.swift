import ArgumentParser
import Foundation
import Matching
import STIX
import Store

/// `accord match`: checks telemetry against the stored indicators.
struct MatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match", abstract: "Match telemetry (observables, observed-data, CSV) against the stored indicators.",
        discussion: """
            Reads each INPUT (- for standard input) as one of:
              plain  one observable per line: an IPv4/IPv6, email or MAC
                     address, a domain, a URL, or an MD5/SHA-1/SHA-256/
                     SHA-512 hash (told apart by its shape)
              jsonl  one STIX object per line: an SCO, an observed-data
                     with embedded objects, or a bundle
              csv    a header row, then records; --map COLUMN=type:prop
                     names the columns to read
            --input auto guesses from the file extension and the first
            character.

            Every active indicator (not revoked, valid now, with a STIX \
            pattern) the reader may see is indexed; each record is \
            evaluated in full only against the patterns it could match. \
            Each record is one observation, so patterns that need several \
            observations (AND, FOLLOWEDBY, REPEATS) match within one \
            observed-data record.

            Examples:
              accord match firewall-ips.txt
              accord match --as "KrCERT/CC" --format csv dns.csv \\
                --map query=domain-name:value --map client=ipv4-addr:value
              zcat flows.jsonl.gz | accord match --input jsonl --format stix -
              accord match --as "KrCERT/CC" --sightings-to sightings proxy.txt
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("Files to read; - reads standard input.", valueName: "input")) var inputs: [String]

    @Option(name: .long, help: ArgumentHelp("Only indicators of this collection (id or alias); repeat for several.", valueName: "collection"))
    var collection: [String] = []

    @Option(name: .customLong("as"), help: ArgumentHelp("Use only indicators this organisation (id or name) may read (default: every indicator, as the local operator).", valueName: "org"))
    var organisation: String?

    @Option(help: ArgumentHelp("jsonl (a line per match), csv, or stix (a bundle of sightings).", valueName: "format"))
    var format = "jsonl"

    @Option(help: ArgumentHelp("auto, plain, jsonl or csv.", valueName: "kind")) var input = "auto"

    @Option(help: ArgumentHelp("A CSV column to read and the observable property it holds (COLUMN=type:property).", valueName: "mapping"))
    var map: [String] = []

    @Option(name: .customLong("sightings-to"), help: ArgumentHelp("Also store a STIX sighting per matched indicator in this collection (owned by --as).", valueName: "collection"))
    var sightingsTo: String?

    func validate() throws {
        guard ["jsonl", "csv", "stix"].contains(format) else { throw ValidationError("--format must be jsonl, csv or stix") }
        guard ["auto", "plain", "jsonl", "csv"].contains(input) else { throw ValidationError("--input must be auto, plain, jsonl or csv") }
        for m in map where CSVMapping.parse(m) == nil {
            throw ValidationError("--map '\(m)' must be COLUMN=type:property, such as src=ipv4-addr:value or md5=file:hashes.MD5")
        }
        if input == "csv" && map.isEmpty { throw ValidationError("CSV input needs at least one --map COLUMN=type:property") }
    }

    func run() async throws {
        let db = try await store.open(create: false)
        var viewer = Viewer.system
        var owner: Organisation?
        if let organisation {
            owner = try await db.requireOrganisation(organisation)
            viewer = .organisation(owner!.id)
        }
        let started = Date()
        let (index, skipped) = try await loadIndex(db, viewer: viewer)
        Terminal.note("indexed \(index.count) active indicators (\(index.unindexedCount) evaluated for every record)\(skipped > 0 ? "; \(skipped) with unusable patterns skipped" : "") in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        // The rate counts matching only; the index build is reported above.
        let matching = Date()
        let report = MatchReport(format: format)
        let mappings = map.compactMap(CSVMapping.parse)
        for file in inputs {
            let reader = try MatchInput(path: file, kind: input, mappings: mappings)
            try reader.each(index: index, report: report)
        }
        report.finish()
        Terminal.note(report.summary(seconds: Date().timeIntervalSince(matching)))
        if let sightingsTo {
            let target = try await store.collection(sightingsTo, in: db, create: false)
            var org = owner
            if org == nil { org = try await db.operatorOrganisation() }
            guard let org else { return }
            let bundle = report.sightingsBundle(identity: org.identityID)
            let result = try await db.ingest(from: BundlePipeline(source: MemoryByteSource(bundle)), into: target.id,
                                             options: IngestOptions(partial: false, ownerOrganisation: org.id))
            try await db.appendAudit([AuditEntry(actor: "cli", organisation: org.id, action: "objects.add", target: target.id,
                                                 detail: "sightings from accord match: added \(result.added)")])
            Terminal.note("stored \(result.added) sightings in '\(target.alias)' owned by '\(org.name)'")
        }
    }

    /// Every active indicator the viewer may read, indexed; and how many patterns were unusable.
    func loadIndex(_ db: any HubStore, viewer: Viewer) async throws -> (IndicatorIndex, Int) {
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let all = try await db.collections()
        let chosen = collection.isEmpty ? all : try await collection.asyncMap { try await store.collection($0, in: db, create: false) }
        let box = IndexBox()
        for c in chosen {
            var query = PageQuery(collectionID: c.id, limit: 1_000, types: ["indicator"], versions: .last)
            query.viewer = viewer
            do {
                try await db.forEachPage(query) { objects in
                    box.skipped += box.index.apply(IndicatorIndex.prepare(objects.map { ($0.id, $0.raw) }, activeAt: now))
                }
            } catch StoreError.unknownCollection where collection.isEmpty {
                continue  // hidden from --as
            }
        }
        return (box.index, box.skipped)
    }
}

/// Collects indicators from page callbacks.
final class IndexBox: @unchecked Sendable {
    var index = IndicatorIndex()
    var skipped = 0
}

extension Array {
    /// `map` with an async transform, in order.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
