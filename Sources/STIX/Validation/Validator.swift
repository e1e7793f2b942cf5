/// Validates STIX 2.1 objects against the MUST rules of the standard (errors) and a few SHOULD
/// rules (warnings). Every issue names the JSON path and the reason.
///
/// ```swift
/// let result = Validator().validate(try JSONParser.parse(bytes))
/// if !result.isValid { print(result.errors) }
/// ```
public struct Validator: Sendable {
    /// The extension definitions whose schemas objects are checked against.
    public var extensions: ExtensionSchemas

    /// Creates a validator that knows the given extension definitions.
    public init(extensions: ExtensionSchemas = ExtensionSchemas()) {
        self.extensions = extensions
    }

    /// Learns a valid extension definition so later objects are checked against its schema; a
    /// schema that is JSON but uses what this validator cannot check becomes a warning.
    public mutating func learn(_ object: JSONValue, into r: inout ObjectValidation) {
        guard r.type == "extension-definition" else { return }
        if let problem = extensions.register(object) {
            r.warning("$.schema", "the JSON Schema cannot be applied here, so objects using this extension are not checked against it: \(problem)")
        }
    }

    /// Validates one object.
    public func validate(_ value: JSONValue) -> ObjectValidation {
        guard let object = value.objectValue else {
            var r = ObjectValidation()
            r.error("$", "a STIX object must be a JSON object, found \(value.kindDescription)")
            return r
        }
        var r = ObjectValidation(id: object["id"]?.stringValue, type: object["type"]?.stringValue)
        guard let type = object["type"] else {
            r.error("$.type", "is required")
            return r
        }
        guard let typeName = type.stringValue else {
            r.error("$.type", "must be a string, found \(type.kindDescription)")
            return r
        }
        guard IdentifierRules.isValidTypeName(typeName) else {
            r.error("$.type", "'\(typeName)' is not a valid type name (3-250 characters of a-z, 0-9 and hyphens, starting with a letter)")
            return r
        }
        if typeName == "bundle" {
            r.error("$.objects", "a bundle is a container, not an object: its objects must be a list")
            return r
        }
        if typeName == "action" {
            r.error("$.type", "'action' is reserved by STIX 2.1 and cannot be used as a type")
            return r
        }
        let spec = TypeCatalog.spec(for: typeName)
        let category = spec?.category ?? customCategory(object)
        checkIdentifier(object, typeName, category, into: &r)
        checkSpecVersion(object, category, into: &r)
        checkProperties(object, typeName, spec, category, into: &r)
        checkRequired(object, spec, category, into: &r)
        ObjectRules.check(object, typeName, into: &r)
        ValueFormats.check(object, typeName, into: &r)
        ExtensionKeyRules.check(object, into: &r)
        checkExtensions(object, typeName, category, spec == nil, into: &r)
        MarkingRules.check(object, typeName, into: &r)
        if typeName == "observed-data", let embedded = object["objects"]?.objectValue {
            checkEmbedded(embedded, into: &r)
        }
        return r
    }

    /// Checks the SCOs embedded in the deprecated (STIX 2.0 style) `objects` of observed-data;
    /// their references name keys of that dictionary instead of ids.
    private func checkEmbedded(_ objects: JSONObject, into r: inout ObjectValidation) {
        var types: [String: String] = [:]
        for (key, value) in objects {
            if let t = value["type"]?.stringValue { types[key] = t }
        }
        for (key, value) in objects {
            let prefix = "$.objects.\(key)"
            guard let o = value.objectValue, let type = o["type"]?.stringValue else {
                r.error(prefix, "each embedded observable must be an object with a type")
                continue
            }
            guard let spec = TypeCatalog.spec(for: type), spec.category == .observable else { continue }
            var inner = ObjectValidation()
            inner.embeddedTypes = types
            checkProperties(o.filter { $0.key != "id" }, type, spec, .observable, into: &inner)
            checkRequired(o, spec, .observable, into: &inner)
            ObjectRules.check(o, type, into: &inner)
            ValueFormats.check(o, type, into: &inner)
            for issue in inner.issues {
                r.issues.append(.init(issue.severity, path: prefix + issue.path.dropFirst(), reason: issue.reason))
            }
        }
    }

    /// A custom type is an observable when an extension says `new-sco`, else a domain object.
    private func customCategory(_ object: JSONObject) -> ObjectCategory {
        for (_, ext) in object["extensions"]?.objectValue ?? [:] where ext["extension_type"]?.stringValue == "new-sco" {
            return .observable
        }
        return object["created"] == nil && object["modified"] == nil ? .observable : .domain
    }

    private func checkIdentifier(_ object: JSONObject, _ type: String, _ category: ObjectCategory, into r: inout ObjectValidation) {
        guard let idValue = object["id"] else {
            r.error("$.id", "is required")
            return
        }
        guard let idText = idValue.stringValue else {
            r.error("$.id", "must be a string, found \(idValue.kindDescription)")
            return
        }
        guard let id = STIXIdentifier(idText), IdentifierRules.isValidTypeName(id.type) else {
            r.error("$.id", "'\(idText)' is not a valid STIX identifier (type--UUID)")
            return
        }
        if id.type != type {
            r.error("$.id", "'\(idText)' must start with the object's type '\(type)--'")
        }
        guard (1...5).contains(id.uuid.version), id.uuid.isRFC4122Variant else {
            r.error("$.id", "'\(id.uuidText)' is not an RFC 4122 UUID (version 1-5, variant 10xx)")
            return
        }
        switch category {
        case .observable:
            guard TypeCatalog.observableTypes.contains(type) else { return }
            let deterministic = DeterministicID.compute(for: .object(object))
            if type == "process" || deterministic == nil {
                if id.uuid.version != 4 {
                    r.error("$.id", type == "process"
                        ? "a process object must use a UUIDv4 id"
                        : "an SCO without id-contributing properties must use a UUIDv4 id")
                }
            } else if let deterministic, deterministic != idText.lowercased() {
                r.warning("$.id", "should be the deterministic id \(deterministic) (UUIDv5 over the id-contributing properties)")
            }
        default:
            if id.uuid.version != 4 {
                r.warning("$.id", "should use a UUIDv4, found version \(id.uuid.version)")
            }
        }
    }

    private func checkSpecVersion(_ object: JSONObject, _ category: ObjectCategory, into r: inout ObjectValidation) {
        guard let value = object["spec_version"] else {
            if category != .observable { r.error("$.spec_version", "is required") }
            return
        }
        guard let v = value.stringValue else {
            r.error("$.spec_version", "must be a string, found \(value.kindDescription)")
            return
        }
        switch v {
        case "2.1": break
        case "2.0": r.warning("$.spec_version", "is '2.0': the object is stored as given, but STIX 2.0 rules are not checked")
        default: r.error("$.spec_version", "must be '2.1' (or '2.0'), found '\(v)'")
        }
    }

    private func checkProperties(_ object: JSONObject, _ type: String, _ spec: TypeSpec?, _ category: ObjectCategory, into r: inout ObjectValidation) {
        let common: [String: PropertyRule]
        switch category {
        case .domain, .relationship, .meta: common = TypeCatalog.domainCommon
        case .observable: common = TypeCatalog.observableCommon
        case .marking: common = TypeCatalog.markingCommon
        }
        for (name, value) in object where name != "type" && name != "id" && name != "spec_version" {
            let path = "$.\(name)"
            if let rule = spec?.properties[name] ?? common[name] {
                RuleChecker.check(value, rule, path: path, into: &r)
            } else {
                PropertyNames.check(name, path: path, into: &r)
                RuleChecker.checkGeneric(value, path: path, into: &r)
                if name.hasSuffix("_bin") {
                    RuleChecker.check(value, .binary, path: path, into: &r)
                } else if name.hasSuffix("_hex") {
                    RuleChecker.check(value, .hex, path: path, into: &r)
                }
            }
        }
    }

    private func checkRequired(_ object: JSONObject, _ spec: TypeSpec?, _ category: ObjectCategory, into r: inout ObjectValidation) {
        var required = spec?.required ?? []
        switch category {
        case .domain, .relationship, .meta: required += ["created", "modified"]
        case .marking: required += ["created"]
        case .observable: break
        }
        for name in required where object[name] == nil {
            r.error("$.\(name)", "is required")
        }
        if let anyOf = spec?.anyOf, !anyOf.isEmpty,
           !anyOf.contains(where: { group in group.allSatisfy { object[$0] != nil } }) {
            let options = anyOf.map { $0.joined(separator: " and ") }.joined(separator: ", or ")
            r.error("$", "needs at least one of: \(options)")
        }
    }

    private func checkExtensions(_ object: JSONObject, _ type: String, _ category: ObjectCategory, _ isCustomType: Bool, into r: inout ObjectValidation) {
        guard let value = object["extensions"] else { return }
        guard let extensions = value.objectValue else {
            r.error("$.extensions", "must be a dictionary, found \(value.kindDescription)")
            return
        }
        if extensions.isEmpty { r.error("$.extensions", "must not be an empty dictionary") }
        let predefined = ObservableCatalog.extensions[type] ?? [:]
        for (key, ext) in extensions {
            let path = "$.extensions.\(key)"
            if key.hasPrefix("extension-definition--") {
                guard IdentifierRules.parse(key) != nil else {
                    r.error(path, "'\(key)' is not a valid extension-definition identifier")
                    continue
                }
                guard let members = ext.objectValue else {
                    r.error(path, "must be an object, found \(ext.kindDescription)")
                    continue
                }
                if let t = members["extension_type"] {
                    RuleChecker.check(t, .oneOf(TypeCatalog.extensionTypes), path: "\(path).extension_type", into: &r)
                    if let kind = t.stringValue, kind.hasPrefix("new-"), !isCustomType {
                        r.error("\(path).extension_type", "'\(kind)' defines a new object type and cannot extend the standard type '\(type)'")
                    }
                } else {
                    r.error("\(path).extension_type", "is required")
                }
                for (name, v) in members where name != "extension_type" {
                    PropertyNames.check(name, path: "\(path).\(name)", into: &r, warnUnprefixed: false)
                    RuleChecker.checkGeneric(v, path: "\(path).\(name)", into: &r)
                }
            } else if category == .marking {
                r.error(path, "marking definitions take only extension-definition extensions")
            } else if let extSpec = predefined[key] {
                RuleChecker.check(ext, .structure(extSpec), path: path, into: &r)
                if ext.objectValue?.isEmpty == true { r.error(path, "must not be an empty dictionary") }
                if key == "windows-pebinary-ext", (ext.objectValue?.count ?? 0) < 2 {
                    r.error(path, "must have pe_type and at least one other property")
                }
            } else if key.hasSuffix("-ext"), IdentifierRules.isValidTypeName(key) {
                // A custom extension in the STIX 2.0 style: legal, but unchecked.
                RuleChecker.check(ext, .dictionary, path: path, into: &r)
                r.warning(path, "custom extensions should be declared by an extension-definition")
            } else {
                r.error(path, "extension keys must be an extension-definition id or a predefined extension name")
            }
        }
        self.extensions.check(object, extensions: extensions, into: &r)
    }
}
