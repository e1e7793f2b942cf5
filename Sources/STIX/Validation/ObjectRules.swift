/// Type-specific MUST rules that tie several properties together.
enum ObjectRules {
    /// Pairs (later, earlier, strict) where `later` must not precede `earlier`.
    static let timeOrder: [String: [(String, String, Bool)]] = [
        "campaign": [("last_seen", "first_seen", false)],
        "indicator": [("valid_until", "valid_from", true)],
        "infrastructure": [("last_seen", "first_seen", false)],
        "intrusion-set": [("last_seen", "first_seen", false)],
        "malware": [("last_seen", "first_seen", false)],
        "observed-data": [("last_observed", "first_observed", false)],
        "relationship": [("stop_time", "start_time", true)],
        "sighting": [("last_seen", "first_seen", false)],
        "threat-actor": [("last_seen", "first_seen", false)],
        "network-traffic": [("end", "start", false)],
    ]

    static func check(_ o: [String: JSONValue], _ type: String, into r: inout ObjectValidation) {
        compareTimes(o, "modified", "created", strict: false, into: &r)
        for (later, earlier, strict) in timeOrder[type] ?? [] {
            compareTimes(o, later, earlier, strict: strict, into: &r)
        }
        if let lang = o["lang"]?.stringValue, !isLanguageTag(lang) {
            r.error("$.lang", "'\(lang)' is not an RFC 5646 language code")
        }
        switch type {
        case "malware":
            if o["is_family"]?.boolValue == true, o["name"] == nil {
                r.error("$.name", "is required when is_family is true")
            }
        case "location":
            if (o["latitude"] == nil) != (o["longitude"] == nil) {
                r.error("$", "latitude and longitude must be given together")
            }
            if o["precision"] != nil, o["latitude"] == nil {
                r.error("$.precision", "requires latitude and longitude")
            }
        case "observed-data":
            if o["objects"] != nil, o["object_refs"] != nil {
                r.error("$", "must have object_refs or the deprecated objects, not both")
            }
        case "artifact":
            if o["payload_bin"] != nil, o["url"] != nil { r.error("$", "payload_bin and url must not both be present") }
            if o["url"] != nil, o["hashes"] == nil { r.error("$.hashes", "is required when url is present") }
            if o["decryption_key"] != nil, o["encryption_algorithm"] == nil {
                r.error("$.decryption_key", "requires encryption_algorithm")
            }
        case "email-message":
            if o["is_multipart"]?.boolValue == true, o["body"] != nil {
                r.error("$.body", "must not be present when is_multipart is true (use body_multipart)")
            }
            if o["is_multipart"]?.boolValue == false, o["body_multipart"] != nil {
                r.error("$.body_multipart", "must not be present when is_multipart is false")
            }
        case "network-traffic":
            if o["is_active"]?.boolValue == true, o["end"] != nil {
                r.error("$.end", "must not be present when is_active is true")
            }
        case "extension-definition":
            let kinds = o["extension_types"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if o["extension_properties"] != nil, !kinds.contains("toplevel-property-extension") {
                r.error("$.extension_properties", "is allowed only with the toplevel-property-extension type")
            }
        case "language-content":
            for (key, _) in o["contents"]?.objectValue ?? [:] where !isLanguageTag(key) {
                r.error("$.contents.\(key)", "'\(key)' is not an RFC 5646 language code")
            }
        default:
            break
        }
    }

    static func compareTimes(_ o: [String: JSONValue], _ later: String, _ earlier: String, strict: Bool, into r: inout ObjectValidation) {
        guard let a = o[later]?.stringValue, let b = o[earlier]?.stringValue,
              case .success(let ta) = Timestamp.parse(a), case .success(let tb) = Timestamp.parse(b)
        else { return }
        if strict ? ta <= tb : ta < tb {
            r.error("$.\(later)", "'\(a)' must be \(strict ? "later than" : "later than or equal to") \(earlier) '\(b)'")
        }
    }

    /// A light RFC 5646 syntax check: a 2-3 letter (or 4-8 letter) primary subtag followed by
    /// alphanumeric subtags of 1-8 characters.
    static func isLanguageTag(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...8).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return false
        }
        return parts.dropFirst().allSatisfy { p in (1...8).contains(p.count) && p.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }
}

/// Rules of marking definitions and granular-marking selectors.
enum MarkingRules {
    static func check(_ o: [String: JSONValue], _ type: String, into r: inout ObjectValidation) {
        let id = o["id"]?.stringValue
        if type == "marking-definition" {
            for (i, ref) in (o["object_marking_refs"]?.arrayValue ?? []).enumerated() where ref.stringValue == id {
                r.error("$.object_marking_refs[\(i)]", "a marking definition must not mark itself")
            }
            for (i, m) in (o["granular_markings"]?.arrayValue ?? []).enumerated() where m["marking_ref"]?.stringValue == id {
                r.error("$.granular_markings[\(i)].marking_ref", "a marking definition must not mark itself")
            }
            checkDefinition(o, into: &r)
        }
        for (i, marking) in (o["granular_markings"]?.arrayValue ?? []).enumerated() {
            for (j, selector) in (marking["selectors"]?.arrayValue ?? []).enumerated() {
                guard let s = selector.stringValue else { continue }
                if let problem = resolve(selector: s, in: .object(o)) {
                    r.error("$.granular_markings[\(i)].selectors[\(j)]", "'\(s)' does not select anything: \(problem)")
                }
            }
        }
    }

    static func checkDefinition(_ o: [String: JSONValue], into r: inout ObjectValidation) {
        if o["extensions"] == nil {
            if o["definition_type"] == nil { r.error("$.definition_type", "is required unless the marking is defined by an extension") }
            if o["definition"] == nil { r.error("$.definition", "is required unless the marking is defined by an extension") }
        }
        guard let kind = o["definition_type"]?.stringValue, let definition = o["definition"]?.objectValue else { return }
        switch kind {
        case "tlp":
            let allowed: Set<String> = ["white", "green", "amber", "red"]
            guard let level = definition["tlp"]?.stringValue, allowed.contains(level), definition.count == 1 else {
                r.error("$.definition", "a TLP 1.0 definition must be {\"tlp\": \"white\"|\"green\"|\"amber\"|\"red\"}")
                return
            }
        case "statement":
            guard definition["statement"]?.stringValue != nil else {
                r.error("$.definition.statement", "is required for a statement marking")
                return
            }
        default:
            break
        }
    }

    /// Follows a granular-marking selector (`description`, `external_references.[0].url`);
    /// returns why it fails, or nil when it selects something.
    static func resolve(selector: String, in root: JSONValue) -> String? {
        var current = root
        for segment in selector.split(separator: ".", omittingEmptySubsequences: false) {
            if segment.hasPrefix("["), segment.hasSuffix("]"), let index = Int(segment.dropFirst().dropLast()) {
                guard let list = current.arrayValue else { return "'\(segment)' indexes something that is not a list" }
                guard index >= 0, index < list.count else { return "index \(index) is out of range" }
                current = list[index]
            } else {
                guard let next = current[String(segment)] else { return "'\(segment)' is not a property" }
                current = next
            }
        }
        return nil
    }
}
