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

    static func extract(type: String, object o: [String: JSONValue]) -> [IndexedObject.Observable] {
        var out: [IndexedObject.Observable] = []
        if type == "indicator" {
            if o["pattern_type"]?.stringValue == "stix", let pattern = o["pattern"]?.stringValue {
                out = PatternComparisons.equalities(in: pattern)
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
}

/// Pulls `object-path = 'literal'` comparisons out of a STIX pattern for indexing.
///
/// This is a lexical scan for candidate lookup, not the patterning engine: it never decides
/// whether a pattern matches.
enum PatternComparisons {
    static func equalities(in pattern: String) -> [IndexedObject.Observable] {
        let s = Array(pattern.utf8)
        var out: [IndexedObject.Observable] = []
        var i = 0
        func isPathByte(_ c: UInt8) -> Bool {
            (0x61...0x7A).contains(c) || (0x41...0x5A).contains(c) || (0x30...0x39).contains(c)
                || c == 0x2D || c == 0x5F || c == 0x2E || c == 0x27 || c == 0x3A || c == 0x5B || c == 0x5D || c == 0x2A
        }
        while i < s.count {
            // An object path starts after '[' or whitespace or '(' and contains ':'.
            guard (0x61...0x7A).contains(s[i]), i == 0 || !isPathByte(s[i - 1]) || s[i - 1] == 0x5B else { i += 1; continue }
            var j = i
            while j < s.count, isPathByte(s[j]), !(s[j] == 0x27 && j > i && s[j - 1] == 0x20) { j += 1 }
            let path = String(decoding: s[i..<j], as: UTF8.self)
            var k = j
            while k < s.count, s[k] == 0x20 { k += 1 }
            guard path.contains(":"), k + 1 < s.count, s[k] == UInt8(ascii: "="), s[k - 1] != UInt8(ascii: "!") else { i = j + 1; continue }
            k += 1
            while k < s.count, s[k] == 0x20 { k += 1 }
            guard k < s.count, s[k] == 0x27 else { i = k; continue }
            k += 1
            var literal: [UInt8] = []
            while k < s.count, s[k] != 0x27 {
                if s[k] == 0x5C, k + 1 < s.count { k += 1 }
                literal.append(s[k])
                k += 1
            }
            let kind = path.replacingQuotes()
            out.append(.init(kind: kind, value: ObservableExtractor.normalize(kind: kind, String(decoding: literal, as: UTF8.self))))
            i = k + 1
        }
        return out
    }
}

extension String {
    /// `file:hashes.'SHA-256'` becomes `file:hashes.SHA-256`.
    func replacingQuotes() -> String { String(self.filter { $0 != "'" }) }
}
