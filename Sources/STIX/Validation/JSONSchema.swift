/// A JSON Schema (draft 2020-12) compiled for validating extension properties, limited to the
/// keywords extension definitions need. A schema that uses any other assertion keyword is
/// refused when compiled rather than half-checked, so "valid" never means "partly checked".
///
/// ```swift
/// let schema = try JSONSchema(JSONParser.parse(Array(text.utf8)))
/// for problem in schema.validate(value, at: "$.extensions") { print(problem) }
/// ```
public struct JSONSchema: Sendable {
    /// Assertion and applicator keywords this implementation checks.
    public static let supportedKeywords: Set<String> = [
        "type", "properties", "required", "additionalProperties", "enum", "const", "items", "minItems", "maxItems",
        "uniqueItems", "minimum", "maximum", "minLength", "maxLength", "pattern", "$defs", "$ref", "allOf", "anyOf", "oneOf",
    ]
    /// Keywords that only annotate and assert nothing.
    static let annotations: Set<String> = ["$schema", "$id", "$comment", "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly"]
    /// Deepest `$ref` chain followed while validating (a schema that refers to itself forever is cut off).
    static let maxDepth = 64

    let root: Node
    let definitions: [String: Node]

    /// Compiles a schema; throws naming the path of the first keyword it cannot check.
    public init(_ value: JSONValue) throws(JSONSchemaError) {
        var definitions: [String: Node] = [:]
        if let defs = value["$defs"] {
            guard case .object(let members) = defs else { throw JSONSchemaError(path: "#/$defs", reason: "must be an object") }
            for (name, schema) in members { definitions[name] = try Node(schema, path: "#/$defs/\(name)") }
        }
        self.definitions = definitions
        root = try Node(value, path: "#")
        for name in root.references + definitions.values.flatMap(\.references) where definitions[name] == nil {
            throw JSONSchemaError(path: "#", reason: "$ref '#/$defs/\(name)' names no definition")
        }
    }

    /// Every way `value` breaks the schema, each with the JSON path below `path`.
    public func validate(_ value: JSONValue, at path: String = "$") -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        check(root, value, path, depth: 0, into: &issues)
        return issues
    }

    private func check(_ node: Node, _ value: JSONValue, _ path: String, depth: Int, into issues: inout [ValidationIssue]) {
        func fail(_ reason: String) { issues.append(.init(.error, path: path, reason: reason)) }
        switch node.kind {
        case .always: return
        case .never: fail("is not allowed"); return
        case .assertions(let a):
            if let name = a.ref {
                guard depth < Self.maxDepth, let target = definitions[name] else { fail("the schema's references nest too deeply"); return }
                check(target, value, path, depth: depth + 1, into: &issues)
            }
            if let types = a.types, !types.contains(where: { $0.admits(value) }) {
                fail("must be \(types.map(\.phrase).joined(separator: " or ")), found \(value.kindDescription)")
                return
            }
            if let options = a.enumeration, !options.contains(where: { Self.equal($0, value) }) {
                fail("must be one of \(options.map(Self.text).joined(separator: ", ")), found \(Self.text(value))")
            }
            if let c = a.constant, !Self.equal(c, value) { fail("must be \(Self.text(c))") }
            switch value {
            case .string(let s):
                let length = s.unicodeScalars.count
                if let min = a.minLength, length < min { fail("must be at least \(min) characters long") }
                if let max = a.maxLength, length > max { fail("must be at most \(max) characters long") }
                if let p = a.pattern, !p.matches(s) { fail("'\(s)' does not match the pattern \(p.source)") }
            case .number(let n):
                if let min = a.minimum, n.double < min { fail("must be at least \(Self.decimal(min)), found \(n)") }
                if let max = a.maximum, n.double > max { fail("must be at most \(Self.decimal(max)), found \(n)") }
            case .array(let items):
                if let min = a.minItems, items.count < min { fail("must have at least \(min) items, found \(items.count)") }
                if let max = a.maxItems, items.count > max { fail("must have at most \(max) items, found \(items.count)") }
                if a.uniqueItems {
                    outer: for i in items.indices {
                        for j in items.indices where j > i && Self.equal(items[i], items[j]) {
                            fail("items [\(i)] and [\(j)] are equal; items must be unique")
                            break outer
                        }
                    }
                }
                if let schema = a.items {
                    for (i, item) in items.enumerated() { check(schema, item, "\(path)[\(i)]", depth: depth, into: &issues) }
                }
            case .object(let members):
                for name in a.required where members[name] == nil { issues.append(.init(.error, path: "\(path).\(name)", reason: "is required")) }
                for (name, member) in members {
                    if let schema = a.properties[name] {
                        check(schema, member, "\(path).\(name)", depth: depth, into: &issues)
                    } else if let extra = a.additional {
                        if case .never = extra.kind {
                            issues.append(.init(.error, path: "\(path).\(name)", reason: "is not a property the extension defines"))
                        } else {
                            check(extra, member, "\(path).\(name)", depth: depth, into: &issues)
                        }
                    }
                }
            case .null, .bool: break
            }
            for schema in a.allOf { check(schema, value, path, depth: depth, into: &issues) }
            if !a.anyOf.isEmpty, !a.anyOf.contains(where: { passes($0, value, depth) }) {
                fail("matches none of the allowed forms (anyOf)")
            }
            if !a.oneOf.isEmpty {
                let count = a.oneOf.filter { passes($0, value, depth) }.count
                if count != 1 { fail(count == 0 ? "matches none of the allowed forms (oneOf)" : "matches \(count) of the forms where exactly one must match (oneOf)") }
            }
        }
    }

    private func passes(_ node: Node, _ value: JSONValue, _ depth: Int) -> Bool {
        var issues: [ValidationIssue] = []
        check(node, value, "$", depth: depth, into: &issues)
        return issues.isEmpty
    }

    /// Equality as JSON Schema defines it: numbers by value, objects regardless of member order.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x.text == y.text || x.double == y.double
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { member in y[member.key].map { equal(member.value, $0) } ?? false }
        default: return false
        }
    }

    static func decimal(_ d: Double) -> String { d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d) }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return "'\(s)'"
        case .number(let n): return n.text
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array, .object: return value.kindDescription
        }
    }
}

/// Why a schema cannot be used: where in it (a JSON pointer) and what is wrong.
public struct JSONSchemaError: Error, Sendable, CustomStringConvertible {
    /// JSON pointer into the schema.
    public var path: String
    /// What is wrong.
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

extension JSONSchema {
    /// One compiled (sub)schema.
    struct Node: Sendable {
        indirect enum Kind: Sendable {
            case always, never
            case assertions(Assertions)
        }
        let kind: Kind

        init(_ value: JSONValue, path: String) throws(JSONSchemaError) {
            switch value {
            case .bool(let b): kind = b ? .always : .never
            case .object(let members): kind = .assertions(try Assertions(members, path: path))
            default: throw JSONSchemaError(path: path, reason: "a schema must be an object or a boolean")
            }
        }

        /// The `$defs` names this node and its subschemas refer to.
        var references: [String] {
            guard case .assertions(let a) = kind else { return [] }
            let children = Array(a.properties.values) + [a.items, a.additional].compactMap { $0 } + a.allOf + a.anyOf + a.oneOf
            return (a.ref.map { [$0] } ?? []) + children.flatMap(\.references)
        }
    }

    /// The JSON types `type` may name.
    enum ValueType: String, Sendable {
        case null, boolean, object, array, number, string, integer

        func admits(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.null, .null), (.boolean, .bool), (.object, .object), (.array, .array), (.number, .number), (.string, .string): return true
            case (.integer, .number(let n)): return n.isInteger || n.double.rounded() == n.double
            default: return false
            }
        }

        var phrase: String {
            switch self {
            case .null: return "null"
            case .boolean: return "a boolean"
            case .object: return "an object"
            case .array: return "a list"
            case .number: return "a number"
            case .string: return "a string"
            case .integer: return "an integer"
            }
        }
    }

    /// The keywords of one schema object.
    struct Assertions: Sendable {
        var types: [ValueType]?
        var enumeration: [JSONValue]?
        var constant: JSONValue?
        var properties: [String: Node] = [:]
        var required: [String] = []
        var additional: Node?
        var items: Node?
        var minItems: Int?, maxItems: Int?
        var uniqueItems = false
        var minimum: Double?, maximum: Double?
        var minLength: Int?, maxLength: Int?
        var pattern: SchemaPattern?
        var ref: String?
        var allOf: [Node] = [], anyOf: [Node] = [], oneOf: [Node] = []

        init(_ members: JSONObject, path: String) throws(JSONSchemaError) {
            for (key, value) in members {
                let at = "\(path)/\(key)"
                func count() throws(JSONSchemaError) -> Int {
                    guard let n = value.numberValue?.int64, n >= 0 else { throw JSONSchemaError(path: at, reason: "must be a non-negative integer") }
                    return Int(n)
                }
                func number() throws(JSONSchemaError) -> Double {
                    guard let n = value.numberValue else { throw JSONSchemaError(path: at, reason: "must be a number") }
                    return n.double
                }
                func list() throws(JSONSchemaError) -> [Node] {
                    guard let items = value.arrayValue, !items.isEmpty else { throw JSONSchemaError(path: at, reason: "must be a non-empty list of schemas") }
                    var out: [Node] = []
                    for (i, item) in items.enumerated() { out.append(try Node(item, path: "\(at)/\(i)")) }
                    return out
                }
                switch key {
                case "type":
                    let names = value.arrayValue ?? [value]
                    var types: [ValueType] = []
                    for name in names {
                        guard let t = name.stringValue.flatMap(ValueType.init(rawValue:)) else { throw JSONSchemaError(path: at, reason: "names no JSON type") }
                        types.append(t)
                    }
                    self.types = types
                case "enum":
                    guard let options = value.arrayValue else { throw JSONSchemaError(path: at, reason: "must be a list") }
                    enumeration = options
                case "const": constant = value
                case "properties":
                    guard let props = value.objectValue else { throw JSONSchemaError(path: at, reason: "must be an object") }
                    for (name, schema) in props { properties[name] = try Node(schema, path: "\(at)/\(name)") }
                case "required":
                    guard let names = value.arrayValue?.compactMap(\.stringValue), names.count == value.arrayValue?.count else {
                        throw JSONSchemaError(path: at, reason: "must be a list of property names")
                    }
                    required = names
                case "additionalProperties": additional = try Node(value, path: at)
                case "items": items = try Node(value, path: at)
                case "minItems": minItems = try count()
                case "maxItems": maxItems = try count()
                case "uniqueItems": uniqueItems = value.boolValue ?? false
                case "minimum": minimum = try number()
                case "maximum": maximum = try number()
                case "minLength": minLength = try count()
                case "maxLength": maxLength = try count()
                case "pattern":
                    guard let source = value.stringValue else { throw JSONSchemaError(path: at, reason: "must be a string") }
                    do { pattern = try SchemaPattern(source) } catch { throw JSONSchemaError(path: at, reason: "is not a regular expression this validator reads: \(error)") }
                case "$ref":
                    guard let target = value.stringValue, target.hasPrefix("#/$defs/"), !target.dropFirst(8).contains("/") else {
                        throw JSONSchemaError(path: at, reason: "only local references to #/$defs/NAME are supported")
                    }
                    ref = String(target.dropFirst(8))
                case "$defs": break  // compiled once, at the root
                case "allOf": allOf = try list()
                case "anyOf": anyOf = try list()
                case "oneOf": oneOf = try list()
                default:
                    guard JSONSchema.annotations.contains(key) else {
                        throw JSONSchemaError(path: at, reason: "the keyword '\(key)' is not supported (supported: \(JSONSchema.supportedKeywords.sorted().joined(separator: ", ")))")
                    }
                }
            }
        }
    }
}

/// A `pattern` keyword: an unanchored search, as ECMA-262 regular expressions in JSON Schema are.
struct SchemaPattern: @unchecked Sendable {
    // Regex is not Sendable; a compiled pattern is immutable and only ever read.
    let regex: Regex<AnyRegexOutput>
    let source: String

    init(_ source: String) throws {
        regex = try Regex(source)
        self.source = source
    }

    func matches(_ s: String) -> Bool { (try? regex.firstMatch(in: s)) != nil }
}
