/// Which object types a reference property may point at.
public enum RefTarget: Sendable {
    /// Any well-formed identifier.
    case any
    /// Only these types.
    case only(Set<String>)
    /// Any type except these.
    case except(Set<String>)

    func allows(_ type: Substring) -> Bool {
        switch self {
        case .any: return true
        case .only(let types): return types.contains(String(type))
        case .except(let types): return !types.contains(String(type))
        }
    }

    var phrase: String {
        switch self {
        case .any: return "any object"
        case .only(let types): return types.sorted().joined(separator: " or ")
        case .except(let types): return "any type but " + types.sorted().joined(separator: ", ")
        }
    }
}

/// The shape a property's value must have, per STIX 2.1.
public indirect enum PropertyRule: Sendable {
    case string
    case boolean
    case integer(min: Int64? = nil, max: Int64? = nil)
    case number(min: Double? = nil, max: Double? = nil)
    case timestamp
    /// A timestamp with at least millisecond precision (`created`, `modified` of SDOs/SROs).
    case timestampMillis
    /// A timestamp precise to the second, with no fraction (`time_date_stamp`).
    case timestampSeconds
    case ref(RefTarget)
    /// A non-empty list whose elements follow the rule.
    case list(PropertyRule)
    /// A closed vocabulary (an enumeration): any other value is an error.
    case oneOf(Set<String>)
    /// A non-empty object whose values are unconstrained.
    case dictionary
    /// A non-empty object whose values follow the rule.
    case dictionaryOf(PropertyRule)
    case hashes
    case hex
    case binary
    case killChainPhase
    case externalReference
    case granularMarking
    /// A nested object with its own properties and required ones.
    case structure(StructureSpec)
    case any
}

/// The properties of a nested object such as an email MIME part or a registry value.
public struct StructureSpec: Sendable {
    /// Rules per property name.
    public var properties: [String: PropertyRule]
    /// Properties that must be present.
    public var required: [String]
    /// Whether properties not listed are allowed (they must still be well-named).
    public var allowsCustom: Bool

    /// Creates a nested object spec.
    public init(_ properties: [String: PropertyRule], required: [String] = [], allowsCustom: Bool = true) {
        self.properties = properties
        self.required = required
        self.allowsCustom = allowsCustom
    }
}

/// Checks one value against a rule, appending issues to `result`.
struct RuleChecker {
    static func check(_ value: JSONValue, _ rule: PropertyRule, path: String, into result: inout ObjectValidation) {
        switch rule {
        case .any:
            checkGeneric(value, path: path, into: &result)
        case .string:
            if value.stringValue == nil { result.error(path, "must be a string, found \(value.kindDescription)") }
        case .boolean:
            if value.boolValue == nil { result.error(path, "must be a boolean, found \(value.kindDescription)") }
        case .integer(let min, let max):
            guard let n = value.numberValue, let i = n.int64 else {
                result.error(path, "must be an integer, found \(value.kindDescription)")
                return
            }
            if let min, i < min { result.error(path, "must be at least \(min), found \(i)") }
            if let max, i > max { result.error(path, "must be at most \(max), found \(i)") }
        case .number(let min, let max):
            guard let n = value.numberValue else {
                result.error(path, "must be a number, found \(value.kindDescription)")
                return
            }
            if let min, n.double < min { result.error(path, "must be at least \(min), found \(n)") }
            if let max, n.double > max { result.error(path, "must be at most \(max), found \(n)") }
        case .timestamp, .timestampMillis, .timestampSeconds:
            guard let s = value.stringValue else {
                result.error(path, "must be a timestamp string, found \(value.kindDescription)")
                return
            }
            switch Timestamp.parse(s) {
            case .failure(let e): result.error(path, "'\(s)' \(e)")
            case .success(let t):
                if case .timestampMillis = rule, t.fractionDigits < 3 {
                    result.error(path, "'\(s)' must be precise to at least the millisecond (YYYY-MM-DDTHH:MM:SS.sssZ)")
                }
                if case .timestampSeconds = rule, t.fractionDigits > 0 {
                    result.error(path, "'\(s)' must be precise to the second, without a fraction (YYYY-MM-DDTHH:MM:SSZ)")
                }
            }
        case .ref(let target):
            checkRef(value, target, path: path, into: &result)
        case .list(let element):
            guard let elements = value.arrayValue else {
                result.error(path, "must be a list, found \(value.kindDescription)")
                return
            }
            if elements.isEmpty { result.error(path, "must not be an empty list (omit the property instead)") }
            for (i, e) in elements.enumerated() { check(e, element, path: "\(path)[\(i)]", into: &result) }
        case .oneOf(let allowed):
            guard let s = value.stringValue else {
                result.error(path, "must be a string, found \(value.kindDescription)")
                return
            }
            if !allowed.contains(s) { result.error(path, "'\(s)' is not one of: \(allowed.sorted().joined(separator: ", "))") }
        case .dictionary:
            guard let members = value.objectValue else {
                result.error(path, "must be an object (a dictionary), found \(value.kindDescription)")
                return
            }
            if members.isEmpty { result.error(path, "must not be an empty dictionary") }
        case .dictionaryOf(let valueRule):
            guard let members = value.objectValue else {
                result.error(path, "must be an object (a dictionary), found \(value.kindDescription)")
                return
            }
            if members.isEmpty { result.error(path, "must not be an empty dictionary") }
            for (k, v) in members { check(v, valueRule, path: "\(path).\(k)", into: &result) }
        case .hashes:
            checkHashes(value, path: path, into: &result)
        case .hex:
            guard let s = value.stringValue else { result.error(path, "must be a hex string, found \(value.kindDescription)"); return }
            if s.utf8.count % 2 != 0 || !s.utf8.allSatisfy(isHexDigit) { result.error(path, "must be an even number of hexadecimal digits") }
        case .binary:
            guard let s = value.stringValue else { result.error(path, "must be a base64 string, found \(value.kindDescription)"); return }
            if !isBase64(s) { result.error(path, "must be base64-encoded binary data (RFC 4648)") }
        case .killChainPhase:
            checkStructure(value, killChainPhaseSpec, path: path, into: &result)
        case .externalReference:
            checkExternalReference(value, path: path, into: &result)
        case .granularMarking:
            checkGranularMarking(value, path: path, into: &result)
        case .structure(let spec):
            checkStructure(value, spec, path: path, into: &result)
        }
    }

    /// Any JSON value STIX allows for a property: not null, not an empty list. Nested content of
    /// custom properties is the producer's business (real feeds such as ATT&CK nest empty lists).
    static func checkGeneric(_ value: JSONValue, path: String, into result: inout ObjectValidation) {
        switch value {
        case .null: result.error(path, "must not be null (omit the property instead)")
        case .array(let elements) where elements.isEmpty:
            result.error(path, "must not be an empty list (omit the property instead)")
        default: break
        }
    }

    static func checkRef(_ value: JSONValue, _ target: RefTarget, path: String, into result: inout ObjectValidation) {
        guard let s = value.stringValue else {
            result.error(path, "must be an identifier string, found \(value.kindDescription)")
            return
        }
        if let embedded = result.embeddedTypes {
            guard let type = embedded[s] else {
                result.error(path, "'\(s)' does not name an object in observed-data objects")
                return
            }
            if !target.allows(Substring(type)) { result.error(path, "'\(s)' must refer to \(target.phrase)") }
            return
        }
        guard let id = IdentifierRules.parse(s) else {
            result.error(path, "'\(s)' is not a valid STIX identifier (type--UUID)")
            return
        }
        if !target.allows(id.type) {
            result.error(path, "'\(s)' must refer to \(target.phrase)")
        }
    }

    static let killChainPhaseSpec = StructureSpec(["kill_chain_name": .string, "phase_name": .string],
                                                  required: ["kill_chain_name", "phase_name"])

    static func checkStructure(_ value: JSONValue, _ spec: StructureSpec, path: String, into result: inout ObjectValidation) {
        guard let members = value.objectValue else {
            result.error(path, "must be an object, found \(value.kindDescription)")
            return
        }
        if members.isEmpty { result.error(path, "must have at least one property") }
        for name in spec.required where members[name] == nil {
            result.error("\(path).\(name)", "is required")
        }
        for (name, v) in members {
            if let rule = spec.properties[name] {
                check(v, rule, path: "\(path).\(name)", into: &result)
            } else if spec.allowsCustom {
                PropertyNames.check(name, path: "\(path).\(name)", into: &result)
                checkGeneric(v, path: "\(path).\(name)", into: &result)
            } else {
                result.error("\(path).\(name)", "is not a property of this structure")
            }
        }
    }

    static func checkExternalReference(_ value: JSONValue, path: String, into result: inout ObjectValidation) {
        let spec = StructureSpec(["source_name": .string, "description": .string, "url": .string,
                                  "hashes": .hashes, "external_id": .string], required: ["source_name"])
        checkStructure(value, spec, path: path, into: &result)
        guard let members = value.objectValue else { return }
        if let url = members["url"]?.stringValue, !ValueFormats.isAbsoluteURI(url) {
            result.error("\(path).url", "'\(url)' is not an absolute URL")
        }
        if members["description"] == nil, members["url"] == nil, members["external_id"] == nil {
            result.error(path, "an external reference needs at least one of description, url or external_id")
        }
        if let source = members["source_name"]?.stringValue, source == "cve" || source == "capec", members["external_id"] == nil {
            result.error("\(path).external_id", "is required when source_name is '\(source)'")
        }
        if let source = members["source_name"]?.stringValue, let ext = members["external_id"]?.stringValue {
            if source != "cve", source != "capec", matchesCVE(ext) || matchesCAPEC(ext) {
                result.error("\(path).source_name", "must be 'cve' or 'capec' when external_id is a CVE or CAPEC id ('\(ext)')")
            }
            if source == "cve", !matchesCVE(ext) {
                result.error("\(path).external_id", "'\(ext)' must be a CVE id (CVE-YYYY-NNNN) when source_name is 'cve'")
            }
            if source == "capec", !matchesCAPEC(ext) {
                result.error("\(path).external_id", "'\(ext)' must be a CAPEC id (CAPEC-N) when source_name is 'capec'")
            }
        }
    }

    static func checkGranularMarking(_ value: JSONValue, path: String, into result: inout ObjectValidation) {
        let spec = StructureSpec(["lang": .string, "marking_ref": .ref(.only(["marking-definition"])),
                                  "selectors": .list(.string)], required: ["selectors"])
        checkStructure(value, spec, path: path, into: &result)
        guard let members = value.objectValue else { return }
        let hasLang = members["lang"] != nil
        let hasRef = members["marking_ref"] != nil
        if hasLang == hasRef {
            result.error(path, "a granular marking must have exactly one of marking_ref and lang")
        }
    }

    static func checkHashes(_ value: JSONValue, path: String, into result: inout ObjectValidation) {
        guard let members = value.objectValue else {
            result.error(path, "must be a dictionary of hashes, found \(value.kindDescription)")
            return
        }
        if members.isEmpty { result.error(path, "must not be an empty dictionary") }
        for (algorithm, v) in members {
            let p = "\(path).\(algorithm)"
            guard let h = v.stringValue else {
                result.error(p, "must be a string, found \(v.kindDescription)")
                continue
            }
            if !(3...250).contains(algorithm.utf8.count) || !algorithm.utf8.allSatisfy({ ValueFormats.isAlnum($0) || $0 == 0x5F || $0 == 0x2D }) {
                result.error(p, "hash algorithm names must be 3-250 characters of A-Z, a-z, 0-9, _ and -")
                continue
            }
            if algorithm == "SSDEEP", !((1...128).contains(h.utf8.count) && h.utf8.allSatisfy({ ValueFormats.isAlnum($0) || "/+:.".utf8.contains($0) })) {
                result.error(p, "'\(h)' is not a valid SSDEEP hash")
            } else if algorithm == "TLSH", !(h.utf8.count == 70 && h.utf8.allSatisfy(ValueFormats.isAlnum)) {
                result.error(p, "'\(h)' is not a valid TLSH hash (70 alphanumeric characters)")
            } else if let expected = HashAlgorithms.hexLengths[algorithm] {
                if h.utf8.count != expected || !h.utf8.allSatisfy(isHexDigit) {
                    result.error(p, "'\(h)' is not a valid \(algorithm) hash (\(expected) hexadecimal digits)")
                }
            } else if !HashAlgorithms.others.contains(algorithm) && !algorithm.hasPrefix("x_") {
                result.warning(p, "'\(algorithm)' is not in the hash-algorithm-ov vocabulary")
            }
        }
    }
}

func isHexDigit(_ c: UInt8) -> Bool { (0x30...0x39).contains(c) || (0x41...0x46).contains(c) || (0x61...0x66).contains(c) }

func isBase64(_ s: String) -> Bool {
    let bytes = Array(s.utf8)
    guard bytes.count % 4 == 0 else { return false }
    var padding = 0
    for (i, c) in bytes.enumerated() {
        if c == UInt8(ascii: "=") {
            padding += 1
            if i < bytes.count - 2 { return false }
            continue
        }
        if padding > 0 { return false }
        let ok = (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || (0x30...0x39).contains(c) || c == 0x2B || c == 0x2F
        if !ok { return false }
    }
    return true
}

func matchesCVE(_ s: String) -> Bool {
    let parts = s.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0] == "CVE", parts[1].count == 4, parts[1].allSatisfy(\.isASCIIDigit),
          parts[2].count >= 4, parts[2].allSatisfy(\.isASCIIDigit) else { return false }
    return !(parts[2].count > 4 && parts[2].first == "0")
}

func matchesCAPEC(_ s: String) -> Bool {
    guard s.hasPrefix("CAPEC-") else { return false }
    let n = s.dropFirst(6)
    return !n.isEmpty && n.allSatisfy(\.isASCIIDigit)
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// Hash algorithm names of the STIX `hash-algorithm-ov` vocabulary.
enum HashAlgorithms {
    /// Algorithms with a fixed hexadecimal length.
    static let hexLengths: [String: Int] = [
        "MD5": 32, "SHA-1": 40, "SHA-256": 64, "SHA-512": 128,
        "SHA3-256": 64, "SHA3-512": 128,
    ]
    /// Vocabulary algorithms whose values have no fixed form.
    static let others: Set<String> = ["SSDEEP", "TLSH"]
}
