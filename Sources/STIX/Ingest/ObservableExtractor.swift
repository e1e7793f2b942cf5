import Patterning

/// Finds the observable values an object carries (SCOs) or tests for (indicator patterns),
/// so matching and correlation can find candidates by value.
enum ObservableExtractor {
    /// Properties whose value identifies an SCO, per type.
    static let valueProperties: [String: [String]] = [
        "ipv4-addr": ["value"], "ipv6-addr": ["value"], "mac-addr": ["value"], "domain-name": ["value"],
        "url": ["value"], "email-addr": ["value"], "file": ["name"], "mutex": ["name"], "directory": ["path"],
        "software": ["name", "cpe"], "autonomous-system": ["number"], "user-account": ["user_id", "account_login"],
        "windows-registry-key": ["key"], "x509-certificate": ["serial_number"], "email-message": ["message_id"],
    ]

    static func extract(type: String, object o: JSONObject, pattern: ObservationExpression?) -> [IndexedObject.Observable] {
        var out: [IndexedObject.Observable] = []
        if type == "indicator" {
            if o["pattern_type"]?.stringValue == "stix", let ast = pattern ?? o["pattern"]?.stringValue.flatMap({ try? PatternParser.parse($0) }) {
                collectEqualities(ast, into: &out)
            }
            return out
        }
        for property in valueProperties[type] ?? [] {
            guard let v = o[property] else { continue }
            let text = v.stringValue ?? v.numberValue?.text
            if let text { out.append(.init(kind: "\(type):\(property)", value: normalize(kind: "\(type):\(property)", text))) }
        }
        for (algorithm, v) in o["hashes"]?.objectValue ?? [:] {
            if let h = v.stringValue { out.append(.init(kind: "\(type):hashes.\(algorithm)", value: h.lowercased())) }
        }
        return out
    }

    /// Case carries no meaning in hashes and domain names; store them lowercased.
    static func normalize(kind: String, _ value: String) -> String {
        if kind.contains(":hashes.") || kind == "domain-name:value" || kind == "email-addr:value" || kind == "mac-addr:value" {
            return value.lowercased()
        }
        return value
    }

    /// Equality tests (`=` and `IN`, not negated) are what bulk matching looks up by value.
    static func collectEqualities(_ e: ObservationExpression, into out: inout [IndexedObject.Observable]) {
        for cmp in e.comparisons where !cmp.negated {
            let kind = cmp.path.description
            let values: [PatternLiteral]
            switch (cmp.op, cmp.value) {
            case (.equal, let v?): values = [v]
            case (.in, .set(let items)?): values = items
            default: values = []
            }
            for v in values {
                switch v {
                case .string(let s): out.append(.init(kind: kind, value: normalize(kind: kind, s)))
                case .integer(let n): out.append(.init(kind: kind, value: String(n)))
                default: break
                }
            }
        }
    }
}
