/// An element of a bundle after parsing and validation.
public enum PreparedElement: Sendable {
    /// Valid: ready to store, with any SHOULD-level warnings.
    case valid(IndexedObject, index: Int, warnings: [ValidationIssue])
    /// Invalid: the reasons, with the object's id when it had one.
    case invalid(index: Int, id: String?, issues: [ValidationIssue])

    /// Position of the element in the `objects` list.
    public var index: Int {
        switch self {
        case .valid(_, let i, _), .invalid(let i, _, _): return i
        }
    }
}

/// Turns raw bundle elements into stored form: parse, validate, index.
///
/// ```swift
/// let prepared = ElementPreparer().prepare(element)
/// ```
public struct ElementPreparer: Sendable {
    /// The validator applied to every element.
    public var validator = Validator()

    /// Creates a preparer whose validator knows `extensions` (and learns the definitions it sees).
    public init(extensions: ExtensionSchemas = ExtensionSchemas()) {
        validator = Validator(extensions: extensions)
    }

    /// Parses, validates and indexes one element; a valid extension definition is learnt, so the
    /// objects after it in the document are checked against its schema.
    public mutating func prepare(_ element: BundleElement) -> PreparedElement {
        let value: JSONValue
        do {
            value = try JSONParser.parse(element.raw)
        } catch {
            let issue = ValidationIssue(.error, path: "$", reason: "invalid JSON: \(error.reason) (at byte \(element.offset + error.offset) of the input)")
            return .invalid(index: element.index, id: nil, issues: [issue])
        }
        var result = validator.validate(value)
        guard result.isValid, let indexed = ObjectIndexer.index(raw: element.raw, value: value, pattern: result.pattern) else {
            return .invalid(index: element.index, id: result.id, issues: result.issues)
        }
        validator.learn(value, into: &result)
        return .valid(indexed, index: element.index, warnings: result.warnings)
    }

    /// Checks the top-level members of a bundle or envelope once the reader has finished.
    public static func checkHeader(shape: DocumentShape, header: [String: JSONValue]) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        switch shape {
        case .bundle:
            if header["type"]?.stringValue != "bundle" {
                issues.append(.init(.error, path: "$.type", reason: "a document with an objects list must be a bundle (type 'bundle') or a TAXII envelope (no type)"))
            }
            if let id = header["id"]?.stringValue {
                if !id.hasPrefix("bundle--") || IdentifierRules.parse(id) == nil {
                    issues.append(.init(.error, path: "$.id", reason: "'\(id)' is not a valid bundle identifier (bundle--UUID)"))
                }
            } else {
                issues.append(.init(.error, path: "$.id", reason: "a bundle requires an id"))
            }
        case .envelope, .singleObject:
            break
        }
        return issues
    }
}
