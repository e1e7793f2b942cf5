/// Regular expressions simple enough to match without ICU: a literal text (escaped punctuation
/// allowed), optionally anchored with `^` and `$`; `.{n}`, `.{n,}` or `.{n,m}` alone; and,
/// anchored at both ends, a group of literal alternatives or two literals around `.*`. Most
/// MATCHES patterns in indicators are of these kinds, and compiling each with ICU cost more than
/// the rest of preparing a pattern; they match here exactly as ICU matches them (DOTALL, no
/// MULTILINE), which `SimpleRegexTests` checks against ICU itself.
enum SimpleRegex: Sendable, Equatable {
    /// A literal text, in UTF-8: found anywhere, at the start, or at the end.
    case literal([UInt8], atStart: Bool, atEnd: Bool)
    /// `.{n}`, `.{n,}` or `.{n,m}` found anywhere: the text has at least `n` characters.
    case atLeast(Int)
    /// `^(a|b|c)$`: the text (up to a final line terminator) is one of the alternatives.
    case oneOf([[UInt8]])
    /// `^a.*b$`: the text starts with `a` and ends with `b` (before a final line terminator),
    /// the two not overlapping.
    case around([UInt8], [UInt8])

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
        let atStart = s.first == UInt8(ascii: "^")
        let atEnd = s.count > (atStart ? 1 : 0) && s.last == UInt8(ascii: "$") && !Self.isEscaped(s, s.count - 1)
        let body = s[(atStart ? 1 : 0)..<(s.count - (atEnd ? 1 : 0))]
        if let text = Self.literalText(body) {
            self = .literal(text, atStart: atStart, atEnd: atEnd)
            return
        }
        guard atStart, atEnd else { return nil }
        if body.count >= 2, body.first == UInt8(ascii: "("), body.last == UInt8(ascii: ")"), !Self.isEscaped(s, s.count - 2) {
            var alternatives: [[UInt8]] = []
            for piece in Self.split(body.dropFirst().dropLast(), at: UInt8(ascii: "|")) {
                guard let text = Self.literalText(piece) else { return nil }
                alternatives.append(text)
            }
            self = .oneOf(alternatives)
            return
        }
        let halves = Self.split(body, at: UInt8(ascii: "."))
        // `A.*B`: a dot that is not quoted, followed by a star, once. Texts with CR or LF are left
        // to ICU, whose `.` never ends inside a CR LF.
        guard halves.count == 2, halves[1].first == UInt8(ascii: "*"), let prefix = Self.literalText(halves[0]),
              let suffix = Self.literalText(halves[1].dropFirst()),
              !(prefix + suffix).contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return nil }
        self = .around(prefix, suffix)
    }

    /// Whether the byte at `k` follows an odd number of backslashes.
    private static func isEscaped(_ s: [UInt8], _ k: Int) -> Bool {
        var backslashes = 0
        var j = k - 1
        while j >= 0, s[j] == UInt8(ascii: "\\") { backslashes += 1; j -= 1 }
        return backslashes % 2 == 1
    }

    /// `bytes` cut at each unquoted `separator`.
    private static func split(_ bytes: ArraySlice<UInt8>, at separator: UInt8) -> [ArraySlice<UInt8>] {
        var pieces: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex, i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
            if bytes[i] == separator {
                pieces.append(bytes[start..<i])
                start = i + 1
            }
            i += 1
        }
        pieces.append(bytes[start..<bytes.endIndex])
        return pieces
    }

    /// The text `bytes` stand for when they are literal characters and quoted punctuation only.
    private static func literalText(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let c = Unicode.Scalar(bytes[i])
            if c == "\\" {
                guard i + 1 < bytes.endIndex, Self.isQuotable(Unicode.Scalar(bytes[i + 1])) else { return nil }
                text.append(bytes[i + 1])
                i += 2
                continue
            }
            if Self.isSpecial(c) { return nil }
            text.append(bytes[i])
            i += 1
        }
        return text
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
        case .oneOf(let alternatives):
            let t = Array(text.utf8)
            return Self.endPositions(t).contains { end in alternatives.contains { $0.count == end && t[..<end].elementsEqual($0) } }
        case .around(let prefix, let suffix):
            let t = Array(text.utf8)
            guard t.starts(with: prefix) else { return false }
            return Self.endPositions(t).contains { end in
                end >= prefix.count + suffix.count && t[(end - suffix.count)..<end].elementsEqual(suffix)
            }
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

    /// Whether `needle` occurs in `haystack`; long ones in time linear in both (Knuth-Morris-Pratt):
    /// the values searched can be long, and no time budget guards this search as one guards ICU's.
    private static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        if haystack.count * needle.count <= 4096 {
            // Short texts: compared in place, without the table.
            var i = haystack.startIndex
            while i <= haystack.endIndex - needle.count {
                if haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
                i += 1
            }
            return false
        }
        // border[k]: length of the longest proper border of needle[...k].
        var border = [Int](repeating: 0, count: needle.count)
        var k = 0
        for i in needle.indices.dropFirst() {
            while k > 0, needle[i] != needle[k] { k = border[k - 1] }
            if needle[i] == needle[k] { k += 1 }
            border[i] = k
        }
        var matched = 0
        for b in haystack {
            while matched > 0, b != needle[matched] { matched = border[matched - 1] }
            if b == needle[matched] { matched += 1 }
            if matched == needle.count { return true }
        }
        return false
    }
}
