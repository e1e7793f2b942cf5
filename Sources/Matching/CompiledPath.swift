import Patterning
import STIX

/// An object path with what each step does decided once per pattern: whether a property
/// dereferences (`_ref`, `_refs`), and how the values it reaches are read (`_hex`, `_bin`).
struct CompiledPath: Sendable {
    /// The path as parsed, for selections that dereference or index.
    let path: ObjectPath
    /// Whether every step is a property that dereferences nothing: the path then reaches at
    /// most one value per root object, found without building a selection.
    let isPlain: Bool
    /// The steps when every one is a property and some dereference a single `_ref` (none a
    /// `_refs` list): the path still reaches one value at most per root.
    let hops: [Hop]?
    /// How a string value reached by the path is read.
    let valueKind: ValueKind
    /// Whether no step dereferences (`_ref` or `_refs`): such a path, with list indexes, selects
    /// without anything that could fail, so its values can be tested as they are reached.
    let followsNoReference: Bool

    /// A property step, and whether it follows a reference to another object of the observation.
    struct Hop: Sendable {
        let name: String
        let dereferences: Bool
    }

    /// How a string property value becomes an operand, from its property's name.
    enum ValueKind: Sendable {
        case text
        /// A `_hex` property: hexadecimal bytes (the name is kept for error messages).
        case hex(String)
        /// A `_bin` property: base64 bytes.
        case base64(String)
    }

    init(_ path: ObjectPath) {
        self.path = path
        var plain = true
        var singleSteps = true
        var references = false
        // The last property step by its position, its name read again only when it matters:
        // keeping a copy of each name took a retain and a release per step.
        var last = -1, lastSuffix = Suffix.none
        // Each name's ending is read once (a comparison's path was scanned once for every suffix).
        path.steps.withUnsafeBufferPointer { steps in
            for k in steps.indices {
                guard case .property(let name) = steps[k] else {
                    plain = false
                    singleSteps = false
                    continue
                }
                let suffix = Self.suffix(of: name)
                (last, lastSuffix) = (k, suffix)
                if suffix == .refs { singleSteps = false }
                if suffix == .ref || suffix == .refs { plain = false; references = true }
            }
        }
        isPlain = plain
        followsNoReference = !references
        // Paths through single references are rare: their names are read again rather than kept.
        hops = !plain && singleSteps ? path.steps.compactMap { step in
            guard case .property(let name) = step else { return nil }
            return Hop(name: name, dereferences: Self.suffix(of: name) == .ref)
        } : nil
        // The values a path reaches carry the name of its last property step (list indexes keep it).
        switch lastSuffix {
        case .hex: if case .property(let name) = path.steps[last] { valueKind = .hex(name) } else { valueKind = .text }
        case .bin: if case .property(let name) = path.steps[last] { valueKind = .base64(name) } else { valueKind = .text }
        default: valueKind = .text
        }
    }

    /// The endings of a property name that change how a path reads it.
    enum Suffix {
        case none, ref, refs, hex, bin
    }

    /// Which of `_ref`, `_refs`, `_hex` and `_bin` ends `name` (at most one can: their last
    /// letters differ), as `hasSuffix` decides it. Inlined where each property step is read:
    /// the call, with the name lent to a closure, cost more than the test itself.
    @inline(__always)
    static func suffix(of name: String) -> Suffix {
        // Native strings lend their bytes without the copy `withUTF8` needs a variable for.
        let decided = name.utf8.withContiguousStorageIfAvailable { bytes -> Suffix? in
            // Most names end in none of the four last letters, and are decided by that byte alone.
            switch bytes.last {
            case UInt8(ascii: "f")?, UInt8(ascii: "s")?, UInt8(ascii: "x")?, UInt8(ascii: "n")?: break
            default: return Suffix.none
            }
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            func ends(_ suffix: StaticString) -> Bool {
                let n = suffix.utf8CodeUnitCount
                return bytes.count >= n && (0..<n).allSatisfy { bytes[bytes.count - n + $0] == suffix.utf8Start[$0] }
            }
            return ends("_ref") ? .ref : ends("_refs") ? .refs : ends("_hex") ? .hex : ends("_bin") ? .bin : Suffix.none
        }
        if let decided, let decided { return decided }
        // Beyond ASCII a suffix can begin inside a character: characters decide.
        return name.hasSuffix("_ref") ? .ref : name.hasSuffix("_refs") ? .refs : name.hasSuffix("_hex") ? .hex
            : name.hasSuffix("_bin") ? .bin : .none
    }

    /// The value a path of single steps reaches from `object` within `observation`, or nil;
    /// throws for a reference that is not a string, as a selection does.
    static func follow(_ object: JSONObject, _ hops: [Hop], in observation: Observation) throws(EvaluationError) -> JSONValue? {
        var current = object
        for (k, hop) in hops.enumerated() {
            guard var value = current[hop.name] else { return nil }
            if hop.dereferences {
                guard case .string(let ref) = value else { throw EvaluationError("\(hop.name) must hold a reference (a string)") }
                guard let target = observation.object(ref) else { return nil }
                value = .object(target)
            }
            if k == hops.count - 1 { return value }
            guard case .object(let next) = value else { return nil }
            current = next
        }
        return .object(object)
    }

    /// The value a path of plain property steps reaches from `object`, or nil.
    static func walk(_ object: JSONObject, _ steps: [PathStep]) -> JSONValue? {
        // Most paths are one property (`file:name`): read from the object where it is, without
        // the copy of it that walking needs.
        if steps.count == 1 {
            guard case .property(let name) = steps[0] else { return nil }
            return object[name]
        }
        var current = object
        for k in steps.indices {
            guard case .property(let name) = steps[k], let value = current[name] else { return nil }
            if k == steps.count - 1 { return value }
            guard case .object(let next) = value else { return nil }
            current = next
        }
        return .object(object)
    }
}
