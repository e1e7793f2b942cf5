/// Tokens of the STIX patterning language. Their text stays in the pattern, read by the parser
/// only where it needs it: a token is then a few plain bytes, copied without retaining anything.
enum PatternToken: Equatable {
    case lbracket, rbracket, lparen, rparen, colon, dot, comma, star
    case op(ComparisonOperator)   // = != > < >= <= (and their spellings == and <>)
    case keyword(PatternKeyword)
    /// A name, and whether it holds a hyphen (property names must not, the object type may).
    case identifier(hyphen: Bool)
    /// A string literal, and whether it holds escapes (its text is then unescaped when read).
    case string(escaped: Bool)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    /// `t'...'`, `h'...'`, `b'...'`, already checked (none holds an escape).
    case timestamp, hex, binary
    case end
}

/// The reserved words of the grammar (upper case only, as STIXPattern.g4 spells them).
enum PatternKeyword: String {
    case and = "AND", or = "OR", not = "NOT", followedBy = "FOLLOWEDBY", like = "LIKE", matches = "MATCHES"
    case isSubset = "ISSUBSET", isSuperset = "ISSUPERSET", exists = "EXISTS", `in` = "IN", start = "START", stop = "STOP"
    case seconds = "SECONDS", within = "WITHIN", repeats = "REPEATS", times = "TIMES"
}

extension PatternKeyword {
    /// The keyword spelt by `word`, found by its length first (words are mostly identifiers).
    init?(_ word: Slice<UnsafeBufferPointer<UInt8>>) {
        func is_(_ literal: StaticString) -> Bool { PatternLexer.equal(word, literal) }
        let found: PatternKeyword? = switch word.count {
        case 2: is_("OR") ? .or : is_("IN") ? .in : nil
        case 3: is_("AND") ? .and : is_("NOT") ? .not : nil
        case 4: is_("LIKE") ? .like : is_("STOP") ? .stop : nil
        case 5: is_("START") ? .start : is_("TIMES") ? .times : nil
        case 6: is_("EXISTS") ? .exists : is_("WITHIN") ? .within : nil
        case 7: is_("MATCHES") ? .matches : is_("SECONDS") ? .seconds : is_("REPEATS") ? .repeats : nil
        case 8: is_("ISSUBSET") ? .isSubset : nil
        case 10: is_("FOLLOWEDBY") ? .followedBy : is_("ISSUPERSET") ? .isSuperset : nil
        default: nil
        }
        guard let found else { return nil }
        self = found
    }
}

/// Reads a pattern's tokens one at a time, each with its byte offset in the pattern's UTF-8.
///
/// Everything the grammar spells is ASCII, so the lexer reads bytes; only white space beyond
/// ASCII and text inside quotes are other characters, and both are found by their bytes too
/// (no byte of a multi-byte UTF-8 sequence is ASCII). Errors carry character (Unicode scalar)
/// offsets, as the grammar counts them.
struct PatternLexer {
    /// The pattern's UTF-8, lent by the parser for the time of one parse.
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The byte offset just after the last token read.
    private(set) var offset = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Reads the rest of the pattern, throwing its first lexical error if it has one.
    mutating func drain() throws(PatternError) {
        while case let (token, _) = try next(), token != .end {}
    }

    /// The character offset of a byte offset in the pattern (they differ once a character before
    /// it takes several bytes): the bytes that start a character before it.
    func scalarOffset(_ byteOffset: Int) -> Int {
        var count = 0
        for k in 0..<min(byteOffset, bytes.count) where bytes[k] & 0xC0 != 0x80 { count += 1 }
        return count
    }

    private func error(_ byteOffset: Int, _ reason: String) -> PatternError {
        PatternError(position: scalarOffset(byteOffset), reason: reason)
    }

    /// The byte at `k`, or 0 (which no token holds) past the end.
    func byte(_ k: Int) -> UInt8 { k < bytes.count ? bytes[k] : 0 }

    private static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Letters and `_`, which start a name.
    private static func isNameStart(_ b: UInt8) -> Bool { isNameByte(b) && !isDigit(b) }

    /// Letters, digits and `_`, which continue a name (as `-` does): looked up in a table of the
    /// ASCII bytes, `n` at each one of them, the cheapest test for the most frequent bytes.
    private static func isNameByte(_ b: UInt8) -> Bool {
        let table: StaticString = "................................................nnnnnnnnnn.......nnnnnnnnnnnnnnnnnnnnnnnnnn....n.nnnnnnnnnnnnnnnnnnnnnnnnnn....."
        return b < 128 && table.utf8Start[Int(b)] == UInt8(ascii: "n")
    }

    /// The scalar starting at byte `k` (the pattern is valid UTF-8) and its length in bytes.
    private func scalar(at k: Int) -> (Unicode.Scalar, Int) {
        let lead = bytes[k]
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        var value = length == 1 ? UInt32(lead) : UInt32(lead) & (0xFF >> (length + 1))
        for n in 1..<max(length, 1) where k + n < bytes.count { value = value << 6 | UInt32(bytes[k + n] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// Whether `word` is spelt `literal` (ASCII).
    static func equal(_ word: Slice<UnsafeBufferPointer<UInt8>>, _ literal: StaticString) -> Bool {
        guard word.count == literal.utf8CodeUnitCount else { return false }
        // Byte by byte in place: `elementsEqual` went through iterators of both sides.
        let start = literal.utf8Start
        var k = 0
        for b in word {
            if b != start[k] { return false }
            k += 1
        }
        return true
    }

    /// The text of `range`, decoded from the pattern's bytes in place (invalid UTF-8 repaired):
    /// measured cheaper than writing the bytes into a new string's storage through a closure.
    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// The text of the quoted literal that starts at `start` (its quote, or its `t`, `h` or `b`)
    /// and ends just before `end`, escapes undone.
    func unquoted(from start: Int, to end: Int, escaped: Bool) -> String {
        let first = bytes[start] == UInt8(ascii: "'") ? start + 1 : start + 2
        guard escaped else { return text(first..<(end - 1)) }
        return String(unsafeUninitializedCapacity: end - 1 - first) { buffer in
            var j = first, k = 0
            while j < end - 1 {
                // The lexer let only `\'` and `\\` through: the byte after a backslash is the text.
                if bytes[j] == UInt8(ascii: "\\") { j += 1 }
                buffer[k] = bytes[j]
                j += 1
                k += 1
            }
            return k
        }
    }

    private mutating func emit(_ token: PatternToken, at start: Int, length: Int) -> (PatternToken, Int) {
        offset = start + length
        return (token, start)
    }

    /// The next token and its byte offset (`offset` is then the byte after it); `.end` at the
    /// end of the pattern.
    mutating func next() throws(PatternError) -> (PatternToken, Int) {
        var i = offset
        while i < bytes.count {
            let c = bytes[i]
            // Most tokens start with a printable ASCII byte that begins no comment: one test.
            if c &- 0x21 < 0x5F && c != UInt8(ascii: "/") {
                offset = i
                return try token(at: i, c)
            }
            // ASCII white space: the space and TAB to CR (the others are beyond ASCII).
            if c == 0x20 || c &- 0x09 < 5 { i += 1; continue }
            if c >= 0x80 {
                let (scalar, length) = scalar(at: i)
                guard Self.isSpace(scalar) else { offset = i; throw error(i, "unexpected character '\(scalar)'") }
                i += length
                continue
            }
            // Comments, as the grammar skips them: `// to the end of the line` and `/* ... */`.
            if c == UInt8(ascii: "/"), byte(i + 1) == UInt8(ascii: "/") {
                while i < bytes.count, bytes[i] != 0x0A, bytes[i] != 0x0D { i += 1 }
                continue
            }
            if c == UInt8(ascii: "/"), byte(i + 1) == UInt8(ascii: "*") {
                var j = i + 2
                while j + 1 < bytes.count, !(bytes[j] == UInt8(ascii: "*") && bytes[j + 1] == UInt8(ascii: "/")) { j += 1 }
                guard j + 1 < bytes.count else { offset = i; throw error(i, "unterminated comment (/* without */)") }
                i = j + 2
                continue
            }
            offset = i
            return try token(at: i, c)
        }
        offset = bytes.count
        return (.end, bytes.count)
    }

    /// The token starting with byte `c` at `i`, after white space and comments.
    private mutating func token(at i: Int, _ c: UInt8) throws(PatternError) -> (PatternToken, Int) {
        switch c {
        case UInt8(ascii: "["): return emit(.lbracket, at: i, length: 1)
        case UInt8(ascii: "]"): return emit(.rbracket, at: i, length: 1)
        case UInt8(ascii: "("): return emit(.lparen, at: i, length: 1)
        case UInt8(ascii: ")"): return emit(.rparen, at: i, length: 1)
        case UInt8(ascii: ":"): return emit(.colon, at: i, length: 1)
        case UInt8(ascii: ","): return emit(.comma, at: i, length: 1)
        case UInt8(ascii: "*"): return emit(.star, at: i, length: 1)
        case UInt8(ascii: "."):
            if Self.isDigit(byte(i + 1)) { return try number() }
            return emit(.dot, at: i, length: 1)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"):
            return try number()
        case UInt8(ascii: "="):
            // The grammar accepts '==' as a spelling of '='.
            return emit(.op(.equal), at: i, length: byte(i + 1) == UInt8(ascii: "=") ? 2 : 1)
        case UInt8(ascii: "!"):
            guard byte(i + 1) == UInt8(ascii: "=") else { throw error(i, "expected '!='") }
            return emit(.op(.notEqual), at: i, length: 2)
        case UInt8(ascii: "<"), UInt8(ascii: ">"):
            let orEqual = byte(i + 1) == UInt8(ascii: "=")
            if c == UInt8(ascii: "<"), byte(i + 1) == UInt8(ascii: ">") {
                return emit(.op(.notEqual), at: i, length: 2)   // '<>' is a spelling of '!='
            } else if c == UInt8(ascii: "<") {
                return emit(.op(orEqual ? .lessOrEqual : .less), at: i, length: orEqual ? 2 : 1)
            } else {
                return emit(.op(orEqual ? .greaterOrEqual : .greater), at: i, length: orEqual ? 2 : 1)
            }
        case UInt8(ascii: "'"):
            let (end, escaped) = try quoted(from: i)
            offset = end
            return (.string(escaped: escaped), i)
        default:
            if c == UInt8(ascii: "t") || c == UInt8(ascii: "h") || c == UInt8(ascii: "b"), byte(i + 1) == UInt8(ascii: "'") {
                return try prefixedLiteral(c)
            }
            guard Self.isNameStart(c) else { throw error(i, "unexpected character '\(Unicode.Scalar(c))'") }
            var j = i + 1
            var hyphen = false
            // Runs of letters, digits and `_`, joined by hyphens (rarer, and tested for apart).
            while true {
                while j < bytes.count, Self.isNameByte(bytes[j]) { j += 1 }
                guard j < bytes.count, bytes[j] == UInt8(ascii: "-") else { break }
                hyphen = true
                j += 1
            }
            let word = bytes[i..<j]
            let token: PatternToken
            if c <= UInt8(ascii: "Z"), let keyword = PatternKeyword(word) {
                token = .keyword(keyword)
            } else if c == UInt8(ascii: "t") && Self.equal(word, "true") || c == UInt8(ascii: "f") && Self.equal(word, "false") {
                token = .boolean(word.count == 4)
            } else {
                token = .identifier(hyphen: hyphen)
            }
            offset = j
            return (token, i)
        }
    }

    /// An integer or decimal starting at `offset`, with an optional sign.
    private mutating func number() throws(PatternError) -> (PatternToken, Int) {
        let start = offset
        var j = start
        if bytes[j] == UInt8(ascii: "-") || bytes[j] == UInt8(ascii: "+") { j += 1 }
        while j < bytes.count, Self.isDigit(bytes[j]) { j += 1 }
        var isFloat = false
        if j < bytes.count, bytes[j] == UInt8(ascii: ".") {
            isFloat = true
            j += 1
            let fractionStart = j
            while j < bytes.count, Self.isDigit(bytes[j]) { j += 1 }
            if j == fractionStart { throw error(start, "invalid number") }
        }
        // The offset moves past the number only once it reads: a lexical error leaves it at
        // the error, where `drain` finds it again.
        if isFloat {
            let text = text(start..<j)
            guard let d = Double(text) else { throw error(start, "invalid number '\(text)'") }
            offset = j
            return (.float(d), start)
        }
        // Read from the bytes: at most one sign, then the digits.
        let negative = bytes[start] == UInt8(ascii: "-")
        let digitsStart = negative || bytes[start] == UInt8(ascii: "+") ? start + 1 : start
        guard j > digitsStart else { throw error(start, "invalid integer '\(text(start..<j))'") }
        // The grammar has no size limit; beyond 64 bits the value saturates (accumulated
        // towards its sign, so that Int64.min itself is exact).
        var v: Int64 = 0
        for k in digitsStart..<j {
            let digit = Int64(bytes[k] - 0x30)
            let (shifted, o1) = v.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if o1 || o2 { v = negative ? .min : .max; break }
            v = next
        }
        if j - digitsStart > 1 && bytes[digitsStart] == UInt8(ascii: "0") { throw error(start, "integers must not have leading zeros") }
        offset = j
        return (.integer(v), start)
    }

    /// `t'...'`, `h'...'` or `b'...'` starting at `offset`, checked on its bytes in place. None
    /// can hold an escape (a quote or backslash is no digit of any of them); the text is made
    /// only for the message of one that is not valid.
    private mutating func prefixedLiteral(_ kind: UInt8) throws(PatternError) -> (PatternToken, Int) {
        let start = offset
        let (end, escaped) = try quoted(from: start + 1)
        let content = UnsafeBufferPointer(rebasing: bytes[(start + 2)..<(end - 1)])
        let token: PatternToken
        switch kind {
        case UInt8(ascii: "t"):
            guard !escaped, Self.isTimestamp(content) else {
                throw error(start, "'\(unquoted(from: start, to: end, escaped: escaped))' is not a valid timestamp literal (YYYY-MM-DDTHH:MM:SS[.s+]Z)")
            }
            token = .timestamp
        case UInt8(ascii: "h"):
            guard !escaped, content.count % 2 == 0, content.allSatisfy(Self.isHexDigit) else {
                throw error(start, "'\(unquoted(from: start, to: end, escaped: escaped))' is not a valid hex literal (pairs of hexadecimal digits)")
            }
            token = .hex
        default:
            guard !escaped, !content.isEmpty, Self.isBase64(content) else {
                throw error(start, "'\(unquoted(from: start, to: end, escaped: escaped))' is not a valid binary literal (base64)")
            }
            token = .binary
        }
        offset = end
        return (token, start)
    }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        switch c {
        case 0x30...0x39, 0x41...0x46, 0x61...0x66: true
        default: false
        }
    }

    /// The offset after the string literal whose opening quote is at `start`, and whether it
    /// holds escapes; throws for an escape other than `\'` and `\\`, or no closing quote.
    private func quoted(from start: Int) throws(PatternError) -> (Int, Bool) {
        var j = start + 1
        var escaped = false
        while j < bytes.count {
            // Eight bytes at a time while none is a quote or a backslash: most of a literal is
            // plain text.
            if j + 8 <= bytes.count, let base = bytes.baseAddress,
               !Self.holdsQuoteOrBackslash(UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)) {
                j += 8
                continue
            }
            // Byte by byte through the word that holds one (or the last few bytes).
            let stop = min(j + 8, bytes.count)
            while j < stop {
                let c = bytes[j]
                if c == UInt8(ascii: "'") { return (j + 1, escaped) }
                if c == UInt8(ascii: "\\") {
                    guard j + 1 < bytes.count, bytes[j + 1] == UInt8(ascii: "'") || bytes[j + 1] == UInt8(ascii: "\\") else {
                        throw error(j, "invalid escape in a string literal (only \\' and \\\\ are allowed)")
                    }
                    escaped = true
                    j += 2
                    continue
                }
                j += 1
            }
        }
        throw error(start, "unterminated string literal")
    }

    /// Whether one of the eight bytes of `word` may be a quote or a backslash (never false when
    /// one is): a byte XORed with the one sought is zero, and subtracting one from each byte
    /// then borrows into its high bit.
    private static func holdsQuoteOrBackslash(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "'"))), backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        return ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes) & highs != 0
    }

    /// White space as the grammar's WS rule has it, Unicode spaces included.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    private static func isTimestamp(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        // YYYY-MM-DDTHH:MM:SS[.s+]Z with sane ranges.
        guard u.count >= 20, u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54, u[13] == 0x3A, u[16] == 0x3A, u[u.count - 1] == 0x5A else { return false }
        /// The two digits at `k` as a number, or -1.
        @inline(__always) func two(_ k: Int) -> Int {
            isDigit(u[k]) && isDigit(u[k + 1]) ? Int(u[k] &- 0x30) &* 10 &+ Int(u[k + 1] &- 0x30) : -1
        }
        let year = two(0), mo = two(5), dd = two(8), hh = two(11), mi = two(14), ss = two(17)
        guard year >= 0, two(2) >= 0, (1...12).contains(mo), (1...31).contains(dd), (0..<24).contains(hh), (0..<60).contains(mi), (0..<61).contains(ss)
        else { return false }
        if u.count == 20 { return true }
        return u[19] == 0x2E && u.count > 21 && u[20..<(u.count - 1)].allSatisfy(isDigit)
    }

    private static func isBase64(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard u.count % 4 == 0 else { return false }
        var pad = 0
        for (i, c) in u.enumerated() {
            if c == 0x3D { pad += 1; if i < u.count - 2 { return false }; continue }
            if pad > 0 { return false }
            guard (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || (0x30...0x39).contains(c) || c == 0x2B || c == 0x2F else { return false }
        }
        return true
    }
}
