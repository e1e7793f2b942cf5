/// The members of a JSON object, in document order.
///
/// Order carries no meaning in JSON, and equality ignores it; but one STIX rule depends on it
/// (the fallback hash of a deterministic SCO id is the first one written), so it is kept.
/// Lookups are linear for small objects (most STIX objects) and hashed once an object has
/// more than `indexThreshold` members, so hostile objects with huge member counts stay linear
/// to parse, compare and canonicalise.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One member.
    public typealias Element = (key: String, value: JSONValue)

    private var members: [Element]
    private var index: [String: Int]?

    /// Member count above which lookups go through a hash index.
    static let indexThreshold = 16

    /// Creates an object from members in order (names assumed distinct).
    public init(_ members: [Element] = []) {
        self.members = members
        rebuildIndex()
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }

    private mutating func rebuildIndex() {
        guard members.count > Self.indexThreshold else { index = nil; return }
        var map: [String: Int] = [:]
        map.reserveCapacity(members.count)
        for (i, m) in members.enumerated() where map[m.key] == nil { map[m.key] = i }
        index = map
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return members.firstIndex { $0.key == key }
    }

    /// The value of member `key`; setting nil removes it, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let i = position(of: key) {
                if let newValue { members[i].value = newValue } else { members.remove(at: i); rebuildIndex() }
            } else if let newValue {
                appendUnchecked(key, newValue)
            }
        }
    }

    /// The value of member `key` when it is a string (`self[key]?.stringValue`), read without
    /// copying the value as a whole first: object ids and types are read this way in bulk.
    public func string(_ key: String) -> String? {
        guard let i = position(of: key), case .string(let s) = members[i].value else { return nil }
        return s
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

    /// Appends a member whose name the caller knows to be new.
    mutating func appendUnchecked(_ key: String, _ value: JSONValue) {
        members.append((key, value))
        if index != nil {
            index?[key] = members.count - 1
        } else if members.count > Self.indexThreshold {
            rebuildIndex()
        }
    }

    /// Equal when both have the same names with equal values, in any order.
    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.count == b.count else { return false }
        return a.members.allSatisfy { m in b[m.key] == m.value }
    }
}
