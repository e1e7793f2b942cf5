import Patterning
import STIX

/// The values an object path selects in one observation, grouped by the root object they were
/// reached from (a comparison inside `[...]` joined by AND must hold for the same root).
struct Selection {
    /// Root object position in the observation, and the values reached from it.
    var roots: [(root: Int, values: [JSONValue])]

    /// The values `path` reaches in `observation`.
    static func select(_ path: ObjectPath, in observation: Observation) throws(EvaluationError) -> Selection {
        var roots: [(root: Int, values: [JSONValue])] = []
        for (i, member) in observation.members.enumerated() where member.isOf(path.objectType) {
            // The first step reads the root itself: no list is made to hold it.
            guard let first = path.steps.first else {
                roots.append((i, [.object(member.object)]))
                continue
            }
            var values = try Self.step(CollectionOfOne(.object(member.object)), first, observation)
            for step in path.steps.dropFirst() {
                if values.isEmpty { break }
                values = try Self.step(values, step, observation)
            }
            if !values.isEmpty { roots.append((i, values)) }
        }
        return Selection(roots: roots)
    }

    /// One step into each value: a property (dereferencing `_ref` and `_refs` within the
    /// observation), a list index, or every element of a list.
    static func step(_ values: some Sequence<JSONValue>, _ step: PathStep, _ observation: Observation) throws(EvaluationError) -> [JSONValue] {
        var out: [JSONValue] = []
        switch step {
        case .property(let name):
            // Decided as `hasSuffix` would, from the name's last bytes; once for the step, not
            // for each value it reads.
            let suffix = CompiledPath.suffix(of: name)
            for case .object(let o) in values {
                guard let value = o[name] else { continue }
                if suffix == .ref {
                    guard case .string(let ref) = value else { throw EvaluationError("\(name) must hold a reference (a string)") }
                    if let target = observation.object(ref) { out.append(.object(target)) }
                } else if suffix == .refs {
                    guard case .array(let refs) = value else { throw EvaluationError("\(name) must hold a list of references") }
                    var targets: [JSONValue] = []
                    for ref in refs {
                        guard case .string(let key) = ref else { throw EvaluationError("\(name) must hold references (strings)") }
                        if let target = observation.object(key) { targets.append(.object(target)) }
                    }
                    if !targets.isEmpty { out.append(.array(targets)) }
                } else {
                    out.append(value)
                }
            }
        case .index(let n):
            for case .array(let list) in values where n >= 0 && n < list.count { out.append(list[n]) }
        case .anyIndex:
            for case .array(let list) in values { out += list }
        }
        return out
    }
}
