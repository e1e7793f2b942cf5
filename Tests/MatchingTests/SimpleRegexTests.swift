import Foundation
import Matching
import Patterning
import STIX
import Testing

/// MATCHES with literal, `(?i)` literal, `[A-Za-z]+`, `\d+` and `.{n,m}` expressions is decided
/// without ICU (for some texts only); these cases check that every verdict is the one ICU itself
/// gives (DOTALL, as STIX requires).
@Suite("MATCHES without ICU agrees with ICU")
struct SimpleRegexTests {
    static let expressions = [
        "", "^", "$", "^$", "abc", "^abc", "abc$", "^abc$", "b", "^b$", "a\\.c", "^a\\.c$", "a\\$", "\\^a", "x\\-y\\/z\\:w\\@v",
        "O\\'Hara", "say \\\"hi\\\"", "é", "^é$", "日本", "^日本$", "\r", "^\r$", "a\r", "\n$", "a b", ".{0}", ".{3}", ".{3,}",
        ".{2,5}", ".{10}", ".{2}", ".{4}", "\\\\", "^\\\\$", "\t", "\\\\$", "^(abc|ab)$", "^(a|)$", "^()$", "^(é|日本)$",
        "^(a\\|b|c)$", "^a.*c$", "^.*c$", "^a.*$", "^.*$", "^ab.*bc$", "^a\\.b.*c$", "^a.*\\.c$", "^(a)(b)$", "^a.*b.*c$",
        "(?i)abc", "(?i)^abc$", "(?i)^ABC$", "(?i)^a\\.c$", "(?i)ABC$", "(?i)^AbC", "(?i)^$", "(?i)é", "(?i)^ss$", "(?i)k", "(?i)^(a|b)$",
        "[A-Za-z]+", "^[A-Za-z]+$", "a[A-Za-z]+c", "[A-Za-z]+\\.com", "^[A-Za-z]+\\d+[A-Za-z]+$", "\\d+", "^\\d+$", "^\\d+\\.\\d+$",
        "a\\d+b", "^S-\\d+-\\d+$", "[A-Za-z]+\\d+", "\\d+$", "é[A-Za-z]+é", "\\d+\\d+", "[A-Za-z]+[A-Za-z]+c", "[A-Za-z]+?", "\\d",
        "^\\xff\\xfe\\x00", "\\x41", "^\\x68\\x65", "\\xe9", "\\x0d\\x0a$", "\\x4", "\\xg1",
        "(", ")", "a)", "(a", "((a)", "(a))", "(?<", "[a-", "[a", "a]", "[]", "a{2,1}", "a{1,2}", "{2,1}", "(a){3,2}", "a{2,1", "a{,1}", "x{10,9}y",
        "(?<n>a)", "(?:a)", "[(]", "[{2,1}]", "(?#(a)", "(?#a{2,1})", "(?x)a # (", "(?x)a # {2,1}",
    ]
    static let texts = [
        "", "abc", "xabc", "abcx", "abc\n", "abc\r", "abc\r\n", "abc\n\n", "abc\u{85}", "abc\u{2028}", "abc\u{2029}", "abc\u{0B}",
        "abc\u{0C}", "a.c", "abc$", "^a", "x-y/z:w@v", "O'Hara", "say \"hi\"", "é", "e\u{301}", "日本", "日本\n", "\r", "\r\n",
        "a\r", "a\r\n", "\r\n\r\n", "\n\r", "a\r\n\n", "\n", "a b", "ab", "abcdefghijk", "\u{1F600}\u{1F600}\u{1F600}", "\\", "\\\n", "\t", "b",
        "ab", "abcbc", "abbc", "a|b", "c\n", "a\r\nc", "a\nc", "ac", "a.bxc", "a.b.c", "axx.c", "c", "a", "日本\r\n", "abc\r\n\r\n",
        "ABC", "AbC\n", "ABC\r\n", "1", "12", "a12b", "S-1-5", "S-1-5\n", "a\u{661}\u{662}b", "\u{661}\u{662}", "1\u{662}", "ß", "\u{212A}",
        "ss", "SS", "K", "k", "abc123def", "x.com", "xy.com", "A.B", "12.34", "12.34\n", "éxé", "éé", "ABc", "aBCc",
        "\u{FF}\u{FE}\u{00}", "\u{FF}\u{FE}", "he", "A", "\u{E9}", "aa", "a{2,1}", "(a)", "x\r\n",
    ]

    @Test("a literal is found in a long value as ICU finds it")
    func longValues() throws {
        let needle = String(repeating: "ab", count: 300) + "c"
        let evaluator = try PatternEvaluator(pattern: "[x-log:line MATCHES '\(needle)']")
        for text in [String(repeating: "ab", count: 5_000) + "c", String(repeating: "ab", count: 5_000), "x" + needle + "x"] {
            let observation = Observation(id: "observed-data--1", firstObserved: 0, lastObserved: 0, count: 1,
                                          objects: [("0", ["type": .string("x-log"), "line": .string(text)])])
            #expect(try evaluator.matches([observation]) == text.contains(needle))
        }
    }

    @Test("literal and length expressions match as ICU matches them")
    func agreesWithICU() throws {
        for expression in Self.expressions {
            let literal = expression.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            let pattern = "[x-log:line MATCHES '\(literal)']"
            guard let icu = try? NSRegularExpression(pattern: expression.precomposedStringWithCanonicalMapping, options: [.dotMatchesLineSeparators]) else {
                // What ICU (or Foundation) refuses is refused here too.
                #expect(throws: PatternError.self, "\(expression.debugDescription)") { try PatternEvaluator(pattern: pattern) }
                continue
            }
            let evaluator = try PatternEvaluator(pattern: pattern)
            for text in Self.texts {
                let normalized = text.precomposedStringWithCanonicalMapping
                let expected = icu.firstMatch(in: normalized, range: NSRange(normalized.startIndex..., in: normalized)) != nil
                let observation = Observation(id: "observed-data--1", firstObserved: 0, lastObserved: 0, count: 1,
                                              objects: [("0", ["type": .string("x-log"), "line": .string(text)])])
                #expect(try evaluator.matches([observation]) == expected, "\(expression.debugDescription) on \(text.debugDescription)")
            }
        }
    }
}
