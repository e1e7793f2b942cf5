import Foundation

/// `LIKE` as SQL defines it: `%` any run of characters, `_` exactly one, everything else
/// itself; the whole value must match. Both sides are compared in Unicode normal form C.
struct LikePattern {
    private enum Piece: Equatable { case any, one, char(Unicode.Scalar) }
    private let pieces: [Piece]

    init(_ pattern: String) {
        pieces = pattern.nfc.unicodeScalars.map { $0 == "%" ? .any : $0 == "_" ? .one : .char($0) }
    }

    /// Whether `value` matches, in time proportional to its length times the pattern's.
    func matches(_ value: String) -> Bool {
        let text = Array(value.nfc.unicodeScalars)
        // Classic two-row dynamic programme: reachable[j] = pattern prefix matches text[..<j].
        var reachable = [Bool](repeating: false, count: text.count + 1)
        reachable[0] = true
        for piece in pieces {
            var next = [Bool](repeating: false, count: text.count + 1)
            switch piece {
            case .any:
                var seen = false
                for j in 0...text.count {
                    seen = seen || reachable[j]
                    next[j] = seen
                }
            case .one:
                for j in 0..<text.count where reachable[j] { next[j + 1] = true }
            case .char(let c):
                for j in 0..<text.count where reachable[j] && text[j] == c { next[j + 1] = true }
            }
            reachable = next
        }
        return reachable[text.count]
    }
}

/// `MATCHES`: a regular expression (PCRE-style syntax, as ICU reads it, with DOTALL as STIX
/// requires) found anywhere in the value. Expressions with a quantifier inside a quantified group, which can take exponential
/// time, are refused before they run.
struct RegexPattern {
    let regex: NSRegularExpression

    init(_ pattern: String) throws(EvaluationError) {
        if let kept = Self.compiled.get(pattern) { regex = kept; return }
        let normalized = pattern.nfc
        if let reason = Self.catastrophic(normalized) { throw EvaluationError("MATCHES '\(pattern)': \(reason)") }
        // STIX 2.1 9.6.1: "The DOTALL option MUST be specified."
        do { regex = try NSRegularExpression(pattern: normalized, options: [.dotMatchesLineSeparators]) } catch {
            throw EvaluationError("MATCHES '\(pattern)' is not a valid regular expression")
        }
        Self.compiled.put(pattern, regex)
    }

    /// Expressions compiled before, shared by every evaluator of the process: compiling costs
    /// microseconds, and Foundation on Linux leaks a little memory for each compilation of an
    /// expression longer than 256 UTF-16 units (found by the fuzzer), so each is compiled once.
    static let compiled = RegexCache(capacity: 4096)

    /// Longest a single search may run before it is abandoned with an error.
    static let budget: TimeInterval = 0.25

    /// Whether the expression occurs in `value`; a search that runs past `budget` (a backtracking
    /// blow-up the static check did not foresee) is stopped and reported instead of hanging.
    func matches(_ value: String) throws(EvaluationError) -> Bool {
        let text = value.nfc
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
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = Self.parse(String(parts[0])) else { return nil }
        bytes = address
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber), let p = Int(parts[1]),
                  (address.count == 4 ? 1...32 : 1...128).contains(p) else { return nil }
            prefix = p
        } else {
            prefix = address.count * 8
        }
    }

    static func parse(_ text: String) -> [UInt8]? {
        if text.contains(":") {
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
    /// The text in Unicode normal form C; ASCII text, already in it, is returned as is (Foundation's
    /// normalisation costs microseconds even then).
    var nfc: String { utf8.allSatisfy { $0 < 0x80 } ? self : precomposedStringWithCanonicalMapping }
}

/// A bounded, thread-safe store of compiled regular expressions (cleared when full).
final class RegexCache: @unchecked Sendable {
    private var entries: [String: NSRegularExpression] = [:]
    private let lock = NSLock()
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func get(_ pattern: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        return entries[pattern]
    }

    func put(_ pattern: String, _ regex: NSRegularExpression) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[pattern] = regex
    }
}
