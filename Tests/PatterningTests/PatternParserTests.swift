import Patterning
import Testing

@Suite("STIX pattern parser")
struct PatternParserTests {
    /// Patterns from the STIX 2.1 specification's examples and every construct of the grammar.
    static let valid = [
        "[ipv4-addr:value = '198.51.100.1/32']",
        "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
        "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']",
        "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar'] WITHIN 300 SECONDS",
        "([file:name = 'a.exe'] AND [process:pid > 4]) OR [ipv6-addr:value ISSUBSET '2001:db8::/32'] REPEATS 5 TIMES",
        "[network-traffic:dst_port IN (443, 8443) AND network-traffic:protocols[0] NOT = 'udp'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00.123Z'",
        "[x509-certificate:issuer LIKE '%Evil%' OR EXISTS x509-certificate:subject]",
        "[artifact:payload_bin = b'dGVzdA==' AND file:magic_number_hex = h'ffd8']",
        "[user-account:is_privileged = true AND user-account:account_login != 'root']",
        "[process:extensions.'windows-process-ext'.priority <= 'HIGH' AND process:pid >= -1]",
        "[domain-name:value == 'example.com']",
        "[file:size < 1.5] WITHIN 2.5 SECONDS",
    ]

    @Test("accepts the grammar's constructs", arguments: valid)
    func acceptsValid(_ pattern: String) throws {
        _ = try PatternParser.parse(pattern)
    }

    @Test("rejects malformed patterns with a position and what was expected", arguments: [
        ("[ipv4-addr:value = '1.2.3.4'", "expected ']'"),
        ("ipv4-addr:value = '1.2.3.4'", "expected '[' or '('"),
        ("[ipv4-addr:value = '1.2.3.4'] WITHIN SECONDS", "a number of seconds"),
        ("[ipv4-addr:value = '1.2.3.4'] REPEATS -1 TIMES", "a whole number"),
        ("[ipv4-addr:value = '1.2.3.4'] WITHIN 5 SECONDS WITHIN 9 SECONDS", "a second WITHIN qualifier"),
        ("[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427']", "not a valid MD5 hash"),
        ("[file:hashes.'SHA-256' IN ('x')]", "not a valid SHA-256 hash"),
        ("[a:b = b'']", "not a valid binary literal"),
        ("[a:b = 1] /* unterminated", "unterminated comment"),
        ("NOT [a:b = 1]", "'[' or '('"),
        ("[ipv4-addr:value = '1.2.3.4] ", "unterminated string"),
        ("[file:size > true]", "orderable literal"),
        ("[file:name IN 'a']", "'(' to start a set"),
        ("[ipv4-addr = '1.2.3.4']", "':' after the object type"),
        ("[a:b = t'2016-13-01T00:00:00Z']", "not a valid timestamp"),
        ("[a:b = h'abc']", "not a valid hex literal"),
        ("[a:b = '1'] AND", "'[' or '('"),
    ])
    func rejectsInvalid(_ pattern: String, _ expected: String) {
        do {
            _ = try PatternParser.parse(pattern)
            Issue.record("parsed \(pattern)")
        } catch {
            #expect(error.reason.contains(expected), "\(error)")
            #expect(error.position >= 0 && error.position <= pattern.unicodeScalars.count)
        }
    }

    @Test("comments and Unicode spaces are skipped; NOT EXISTS, zero qualifiers and huge integers parse as the grammar says")
    func grammarCorners() throws {
        _ = try PatternParser.parse("// leading\n[a:b = 1] /* between */ AND\u{3000}[a:b = 2] // trailing")
        guard case .observation(.comparison(let c)) = try PatternParser.parse("[NOT EXISTS file:name]") else {
            Issue.record("NOT EXISTS")
            return
        }
        #expect(c.op == .exists && c.negated)
        _ = try PatternParser.parse("[a:b = 1] WITHIN 0 SECONDS")
        _ = try PatternParser.parse("[a:b = 1] REPEATS 0 TIMES")
        _ = try PatternParser.parse("[a:b = 123456789012345678901234567890]")
        _ = try PatternParser.parse("[file:hashes.MD5 LIKE 'd41d%']")
    }

    @Test("hostile nesting and size are refused before they can exhaust the stack")
    func limits() {
        let deep = String(repeating: "(", count: 100_000) + "[a:bcd = 1]" + String(repeating: ")", count: 100_000)
        #expect(throws: PatternError.self) { try PatternParser.parse(deep) }
        let inner = "[a:bcd = " + String(repeating: "(", count: 1) + "1]"
        #expect(throws: PatternError.self) { try PatternParser.parse(inner) }
        let long = Array(repeating: "[a:bcd = 1]", count: 200_000).joined(separator: " AND ")
        do {
            _ = try PatternParser.parse(long)
            Issue.record("accepted 200,000 observations")
        } catch {
            #expect(error.reason.contains("more than 1000"))
        }
        #expect((try? PatternParser.parse(Array(repeating: "[a:bcd = 1]", count: 500).joined(separator: " OR "))) != nil)
    }

    @Test("observation operators bind AND tighter than OR tighter than FOLLOWEDBY")
    func precedence() throws {
        let ast = try PatternParser.parse("[a:b = 1] FOLLOWEDBY [a:b = 2] OR [a:b = 3] AND [a:b = 4]")
        guard case .combined(.followedBy, _, .combined(.or, _, .combined(.and, _, _))) = ast else {
            Issue.record("unexpected tree \(ast)")
            return
        }
    }

    @Test("object paths keep quoted keys, indexes and wildcards")
    func objectPaths() throws {
        let ast = try PatternParser.parse("[file:extensions.'windows-pebinary-ext'.sections[*].hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:parent_directory_ref.path[-1] = 'y']")
        guard case .observation(.and(.comparison(let a), .comparison(let b))) = ast else {
            Issue.record("unexpected tree \(ast)")
            return
        }
        #expect(a.path.steps == [.property("extensions"), .property("windows-pebinary-ext"), .property("sections"), .anyIndex, .property("hashes"), .property("SHA-256")])
        #expect(b.path.steps.last == .index(-1))
        #expect(a.value == .string("aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"))
    }
}
