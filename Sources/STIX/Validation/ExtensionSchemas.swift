/// The extension definitions a validator knows, with their JSON Schemas: objects that name one
/// of them in `extensions` are checked against its schema (a new type's schema covers the whole
/// object; a property extension's covers its dictionary under `extensions`).
///
/// A definition takes part when its `schema` property holds the JSON Schema itself (as Accord's
/// own definitions do); one whose `schema` is a URL or prose cannot be checked here and is only
/// recorded as known.
public struct ExtensionSchemas: Sendable {
    struct Entry: Sendable {
        var name: String
        var kinds: Set<String>
        var schema: JSONSchema?
    }

    private var entries: [String: Entry] = [:]

    /// An empty registry.
    public init() {}

    /// A registry of the definitions among `objects` (others are ignored).
    public init(definitions objects: [JSONValue]) {
        for object in objects { _ = register(object) }
    }

    /// Number of known definitions.
    public var count: Int { entries.count }

    /// Ids of the known definitions whose schemas are checked.
    public var checkedIDs: [String] { entries.filter { $0.value.schema != nil }.map(\.key).sorted() }

    /// Learns an extension-definition object. Returns why its `schema` text, although JSON, is
    /// not a schema this validator can apply; nil when it was learnt (or is not a definition).
    @discardableResult
    public mutating func register(_ object: JSONValue) -> JSONSchemaError? {
        guard object["type"]?.stringValue == "extension-definition", let id = object["id"]?.stringValue else { return nil }
        let kinds = Set(object["extension_types"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var entry = Entry(name: object["name"]?.stringValue ?? id, kinds: kinds, schema: nil)
        defer { entries[id] = entry }
        guard let text = object["schema"]?.stringValue, text.first == "{", let json = try? JSONParser.parse(Array(text.utf8)) else { return nil }
        do { entry.schema = try JSONSchema(json) } catch { return error }
        return nil
    }

    /// The schema problems of `object`'s use of the definitions this registry knows.
    func check(_ object: JSONObject, extensions: JSONObject, into r: inout ObjectValidation) {
        for (key, ext) in extensions {
            guard let entry = entries[key], let schema = entry.schema, let kind = ext["extension_type"]?.stringValue else { continue }
            let issues: [ValidationIssue]
            if kind.hasPrefix("new-") {
                issues = schema.validate(.object(object), at: "$")
            } else {
                issues = schema.validate(ext, at: "$.extensions.\(key)")
            }
            for issue in issues {
                r.issues.append(.init(.error, path: issue.path, reason: "\(issue.reason) (schema of '\(entry.name)')"))
            }
        }
    }
}
