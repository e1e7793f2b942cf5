import STIX
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    @Test("parses every kind of value")
    func kinds() throws {
        let v = try JSONParser.parse(Array(#"{"s":"a\u00e9\ud83d\ude00\n","n":-1.5e3,"i":42,"t":true,"f":false,"z":null,"l":[1,[2]],"o":{}}"#.utf8))
        #expect(v["s"]?.stringValue == "aé😀\n")
        #expect(v["n"]?.numberValue?.double == -1500)
        #expect(v["i"]?.numberValue?.int64 == 42)
        #expect(v["t"] == .bool(true))
        #expect(v["z"] == .null)
        #expect(v["l"]?.arrayValue?.count == 2)
        #expect(v["o"] == .object([:]))
    }

    @Test("rejects malformed input with the byte offset", arguments: [
        (#"{"a":1,}"#, "expected a member name"),
        (#"{"a":1 "b":2}"#, "expected ',' or '}'"),
        (#"{"a":1,"a":2}"#, "duplicate member name"),
        (#"[1,2"#, "unexpected end of input"),
        (#"{"a":01}"#, "leading zero"),
        (#""\ud800""#, "unpaired surrogate"),
        (#""a\x""#, "invalid escape"),
        ("\"a\u{01}\"", "control character"),
        (#"{"a":tru}"#, "invalid literal"),
        (#"{} x"#, "unexpected data after"),
    ])
    func rejects(_ text: String, _ expected: String) {
        do {
            _ = try JSONParser.parse(Array(text.utf8))
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.reason.contains(expected), "\(error)")
        }
    }

    @Test("refuses invalid UTF-8 inside strings")
    func invalidUTF8() {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0xFE, 0x22]
        #expect(throws: JSONError.self) { try JSONParser.parse(bytes) }
    }

    @Test("limits nesting instead of exhausting the stack")
    func deepNesting() {
        let deep = Array(String(repeating: "[", count: 100_000).utf8) + Array(String(repeating: "]", count: 100_000).utf8)
        do {
            _ = try JSONParser.parse(deep)
            Issue.record("accepted 100,000 levels")
        } catch {
            #expect(error.reason.contains("nesting deeper than"))
        }
    }
}
