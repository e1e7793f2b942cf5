/// Hexadecimal text as bytes: the pattern lexer's `h'...'` literals, the evaluator's `_hex`
/// properties and STIX identifiers' UUIDs read it the same way.
public enum HexText {
    /// The bytes of pairs of hexadecimal digits (either case), or nil for anything else.
    public static func bytes(_ text: String) -> [UInt8]? {
        bytes(text.utf8, count: text.utf8.count)
    }

    /// The bytes of `count` hexadecimal digits (either case) read from `digits`, or nil when
    /// one is not a digit or `count` is odd.
    @inlinable
    public static func bytes(_ digits: some Sequence<UInt8>, count: Int) -> [UInt8]? {
        guard count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(count / 2)
        var high: UInt8?
        for c in digits {
            let v: UInt8
            switch c {
            case 0x30...0x39: v = c - 0x30
            case 0x41...0x46: v = c - 0x41 + 10
            case 0x61...0x66: v = c - 0x61 + 10
            default: return nil
            }
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return out
    }
}
