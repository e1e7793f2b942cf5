/// Regular expressions simple enough to match without ICU: a literal text (escaped punctuation
/// allowed), optionally anchored with `^` and `$`, or `.{n}`, `.{n,}` or `.{n,m}` alone. Most
/// MATCHES patterns in indicators are of these kinds, and compiling each with ICU cost more than
/// the rest of preparing a pattern; they match here exactly as ICU matches them (DOTALL, no
/// MULTILINE), which `SimpleRegexTests` checks against ICU itself.
enum SimpleRegex: Sendable, Equatable {
    /// A literal text, in UTF-8: found anywhere, at the start, or at the end.
    case literal([UInt8], atStart: Bool, atEnd: Bool)
    /// `.{n}`, `.{n,}` or `.{n,m}` found anywhere: the text has at least `n` characters.
    case atLeast(Int)

    /// Characters with a meaning of their own when not quoted.
    private static func isSpecial(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "\\", ".", "^", "$", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}": true
        default: false
        }
    }

    /// Characters that stand for themselves after a backslash (ICU quotes any punctuation so).
    private static func isQuotable(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "/", "-", ":", "@", "'", "\"": true
        default: isSpecial(c)
        }
    }

    /// The simple form of `pattern` (already in normal form C), or nil for anything else.
    init?(_ pattern: String) {
        // Foundation refuses an empty expression, so that one goes to ICU and its error.
        guard !pattern.isEmpty else { return nil }
        if let n = Self.dotCount(pattern) {
            self = .atLeast(n)
            return
        }
        // Every character with a meaning is ASCII, and no byte of a longer UTF-8 sequence is.
        let s = Array(pattern.utf8)
        var text: [UInt8] = []
        text.reserveCapacity(s.count)
        var atStart = false, atEnd = false
        var i = 0
        while i < s.count {
            let c = Unicode.Scalar(s[i])
            if c == "\\" {
                guard i + 1 < s.count, Self.isQuotable(Unicode.Scalar(s[i + 1])) else { return nil }
                text.append(s[i + 1])
                i += 2
                continue
            }
            if c == "^", i == 0 {
                atStart = true
            } else if c == "$", i == s.count - 1 {
                atEnd = true
            } else if Self.isSpecial(c) {
                return nil
            } else {
                text.append(s[i])
            }
            i += 1
        }
        self = .literal(text, atStart: atStart, atEnd: atEnd)
    }

    /// `n` for `.{n}`, `.{n,}` and `.{n,m}` with m ≥ n, written without leading zeros and short
    /// enough for ICU to take.
    private static func dotCount(_ pattern: String) -> Int? {
        let u = Array(pattern.utf8)
        guard u.count >= 4, u[0] == UInt8(ascii: "."), u[1] == UInt8(ascii: "{"), u.last == UInt8(ascii: "}") else { return nil }
        let inside = u[2..<(u.count - 1)]
        let parts = inside.split(separator: UInt8(ascii: ","), maxSplits: 1, omittingEmptySubsequences: false)
        func number(_ digits: ArraySlice<UInt8>) -> Int? {
            guard (1...4).contains(digits.count), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  digits.count == 1 || digits.first != UInt8(ascii: "0") else { return nil }
            return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        guard let n = number(parts[0]) else { return nil }
        if parts.count == 1 || parts[1].isEmpty { return n }
        guard let m = number(parts[1]), m >= n else { return nil }
        return n
    }

    /// Whether the expression is found in `text` (already in normal form C).
    func matches(_ text: String) -> Bool {
        switch self {
        case .atLeast(let n):
            // With DOTALL, `.` is any one code point, line terminators included, except that ICU
            // takes CR LF as one character.
            guard n > 0 else { return true }
            var count = 0, previous: UInt8 = 0
            for b in text.utf8 {
                if b & 0xC0 != 0x80, !(b == 0x0A && previous == 0x0D) { count += 1 }
                previous = b
            }
            return count >= n
        case .literal(let literal, let atStart, let atEnd):
            let t = Array(text.utf8)
            if !atEnd {
                return atStart ? t.starts(with: literal) : Self.contains(t[...], literal)
            }
            for end in Self.endPositions(t) where end >= literal.count {
                let candidate = t[..<end]
                if atStart ? candidate.count == literal.count && candidate.elementsEqual(literal) : candidate.suffix(literal.count).elementsEqual(literal) {
                    return true
                }
            }
            return false
        }
    }

    /// Where `$` matches without MULTILINE, as ICU has it: at the end, before a line terminator
    /// that ends the text (not between the CR and LF of a final CR LF), and before a final CR LF.
    static func endPositions(_ t: [UInt8]) -> [Int] {
        var ends = [t.count]
        if t.count >= 2, t[t.count - 2] == 0x0D, t[t.count - 1] == 0x0A { ends.append(t.count - 2) }
        // The last code point's length and value (the text is valid UTF-8).
        var start = t.count - 1
        while start > 0, t[start] & 0xC0 == 0x80 { start -= 1 }
        guard start >= 0, !t.isEmpty else { return ends }
        let last = String(decoding: t[start...], as: UTF8.self).unicodeScalars.first?.value ?? 0
        let isTerminator = (0x0A...0x0D).contains(last) || last == 0x85 || last == 0x2028 || last == 0x2029
        let splitsCRLF = last == 0x0A && start > 0 && t[start - 1] == 0x0D
        if isTerminator && !splitsCRLF { ends.append(start) }
        return ends
    }

    private static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
