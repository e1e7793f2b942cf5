/// Syntax rules for STIX identifiers, type names and property names.
public enum IdentifierRules {
    /// Parses a STIX identifier if its syntax is valid: a well-formed type name, `--`, and an
    /// RFC 4122 UUID (version 1 to 5, RFC 4122 variant).
    public static func parse(_ s: String) -> STIXIdentifier? {
        guard let id = STIXIdentifier(s), isValidTypeName(id.type), (1...5).contains(id.uuid.version),
              id.uuid.isRFC4122Variant
        else { return nil }
        return id
    }

    /// True for a valid object type name: 3 to 250 characters of a-z, 0-9 and single hyphens,
    /// starting with a letter.
    public static func isValidTypeName(_ t: some StringProtocol) -> Bool {
        let u = Array(t.utf8)
        guard u.count >= 3, u.count <= 250 else { return false }
        var previousHyphen = true
        for (i, c) in u.enumerated() {
            switch c {
            case 0x61...0x7A: previousHyphen = false
            case 0x30...0x39:
                if i == 0 { return false }
                previousHyphen = false
            case 0x2D:
                if previousHyphen { return false }
                previousHyphen = true
            default: return false
            }
        }
        return !previousHyphen
    }
}

/// Rules for custom property names (STIX 2.1 section 11.1).
enum PropertyNames {
    /// Names STIX reserves for future use; no object may carry them.
    static let reserved: Set<String> = ["severity", "action", "username", "phone_numbers"]

    /// True for 3 to 250 characters of a-z, 0-9 and _.
    static func isWellFormed(_ name: String) -> Bool {
        let u = name.utf8
        return u.count >= 3 && u.count <= 250 && (0x61...0x7A).contains(u.first!) && u.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    static func check(_ name: String, path: String, into result: inout ObjectValidation, warnUnprefixed: Bool = true) {
        if !isWellFormed(name) {
            result.error(path, "custom property names must be 3 to 250 characters of a-z, 0-9 and _, starting with a letter")
        } else if reserved.contains(name) {
            result.error(path, "'\(name)' is a reserved property name in STIX 2.1")
        } else if warnUnprefixed && !name.hasPrefix("x_") {
            result.warning(path, "custom property names should start with x_ (or be declared by an extension)")
        }
    }
}
