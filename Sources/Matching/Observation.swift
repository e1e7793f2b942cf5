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
    public var objects: [(key: String, value: JSONObject)]
    /// Position of each key in `objects`.
    let index: [String: Int]
    /// Each object's `type`, read once (every comparison filters on it).
    let types: [String?]

    /// Creates an observation.
    public init(id: String, firstObserved: Int64, lastObserved: Int64, count: Int, objects: [(key: String, value: JSONObject)]) {
        self.id = id
        self.firstObserved = firstObserved
        self.lastObserved = lastObserved
        self.count = count
        self.objects = objects
        var index: [String: Int] = [:]
        for (i, o) in objects.enumerated() where index[o.key] == nil { index[o.key] = i }
        self.index = index
        types = objects.map { $0.value["type"]?.stringValue }
    }

    /// The object a reference names within this observation.
    func object(_ key: String) -> JSONObject? { index[key].map { objects[$0].value } }
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
        var objects: [JSONValue] = []
        for item in input {
            if item["type"]?.stringValue == "bundle", let inner = item["objects"]?.arrayValue { objects += inner } else { objects.append(item) }
        }
        var scos: [String: JSONObject] = [:]
        for case .object(let o) in objects {
            if let type = o["type"]?.stringValue, type != "observed-data", let id = o["id"]?.stringValue { scos[id] = o }
        }
        var out: [Observation] = []
        for case .object(let o) in objects where o["type"]?.stringValue == "observed-data" {
            let id = o["id"]?.stringValue ?? "observed-data"
            func time(_ key: String) throws(ObservationError) -> Int64 {
                guard let text = o[key]?.stringValue, case .success(let t) = Timestamp.parse(text) else {
                    throw ObservationError(reason: "\(id): $.\(key) must be a timestamp")
                }
                return t.microseconds
            }
            guard let count = o["number_observed"]?.numberValue?.int64, count >= 1 else {
                throw ObservationError(reason: "\(id): $.number_observed must be a positive integer")
            }
            var members: [(key: String, value: JSONObject)] = []
            if let refs = o["object_refs"]?.arrayValue {
                for case .string(let ref) in refs {
                    if let sco = scos[ref] { members.append((ref, sco)) }
                }
            } else if let embedded = o["objects"]?.objectValue {
                for (key, value) in embedded {
                    guard case .object(let sco) = value else { throw ObservationError(reason: "\(id): $.objects.\(key) must be an object") }
                    members.append((key, sco))
                }
            } else {
                throw ObservationError(reason: "\(id): observed-data needs object_refs (or the STIX 2.0 objects)")
            }
            out.append(Observation(id: id, firstObserved: try time("first_observed"), lastObserved: try time("last_observed"),
                                   count: Int(min(count, Int64(Int32.max))), objects: members))
        }
        return out
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

