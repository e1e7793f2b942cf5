/// A parsed JSON value: the tree that validation and index extraction read.
///
/// Accord keeps every STIX object's original bytes for storage and export; this tree is a
/// read-only view of them, so it favours cheap lookups over preserving key order.
///
/// ```swift
/// let value = try JSONParser.parse(Array(#"{"type":"indicator"}"#.utf8))
/// value["type"]?.stringValue // "indicator"
/// ```
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The member named `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The string payload, or nil for any other kind.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The members of an object, or nil for any other kind.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The elements of an array, or nil for any other kind.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The boolean payload, or nil for any other kind.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The number payload, or nil for any other kind.
    public var numberValue: JSONNumber? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// True for objects and arrays.
    public var isContainer: Bool {
        switch self {
        case .object, .array: return true
        default: return false
        }
    }

    /// A short name of the kind, for error messages ("a string", "an object", ...).
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number(let n): return n.isInteger ? "an integer" : "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

/// A JSON number that remembers its text, so integers beyond `Double` precision stay exact.
public struct JSONNumber: Sendable, Equatable, CustomStringConvertible {
    /// The number as it was written in the document.
    public let text: String

    /// Creates a number from its JSON text (already checked by the parser).
    public init(text: String) { self.text = text }

    /// True when the text has no fraction and no exponent.
    public var isInteger: Bool { !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) }

    /// The value as a 64-bit integer when it is one (also `1.0` or `1e3`), else nil.
    public var int64: Int64? {
        if let i = Int64(text) { return i }
        guard let d = Double(text), d.rounded() == d, abs(d) < 9.2e18 else { return nil }
        return Int64(d)
    }

    /// The value as a double.
    public var double: Double { Double(text) ?? .nan }

    public var description: String { text }

    public static func == (a: JSONNumber, b: JSONNumber) -> Bool {
        a.text == b.text || a.double == b.double
    }
}
