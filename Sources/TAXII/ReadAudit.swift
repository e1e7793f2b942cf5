import Hummingbird
import ServiceLifecycle
import STIX
import Store
import Synchronization

/// What one page of objects shows of sensitive content, for the audit log.
struct PageAudit: Sendable {
    /// Objects at TLP:AMBER and AMBER+STRICT.
    var amber = 0, amberStrict = 0
    /// Ids of the TLP:RED versions (each one is named in the log).
    var red: [String] = []

    init(_ page: ObjectPage) {
        self.init(page.objects.map { ($0.id, $0.level) })
    }

    /// What a set of (id, level) pairs shows (the objects a web page displayed).
    init(_ objects: [(id: String, level: TLP?)]) {
        for o in objects {
            switch o.level {
            case .amber: amber += 1
            case .amberStrict: amberStrict += 1
            case .red: red.append(o.id)
            default: break
            }
        }
    }
}

/// Collects token use and reads of AMBER, AMBER+STRICT and RED content between appends to the
/// audit log: a database write per GET would cost more than the GET. Token use and AMBER reads
/// are counted per token and collection for each interval; every TLP:RED read is its own
/// entry naming the objects. `AuditFlusher` appends what was collected every second and at
/// shutdown.
final class ReadAudit: Sendable {
    private struct Key: Hashable {
        let token: String
        let organisation: String?
        let collection: String
    }

    private struct Tally {
        var requests = 0, amber = 0, amberStrict = 0
    }

    private struct State: ~Copyable {
        var reads: [Key: Tally] = [:]
        var uses: [String: (organisation: String?, requests: Int)] = [:]
        var red: [AuditEntry] = []
    }

    private let state = Mutex(State())

    /// Counts one authenticated request of a token.
    func used(_ principal: Principal) {
        state.withLock { s in
            s.uses[principal.tokenID, default: (principal.organisation, 0)].requests += 1
        }
    }

    /// Records a page of objects a principal read from a collection.
    func read(_ page: PageAudit, by principal: Principal, collection: String) {
        guard page.amber + page.amberStrict > 0 || !page.red.isEmpty else { return }
        state.withLock { s in
            if page.amber + page.amberStrict > 0 {
                let key = Key(token: principal.tokenID, organisation: principal.organisation, collection: collection)
                s.reads[key, default: Tally()].requests += 1
                s.reads[key]!.amber += page.amber
                s.reads[key]!.amberStrict += page.amberStrict
            }
            if !page.red.isEmpty {
                s.red.append(AuditEntry(actor: principal.tokenID, organisation: principal.organisation, action: "objects.read.red",
                                        target: collection, detail: page.red.joined(separator: " ")))
            }
        }
    }

    /// Everything collected since the last call, as audit entries.
    func drain() -> [AuditEntry] {
        state.withLock { s in
            var entries = s.red
            for (key, tally) in s.reads {
                entries.append(AuditEntry(actor: key.token, organisation: key.organisation, action: "objects.read.amber", target: key.collection,
                                          detail: "\(tally.requests) requests, \(tally.amber) AMBER and \(tally.amberStrict) AMBER+STRICT versions"))
            }
            for (token, use) in s.uses {
                entries.append(AuditEntry(actor: token, organisation: use.organisation, action: "token.use", detail: "\(use.requests) requests"))
            }
            s = State()
            return entries
        }
    }
}

/// Appends what `ReadAudit` collected to the audit log every second, and once more when the
/// server shuts down.
struct AuditFlusher<Backend: AuditStore>: Service {
    let audit: ReadAudit
    let store: Backend

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            try? await store.appendAudit(audit.drain())
        }
        try? await store.appendAudit(audit.drain())
    }
}
