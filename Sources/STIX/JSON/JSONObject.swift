/// The members of a JSON object, in document order.
///
/// Order carries no meaning in JSON, and equality ignores it; but one STIX rule depends on it
/// (the fallback hash of a deterministic SCO id is the first one written), so it is kept.
/// Lookups are linear: STIX objects have a few dozen members at most.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One member.
    public typealias Element = (key: String, value: JSONValue)

    private var members: [Element]

    /// Creates an object from members in order (names assumed distinct).
    public init(_ members: [Element] = []) { self.members = members }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { (key: $0.0, value: $0.1) }
    }

    /// The value of member `key`; setting nil removes it, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get {
            for m in members where m.key == key { return m.value }
            return nil
        }
        set {
            if let i = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[i].value = newValue } else { members.remove(at: i) }
            } else if let newValue {
                members.append((key, newValue))
            }
        }
    }

    /// Number of members.
    public var count: Int { members.count }
    /// True when there are no members.
    public var isEmpty: Bool { members.isEmpty }
    /// Member names in document order.
    public var keys: [String] { members.map(\.key) }

    public func makeIterator() -> IndexingIterator<[Element]> { members.makeIterator() }

    /// The members that satisfy `isIncluded`, as an object.
    public func filter(_ isIncluded: (Element) throws -> Bool) rethrows -> JSONObject {
        JSONObject(try members.filter(isIncluded))
    }

    mutating func appendUnchecked(_ key: String, _ value: JSONValue) { members.append((key, value)) }

    /// Equal when both have the same names with equal values, in any order.
    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.count == b.count else { return false }
        return a.members.allSatisfy { m in b[m.key] == m.value }
    }
}
