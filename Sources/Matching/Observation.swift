import STIX

/// One observed-data object as the evaluator sees it: when, how often, and the cyber-observable
/// objects it names (STIX 2.1 `object_refs` resolved against the SCOs given alongside, or the
/// 2.0 embedded `objects` map).
public struct Observation: Sendable {
    /// The observed-data id.
    public var id: String
    /// `first_observed`, in microseconds since the epoch.
    public var firstObserved: Int64
    /// `last_observed`, in microseconds since the epoch.
    public var lastObserved: Int64
    /// `number_observed`: how many observations this object stands for.
    public var count: Int
    /// The objects, by the key references use (an SCO id in 2.1, "0", "1"... in 2.0), in order.
    public var objects: [(key: String, value: JSONObject)] { members.map { ($0.key, $0.object) } }
    /// The objects with each one's `type` read once (every comparison filters on it); one array
    /// of a named type, rather than parallel arrays of tuples, so that building an observation
    /// allocates once and needs no run-time type lookup.
    let members: [Member]
    /// Position of each key in `members`, for observations too large to search in order (most
    /// hold a handful of objects, where comparing keys beats hashing them).
    let index: [String: Int]?

    /// One object of an observation.
    struct Member {
        let key: String
        let object: JSONObject
        let type: String?

        /// Whether the object is of `type`. Lengths first: every comparison filters on its
        /// type, most objects are of another, and two different strings cost a call into the
        /// runtime to compare where their lengths (held in the string itself) mostly differ.
        /// Spellings of different lengths that Unicode deems equivalent (KELVIN SIGN for `K`)
        /// are told apart, as stix2-matcher's code-point comparison tells them apart.
        @inline(__always)
        func isOf(_ type: String) -> Bool {
            guard let own = self.type else { return false }
            return own.utf8.count == type.utf8.count && own == type
        }
    }

    /// Object count above which references are resolved through a hash index.
    static let indexThreshold = 16

    /// Creates an observation.
    public init(id: String, firstObserved: Int64, lastObserved: Int64, count: Int, objects: [(key: String, value: JSONObject)]) {
        self.init(id: id, firstObserved: firstObserved, lastObserved: lastObserved, count: count,
                  members: objects.map { Member(key: $0.key, object: $0.value, type: $0.value["type"]?.stringValue) })
    }

    init(id: String, firstObserved: Int64, lastObserved: Int64, count: Int, members: [Member]) {
        self.id = id
        self.firstObserved = firstObserved
        self.lastObserved = lastObserved
        self.count = count
        self.members = members
        if members.count > Self.indexThreshold {
            var index: [String: Int] = [:]
            index.reserveCapacity(members.count)
            for (i, o) in members.enumerated() where index[o.key] == nil { index[o.key] = i }
            self.index = index
        } else {
            index = nil
        }
    }

    /// The object a reference names within this observation.
    func object(_ key: String) -> JSONObject? {
        if let index { return index[key].map { members[$0].object } }
        return members.first { $0.key == key }?.object
    }
}

/// Why observed data cannot be evaluated: which object and what is wrong.
public struct ObservationError: Error, Sendable, CustomStringConvertible {
    /// The reason, naming the object.
    public var reason: String
    public var description: String { reason }

    /// Creates an error with its reason.
    public init(reason: String) { self.reason = reason }
}

extension Observation {
    /// Reads observed-data SDOs (and the SCOs their `object_refs` name) from a list of STIX
    /// objects and bundles; other objects are ignored, and a reference to an SCO that is not
    /// given names nothing (as in stix2-matcher). Throws for observed-data that lacks its
    /// timestamps or count.
    public static func from(_ input: [JSONValue]) throws(ObservationError) -> [Observation] {
        // Bundles are read in place rather than flattened into a copy, and each SCO's type is
        // read once, here, for the observations that name it.
        var scos = ObjectsByID()
        // Most inputs hold one to three observed-data: a list of them was an allocation of its own.
        var observed = ShortObjectList()
        // Each item taken over: its object is kept, not copied (and the item released after).
        func collect(_ item: consuming JSONValue) {
            guard case .object(let o) = consume item, let type = o.string("type") else { return }
            if type == "observed-data" {
                observed.append(o)
            } else if let id = o.string("id") {
                scos.append(id: id, object: o, type: type)
            }
        }
        for item in input {
            if case .object(let o) = item, o.string("type") == "bundle", case .array(let inner)? = o["objects"] {
                scos.reserveCapacity(inner.count)
                for element in inner { collect(element) }
            } else {
                collect(item)
            }
        }
        var out: [Observation] = []
        out.reserveCapacity(observed.count)
        for i in 0..<observed.count { out.append(try observation(observed.take(i), scos)) }
        return out
    }

    /// One observed-data object, its members read in one pass.
    private static func observation(_ o: JSONObject, _ scos: ObjectsByID) throws(ObservationError) -> Observation {
        // Member names are distinct in parsed JSON; should one repeat, the first counts, as in
        // lookups. Each is kept as the kind it must be (nil inside when it is another): copying
        // and releasing a whole value switches over every kind, a string only retains.
        var id: String??, first: String??, last: String??, number: JSONNumber??, refs: [JSONValue]??, embedded: JSONObject??
        for (key, value) in o {
            // By length first, so that each member is compared with one name at most (most are
            // none of these, and a name compared with a different one costs a call).
            switch key.utf8.count {
            case 2: if id == nil, key == "id" { id = .some(value.stringValue) }
            case 14: if first == nil, key == "first_observed" { first = .some(value.stringValue) }
            case 13: if last == nil, key == "last_observed" { last = .some(value.stringValue) }
            case 15: if number == nil, key == "number_observed" { number = .some(value.numberValue) }
            case 11: if refs == nil, key == "object_refs" { refs = .some(value.arrayValue) }
            case 7: if embedded == nil, key == "objects" { embedded = .some(value.objectValue) }
            default: continue
            }
        }
        let name = (id ?? nil) ?? "observed-data"
        func time(_ value: String??, _ key: String) throws(ObservationError) -> Int64 {
            guard let text = value ?? nil, case .success(let t) = Timestamp.parse(text) else {
                throw ObservationError(reason: "\(name): $.\(key) must be a timestamp")
            }
            return t.microseconds
        }
        guard let n = number ?? nil, let count = n.int64, count >= 1 else {
            throw ObservationError(reason: "\(name): $.number_observed must be a positive integer")
        }
        var members: [Member] = []
        if let refs = refs ?? nil {
            members.reserveCapacity(refs.count)
            for case .string(let ref) in refs {
                if let sco = scos[ref] { members.append(Member(key: ref, object: sco.object, type: sco.type)) }
            }
        } else if let embedded = embedded ?? nil {
            for (key, value) in embedded {
                guard case .object(let sco) = value else { throw ObservationError(reason: "\(name): $.objects.\(key) must be an object") }
                members.append(Member(key: key, object: sco, type: sco.string("type")))
            }
        } else {
            throw ObservationError(reason: "\(name): observed-data needs object_refs (or the STIX 2.0 objects)")
        }
        let firstObserved = try time(first, "first_observed")
        // Most observed-data spell both timestamps alike: the text is read once then.
        let lastObserved = if let a = first ?? nil, let b = last ?? nil, a == b { firstObserved } else { try time(last, "last_observed") }
        return Observation(id: name, firstObserved: firstObserved, lastObserved: lastObserved,
                           count: Int(min(count, Int64(Int32.max))), members: members)
    }
}

extension Observation {
    /// The observations one submitted item stands for: an SCO is one observation made `now`;
    /// observed-data, or a bundle holding observed-data and its SCOs, is read with `from(_:)`.
    /// Throws, with the reason, for anything that yields no observation.
    public static func of(_ item: JSONValue, now: Int64) throws(ObservationError) -> [Observation] {
        guard case .object(let object) = item, let type = object["type"]?.stringValue else {
            throw ObservationError(reason: "not a STIX object (no type): expected an SCO, observed-data or a bundle")
        }
        guard type == "bundle" || type == "observed-data" else {
            return [Observation(id: "observed-data", firstObserved: now, lastObserved: now, count: 1,
                                objects: [(object["id"]?.stringValue ?? "0", object)])]
        }
        let found = try from([item])
        if found.isEmpty { throw ObservationError(reason: "a bundle without observed-data or SCOs to match") }
        return found
    }
}

