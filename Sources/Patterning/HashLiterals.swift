/// Hash values in patterns: a comparison on `hashes.<algorithm>` must compare with a digest of
/// that algorithm (as the OASIS pattern validator requires), so a mistyped hash is caught when the
/// indicator is shared rather than silently never matching.
enum HashLiterals {
    /// The digest shape of the algorithm spelt `key` (upper case without hyphens): its hex
    /// lengths, none for SSDEEP, nil for an algorithm not checked. Told by length and bytes:
    /// hashing the name for a dictionary cost more than comparing it with the few of its length.
    static func hexLengths(_ key: UnsafeBufferPointer<UInt8>) -> [Int]? {
        func is_(_ name: StaticString) -> Bool {
            key.count == name.utf8CodeUnitCount && key.elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        }
        return switch key.count {
        case 3: is_("MD5") ? [32] : is_("MD6") ? [32, 40, 56, 64, 96, 128] : nil
        case 4: is_("SHA1") ? [40] : nil
        case 6: is_("SHA256") ? [64] : is_("SHA512") ? [128] : is_("SHA224") ? [56] : is_("SHA384") ? [96] : is_("SSDEEP") ? [] : nil
        case 7: is_("SHA3256") ? [64] : is_("SHA3512") ? [128] : is_("SHA3224") ? [56] : is_("SHA3384") ? [96] : nil
        case 9: is_("RIPEMD160") ? [40] : is_("WHIRLPOOL") ? [128] : nil
        default: nil
        }
    }

    /// Why the literal of a comparison on a hash is not a digest of its algorithm, or nil.
    /// LIKE and MATCHES take patterns, not digests, and are not checked.
    static func problem(path: ObjectPath, op: ComparisonOperator, value: PatternLiteral) -> String? {
        guard op != .like, op != .matches, path.steps.contains(.property("hashes")), case .property(let last)? = path.steps.last else { return nil }
        // Looked up once, not again for each literal of a set.
        guard let lengths = Self.digestLengths(last) else { return nil }
        let isSSDEEP = lengths.isEmpty
        func check(_ literal: PatternLiteral) -> String? {
            guard case .string(let text) = literal else { return "a \(last) hash must be compared with a string holding a digest" }
            let count = text.utf8.count
            let valid: Bool
            if isSSDEEP {
                valid = (1...128).contains(count) && text.allBytes { c in
                    (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || c == 0x2F || c == 0x2B || c == 0x3A || c == 0x2E
                }
            } else {
                valid = lengths.contains(count) && text.allBytes { c in
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

    /// The digest shape (as `hexLengths` tells it) of the algorithm `name` names, compared in
    /// upper case without hyphens; ASCII names (nearly all) are put so by their bytes on the
    /// stack, which is what `uppercased()` gives them without its Unicode tables.
    static func digestLengths(_ name: String) -> [Int]? {
        var key = name.allBytes({ $0 < 0x80 }) ? name : name.uppercased().replacingAll("-", "")
        return key.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer -> [Int]? in
                var k = 0
                for b in bytes where b != UInt8(ascii: "-") {
                    // No algorithm's name is longer.
                    guard k < buffer.count else { return nil }
                    buffer[k] = b >= 0x61 && b <= 0x7A ? b - 0x20 : b
                    k += 1
                }
                return hexLengths(UnsafeBufferPointer(rebasing: buffer[..<k]))
            }
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
