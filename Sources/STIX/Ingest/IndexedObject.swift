import Patterning

/// A valid STIX object ready to store: its original bytes plus the fields the store indexes.
public struct IndexedObject: Sendable {
    /// The object's JSON exactly as received.
    public var raw: [UInt8]
    /// `type--UUID`, lowercased (UUIDs compare case-insensitively).
    public var id: String
    /// The object type.
    public var type: String
    /// The STIX version it declares ("2.1"; SCOs may omit it).
    public var specVersion: String
    /// `created` in microseconds, when present.
    public var created: Int64?
    /// The version key: `modified` in microseconds, or nil for unversioned objects.
    public var modified: Int64?
    /// The version as the object writes it: `modified`, else `created`; nil when it has neither.
    public var versionText: String?
    /// The identity that created it, if stated.
    public var createdByRef: String?
    /// Whether this version revokes the object.
    public var revoked: Bool
    /// `object_marking_refs`.
    public var markingRefs: [String]
    /// The strictest TLP level among its object markings, if any.
    public var tlp: TLP?
    /// Every reference the object makes: JSON path and target id.
    public var refs: [Reference]
    /// Observable values it carries or, for indicators, tests for.
    public var observables: [Observable]
    /// What full-text search indexes: name, aliases, description, and an observable value or
    /// a pattern.
    public var searchText: SearchText? = nil

    /// The searchable text of an object.
    public struct SearchText: Sendable, Equatable {
        /// `name`.
        public var name: String?
        /// `aliases`, one per line.
        public var aliases: String?
        /// `description`.
        public var description: String?
        /// An SCO's `value`, or an indicator's `pattern`.
        public var value: String?
    }

    /// One reference from an object to another.
    public struct Reference: Sendable, Equatable {
        /// The property holding the reference, such as `object_refs` or `marking_ref`.
        public var property: String
        /// The referenced id.
        public var target: String
    }

    /// One observable value, keyed the way STIX patterns name it (`ipv4-addr:value`).
    public struct Observable: Sendable, Hashable {
        /// The object path, such as `file:hashes.SHA-256`.
        public var kind: String
        /// The value, lowercased where case carries no meaning (hashes, domains).
        public var value: String
    }

    /// True for types STIX does not version (SCOs and marking definitions).
    public var isVersioned: Bool { modified != nil }
}

/// Extracts the index fields of a validated object.
public enum ObjectIndexer {
    /// Builds the stored form of a valid object; `value` is its parsed tree.
    public static func index(raw: [UInt8], value: JSONValue, pattern: ObservationExpression? = nil) -> IndexedObject? {
        guard let o = value.objectValue, let id = o["id"]?.stringValue, let type = o["type"]?.stringValue else { return nil }
        func micros(_ key: String) -> Int64? {
            guard let s = o[key]?.stringValue, case .success(let t) = Timestamp.parse(s) else { return nil }
            return t.microseconds
        }
        let unversioned = type == "marking-definition" || TypeCatalog.observableTypes.contains(type)
            || (TypeCatalog.spec(for: type) == nil && o["modified"] == nil)
        let markings = o["object_marking_refs"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var refs: [IndexedObject.Reference] = []
        collectRefs(value, into: &refs)
        return IndexedObject(
            raw: raw, id: id.lowercased(), type: type,
            specVersion: o["spec_version"]?.stringValue ?? "2.1",
            created: micros("created"),
            modified: unversioned ? nil : micros("modified"),
            versionText: TypeCatalog.observableTypes.contains(type) ? nil : (o["modified"]?.stringValue ?? o["created"]?.stringValue),
            createdByRef: o["created_by_ref"]?.stringValue?.lowercased(),
            revoked: o["revoked"]?.boolValue ?? false,
            markingRefs: markings,
            tlp: TLP.strictest(of: markings),
            refs: refs,
            observables: ObservableExtractor.extract(type: type, object: o, pattern: pattern),
            searchText: searchText(o)
        )
    }

    /// The searchable text of `o`, nil when it has none.
    static func searchText(_ o: JSONObject) -> IndexedObject.SearchText? {
        let aliases = ((o["aliases"] ?? o["x_mitre_aliases"])?.arrayValue?.compactMap(\.stringValue) ?? []).joined(separator: "\n")
        let text = IndexedObject.SearchText(name: o["name"]?.stringValue, aliases: aliases.isEmpty ? nil : aliases,
                                            description: o["description"]?.stringValue,
                                            value: o["value"]?.stringValue ?? o["pattern"]?.stringValue)
        return text.name == nil && text.aliases == nil && text.description == nil && text.value == nil ? nil : text
    }

    /// Collects every `*_ref` and `*_refs` value anywhere in the object, once per
    /// (property, target).
    static func collectRefs(_ value: JSONValue, into refs: inout [IndexedObject.Reference]) {
        switch value {
        case .object(let members):
            for (key, v) in members {
                if key.hasSuffix("_ref"), let target = v.stringValue {
                    refs.append(.init(property: key, target: target.lowercased()))
                } else if key.hasSuffix("_refs"), let list = v.arrayValue {
                    for e in list {
                        if let target = e.stringValue { refs.append(.init(property: key, target: target.lowercased())) }
                    }
                } else if v.isContainer {
                    collectRefs(v, into: &refs)
                }
            }
        case .array(let elements):
            for e in elements where e.isContainer { collectRefs(e, into: &refs) }
        default:
            break
        }
    }
}
