/// Hash values in patterns: a comparison on `hashes.<algorithm>` must compare with a digest of
/// that algorithm (as the OASIS pattern validator requires), so a mistyped hash is caught when the
/// indicator is shared rather than silently never matching.
enum HashLiterals {
    /// Digest shapes by algorithm name in upper case without hyphens: hex lengths, or nil for SSDEEP.
    static let hexLengths: [String: [Int]] = [
        "MD5": [32], "MD6": [32, 40, 56, 64, 96, 128], "RIPEMD160": [40], "SHA1": [40], "SHA224": [56], "SHA256": [64],
        "SHA384": [96], "SHA512": [128], "SHA3224": [56], "SHA3256": [64], "SHA3384": [96], "SHA3512": [128], "WHIRLPOOL": [128],
    ]

    /// Why the literal of a comparison on a hash is not a digest of its algorithm, or nil.
    /// LIKE and MATCHES take patterns, not digests, and are not checked.
    static func problem(path: ObjectPath, op: ComparisonOperator, value: PatternLiteral) -> String? {
        guard op != .like, op != .matches, path.steps.contains(.property("hashes")), case .property(let last)? = path.steps.last else { return nil }
        let algorithm = Self.algorithmName(last)
        let isSSDEEP = algorithm == "SSDEEP"
        // Looked up once, not again for each literal of a set.
        let lengths = isSSDEEP ? [] : hexLengths[algorithm]
        guard isSSDEEP || lengths != nil else { return nil }
        func check(_ literal: PatternLiteral) -> String? {
            guard case .string(let text) = literal else { return "a \(last) hash must be compared with a string holding a digest" }
            let count = text.utf8.count
            let valid: Bool
            if isSSDEEP {
                valid = (1...128).contains(count) && text.allBytes { c in
                    (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || c == 0x2F || c == 0x2B || c == 0x3A || c == 0x2E
                }
            } else {
                valid = lengths!.contains(count) && text.allBytes { c in
                    switch c {
                    case 0x30...0x39, 0x41...0x46, 0x61...0x66: true
                    default: false
                    }
                }
            }
            return valid ? nil : "'\(text)' is not a valid \(last) hash"
        }
        // A single literal is checked as it is, without a list made for it.
        guard case .set(let elements) = value else { return check(value) }
        for literal in elements { if let problem = check(literal) { return problem } }
        return nil
    }

    /// `name` in upper case without hyphens; ASCII names (nearly all) by their bytes, which is
    /// what `uppercased()` gives them without its Unicode tables.
    static func algorithmName(_ name: String) -> String {
        guard name.allBytes({ $0 < 0x80 }) else { return name.uppercased().replacingAll("-", "") }
        let hyphens = name.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "-") ? 1 : 0) }
        return String(unsafeUninitializedCapacity: name.utf8.count - hyphens) { buffer in
            var k = 0
            for b in name.utf8 where b != UInt8(ascii: "-") {
                buffer[k] = b >= 0x61 && b <= 0x7A ? b - 0x20 : b
                k += 1
            }
            return k
        }
    }
}

extension String {
    /// The string with every occurrence of `target` removed or replaced (no Foundation here).
    func replacingAll(_ target: Character, _ replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
