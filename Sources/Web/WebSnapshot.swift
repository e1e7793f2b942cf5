import Foundation
import KnowledgeBase
import STIX
import Store

/// What one reader may see, as the pages need it: the latest readable version of each
/// knowledge object (actors, incidents, identities, instruments, relationships, reports...),
/// the relationships around each, counts of everything by type, collection and submitting
/// organisation, and the landscape figures.
///
/// It is built from the store's page queries, which apply the access policy, so no page can
/// show what the reader may not read. It is brought up to date incrementally: objects added
/// since each collection's cursor are read and applied; a change that may take access away or
/// grant it to older objects (a deletion, a TLP:RED grant) makes it rebuild. Indicators and
/// observables are counted, not kept: pages fetch the few they show from the store.
public struct WebSnapshot: Sendable {
    /// A readable object and where it was found.
    public struct Entry: Sendable {
        /// The latest version the reader may read.
        public var object: JSONObject
        /// Alias of the collection it was found in.
        public var collection: String
        /// When that version was added (microseconds).
        public var dateAdded: Int64
        /// Its TLP level, as the policy computed it.
        public var level: TLP?

        /// Creates an entry.
        public init(object: JSONObject, collection: String, dateAdded: Int64, level: TLP?) {
            (self.object, self.collection, self.dateAdded, self.level) = (object, collection, dateAdded, level)
        }
    }

    /// A recent addition (of any type).
    public struct Addition: Sendable {
        /// Its id.
        public var id: String
        /// Its type.
        public var type: String
        /// The collection it was added to.
        public var collection: String
        /// When (microseconds).
        public var dateAdded: Int64
    }

    /// Whether a parsed object is kept: relationships only when they attribute (the landscape and
    /// actor pages aggregate those); the others are fetched around the object a page shows.
    static func keeps(_ o: JSONObject) -> Bool {
        o["type"]?.stringValue != "relationship" || o["relationship_type"]?.stringValue == "attributed-to"
    }

    /// Types kept whole (the rest are counted only; relationships as `keeps` says).
    public static let keptTypes = ["identity", "threat-actor", "intrusion-set", "campaign", "incident", KnowledgeBase.instrumentType, "relationship",
                                   "report", "malware", "tool", "attack-pattern", "location", "vulnerability", "course-of-action", "grouping",
                                   "infrastructure", "note", "opinion"]

    /// Latest readable version per id (kept types).
    public private(set) var entries: [String: Entry] = [:]
    /// Objects fetched for one page (indicators, observables), looked up like entries.
    public private(set) var extras: [String: Entry] = [:]
    /// Kept ids per type, sorted by name.
    public private(set) var byType: [String: [String]] = [:]
    /// Relationships by source id.
    public private(set) var outgoing: [String: [JSONObject]] = [:]
    /// Relationships by target id.
    public private(set) var incoming: [String: [JSONObject]] = [:]
    /// The landscape figures over what the reader may see.
    public private(set) var landscape = Landscape(objects: [])
    /// The most recent additions, newest first.
    public private(set) var latest: [Addition] = []
    /// Readable objects (distinct ids) per type, of every type.
    public private(set) var counts: [String: Int] = [:]
    private var collectionStats: [String: (count: Int, latest: Int64)] = [:]
    private var ownerStats: [String: (count: Int, latest: Int64)] = [:]
    private var organisationNames: [String: String] = [:]
    // Hashes of ids (and of collection or owner with id) already counted: 8 bytes per object.
    private var seen = Set<Int>(), seenInCollection = Set<Int>(), seenForOwner = Set<Int>()
    private var cursors: [String: (kept: PageCursor?, all: PageCursor?)] = [:]
    private var changePosition: Int64 = 0
    /// The store generation it reflects.
    public private(set) var generation: Int64 = -1
    private var reshape: Int64 = -1
    private var key = ""

    /// Notes every object a page looks up, so the server can audit reads of AMBER and RED content.
    public var recorder: AccessRecorder?

    /// An empty snapshot.
    public init() {}

    // MARK: - Lookups the pages use

    /// The object with this id, when the reader may see it (and the page has it).
    public func object(_ id: String) -> JSONObject? {
        guard let o = entries[id]?.object ?? extras[id]?.object else { return nil }
        recorder?.note(id)
        return o
    }

    /// The entry of an object the reader may see.
    public func entry(_ id: String) -> Entry? {
        guard let e = entries[id] ?? extras[id] else { return nil }
        recorder?.note(id)
        return e
    }

    /// A readable name: `name`, else a value; a relationship reads "source type target".
    public func name(_ id: String) -> String {
        guard let o = object(id) else { return id }
        if o["type"]?.stringValue == "relationship", let s = o["source_ref"]?.stringValue, let t = o["target_ref"]?.stringValue {
            let end = { (ref: String) in self.object(ref).map { Self.name(of: $0, id: ref) } ?? "(not visible to you)" }
            return "\(end(s)) \(o["relationship_type"]?.stringValue ?? "related-to") \(end(t))"
        }
        return Self.name(of: o, id: id)
    }

    static func name(of o: JSONObject, id: String) -> String {
        if let n = o["name"]?.stringValue { return n }
        if let v = o["value"]?.stringValue { return v }
        if let p = o["pattern"]?.stringValue { return p }
        return id
    }

    /// Kept objects of a type, sorted by name.
    public func objects(ofType type: String) -> [JSONObject] { (byType[type] ?? []).compactMap { object($0) } }

    /// Counts per type, most first.
    public var typeCounts: [(type: String, count: Int)] { counts.map { ($0.key, $0.value) }.sorted { ($0.count, $1.type) > ($1.count, $0.type) } }

    /// Total readable objects (distinct ids).
    public var total: Int { seen.count }

    /// Readable objects per collection alias, with the latest addition.
    public var collections: [(alias: String, count: Int, latest: Int64)] {
        collectionStats.map { ($0.key, $0.value.count, $0.value.latest) }.sorted { $0.alias < $1.alias }
    }

    /// Per submitting organisation (nil: the hub's operator): readable objects and the latest addition.
    public var partners: [(organisation: String?, count: Int, latest: Int64)] {
        ownerStats.map { ($0.key.isEmpty ? nil : organisationNames[$0.key] ?? $0.key, $0.value.count, $0.value.latest) }.sorted { $0.latest > $1.latest }
    }

    /// This snapshot with objects fetched for one page added to its lookups, and the
    /// relationships among them added to `outgoing` and `incoming`.
    public func adding(_ fetched: [String: Entry]) -> WebSnapshot {
        var copy = self
        for (id, e) in fetched where copy.entries[id] == nil {
            copy.extras[id] = e
            let o = e.object
            guard o["type"]?.stringValue == "relationship", let s = o["source_ref"]?.stringValue, let t = o["target_ref"]?.stringValue else { continue }
            if !(copy.outgoing[s] ?? []).contains(where: { $0["id"]?.stringValue == id }) { copy.outgoing[s, default: []].append(o) }
            if !(copy.incoming[t] ?? []).contains(where: { $0["id"]?.stringValue == id }) { copy.incoming[t, default: []].append(o) }
        }
        return copy
    }

    // MARK: - Building and refreshing

    /// Brings the snapshot up to date with `store` for `viewer`: reads what was added since the
    /// last refresh, re-reads the ids whose access changed (deletions, TLP:RED grants), and
    /// rebuilds only when the reader's collections or communities changed or the store says so.
    public mutating func refresh(for viewer: Viewer, key: String, from store: some ObjectStore & DirectoryStore) async throws {
        let generation = try await store.generation()
        let reshape = try await store.reshapeGeneration()
        if generation == self.generation && key == self.key && reshape == self.reshape { return }
        var changed: [String] = []
        if key != self.key || reshape != self.reshape || self.generation < 0 {
            self = WebSnapshot()
        } else {
            let changes = try await store.accessChanges(after: changePosition)
            if changes.position == Int64.max { self = WebSnapshot() } else { (changed, changePosition) = (changes.ids, changes.position) }
        }
        if self.generation < 0 {
            // Read first: a change while building is replayed next time.
            changePosition = try await store.accessChanges(after: -1).position
        }
        self.key = key
        self.reshape = reshape
        organisationNames = Dictionary(try await store.organisations().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let box = Collector()
        var changedKept = false
        let collections = try await store.collections()
        for c in collections {
            var position = cursors[c.id] ?? (nil, nil)
            do {
                var kept = PageQuery(collectionID: c.id, cursor: position.kept, limit: 1_000, types: Self.keptTypes, versions: .last)
                kept.viewer = viewer
                try await store.forEachPage(kept) { page in box.keep(page, collection: c.alias) }
                var all = PageQuery(collectionID: c.id, cursor: position.all, limit: 5_000, versions: .last, withContent: false)
                all.viewer = viewer
                try await store.forEachPage(all) { page in box.count(page, collection: c.alias) }
            } catch StoreError.unknownCollection {
                continue  // hidden from this reader
            }
            if let last = box.lastKept { position.kept = last }
            if let last = box.lastAll { position.all = last }
            box.lastKept = nil
            box.lastAll = nil
            cursors[c.id] = position
        }
        for (id, entry) in box.kept {
            if let old = entries[id], (old.object["modified"]?.stringValue ?? "") >= (entry.object["modified"]?.stringValue ?? "") { continue }
            entries[id] = entry
            changedKept = true
        }
        for row in box.counted { count(row) }
        if !changed.isEmpty { changedKept = try await recheck(Set(changed), viewer: viewer, collections: collections, from: store) || changedKept }
        if changedKept || self.generation < 0 { derive() }
        self.generation = generation
    }

    /// Re-reads ids whose access changed and corrects entries and counts; true when a kept
    /// object changed.
    private mutating func recheck(_ ids: Set<String>, viewer: Viewer, collections: [CollectionInfo], from store: some ObjectStore) async throws -> Bool {
        var current: [String: [(collection: String, owner: String, stored: StoredObject)]] = [:]
        let list = Array(ids)
        for c in collections {
            for start in stride(from: 0, to: list.count, by: 500) {
                var query = PageQuery(collectionID: c.id, limit: 1_000, ids: Array(list[start..<min(start + 500, list.count)]), versions: .last)
                query.viewer = viewer
                do {
                    try await store.forEachPage(query) { page in
                        for stored in page { current[stored.id, default: []].append((c.alias, stored.owner ?? "", stored)) }
                    }
                } catch StoreError.unknownCollection {
                    break
                }
            }
        }
        var keptChanged = false
        for id in ids {
            let rows = current[id] ?? []
            let objectType = id.components(separatedBy: "--").first ?? id
            var h = Hasher(); h.combine(id)
            let idHash = h.finalize()
            if rows.isEmpty {
                if seen.remove(idHash) != nil { counts[objectType, default: 1] -= 1 }
                latest.removeAll { $0.id == id }
            } else if seen.insert(idHash).inserted {
                counts[objectType, default: 0] += 1
            }
            let inCollections = Set(rows.map(\.collection))
            for alias in Set(collectionStats.keys).union(inCollections) {
                var hc = Hasher(); hc.combine(alias); hc.combine(id)
                if inCollections.contains(alias) {
                    if seenInCollection.insert(hc.finalize()).inserted { collectionStats[alias, default: (0, 0)].count += 1 }
                } else if seenInCollection.remove(hc.finalize()) != nil {
                    collectionStats[alias, default: (1, 0)].count -= 1
                }
            }
            let owners = Set(rows.map(\.owner))
            for owner in Set(ownerStats.keys).union(owners) {
                var ho = Hasher(); ho.combine(owner); ho.combine(id)
                if owners.contains(owner) {
                    if seenForOwner.insert(ho.finalize()).inserted { ownerStats[owner, default: (0, 0)].count += 1 }
                } else if seenForOwner.remove(ho.finalize()) != nil {
                    ownerStats[owner, default: (1, 0)].count -= 1
                }
            }
            guard Self.keptTypes.contains(objectType) else { continue }
            var best: Entry?
            for row in rows {
                guard let o = try? JSONParser.parse(row.stored.raw).objectValue, Self.keeps(o) else { continue }
                if let b = best, (b.object["modified"]?.stringValue ?? "") >= (o["modified"]?.stringValue ?? "") { continue }
                best = Entry(object: o, collection: row.collection, dateAdded: row.stored.dateAdded, level: row.stored.level)
            }
            if let best { entries[id] = best } else { entries[id] = nil }
            keptChanged = true
        }
        return keptChanged
    }

    private mutating func count(_ row: Collector.Row) {
        var hi = Hasher(); hi.combine(row.id)
        if seen.insert(hi.finalize()).inserted { counts[row.type, default: 0] += 1 }
        var hc = Hasher(); hc.combine(row.collection); hc.combine(row.id)
        if seenInCollection.insert(hc.finalize()).inserted { collectionStats[row.collection, default: (0, 0)].count += 1 }
        collectionStats[row.collection, default: (0, 0)].latest = max(collectionStats[row.collection]?.latest ?? 0, row.dateAdded)
        var ho = Hasher(); ho.combine(row.owner); ho.combine(row.id)
        if seenForOwner.insert(ho.finalize()).inserted { ownerStats[row.owner, default: (0, 0)].count += 1 }
        ownerStats[row.owner, default: (0, 0)].latest = max(ownerStats[row.owner]?.latest ?? 0, row.dateAdded)
        if latest.count < 10 || row.dateAdded > latest.last!.dateAdded {
            latest.removeAll { $0.id == row.id }
            latest.append(Addition(id: row.id, type: row.type, collection: row.collection, dateAdded: row.dateAdded))
            latest.sort { ($0.dateAdded, $0.id) > ($1.dateAdded, $1.id) }
            if latest.count > 10 { latest.removeLast() }
        }
    }

    /// Recomputes what is derived from the kept objects: per-type lists, relationships, landscape.
    private mutating func derive() {
        byType = [:]
        outgoing = [:]
        incoming = [:]
        var names: [String: String] = [:]
        for (id, e) in entries {
            let type = e.object["type"]?.stringValue ?? "unknown"
            byType[type, default: []].append(id)
            names[id] = Self.name(of: e.object, id: id)
            if type == "relationship", let s = e.object["source_ref"]?.stringValue, let t = e.object["target_ref"]?.stringValue {
                outgoing[s, default: []].append(e.object)
                incoming[t, default: []].append(e.object)
            }
        }
        for key in byType.keys { byType[key]?.sort { (names[$0] ?? $0).lowercased() < (names[$1] ?? $1).lowercased() } }
        landscape = Landscape(objects: entries.values.map(\.object))
    }

    /// Collects page callbacks.
    final class Collector: @unchecked Sendable {
        struct Row {
            var id: String
            var type: String
            var collection: String
            var owner: String
            var dateAdded: Int64
        }

        var kept: [String: Entry] = [:]
        var counted: [Row] = []
        var lastKept: PageCursor?
        var lastAll: PageCursor?

        /// `attributed-to` as bytes: relationships without it are skipped before parsing (most are).
        static let attributing = Array("attributed-to".utf8)

        func keep(_ page: [StoredObject], collection: String) {
            for stored in page {
                if stored.type == "relationship", !Self.contains(stored.raw, Self.attributing) { continue }
                guard let object = try? JSONParser.parse(stored.raw).objectValue, WebSnapshot.keeps(object) else { continue }
                if let old = kept[stored.id], (old.object["modified"]?.stringValue ?? "") >= (object["modified"]?.stringValue ?? "") { continue }
                kept[stored.id] = Entry(object: object, collection: collection, dateAdded: stored.dateAdded, level: stored.level)
            }
            if let last = page.last { lastKept = PageCursor(dateAdded: last.dateAdded, sequence: last.sequence) }
        }

        static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
            guard let first = needle.first, bytes.count >= needle.count else { return false }
            var i = 0
            let last = bytes.count - needle.count
            while i <= last {
                if bytes[i] == first, bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
                i += 1
            }
            return false
        }

        func count(_ page: [StoredObject], collection: String) {
            for stored in page {
                counted.append(Row(id: stored.id, type: stored.type, collection: collection, owner: stored.owner ?? "", dateAdded: stored.dateAdded))
            }
            if let last = page.last { lastAll = PageCursor(dateAdded: last.dateAdded, sequence: last.sequence) }
        }
    }
}

/// The ids of the objects one page looked up (shared by the copies of a request's snapshot).
public final class AccessRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var seen = Set<String>()

    /// Creates an empty recorder.
    public init() {}

    /// Notes that a page looked up `id`.
    public func note(_ id: String) {
        lock.lock()
        seen.insert(id)
        lock.unlock()
    }

    /// Every id noted.
    public var ids: Set<String> {
        lock.lock()
        defer { lock.unlock() }
        return seen
    }
}

/// The snapshot of each reader the pages have served, refreshed when the store changes.
public actor WebSnapshots {
    private var kept: [Viewer: (snapshot: WebSnapshot, used: Date)] = [:]
    /// Readers whose snapshots are kept; the least recently used goes first.
    public static let capacity = 32

    /// Creates an empty cache.
    public init() {}

    /// The current snapshot of what `viewer` may read. `memberships` are the viewer's
    /// communities: joining or leaving one changes what it may read without a new generation.
    /// One refresh per reader at a time; the snapshot is taken out of the cache while it is
    /// refreshed, so its sets of a million entries change in place instead of being copied.
    public func snapshot(for viewer: Viewer, memberships: Set<String>, in store: some ObjectStore & DirectoryStore) async throws -> WebSnapshot {
        let key = (try await store.collections().map { "\($0.id):\($0.visibility)" } + memberships.sorted()).joined(separator: ",")
        while busy.contains(viewer) {
            await withCheckedContinuation { waiters[viewer, default: []].append($0) }
        }
        busy.insert(viewer)
        defer {
            busy.remove(viewer)
            for waiter in waiters.removeValue(forKey: viewer) ?? [] { waiter.resume() }
        }
        var snapshot = kept.removeValue(forKey: viewer)?.snapshot ?? WebSnapshot()
        try await snapshot.refresh(for: viewer, key: key, from: store)
        if kept.count >= Self.capacity, let oldest = kept.min(by: { $0.value.used < $1.value.used })?.key { kept[oldest] = nil }
        kept[viewer] = (snapshot, Date())
        return snapshot
    }

    private var busy: Set<Viewer> = []
    private var waiters: [Viewer: [CheckedContinuation<Void, Never>]] = [:]
}
