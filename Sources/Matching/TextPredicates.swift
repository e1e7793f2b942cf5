import Foundation

/// `LIKE` as SQL defines it: `%` any run of characters, `_` exactly one, everything else
/// itself; the whole value must match. Both sides are compared in Unicode normal form C.
struct LikePattern {
    /// The pattern's code points, with `%` and `_` as values no code point has.
    private let pieces: [UInt32]
    private static let any: UInt32 = .max, one: UInt32 = .max - 1

    init(_ pattern: borrowing String) {
        func piece(_ value: UInt32) -> UInt32 { value == 0x25 ? Self.any : value == 0x5F ? Self.one : value }
        // An ASCII pattern (nearly all) is its own normal form, one code point a byte: its pieces
        // are read from the bytes in place, without decoding the text scalar by scalar.
        let ascii = pattern.utf8.withContiguousStorageIfAvailable { bytes -> [UInt32]? in
            bytes.allSatisfy { $0 < 0x80 } ? bytes.map { piece(UInt32($0)) } : nil
        }
        pieces = (ascii ?? nil) ?? pattern.nfc.unicodeScalars.map { piece($0.value) }
    }

    /// Whether `value` matches, in time proportional to its length times the pattern's at worst.
    func matches(_ value: String) -> Bool {
        // ASCII text is its own normal form and matched on its bytes (one per code point), read
        // in place and scanned once; other text is normalised and decoded first.
        func ascii(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
            bytes.allSatisfy { $0 < 0x80 } ? Self.matches(pieces, bytes.lazy.map(UInt32.init)) : nil
        }
        if let matched = value.utf8.withContiguousStorageIfAvailable(ascii), let matched { return matched }
        var text = value.nfc
        if let matched = text.withUTF8(ascii) { return matched }
        return Self.matches(pieces, text.unicodeScalars.map(\.value))
    }

    /// Wildcard matching that backtracks only to the latest `%`: when a later `%` is reached,
    /// no choice made for an earlier one needs revisiting (the later one absorbs any shift).
    private static func matches<Text: RandomAccessCollection>(_ pieces: [UInt32], _ text: Text) -> Bool
    where Text.Element == UInt32, Text.Index == Int {
        var p = 0, t = text.startIndex
        var star = -1, resume = t
        while t < text.endIndex {
            if p < pieces.count, pieces[p] == one || pieces[p] == text[t] {
                p += 1
                t += 1
            } else if p < pieces.count, pieces[p] == any {
                star = p
                resume = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pieces.count, pieces[p] == any { p += 1 }
        return p == pieces.count
    }
}

/// `MATCHES`: a regular expression (PCRE-style syntax, as ICU reads it, with DOTALL as STIX
/// requires) found anywhere in the value. Expressions with a quantifier inside a quantified group, which can take exponential
/// time, are refused before they run.
struct RegexPattern {
    /// ICU's compiled expression, or nil when `simple` matches without it.
    let regex: NSRegularExpression?
    let simple: SimpleRegex?
    /// The expression as written, for ICU when `simple` leaves a text to it.
    let pattern: String

    init(_ pattern: String) throws(EvaluationError) {
        self.pattern = pattern
        // The simple forms first: they need neither of the shared caches (each a lock and a
        // hash of the expression), and no expression ICU refuses is one of them.
        let normalized = pattern.nfc
        if let simple = SimpleRegex(normalized) { (regex, self.simple) = (nil, simple); return }
        simple = nil
        if Self.refused.get(pattern) != nil { throw Self.invalid(pattern) }
        regex = try Self.compile(pattern, normalized)
    }

    /// ICU's expression for `pattern`, compiled once per process (refusals remembered too).
    static func compile(_ pattern: String, _ normalized: String) throws(EvaluationError) -> NSRegularExpression {
        if let kept = Self.compiled.get(pattern) { return kept }
        // Told apart without ICU, whose first compilation in a process sets up its tables.
        if SimpleRegex.surelyRefused(normalized) { throw Self.invalid(pattern) }
        if let reason = Self.catastrophic(normalized) { throw EvaluationError("MATCHES '\(pattern)': \(reason)") }
        // STIX 2.1 9.6.1: "The DOTALL option MUST be specified."
        let compiled: NSRegularExpression
        do { compiled = try NSRegularExpression(pattern: normalized, options: [.dotMatchesLineSeparators]) } catch {
            Self.refused.put(pattern, ())
            throw Self.invalid(pattern)
        }
        Self.compiled.put(pattern, compiled)
        return compiled
    }

    /// Expressions compiled before, shared by every evaluator of the process: compiling costs
    /// microseconds, and Foundation on Linux leaks a little memory for each compilation of an
    /// expression longer than 256 UTF-16 units (found by the fuzzer), so each is compiled once.
    static let compiled = RegexCache<NSRegularExpression>(capacity: 4096)

    /// Expressions ICU refused before: Foundation builds an error object for each refusal, which
    /// costs more than compiling a valid expression.
    static let refused = RegexCache<Void>(capacity: 1024)

    static func invalid(_ pattern: String) -> EvaluationError {
        EvaluationError("MATCHES '\(pattern)' is not a valid regular expression")
    }

    /// Longest a single search may run before it is abandoned with an error.
    static let budget: TimeInterval = 0.25

    /// Whether the expression occurs in `value`; a search that runs past `budget` (a backtracking
    /// blow-up the static check did not foresee) is stopped and reported instead of hanging.
    func matches(_ value: String) throws(EvaluationError) -> Bool {
        let text = value.nfc
        if let simple, let verdict = simple.matches(text) { return verdict }
        let regex: NSRegularExpression
        if let kept = self.regex { regex = kept } else { regex = try Self.compile(pattern, pattern.nfc) }
        let deadline = Date().addingTimeInterval(Self.budget)
        var found = false, abandoned = false
        // ICU calls back periodically during long searches (reportProgress), so they can be stopped.
        regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(text.startIndex..., in: text)) { result, _, stop in
            if result != nil {
                found = true
                stop.pointee = true
            } else if Date() > deadline {
                abandoned = true
                stop.pointee = true
            }
        }
        if abandoned && !found {
            throw EvaluationError("MATCHES '\(regex.pattern)' ran longer than \(Self.budget) s on one value and was stopped")
        }
        return found
    }

    /// Why an expression could backtrack exponentially (a quantified group that itself holds a
    /// quantifier or an alternation, such as `(a+)+` or `(a|aa)*`), or nil.
    static func catastrophic(_ pattern: String) -> String? {
        let s = Array(pattern.unicodeScalars)
        // For each open group: whether it holds a quantifier or alternation.
        var stack: [Bool] = []
        var i = 0
        var inClass = false
        while i < s.count {
            let c = s[i]
            if c == "\\" { i += 2; continue }
            if inClass { if c == "]" { inClass = false }; i += 1; continue }
            switch c {
            case "[": inClass = true
            case "(": stack.append(false)
            case "|": if !stack.isEmpty { stack[stack.count - 1] = true }
            case ")":
                let risky = stack.popLast() ?? false
                if risky, i + 1 < s.count, s[i + 1] == "*" || s[i + 1] == "+" || s[i + 1] == "{" {
                    return "a repeated group that itself repeats or alternates can take exponential time; rewrite it without nesting"
                }
                if risky, !stack.isEmpty { stack[stack.count - 1] = true }
            case "*", "+", "{":
                if !stack.isEmpty { stack[stack.count - 1] = true }
            default: break
            }
            i += 1
        }
        return nil
    }
}

/// `ISSUBSET` and `ISSUPERSET`: IPv4 and IPv6 addresses and CIDR ranges.
struct AddressRange: Equatable, Sendable {
    /// 4 or 16 bytes.
    let bytes: [UInt8]
    let prefix: Int

    /// An address (a range of one) or `address/prefix`; nil when malformed.
    init?(_ text: String) {
        // Read from the bytes in place: ISSUBSET reads every value it tests, and slicing and
        // copying the text out cost more than parsing it.
        guard let parsed = text.withUTF8Bytes(Self.range) else { return nil }
        (bytes, prefix) = parsed
    }

    /// The address and prefix length written in `text`, or nil.
    private static func range(_ text: UnsafeBufferPointer<UInt8>) -> (bytes: [UInt8], prefix: Int)? {
        let slash = text.firstIndex(of: UInt8(ascii: "/")) ?? text.count
        let isIPv6 = text.contains(UInt8(ascii: ":"))
        // The address, up to the slash, NUL-terminated for inet_pton (which stops at a NUL
        // inside it too, as with a C string of the text).
        let parsed = withUnsafeTemporaryAllocation(of: CChar.self, capacity: slash + 1) { c -> [UInt8]? in
            for i in 0..<slash { c[i] = CChar(bitPattern: text[i]) }
            c[slash] = 0
            return address(c.baseAddress!, isIPv6: isIPv6)
        }
        guard let address = parsed else { return nil }
        guard slash < text.count else { return (address, address.count * 8) }
        let digits = text[(slash + 1)...]
        guard !digits.isEmpty else { return nil }
        // Past 128 every length is refused alike: the value stops growing there, so it cannot overflow.
        var prefix = 0
        for d in digits {
            guard d >= 0x30 && d <= 0x39 else { return nil }
            prefix = Swift.min(prefix * 10 + Int(d - 0x30), 1_000)
        }
        guard (address.count == 4 ? 1...32 : 1...128).contains(prefix) else { return nil }
        return (address, prefix)
    }

    /// The bytes of an IPv4 or IPv6 address, or nil.
    static func parse(_ text: String) -> [UInt8]? { parse(text, isIPv6: !text.allBytes { $0 != UInt8(ascii: ":") }) }

    static func parse(_ text: String, isIPv6: Bool) -> [UInt8]? {
        // `withCString` lends short strings' bytes from the stack; passing the String itself
        // made a heap copy of them for each call.
        text.withCString { address($0, isIPv6: isIPv6) }
    }

    /// The bytes of the address in a C string, or nil.
    private static func address(_ text: UnsafePointer<CChar>, isIPv6: Bool) -> [UInt8]? {
        if isIPv6 {
            var address = in6_addr()
            guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
            return withUnsafeBytes(of: &address) { Array($0) }
        }
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    /// Whether every address of `self` lies in `other` (same family only).
    func isWithin(_ other: AddressRange) -> Bool {
        guard bytes.count == other.bytes.count, other.prefix <= prefix else { return false }
        var bits = other.prefix
        for (a, b) in zip(bytes, other.bytes) {
            if bits <= 0 { return true }
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if a & mask != b & mask { return false }
            bits -= 8
        }
        return true
    }
}

extension String {
    /// The text in Unicode normal form C. Text whose code points are all below U+0300 (ASCII,
    /// Latin-1 and the Latin extensions, in UTF-8 no byte from 0xCC on) is in it already: no
    /// combining mark or singleton decomposition lies there. It is returned as is, since
    /// Foundation's normalisation costs microseconds even then.
    var nfc: String { allBytes { $0 < 0xCC } ? self : precomposedStringWithCanonicalMapping }
}

/// A bounded, thread-safe store of what is known about regular expressions, by their text (cleared when full).
final class RegexCache<Value>: @unchecked Sendable {
    private var entries: [String: Value] = [:]
    private let lock = NSLock()
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func get(_ pattern: String) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return entries[pattern]
    }

    func put(_ pattern: String, _ regex: Value) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[pattern] = regex
    }
}
