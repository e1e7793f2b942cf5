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

    static func check(_ o: JSONObject, _ type: String, into r: inout ObjectValidation) {
        compareTimes(o, "modified", "created", strict: false, into: &r)
        for (later, earlier, strict) in timeOrder[type] ?? [] {
            compareTimes(o, later, earlier, strict: strict, into: &r)
        }
        if let lang = o["lang"]?.stringValue, !isLanguageTag(lang) {
            r.error("$.lang", "'\(lang)' is not an RFC 5646 language code")
        }
        switch type {
        case "indicator":
            if o["pattern_type"]?.stringValue == "stix", let pattern = o["pattern"]?.stringValue {
                PatternRules.check(pattern, into: &r)
            }
        case "relationship":
            if let t = o["relationship_type"]?.stringValue,
               t.isEmpty || !t.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }) {
                r.error("$.relationship_type", "'\(t)' may contain only a-z, 0-9 and hyphens")
            }
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
            if o["payload_bin"] == nil, o["url"] == nil { r.error("$", "an artifact needs payload_bin or url") }
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
            for (i, part) in (o["body_multipart"]?.arrayValue ?? []).enumerated() where (part["body"] == nil) == (part["body_raw_ref"] == nil) {
                r.error("$.body_multipart[\(i)]", "a MIME part must have exactly one of body and body_raw_ref")
            }
        case "windows-registry-key":
            if let key = o["key"]?.stringValue,
               ["HKLM", "HKCC", "HKCR", "HKCU", "HKU", "hklm", "hkcc", "hkcr", "hkcu", "hku"].contains(where: { key.hasPrefix($0) }) {
                r.error("$.key", "'\(key)' must name the full hive (HKEY_LOCAL_MACHINE...), not an abbreviation")
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
            for (key, translations) in o["contents"]?.objectValue ?? [:] {
                if !isLanguageTag(key) { r.error("$.contents.\(key)", "'\(key)' is not an RFC 5646 language code") }
                for (name, _) in translations.objectValue ?? [:] where !PropertyNames.isWellFormed(name) {
                    r.error("$.contents.\(key).\(name)", "'\(name)' is not a valid property name (3-250 characters of a-z, 0-9 and _)")
                }
            }
        default:
            break
        }
    }

    static func compareTimes(_ o: JSONObject, _ later: String, _ earlier: String, strict: Bool, into r: inout ObjectValidation) {
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
        // Registered primary language subtags have 2 or 3 letters (4-8 are reserved or unused).
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return false
        }
        return parts.dropFirst().allSatisfy { p in (1...8).contains(p.count) && p.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }
}

/// Rules of marking definitions and granular-marking selectors.
enum MarkingRules {
    static func check(_ o: JSONObject, _ type: String, into r: inout ObjectValidation) {
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
                guard isWellFormedSelector(s) else {
                    r.error("$.granular_markings[\(i)].selectors[\(j)]", "'\(s)' is not a selector (property names of a-z, 0-9, _ and -, list indexes as .[N])")
                    continue
                }
                if let problem = resolve(selector: s, in: .object(o)) {
                    r.error("$.granular_markings[\(i)].selectors[\(j)]", "'\(s)' does not select anything: \(problem)")
                }
            }
        }
    }

    static func checkDefinition(_ o: JSONObject, into r: inout ObjectValidation) {
        if o["extensions"] == nil {
            if o["definition_type"] == nil { r.error("$.definition_type", "is required unless the marking is defined by an extension") }
            if o["definition"] == nil { r.error("$.definition", "is required unless the marking is defined by an extension") }
        }
        guard let kind = o["definition_type"]?.stringValue, let definition = o["definition"]?.objectValue else { return }
        switch kind {
        case "tlp":
            // TLP 1.0 markings are fixed objects of the standard; anyone may reference them, nobody may redefine them.
            let canonical: [String: String] = [
                "white": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
                "green": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
                "amber": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
                "red": "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
            ]
            let allowedKeys: Set<String> = ["type", "spec_version", "id", "created", "definition_type", "name", "definition"]
            guard let level = definition["tlp"]?.stringValue, definition.count == 1, let id = canonical[level],
                  o["id"]?.stringValue == id, o["name"]?.stringValue == "TLP:\(level.uppercased())",
                  o["created"]?.stringValue == "2017-01-20T00:00:00.000Z", Set(o.keys).isSubset(of: allowedKeys)
            else {
                r.error("$.definition", "TLP 1.0 marking definitions must be exactly the four defined in the STIX 2.1 specification")
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

    /// Selector syntax: `name(.name|.[N])*`, names of 3+ characters at the root.
    static func isWellFormedSelector(_ s: String) -> Bool {
        if s == "id" { return true }
        let segments = s.split(separator: ".", omittingEmptySubsequences: false)
        for (i, seg) in segments.enumerated() {
            if i > 0, seg.hasPrefix("["), seg.hasSuffix("]"), seg.count > 2, seg.dropFirst().dropLast().allSatisfy(\.isASCIIDigit) { continue }
            let ok = seg.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F || $0 == 0x2D }
            guard ok, seg.count <= 250, seg.count >= (i == 0 ? 3 : 1) else { return false }
        }
        return true
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

/// Rules on the keys of predefined extension dictionaries.
enum ExtensionKeyRules {
    static func check(_ o: JSONObject, into r: inout ObjectValidation) {
        let extensions = o["extensions"]?.objectValue ?? [:]
        for (key, _) in extensions["raster-image-ext"]?["exif_tags"]?.objectValue ?? [:] {
            let u = key.utf8
            if !(u.count >= 2 && (0x41...0x5A).contains(u.first!) && u.allSatisfy({ ValueFormats.isAlnum($0) || $0 == 0x5F || $0 == 0x2D })) {
                r.error("$.extensions.raster-image-ext.exif_tags.\(key)", "EXIF tag names start with an uppercase letter (such as Make or XResolution)")
            }
        }
        let prefixes = ["SO", "ICMP", "ICMP6", "IP", "IPV6", "MCAST", "TCP", "IRLMP"]
        for (key, value) in extensions["socket-ext"]?["options"]?.objectValue ?? [:] {
            let parts = key.split(separator: "_", omittingEmptySubsequences: false)
            let wellFormed = parts.count >= 2 && prefixes.contains(String(parts[0]))
                && parts.dropFirst().allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { (0x41...0x5A).contains($0) } }
            if !wellFormed {
                r.error("$.extensions.socket-ext.options.\(key)", "socket option names look like SO_REUSEADDR (SO_, ICMP_, IP_, TCP_... and uppercase words)")
            }
            if value.numberValue?.int64 == nil {
                r.error("$.extensions.socket-ext.options.\(key)", "socket option values must be integers")
            }
        }
    }
}
