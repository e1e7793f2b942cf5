/// Tokens of the STIX patterning language.
enum PatternToken: Equatable {
    case lbracket, rbracket, lparen, rparen, colon, dot, comma, star
    case op(String)              // = != > < >= <=
    case keyword(String)         // AND OR NOT FOLLOWEDBY LIKE MATCHES ISSUBSET ISSUPERSET EXISTS IN START STOP SECONDS WITHIN REPEATS TIMES
    case identifier(String)
    case string(String)
    case integer(Int64, text: String)
    case float(Double)
    case boolean(Bool)
    case timestamp(String)
    case hex([UInt8])
    case binary(String)
    case end
}

/// Splits a pattern into tokens, each with its character offset.
struct PatternLexer {
    static let keywords: Set<String> = [
        "AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS", "IN",
        "START", "STOP", "SECONDS", "WITHIN", "REPEATS", "TIMES",
    ]

    static func tokenize(_ pattern: String) throws(PatternError) -> [(PatternToken, Int)] {
        let s = Array(pattern.unicodeScalars)
        var i = 0
        var out: [(PatternToken, Int)] = []
        // Numbers, keywords and identifiers are ASCII: their text is copied byte by byte.
        func ascii(_ r: Range<Int>) -> String {
            String(unsafeUninitializedCapacity: r.count) { buffer in
                for (k, index) in r.enumerated() { buffer[k] = UInt8(truncatingIfNeeded: s[index].value) }
                return r.count
            }
        }
        func isIdentStart(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" }
        func isIdentChar(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || ("0"..."9").contains(c) || c == "-" }
        // Most patterns are ASCII: then a scalar offset is a byte offset, and a literal without
        // escapes is copied from the bytes in one go.
        let bytes = Array(pattern.utf8)
        let isASCII = bytes.count == s.count
        func quoted(from start: Int) throws(PatternError) -> (String, Int) {
            if isASCII {
                var end = start + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: "'"), bytes[end] != UInt8(ascii: "\\") { end += 1 }
                if end < bytes.count, bytes[end] == UInt8(ascii: "'") {
                    return (String(decoding: bytes[(start + 1)..<end], as: UTF8.self), end + 1)
                }
            }
            var j = start + 1
            var text = String.UnicodeScalarView()
            text.reserveCapacity(16)
            while j < s.count {
                let c = s[j]
                if c == "\\" {
                    guard j + 1 < s.count, s[j + 1] == "'" || s[j + 1] == "\\" else {
                        throw PatternError(position: j, reason: "invalid escape in a string literal (only \\' and \\\\ are allowed)")
                    }
                    text.append(s[j + 1])
                    j += 2
                    continue
                }
                if c == "'" { return (String(text), j + 1) }
                text.append(c)
                j += 1
            }
            throw PatternError(position: start, reason: "unterminated string literal")
        }
        while i < s.count {
            let c = s[i]
            let start = i
            if isSpace(c) { i += 1; continue }
            // Comments, as the grammar skips them: `// to the end of the line` and `/* ... */`.
            if c == "/", i + 1 < s.count, s[i + 1] == "/" {
                while i < s.count, s[i] != "\n", s[i] != "\r" { i += 1 }
                continue
            }
            if c == "/", i + 1 < s.count, s[i + 1] == "*" {
                var j = i + 2
                while j + 1 < s.count, !(s[j] == "*" && s[j + 1] == "/") { j += 1 }
                guard j + 1 < s.count else { throw PatternError(position: i, reason: "unterminated comment (/* without */)") }
                i = j + 2
                continue
            }
            switch c {
            case "[": out.append((.lbracket, i)); i += 1
            case "]": out.append((.rbracket, i)); i += 1
            case "(": out.append((.lparen, i)); i += 1
            case ")": out.append((.rparen, i)); i += 1
            case ":": out.append((.colon, i)); i += 1
            case ".":
                if i + 1 < s.count, ("0"..."9").contains(s[i + 1]) { fallthrough }
                out.append((.dot, i)); i += 1
            case "0"..."9", "-", "+":
                var j = i
                if s[j] == "-" || s[j] == "+" { j += 1 }
                while j < s.count, ("0"..."9").contains(s[j]) { j += 1 }
                var isFloat = false
                if j < s.count, s[j] == "." {
                    isFloat = true
                    j += 1
                    let fractionStart = j
                    while j < s.count, ("0"..."9").contains(s[j]) { j += 1 }
                    if j == fractionStart { throw PatternError(position: i, reason: "invalid number") }
                }
                let text = ascii(i..<j)
                if isFloat {
                    guard let d = Double(text) else { throw PatternError(position: i, reason: "invalid number '\(text)'") }
                    out.append((.float(d), i))
                } else {
                    let digits = text.drop(while: { $0 == "-" || $0 == "+" })
                    guard !digits.isEmpty else { throw PatternError(position: i, reason: "invalid integer '\(text)'") }
                    // The grammar has no size limit; beyond 64 bits the value saturates.
                    let v = Int64(text.hasPrefix("+") ? String(text.dropFirst()) : text) ?? (text.hasPrefix("-") ? Int64.min : Int64.max)
                    if digits.count > 1 && digits.hasPrefix("0") { throw PatternError(position: i, reason: "integers must not have leading zeros") }
                    out.append((.integer(v, text: text), i))
                }
                i = j
            case "*": out.append((.star, i)); i += 1
            case "=":
                // The grammar accepts '==' as a spelling of '='.
                if i + 1 < s.count, s[i + 1] == "=" { out.append((.op("="), i)); i += 2 } else { out.append((.op("="), i)); i += 1 }
            case "!":
                guard i + 1 < s.count, s[i + 1] == "=" else { throw PatternError(position: i, reason: "expected '!='") }
                out.append((.op("!="), i)); i += 2
            case "<", ">":
                if c == "<", i + 1 < s.count, s[i + 1] == ">" {
                    out.append((.op("!="), i)); i += 2   // '<>' is a spelling of '!='
                } else if i + 1 < s.count, s[i + 1] == "=" { out.append((.op(String(c) + "="), i)); i += 2 } else { out.append((.op(String(c)), i)); i += 1 }
            case ",": out.append((.comma, i)); i += 1
            case "'":
                let (text, next) = try quoted(from: i)
                out.append((.string(text), start)); i = next
            default:
                if (c == "t" || c == "h" || c == "b"), i + 1 < s.count, s[i + 1] == "'" {
                    let (text, next) = try quoted(from: i + 1)
                    switch c {
                    case "t":
                        guard isTimestamp(text) else { throw PatternError(position: i, reason: "'\(text)' is not a valid timestamp literal (YYYY-MM-DDTHH:MM:SS[.s+]Z)") }
                        out.append((.timestamp(text), start))
                    case "h":
                        guard let bytes = HexText.bytes(text) else { throw PatternError(position: i, reason: "'\(text)' is not a valid hex literal (pairs of hexadecimal digits)") }
                        out.append((.hex(bytes), start))
                    default:
                        guard !text.isEmpty, isBase64(text) else { throw PatternError(position: i, reason: "'\(text)' is not a valid binary literal (base64)") }
                        out.append((.binary(text), start))
                    }
                    i = next
                } else if isIdentStart(c) {
                    var j = i + 1
                    while j < s.count, isIdentChar(s[j]) { j += 1 }
                    let word = ascii(i..<j)
                    if keywords.contains(word) { out.append((.keyword(word), i)) } else if word == "true" || word == "false" {
                        out.append((.boolean(word == "true"), i))
                    } else {
                        out.append((.identifier(word), i))
                    }
                    i = j
                } else {
                    throw PatternError(position: i, reason: "unexpected character '\(c)'")
                }
            }
        }
        out.append((.end, s.count))
        return out
    }

    /// White space as the grammar's WS rule has it, Unicode spaces included.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    static func isTimestamp(_ t: String) -> Bool {
        // YYYY-MM-DDTHH:MM:SS[.s+]Z with sane ranges.
        let u = Array(t.utf8)
        func d(_ a: Int, _ n: Int) -> Int? {
            guard a + n <= u.count, u[a..<(a + n)].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return Int(String(decoding: u[a..<(a + n)], as: UTF8.self))
        }
        guard u.count >= 20, let mo = d(5, 2), let dd = d(8, 2), let hh = d(11, 2), let mi = d(14, 2), let ss = d(17, 2), d(0, 4) != nil,
              u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54, u[13] == 0x3A, u[16] == 0x3A, u.last == 0x5A,
              (1...12).contains(mo), (1...31).contains(dd), hh < 24, mi < 60, ss < 61
        else { return false }
        if u.count == 20 { return true }
        return u[19] == 0x2E && u.count > 21 && u[20..<(u.count - 1)].allSatisfy { (0x30...0x39).contains($0) }
    }


    static func isBase64(_ t: String) -> Bool {
        let u = Array(t.utf8)
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

/// Hexadecimal text as bytes: the pattern lexer's `h'...'` literals and the evaluator's `_hex`
/// properties read it the same way.
public enum HexText {
    /// The bytes of pairs of hexadecimal digits (either case), or nil for anything else.
    public static func bytes(_ text: String) -> [UInt8]? {
        guard text.utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count / 2)
        var high: UInt8?
        for c in text.utf8 {
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
