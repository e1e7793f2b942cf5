import Patterning

/// What a bare observable on a line of a log or a feed is: an IPv4 or IPv6 address, a URL, an
/// email address, a file hash (by length), a MAC address or a domain name. Classification reads
/// the UTF-8 bytes once, without Foundation, since it runs for every line of large inputs.
public enum PlainObservable: Int, CaseIterable, Sendable {
    case ipv4, ipv6, url, email, domain, mac, md5, sha1, sha256, sha512

    /// Where the value goes in a STIX object.
    public var property: ObservableProperty { Self.properties[rawValue] }

    private static let properties: [ObservableProperty] = [
        ObservableProperty(type: "ipv4-addr", steps: ["value"]), ObservableProperty(type: "ipv6-addr", steps: ["value"]),
        ObservableProperty(type: "url", steps: ["value"]), ObservableProperty(type: "email-addr", steps: ["value"]),
        ObservableProperty(type: "domain-name", steps: ["value"]), ObservableProperty(type: "mac-addr", steps: ["value"]),
        ObservableProperty(type: "file", steps: ["hashes", "MD5"]), ObservableProperty(type: "file", steps: ["hashes", "SHA-1"]),
        ObservableProperty(type: "file", steps: ["hashes", "SHA-256"]), ObservableProperty(type: "file", steps: ["hashes", "SHA-512"]),
    ]

    /// The kind of a bare value, or nil when it is none of the kinds above.
    public static func infer(_ text: String) -> PlainObservable? {
        text.withUTF8Bytes { infer(bytes: $0) }
    }

    /// The kind of a bare value given as UTF-8 bytes.
    public static func infer(bytes u: UnsafeBufferPointer<UInt8>) -> PlainObservable? {
        guard let first = u.first else { return nil }
        var colons = 0, dots = 0, at = false, allHex = true, allDigitsDots = true, space = false
        for c in u {
            switch c {
            case UInt8(ascii: ":"): colons += 1; allHex = false; allDigitsDots = false
            case UInt8(ascii: "."): dots += 1; allHex = false
            case UInt8(ascii: "@"): at = true; allHex = false; allDigitsDots = false
            case UInt8(ascii: " "), UInt8(ascii: "\t"): space = true; allHex = false; allDigitsDots = false
            case UInt8(ascii: "0")...UInt8(ascii: "9"): break
            case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): allDigitsDots = false
            default: allHex = false; allDigitsDots = false
            }
        }
        if allDigitsDots, dots == 3, isIPv4(u) { return .ipv4 }
        if colons >= 2 {
            if colons == 5, u.count == 17, isMAC(u) { return .mac }
            if AddressRange.parse(String(decoding: u, as: UTF8.self))?.count == 16 { return .ipv6 }
        }
        if colons >= 1, let scheme = schemeEnd(u), scheme > 0 { return .url }
        if allHex {
            switch u.count {
            case 32: return .md5
            case 40: return .sha1
            case 64: return .sha256
            case 128: return .sha512
            default: break
            }
        }
        if at, !space, first != UInt8(ascii: "@") { return .email }
        if colons == 0, !space, isDomain(u) { return .domain }
        return nil
    }

    /// Four decimal numbers of 0-255 without leading zeros, separated by dots.
    static func isIPv4(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        var parts = 0, value = 0, digits = 0, leadingZero = false
        for c in u {
            if c == UInt8(ascii: ".") {
                guard digits > 0 else { return false }
                parts += 1; value = 0; digits = 0; leadingZero = false
                continue
            }
            if digits == 1 && leadingZero { return false }
            if digits == 0 && c == UInt8(ascii: "0") { leadingZero = true }
            value = value * 10 + Int(c - UInt8(ascii: "0"))
            digits += 1
            if value > 255 { return false }
        }
        return parts == 3 && digits > 0
    }

    /// Where `://` ends a URL scheme of letters, digits, '+', '.' and '-', or nil.
    static func schemeEnd(_ u: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        while i + 2 < u.count {
            let c = u[i]
            if c == UInt8(ascii: ":") { return u[i + 1] == UInt8(ascii: "/") && u[i + 2] == UInt8(ascii: "/") ? i : nil }
            let ok = (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2B || c == 0x2E || c == 0x2D
            if !ok { return nil }
            i += 1
        }
        return nil
    }

    static func isMAC(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        for (i, c) in u.enumerated() {
            if i % 3 == 2 { if c != UInt8(ascii: ":") { return false }; continue }
            let hex = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
            if !hex { return false }
        }
        return true
    }

    /// Labels of letters, digits, hyphens and underscores (or non-ASCII, for internationalised
    /// names) separated by dots: at least two labels, none empty or edged with a hyphen, the last
    /// not all digits.
    static func isDomain(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard u.count <= 253 else { return false }
        var labels = 0, length = 0, lastAllDigits = true
        var previous: UInt8 = UInt8(ascii: ".")
        for c in u {
            if c == UInt8(ascii: ".") {
                guard length > 0, previous != UInt8(ascii: "-") else { return false }
                labels += 1; length = 0; lastAllDigits = true
            } else {
                let ok = c >= 0x80 || (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == 0x2D || c == 0x5F
                guard ok, !(length == 0 && c == UInt8(ascii: "-")) else { return false }
                if !(c >= 0x30 && c <= 0x39) { lastAllDigits = false }
                length += 1
                guard length <= 63 else { return false }
            }
            previous = c
        }
        guard length > 0, previous != UInt8(ascii: "-") else { return false }
        return labels >= 1 && !lastAllDigits
    }
}
