/// Format rules for the values of address-like SCO properties.
enum ValueFormats {
    /// The property whose value has a format, per SCO type, with its checker and a description.
    static let rules: [String: (property: String, check: @Sendable (String) -> Bool, expected: String)] = [
        "ipv4-addr": ("value", isIPv4, "an IPv4 address or CIDR block (198.51.100.0/24)"),
        "ipv6-addr": ("value", isIPv6, "an IPv6 address or CIDR block (2001:db8::/32)"),
        "mac-addr": ("value", isMAC, "a lowercase, colon-delimited MAC-48 address (d2:fb:49:24:37:18)"),
        "email-addr": ("value", isEmail, "an email address (user@example.com)"),
        "url": ("value", isAbsoluteURI, "an absolute URL (https://example.com/path)"),
    ]

    static func check(_ o: JSONObject, _ type: String, into r: inout ObjectValidation) {
        if let rule = rules[type], let v = o[rule.property]?.stringValue, !rule.check(v) {
            r.error("$.\(rule.property)", "'\(v)' is not \(rule.expected)")
        }
        if type == "artifact", let url = o["url"]?.stringValue, !isAbsoluteURI(url) {
            r.error("$.url", "'\(url)' is not an absolute URL")
        }
        if type == "domain-name", let v = o["value"]?.stringValue, !isHostname(v) {
            r.error("$.value", "'\(v)' is not a domain name (dot-separated labels of letters, digits and inner hyphens)")
        }
        if type == "software" {
            if let cpe = o["cpe"]?.stringValue, !isCPE23(cpe) {
                r.error("$.cpe", "'\(cpe)' is not a CPE 2.3 formatted string (cpe:2.3:part:vendor:product:...)")
            }
            for (i, l) in (o["languages"]?.arrayValue ?? []).enumerated() {
                if let s = l.stringValue, !(s.utf8.count == 3 && s.utf8.allSatisfy({ (0x61...0x7A).contains($0) })) {
                    r.error("$.languages[\(i)]", "'\(s)' is not an ISO 639-2 language code (three lowercase letters)")
                }
            }
        }
    }

    static func isIPv4(_ s: String) -> Bool {
        let (address, prefix) = splitPrefix(s)
        if let prefix, !(prefix.count <= 2 && Int(prefix).map({ (0...32).contains($0) }) == true) { return false }
        let parts = address.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in
            (1...3).contains(p.count) && p.allSatisfy(\.isASCIIDigit) && (Int(p) ?? 256) <= 255
        }
    }

    static func isIPv6(_ s: String) -> Bool {
        let (address, prefix) = splitPrefix(s)
        if let prefix, !(prefix.count <= 3 && Int(prefix).map({ (0...128).contains($0) }) == true) { return false }
        var groups = address.components(separatedBy: "::")
        guard groups.count <= 2 else { return false }
        var total = 0
        for (gi, g) in groups.enumerated() where !g.isEmpty {
            var parts = g.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if gi == groups.count - 1, let last = parts.last, last.contains(".") {
                guard isIPv4(last) else { return false }
                parts.removeLast()
                total += 2
            }
            for p in parts {
                guard (1...4).contains(p.count), p.utf8.allSatisfy(isHexDigit) else { return false }
                total += 1
            }
        }
        groups = []
        return address.contains("::") ? total <= 7 : total == 8
    }

    static func isMAC(_ s: String) -> Bool {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts.allSatisfy { p in
            p.count == 2 && p.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        }
    }

    static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix(".") else { return false }
        let local = parts[0].utf8.allSatisfy { isAlnum($0) || "_.+-".utf8.contains($0) }
        let domain = parts[1].utf8.allSatisfy { isAlnum($0) || $0 == 0x2D || $0 == 0x2E }
        return local && domain
    }

    /// RFC 3986 absolute URI: a scheme, ':', and no white space.
    static func isAbsoluteURI(_ s: String) -> Bool {
        guard let colon = s.firstIndex(of: ":") else { return false }
        let scheme = s[..<colon]
        guard let first = scheme.utf8.first, (0x61...0x7A).contains(first | 0x20) else { return false }
        return scheme.utf8.allSatisfy { isAlnum($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }
            && !s.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F })
    }

    /// An internationalised host name: labels of 1-63 characters, letters (any script), digits
    /// and inner hyphens, separated by single dots.
    static func isHostname(_ s: String) -> Bool {
        var host = Substring(s)
        if host.hasSuffix(".") { host = host.dropLast() }
        guard !host.isEmpty, host.utf8.count <= 253 else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0.properties.generalCategory == .nonspacingMark || $0.properties.generalCategory == .spacingMark }
        }
    }

    /// A CPE 2.3 formatted string: `cpe:2.3:` then the part (a, o, h, * or -) and ten more
    /// colon-separated components.
    static func isCPE23(_ s: String) -> Bool {
        guard s.hasPrefix("cpe:2.3:") else { return false }
        var components: [String] = []
        var current = ""
        var escaped = false
        for c in s.dropFirst(8) {
            if escaped { current.append(c); escaped = false; continue }
            if c == "\\" { escaped = true; current.append(c); continue }
            if c == ":" { components.append(current); current = ""; continue }
            if c.isWhitespace { return false }
            current.append(c)
        }
        components.append(current)
        guard components.count == 11, ["a", "o", "h", "*", "-"].contains(components[0]) else { return false }
        return components.allSatisfy { !$0.isEmpty }
    }

    static func splitPrefix(_ s: String) -> (Substring, Substring?) {
        guard let slash = s.firstIndex(of: "/") else { return (s[...], nil) }
        return (s[..<slash], s[s.index(after: slash)...])
    }

    static func isAlnum(_ c: UInt8) -> Bool { (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) }
}
