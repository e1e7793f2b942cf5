/// What a bare observable on a line of a log or a feed is: an IPv4 or IPv6 address, a URL, an
/// email address, a file hash (by length), a MAC address or a domain name.
public enum PlainObservable {
    public static let ipv4 = ObservableProperty(type: "ipv4-addr", steps: ["value"])
    public static let ipv6 = ObservableProperty(type: "ipv6-addr", steps: ["value"])
    public static let url = ObservableProperty(type: "url", steps: ["value"])
    public static let email = ObservableProperty(type: "email-addr", steps: ["value"])
    public static let domain = ObservableProperty(type: "domain-name", steps: ["value"])
    public static let mac = ObservableProperty(type: "mac-addr", steps: ["value"])
    public static let md5 = ObservableProperty(type: "file", steps: ["hashes", "MD5"])
    public static let sha1 = ObservableProperty(type: "file", steps: ["hashes", "SHA-1"])
    public static let sha256 = ObservableProperty(type: "file", steps: ["hashes", "SHA-256"])
    public static let sha512 = ObservableProperty(type: "file", steps: ["hashes", "SHA-512"])

    /// The property a bare value belongs to, or nil when it is none of the kinds above.
    public static func infer(_ text: Substring) -> ObservableProperty? {
        let u = text.utf8
        guard let first = u.first else { return nil }
        if first >= 0x30 && first <= 0x39, AddressRange.parse(String(text))?.count == 4 { return ipv4 }
        if text.contains(":") {
            if AddressRange.parse(String(text))?.count == 16 { return ipv6 }
            if isMAC(u) { return mac }
            if let scheme = text.firstRange(of: "://"), text[..<scheme.lowerBound].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "." || $0 == "-") }) {
                return url
            }
        }
        if isHex(u) {
            switch u.count {
            case 32: return md5
            case 40: return sha1
            case 64: return sha256
            case 128: return sha512
            default: break
            }
        }
        if text.contains("@"), !text.contains(" ") { return email }
        if isDomain(u) { return domain }
        return nil
    }

    static func isHex(_ u: Substring.UTF8View) -> Bool {
        u.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46) }
    }

    static func isMAC(_ u: Substring.UTF8View) -> Bool {
        let parts = u.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        return parts.count == 6 && parts.allSatisfy { $0.count == 2 && $0.allSatisfy { c in (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) } }
    }

    /// Labels of letters, digits and hyphens (or non-ASCII, for internationalised names)
    /// separated by dots, at least two labels, the last not all digits.
    static func isDomain(_ u: Substring.UTF8View) -> Bool {
        guard u.count <= 253 else { return false }
        let labels = u.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard !label.isEmpty, label.count <= 63, label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return false }
            guard label.allSatisfy({ $0 >= 0x80 || ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2D || $0 == 0x5F }) else { return false }
        }
        return !labels.last!.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
