import Patterning

/// Regular expressions simple enough to match without ICU: a literal text (escaped punctuation
/// allowed), optionally anchored with `^` and `$`, also case-insensitively after `(?i)`; `.{n}`,
/// `.{n,}` or `.{n,m}` alone; literal texts joined by runs of `[A-Za-z]+` or `\d+`; and,
/// anchored at both ends, a group of literal alternatives or two literals around `.*`. Most
/// MATCHES patterns in indicators are of these kinds, and compiling each with ICU cost more than
/// the rest of preparing a pattern; they match here exactly as ICU matches them (DOTALL, no
/// MULTILINE), which `SimpleRegexTests` checks against ICU itself. Where ICU's Unicode rules
/// could decide otherwise than ASCII ones (case folding, `\d` on digits of other scripts), a
/// text that is not ASCII is left to ICU.
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
    /// `(?i)` before a literal text, which is ASCII: found as `.literal` is, ASCII letters in
    /// either case. Texts that are not ASCII are left to ICU, whose full case folding matches
    /// some of them to ASCII letters (`ß` to `ss`, the Kelvin sign to `k`).
    case literalIgnoringCase([UInt8], atStart: Bool, atEnd: Bool)
    /// Literal texts and runs of ASCII letters or digits in sequence, found anywhere or anchored.
    case sequence([Piece], atStart: Bool, atEnd: Bool)

    /// One element of `.sequence`.
    enum Piece: Sendable, Equatable {
        case text([UInt8])
        /// `[A-Za-z]+`.
        case letters
        /// `\d+`: ICU takes digits of every script, so texts that are not ASCII are left to it.
        case digits
    }

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
    init?(_ pattern: borrowing String) {
        // Read from the text's bytes in place, not from a copy made for each expression.
        guard let form = pattern.withUTF8Bytes(Self.form) else { return nil }
        self = form
    }

    /// The bytes of a text, lent for the time of reading it.
    private typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    /// The simple form of the expression spelt by the UTF-8 `s`, or nil.
    private static func form(_ s: UnsafeBufferPointer<UInt8>) -> SimpleRegex? {
        // Foundation refuses an empty expression, so that one goes to ICU and its error.
        guard !s.isEmpty else { return nil }
        // Every character with a meaning is ASCII, and no byte of a longer UTF-8 sequence is.
        if let n = Self.dotCount(s) { return .atLeast(n) }
        let atStart = s.first == UInt8(ascii: "^")
        let atEnd = s.count > (atStart ? 1 : 0) && s.last == UInt8(ascii: "$") && !Self.isEscaped(s, s.count - 1)
        let body = s[(atStart ? 1 : 0)..<(s.count - (atEnd ? 1 : 0))]
        if let text = Self.literalText(body) { return .literal(text, atStart: atStart, atEnd: atEnd) }
        if let pieces = Self.pieces(body) { return .sequence(pieces, atStart: atStart, atEnd: atEnd) }
        if Self.starts(s[...], with: "(?i)"), let inner = Self.form(UnsafeBufferPointer(rebasing: s.dropFirst(4))),
           case .literal(let text, let atStart, let atEnd) = inner, text.allSatisfy({ $0 < 0x80 }) {
            return .literalIgnoringCase(text, atStart: atStart, atEnd: atEnd)
        }
        guard atStart, atEnd else { return nil }
        if body.count >= 2, body.first == UInt8(ascii: "("), body.last == UInt8(ascii: ")"), !Self.isEscaped(s, s.count - 2) {
            var alternatives: [[UInt8]] = []
            for piece in Self.split(body.dropFirst().dropLast(), at: UInt8(ascii: "|")) {
                guard let text = Self.literalText(piece) else { return nil }
                alternatives.append(text)
            }
            return .oneOf(alternatives)
        }
        let halves = Self.split(body, at: UInt8(ascii: "."))
        // `A.*B`: a dot that is not quoted, followed by a star, once. Texts with CR or LF are left
        // to ICU, whose `.` never ends inside a CR LF.
        guard halves.count == 2, halves[1].first == UInt8(ascii: "*"), let prefix = Self.literalText(halves[0]),
              let suffix = Self.literalText(halves[1].dropFirst()),
              !(prefix + suffix).contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return nil }
        return .around(prefix, suffix)
    }

    /// Whether the byte at `k` follows an odd number of backslashes.
    private static func isEscaped(_ s: UnsafeBufferPointer<UInt8>, _ k: Int) -> Bool {
        var backslashes = 0
        var j = k - 1
        while j >= 0, s[j] == UInt8(ascii: "\\") { backslashes += 1; j -= 1 }
        return backslashes % 2 == 1
    }

    /// `bytes` cut at each unquoted `separator`.
    private static func split(_ bytes: Bytes, at separator: UInt8) -> [Bytes] {
        var pieces: [Bytes] = []
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
    private static func literalText(_ bytes: Bytes) -> [UInt8]? {
        // Told first, so that an expression of another form costs no list.
        var i = bytes.startIndex
        var escapes = false
        while i < bytes.endIndex {
            if bytes[i] == UInt8(ascii: "\\") {
                guard let (_, length) = Self.escape(bytes, at: i) else { return nil }
                escapes = true
                i += length
                continue
            }
            if Self.isSpecial(Unicode.Scalar(bytes[i])) { return nil }
            i += 1
        }
        // Without escapes the text is the bytes themselves, copied at once.
        guard escapes else { return Array(bytes) }
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count)
        i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == UInt8(ascii: "\\"), let (escaped, length) = Self.escape(bytes, at: i) {
                Self.append(escaped, to: &text)
                i += length
                continue
            }
            text.append(bytes[i])
            i += 1
        }
        return text
    }

    /// Appends the UTF-8 of `scalar` to `text`.
    private static func append(_ scalar: Unicode.Scalar, to text: inout [UInt8]) {
        UTF8.encode(scalar) { text.append($0) }
    }

    /// The character a backslash at `i` escapes, and the escape's length: quoted punctuation,
    /// or `\xhh` (the code point U+00hh, as ICU reads two hexadecimal digits).
    private static func escape(_ bytes: Bytes, at i: Int) -> (Unicode.Scalar, Int)? {
        guard i + 1 < bytes.endIndex else { return nil }
        if Self.isQuotable(Unicode.Scalar(bytes[i + 1])) { return (Unicode.Scalar(bytes[i + 1]), 2) }
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x41 + 10
            case 0x61...0x66: b - 0x61 + 10
            default: nil
            }
        }
        guard bytes[i + 1] == UInt8(ascii: "x"), i + 3 < bytes.endIndex, let high = hex(bytes[i + 2]), let low = hex(bytes[i + 3]) else { return nil }
        return (Unicode.Scalar(high << 4 | low), 4)
    }

    /// Whether ICU surely refuses `pattern` (already in normal form C), told without compiling
    /// it: in an expression without backslashes or `#` (comments, `(?#...)` and free-spacing
    /// `# ...`, make parentheses text), an unmatched parenthesis (when it has no character class
    /// either), a `[` never closed, or a `{n,m}` with m below n. Only these plain cases are told
    /// here; everything else ICU itself judges.
    static func surelyRefused(_ pattern: String) -> Bool {
        let u = Array(pattern.utf8)
        guard !u.contains(UInt8(ascii: "\\")), !u.contains(UInt8(ascii: "#")) else { return false }
        if let open = u.firstIndex(of: UInt8(ascii: "[")) { return !u[open...].contains(UInt8(ascii: "]")) }
        var depth = 0
        for b in u {
            if b == UInt8(ascii: "(") { depth += 1 }
            if b == UInt8(ascii: ")") { depth -= 1; if depth < 0 { return true } }
        }
        if depth != 0 { return true }
        // `{n,m}`: digits, a comma, digits, the second number smaller.
        var k = 0
        while k < u.count {
            defer { k += 1 }
            guard u[k] == UInt8(ascii: "{") else { continue }
            var j = k + 1, n = 0, m = 0, nDigits = 0, mDigits = 0
            while j < u.count, u[j] >= 0x30, u[j] <= 0x39, nDigits < 6 { n = n * 10 + Int(u[j] - 0x30); nDigits += 1; j += 1 }
            guard nDigits > 0, nDigits < 6, j < u.count, u[j] == UInt8(ascii: ",") else { continue }
            j += 1
            while j < u.count, u[j] >= 0x30, u[j] <= 0x39, mDigits < 6 { m = m * 10 + Int(u[j] - 0x30); mDigits += 1; j += 1 }
            if mDigits > 0, mDigits < 6, j < u.count, u[j] == UInt8(ascii: "}"), m < n { return true }
        }
        return false
    }

    /// The pieces of a body made of literal characters, quoted punctuation, `[A-Za-z]+` and
    /// `\d+`, with at least one run; nil for anything else.
    private static func pieces(_ bytes: Bytes) -> [Piece]? {
        let letters: StaticString = "[A-Za-z]+", digits: StaticString = "\\d+"
        var pieces: [Piece] = []
        var text: [UInt8] = []
        var i = bytes.startIndex
        func run(_ piece: Piece) {
            if !text.isEmpty { pieces.append(.text(text)) }
            text = []
            pieces.append(piece)
        }
        while i < bytes.endIndex {
            if Self.starts(bytes[i...], with: letters) {
                run(.letters)
                i += letters.utf8CodeUnitCount
            } else if Self.starts(bytes[i...], with: digits) {
                run(.digits)
                i += digits.utf8CodeUnitCount
            } else if bytes[i] == UInt8(ascii: "\\") {
                guard let (escaped, length) = Self.escape(bytes, at: i) else { return nil }
                Self.append(escaped, to: &text)
                i += length
            } else {
                if Self.isSpecial(Unicode.Scalar(bytes[i])) { return nil }
                text.append(bytes[i])
                i += 1
            }
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        return pieces.contains(where: { if case .text = $0 { false } else { true } }) ? pieces : nil
    }

    /// Whether `bytes` start with `prefix` (ASCII), compared in place.
    private static func starts(_ bytes: Bytes, with prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard bytes.count >= n else { return false }
        for k in 0..<n where bytes[bytes.startIndex + k] != prefix.utf8Start[k] { return false }
        return true
    }

    /// `n` for `.{n}`, `.{n,}` and `.{n,m}` with m ≥ n, written without leading zeros and short
    /// enough for ICU to take.
    private static func dotCount(_ u: UnsafeBufferPointer<UInt8>) -> Int? {
        guard u.count >= 4, u[0] == UInt8(ascii: "."), u[1] == UInt8(ascii: "{"), u.last == UInt8(ascii: "}") else { return nil }
        let inside = u[2..<(u.count - 1)]
        func number(_ digits: Bytes) -> Int? {
            guard (1...4).contains(digits.count), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  digits.count == 1 || digits.first != UInt8(ascii: "0") else { return nil }
            return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        // Cut at the first comma, in place.
        let comma = inside.firstIndex(of: UInt8(ascii: ","))
        guard let n = number(inside[..<(comma ?? inside.endIndex)]) else { return nil }
        guard let comma, comma + 1 < inside.endIndex else { return n }
        guard let m = number(inside[(comma + 1)...]), m >= n else { return nil }
        return n
    }

    /// Whether the expression is found in `text` (already in normal form C), or nil when ICU
    /// must decide (a text that is not ASCII, for the forms whose rules are ASCII ones).
    func matches(_ text: String) -> Bool? {
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
        case .literalIgnoringCase(let literal, let atStart, let atEnd):
            let t = Array(text.utf8)
            guard t.allSatisfy({ $0 < 0x80 }) else { return nil }
            return Self.positions(t, [.text(literal)], atStart: atStart, atEnd: atEnd, ignoringCase: true)
        case .sequence(let pieces, let atStart, let atEnd):
            let t = Array(text.utf8)
            if pieces.contains(.digits), !t.allSatisfy({ $0 < 0x80 }) { return nil }
            return Self.positions(t, pieces, atStart: atStart, atEnd: atEnd, ignoringCase: false)
        }
    }

    /// Whether `pieces` match in `t` one after another, by the set of offsets each can end at
    /// (time proportional to the text's length times the pieces', whatever the text).
    private static func positions(_ t: [UInt8], _ pieces: [Piece], atStart: Bool, atEnd: Bool, ignoringCase: Bool) -> Bool {
        var reached = [Bool](repeating: !atStart, count: t.count + 1)
        reached[0] = true
        var next = [Bool](repeating: false, count: t.count + 1)
        func folded(_ b: UInt8) -> UInt8 { ignoringCase && b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        for piece in pieces {
            for k in next.indices { next[k] = false }
            switch piece {
            case .text(let literal):
                guard literal.count <= t.count else { return false }
                for p in 0...(t.count - literal.count) where reached[p] {
                    var equal = true
                    for (k, b) in literal.enumerated() where folded(t[p + k]) != folded(b) { equal = false; break }
                    if equal { next[p + literal.count] = true }
                }
            case .letters, .digits:
                var running = false
                for q in 1..<max(t.count + 1, 1) {
                    let b = t[q - 1]
                    let inRun = piece == .digits ? b >= 0x30 && b <= 0x39 : (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A
                    running = inRun && (running || reached[q - 1])
                    next[q] = running
                }
            }
            swap(&reached, &next)
        }
        if atEnd { return endPositions(t).contains { reached[$0] } }
        return reached.contains(true)
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
