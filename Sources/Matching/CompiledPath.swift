import Patterning
import STIX

/// An object path with what each step does decided once per pattern: whether a property
/// dereferences (`_ref`, `_refs`), and how the values it reaches are read (`_hex`, `_bin`).
struct CompiledPath: Sendable {
    /// The path as parsed, for selections that dereference or index.
    let path: ObjectPath
    /// The names of the steps when every step is a property that dereferences nothing: the path
    /// then reaches at most one value per root object, found without building a selection.
    let propertyNames: [String]?
    /// How a string value reached by the path is read.
    let valueKind: ValueKind

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
        var names: [String]? = []
        names?.reserveCapacity(path.steps.count)
        var last: String?
        for step in path.steps {
            if case .property(let name) = step {
                last = name
                if name.hasSuffix("_ref") || name.hasSuffix("_refs") { names = nil } else { names?.append(name) }
            } else {
                names = nil
            }
        }
        propertyNames = names
        // The values a path reaches carry the name of its last property step (list indexes keep it).
        if let last, last.hasSuffix("_hex") {
            valueKind = .hex(last)
        } else if let last, last.hasSuffix("_bin") {
            valueKind = .base64(last)
        } else {
            valueKind = .text
        }
    }

    /// The value a property-only path reaches from `object`, or nil.
    static func walk(_ object: JSONObject, _ names: [String]) -> JSONValue? {
        guard let lastName = names.last else { return .object(object) }
        var current = object
        for name in names.dropLast() {
            guard case .object(let next)? = current[name] else { return nil }
            current = next
        }
        return current[lastName]
    }
}
