import Foundation
import Patterning
import STIX

/// An indicator the index holds.
public struct IndexedIndicator: Sendable {
    /// Its STIX id.
    public var id: String
    /// Its name, if it has one.
    public var name: String?
    /// The STIX pattern text.
    public var pattern: String
    /// Anything the caller needs back with a match (such as who may see the indicator).
    public var tag: Int
    /// The object types its pattern tests (filled in by the index on a match).
    public internal(set) var objectTypes: [String] = []

    /// Creates an entry.
    public init(id: String, name: String?, pattern: String, tag: Int = 0) {
        self.id = id
        self.name = name
        self.pattern = pattern
        self.tag = tag
    }
}

/// Every active indicator, indexed so an observation is evaluated in full only against the
/// patterns it could match: equality by hash lookup, `ISSUBSET` ranges by address prefix (one
/// hash table per prefix length in use), `LIKE 'prefix%'` by prefix lookup; patterns the
/// index cannot narrow are evaluated for every observation. Adding and removing indicators is
/// incremental.
///
/// ```swift
/// var index = IndicatorIndex()
/// try index.add(IndexedIndicator(id: "indicator--…", name: "C2", pattern: "[ipv4-addr:value = '198.51.100.7']"))
/// let hits = try index.matches(observation)
/// ```
public struct IndicatorIndex: Sendable {
    struct Entry: Sendable {
        let indicator: IndexedIndicator
        let evaluator: PatternEvaluator
        /// Whether its atoms are in the tables (else it is evaluated for every observation).
        let indexed: Bool

        /// The indicator as a match reports it, with the object types its pattern tests.
        var reported: IndexedIndicator {
            var out = indicator
            for c in evaluator.pattern.comparisons where !out.objectTypes.contains(c.path.objectType) { out.objectTypes.append(c.path.objectType) }
            return out
        }
    }

    private var entries: [Entry?] = []
    private var free: [Int32] = []
    private var slotByID: [String: Int32] = [:]
    /// Equality atoms: path, then value, then the slots that hold them.
    private var equal: [PathKey: [String: Slots]] = [:]
    /// Range atoms: path, then prefix length and family (bytes count × 256 + length), then the masked address.
    private var ranges: [PathKey: [Int: [[UInt8]: Slots]]] = [:]
    /// Prefix atoms: path, then prefix text; with the prefix lengths in use per path.
    private var prefixes: [PathKey: (lengths: Set<Int>, map: [String: Slots])] = [:]
    /// Paths with atoms, per object type, so an observable is only read where it matters.
    private var pathsByType: [String: [PathKey]] = [:]
    private var pathUse: [PathKey: Int] = [:]
    /// Patterns evaluated for every observation.
    private var unindexed: Set<Int32> = []

    /// An empty index.
    public init() {}

    /// How many indicators it holds.
    public var count: Int { slotByID.count }

    /// How many of them the index cannot narrow (evaluated for every observation).
    public var unindexedCount: Int { unindexed.count }

    var unindexedSlots: Set<Int32> { unindexed }

    /// An indicator with its pattern parsed and its atoms derived: the costly part of adding,
    /// which needs no index and so can run on several threads.
    public struct Prepared: Sendable {
        let indicator: IndexedIndicator
        let evaluator: PatternEvaluator
        let atoms: Set<IndexAtom>?

        /// Parses the indicator's pattern; throws when it does not parse or cannot be evaluated.
        public init(_ indicator: IndexedIndicator) throws(PatternError) {
            self.indicator = indicator
            evaluator = try PatternEvaluator(pattern: indicator.pattern)
            atoms = IndexAtoms.of(evaluator.pattern)
        }
    }

    /// Adds an indicator, replacing one with the same id; throws when its pattern does not parse.
    public mutating func add(_ indicator: IndexedIndicator) throws(PatternError) {
        add(try Prepared(indicator))
    }

    /// Adds a prepared indicator, replacing one with the same id.
    public mutating func add(_ prepared: Prepared) {
        let indicator = prepared.indicator, evaluator = prepared.evaluator, atoms = prepared.atoms
        remove(id: indicator.id)
        let slot: Int32
        if let reused = free.popLast() { slot = reused } else { slot = Int32(entries.count); entries.append(nil) }
        entries[Int(slot)] = Entry(indicator: indicator, evaluator: evaluator, indexed: atoms != nil)
        slotByID[indicator.id] = slot
        guard let atoms else { unindexed.insert(slot); return }
        for atom in atoms {
            switch atom {
            case .equal(let path, let value):
                use(path, +1)
                equal[path, default: [:]][value, default: Slots()].append(slot)
            case .within(let path, let range):
                use(path, +1)
                let masked = Self.mask(range.bytes, range.prefix)
                ranges[path, default: [:]][range.bytes.count << 8 | range.prefix, default: [:]][masked, default: Slots()].append(slot)
            case .prefix(let path, let text):
                use(path, +1)
                var entry = prefixes[path] ?? ([], [:])
                entry.lengths.insert(text.unicodeScalars.count)
                entry.map[text, default: Slots()].append(slot)
                prefixes[path] = entry
            }
        }
    }

    /// Removes an indicator (revoked, deleted, expired); nothing happens for an unknown id.
    public mutating func remove(id: String) {
        guard let slot = slotByID.removeValue(forKey: id), let entry = entries[Int(slot)] else { return }
        entries[Int(slot)] = nil
        free.append(slot)
        // The atoms are derived again from the pattern rather than kept for every indicator.
        guard entry.indexed, let atoms = IndexAtoms.of(entry.evaluator.pattern) else { unindexed.remove(slot); return }
        func drop(_ list: inout Slots?) {
            list?.remove(slot)
            if list?.isEmpty == true { list = nil }
        }
        for atom in atoms {
            switch atom {
            case .equal(let path, let value):
                drop(&equal[path, default: [:]][value])
                if equal[path]?.isEmpty == true { equal[path] = nil }
            case .within(let path, let range):
                let key = range.bytes.count << 8 | range.prefix
                drop(&ranges[path, default: [:]][key, default: [:]][Self.mask(range.bytes, range.prefix)])
                if ranges[path]?[key]?.isEmpty == true { ranges[path]?[key] = nil }
                if ranges[path]?.isEmpty == true { ranges[path] = nil }
            case .prefix(let path, let text):
                drop(&prefixes[path, default: ([], [:])].map[text])
                if prefixes[path]?.map.isEmpty == true { prefixes[path] = nil }
            }
            use(path(of: atom), -1)
        }
    }

    private func path(of atom: IndexAtom) -> PathKey {
        switch atom {
        case .equal(let p, _), .within(let p, _), .prefix(let p, _): p
        }
    }

    private mutating func use(_ path: PathKey, _ delta: Int) {
        // One lookup in the common case: the path is already in use.
        let count = { (n: inout Int) -> Int in
            n += delta
            return n
        }(&pathUse[path, default: 0])
        if count == delta, delta > 0 { pathsByType[path.type, default: []].append(path) }
        if count <= 0 {
            pathUse[path] = nil
            pathsByType[path.type]?.removeAll { $0 == path }
        }
    }

    static func mask(_ bytes: [UInt8], _ prefix: Int) -> [UInt8] {
        var out = bytes
        var bits = prefix
        for i in out.indices {
            if bits >= 8 { bits -= 8; continue }
            out[i] &= bits <= 0 ? 0 : ~(0xFF >> UInt8(bits))
            bits = 0
        }
        return out
    }

    /// The slots whose atoms a string value at `path` hits.
    private func hits(_ path: PathKey, _ value: String, into out: inout Set<Int32>) {
        tables(path).hits(value, into: &out)
    }

    /// One path's tables, resolved once.
    private func tables(_ path: PathKey) -> PathTables {
        PathTables(equal: equal[path], ranges: ranges[path], prefixes: prefixes[path])
    }

    /// The indicators whose patterns could match `observation`.
    func candidates(_ observation: Observation) -> Set<Int32> {
        var out = unindexed
        for member in observation.members {
            guard let type = member.type, let paths = pathsByType[type] else { continue }
            for path in paths {
                var values: [JSONValue] = [.object(member.object)]
                for step in path.steps {
                    values = (try? Selection.step(values, .property(step), observation)) ?? []
                    if values.isEmpty { break }
                }
                for case .string(let s) in values { hits(path, s, into: &out) }
            }
        }
        return out
    }

    /// The indicators that match `observation`, evaluated in full; an indicator whose
    /// evaluation fails on this data (an invalid timestamp, say) is reported in `failures`.
    public func matches(_ observation: Observation) -> (matched: [IndexedIndicator], failures: [(IndexedIndicator, EvaluationError)]) {
        var matched: [IndexedIndicator] = []
        var failures: [(IndexedIndicator, EvaluationError)] = []
        for slot in candidates(observation).sorted() {
            guard let entry = entries[Int(slot)] else { continue }
            do {
                if try entry.evaluator.matches([observation]) { matched.append(entry.reported) }
            } catch {
                failures.append((entry.indicator, error))
            }
        }
        return (matched, failures)
    }

    /// The tables of one property, resolved once, for matching many bare values of it.
    public func lookup(_ property: ObservableProperty) -> PropertyLookup {
        PropertyLookup(index: self, property: property, tables: tables(property.key))
    }

    /// The indicators that match a single observable with a string value at one property (the
    /// fast path for plain lists of IPs, domains, URLs and hashes): looked up first, and only
    /// candidates are evaluated on an observation built for them.
    public func matches(_ property: ObservableProperty, value: String, time: Int64) -> [IndexedIndicator] {
        lookup(property).matches(value, time: time)
    }

    /// Evaluates the candidate slots on one observable with a string value at `property`.
    func evaluate(_ slots: Set<Int32>, _ property: ObservableProperty, value: String, time: Int64) -> [IndexedIndicator] {
        // Nested properties (hashes.MD5) become nested objects.
        var leaf: JSONValue = .string(value)
        for name in property.key.steps.dropFirst().reversed() { leaf = .object(JSONObject([(name, leaf)])) }
        let object = JSONObject([("type", .string(property.key.type)), (property.key.steps[0], leaf)])
        let observation = Observation(id: "observed-data", firstObserved: time, lastObserved: time, count: 1, objects: [("0", object)])
        return slots.sorted().compactMap { slot in
            guard let entry = entries[Int(slot)], (try? entry.evaluator.matches([observation])) == true else { return nil }
            return entry.reported
        }
    }
}

/// A property of one kind of observable, such as `ipv4-addr:value` or `file:hashes.'SHA-256'`:
/// where a plain observable's value goes.
public struct ObservableProperty: Sendable, Hashable {
    let key: PathKey

    /// The property `steps` (at least one) of objects of `type`.
    public init(type: String, steps: [String]) {
        precondition(!steps.isEmpty, "a property has at least one step")
        key = PathKey(type: type, steps: steps)
    }

    /// The object type.
    public var type: String { key.type }
    /// The property steps.
    public var steps: [String] { key.steps }
}

extension IndexedIndicator {
    /// The indexable form of a stored STIX indicator when it is active at `now` (not revoked,
    /// `valid_from` reached, `valid_until` not passed) and its pattern is a STIX pattern.
    public init?(activeAt now: Int64, _ object: JSONValue, tag: Int = 0) {
        guard object["type"]?.stringValue == "indicator", object["revoked"]?.boolValue != true,
              object["pattern_type"]?.stringValue == "stix", let id = object["id"]?.stringValue,
              let pattern = object["pattern"]?.stringValue else { return nil }
        if let text = object["valid_from"]?.stringValue, case .success(let from) = Timestamp.parse(text), from.microseconds > now { return nil }
        if let text = object["valid_until"]?.stringValue, case .success(let until) = Timestamp.parse(text), until.microseconds <= now { return nil }
        self.init(id: id, name: object["name"]?.stringValue, pattern: pattern, tag: tag)
    }
}

/// One property's part of an index, resolved once: each bare value then costs one hash lookup
/// (and one per prefix length or range size in use).
public struct PropertyLookup: Sendable {
    let index: IndicatorIndex
    let property: ObservableProperty
    let tables: PathTables

    /// The indicators a bare `value` of this property matches.
    public func matches(_ value: String, time: Int64) -> [IndexedIndicator] {
        var slots = index.unindexedSlots
        tables.hits(value, into: &slots)
        return slots.isEmpty ? [] : index.evaluate(slots, property, value: value, time: time)
    }
}

/// The atoms of one path: values for equality, masked addresses per range size, prefixes.
struct PathTables: Sendable {
    let equal: [String: Slots]?
    let ranges: [Int: [[UInt8]: Slots]]?
    let prefixes: (lengths: Set<Int>, map: [String: Slots])?

    /// Adds the slots whose atoms a string value hits.
    func hits(_ value: String, into out: inout Set<Int32>) {
        if let equal {
            equal[value]?.insert(into: &out)
            // LIKE without wildcards compares in normal form C.
            if !value.utf8.allSatisfy({ $0 < 0x80 }) { equal[value.precomposedStringWithCanonicalMapping]?.insert(into: &out) }
        }
        if let ranges, let address = AddressRange(value) {
            for (key, table) in ranges where key >> 8 == address.bytes.count && key & 0xFF <= address.prefix {
                table[IndicatorIndex.mask(address.bytes, key & 0xFF)]?.insert(into: &out)
            }
        }
        if let prefixes {
            let scalars = Array(value.nfc.unicodeScalars)
            for length in prefixes.lengths where length <= scalars.count {
                prefixes.map[String(String.UnicodeScalarView(scalars[0..<length]))]?.insert(into: &out)
            }
        }
    }
}

/// The slots holding one key: most keys belong to one indicator, kept inline without an array.
struct Slots: Sendable {
    private var first: Int32 = -1
    private var rest: [Int32]?

    var isEmpty: Bool { first < 0 }

    mutating func append(_ slot: Int32) {
        if first < 0 { first = slot } else { rest = (rest ?? []) + [slot] }
    }

    mutating func remove(_ slot: Int32) {
        if first == slot {
            if var more = rest, !more.isEmpty { first = more.removeFirst(); rest = more.isEmpty ? nil : more } else { first = -1 }
        } else {
            rest?.removeAll { $0 == slot }
            if rest?.isEmpty == true { rest = nil }
        }
    }

    func insert(into set: inout Set<Int32>) {
        guard first >= 0 else { return }
        set.insert(first)
        if let rest { set.formUnion(rest) }
    }
}

extension IndicatorIndex {
    /// Prepares the active indicators among stored objects (raw JSON), in order. Objects that are
    /// not active indicators come back as `.inactive(id)`, unusable patterns as `.unusable(id)`.
    /// (Spreading this over both cores of the test machine with `concurrentPerform` gained
    /// nothing measurable, so it stays on one thread.)
    public static func prepare(_ raws: [(id: String, raw: [UInt8])], activeAt now: Int64) -> [Preparation] {
        raws.map { raw in
            guard let json = try? JSONParser.parse(raw.raw), let indicator = IndexedIndicator(activeAt: now, json) else { return .inactive(raw.id) }
            return (try? Prepared(indicator)).map(Preparation.ready) ?? .unusable(raw.id)
        }
    }

    /// What preparing one stored object gave.
    public enum Preparation: Sendable {
        /// An active indicator, ready to add.
        case ready(Prepared)
        /// Not an active indicator (revoked, expired, not yet valid, or no STIX pattern).
        case inactive(String)
        /// An indicator whose pattern cannot be used.
        case unusable(String)
    }
}

extension IndicatorIndex {
    /// Applies prepared objects in order: adds the ready ones, retires the others' ids (a newer
    /// version that is revoked or unusable replaces the indexed one); returns how many patterns
    /// were unusable.
    public mutating func apply(_ preparations: [Preparation]) -> Int {
        var unusable = 0
        for p in preparations {
            switch p {
            case .ready(let prepared): add(prepared)
            case .inactive(let id): remove(id: id)
            case .unusable(let id):
                remove(id: id)
                unusable += 1
            }
        }
        return unusable
    }
}
