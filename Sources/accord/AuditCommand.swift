import ArgumentParser
import Foundation
import STIX
import Store

/// `accord audit verify|tail`: the tamper-evident audit log.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check and read the hash-chained audit log.",
        discussion: """
            Failed authentications, writes and administrative changes are appended to an audit \
            log in which every record carries the SHA-256 of the one before: editing, removing or \
            reordering a record breaks the chain. `verify` prints the hash of the last record; \
            keep it somewhere else to prove later that nothing was cut off the end.

            Examples:
              accord audit verify
              accord audit tail -n 50
            """,
        subcommands: [Verify.self, Tail.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recompute the chain; exit 1 at the first broken record.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let result = try await store.open(create: false).verifyAudit()
            let head = result.head.map { String(format: "%02x", $0) }.joined()
            if let failure = result.failure {
                throw CommandFailure("audit log broken at record \(failure.sequence): \(failure.reason) (\(result.count) records read)")
            }
            print("audit log intact: \(result.count) records, last hash \(head)")
        }
    }

    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the latest records (time, actor, organisation, action, target, detail).")
        @OptionGroup var store: StoreOptions
        @Option(name: .short, help: "How many records.") var n = 20

        func validate() throws {
            guard n > 0 else { throw ValidationError("-n must be positive") }
        }

        func run() async throws {
            let db = try await store.open(create: false)
            // Organisations by name where they still exist (the record keeps the id).
            let names = Dictionary(uniqueKeysWithValues: try await db.organisations().map { ($0.id, $0.name) })
            for r in try await db.auditTail(n) {
                let e = r.entry
                print([String(r.sequence), Timestamp(microseconds: r.time).taxiiString, e.actor, e.organisation.map { names[$0] ?? $0 } ?? "-",
                       e.action, e.target ?? "-", e.detail ?? "-"].joined(separator: "\t"))
            }
        }
    }
}

extension AuditStore {
    /// Records an administrative change made from the command line.
    func auditCLI(_ action: String, target: String?, detail: String? = nil) async throws {
        try await appendAudit([AuditEntry(actor: "cli", action: action, target: target, detail: detail)])
    }
}
