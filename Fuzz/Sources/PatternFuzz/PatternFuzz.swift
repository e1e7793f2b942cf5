// libFuzzer entry point for the STIX pattern parser (Patterning), the evaluator (Matching) and
// the JSON parser (STIX) that reads the observed data.
//
// Input layout: everything before the first newline byte is the pattern (decoded as UTF-8,
// invalid bytes replaced); everything after it is observed data as JSON (a list of STIX objects,
// a bundle, or one object). Each input:
//   1. parses the pattern with PatternParser.parse; on success prints the tree back to pattern
//      text and checks that it parses again to the same tree (the only oracle besides "does not
//      crash, hang or run out of memory");
//   2. parses the data with JSONParser.parse and builds observations with Observation.from; when
//      the data holds SCOs but no observed-data, one observed-data naming all of them is made up;
//   3. evaluates the pattern with PatternEvaluator against those observations, or against a fixed
//      built-in set when the data part is empty, not JSON, or holds no usable observed data.
// Errors thrown by the libraries are expected and ignored.

import CFuzzerDriver
import Foundation
import Matching
import Patterning
import STIX

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SwiftPM gives every executable its own `main`, so this one hands the command line to
/// libFuzzer's driver (all libFuzzer flags work as usual).
@main
struct PatternFuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in patternFuzzTestOneInput(data, size) })
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func patternFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { UnsafeBufferPointer(start: $0, count: size) } ?? UnsafeBufferPointer(start: nil, count: 0)
    let split = bytes.firstIndex(of: 0x0A) ?? bytes.endIndex
    let patternText = String(decoding: bytes[..<split], as: UTF8.self)
    let dataPart = split < bytes.endIndex ? Array(bytes[(split + 1)...]) : []

    // 1. Parse, and round-trip the tree through its printed form.
    let parsed: ObservationExpression
    do {
        parsed = try PatternParser.parse(patternText)
    } catch {
        let reason = error.description
        if verbose { report("pattern: \(patternText.debugDescription)\nparse error: \(reason)") }
        // The data part still exercises the JSON parser and Observation.from.
        _ = observations(from: dataPart)
        return 0
    }
    checkRoundTrip(parsed, source: patternText)
    for comparison in parsed.comparisons { _ = comparison.path.description }

    // Inputs of a class already found and written up under Fuzz/crashes/ are parsed but not
    // evaluated, so fuzzing goes on past them; PATTERN_FUZZ_KNOWN=1 evaluates them too (to check
    // whether a fix has landed).
    let fromData = observations(from: dataPart)
    if !evaluateKnownProblems, let problem = knownProblem(parsed) {
        if verbose { report("pattern: \(patternText.debugDescription)\nparsed; not evaluated: \(problem)") }
        return 0
    }

    // 2 and 3. Evaluate against the data part, or the built-in observations.
    let evaluator: PatternEvaluator
    do {
        // Refuses qualifiers that the grammar takes but nothing satisfies (WITHIN 0, REPEATS 0).
        evaluator = try PatternEvaluator(parsed)
    } catch {
        let reason = error.description
        if verbose { report("pattern: \(patternText.debugDescription)\nparsed; evaluator refused it: \(reason)") }
        return 0
    }
    let observed = fromData ?? builtInObservations
    do {
        let matched = try evaluator.matches(observed)
        if verbose { report("pattern: \(patternText.debugDescription)\nparsed; \(fromData == nil ? "built-in" : "given") observations: \(observed.count); matches: \(matched)") }
    } catch {
        let reason = error.description
        if verbose { report("pattern: \(patternText.debugDescription)\nparsed; \(fromData == nil ? "built-in" : "given") observations: \(observed.count); evaluation error: \(reason)") }
    }
    return 0
}

/// PATTERN_FUZZ_VERBOSE=1 prints what each input did (parse error, observations used, match
/// result or evaluation error): for reproducing and checking seeds, not for fuzzing.
let verbose = getenv("PATTERN_FUZZ_VERBOSE").map { String(cString: $0) == "1" } ?? false

/// PATTERN_FUZZ_KNOWN=1 evaluates inputs of the known problem classes too (see knownProblem).
let evaluateKnownProblems = getenv("PATTERN_FUZZ_KNOWN").map { String(cString: $0) == "1" } ?? false

/// The known problem an input would run into when evaluated, or nil. Each has its write-up,
/// minimised input and stack trace in Fuzz/crashes/.
func knownProblem(_ pattern: ObservationExpression) -> String? {
    // crashes/leak-long-regex.md: Foundation leaks the copy of every regular expression longer
    // than 256 UTF-16 units (after the NFC normalisation the evaluator applies); the leaked
    // memory would pile up until the RSS limit.
    for c in pattern.comparisons {
        if c.op == .matches, case .string(let regex)? = c.value, regex.precomposedStringWithCanonicalMapping.utf16.count > 256 {
            return "a MATCHES regex longer than 256 UTF-16 units (crashes/leak-long-regex.md)"
        }
    }
    // Fixed in Matching, so evaluated again (each write-up has its input, to check by hand):
    // crashes/crash-within-overflow.md (WITHIN past Int64 microseconds trapped),
    // crashes/hang-followedby-repeats.md and crashes/oom-repeats-combinations.md (FOLLOWEDBY and
    // REPEATS over many copies ran for minutes or filled memory).
    return nil
}

func report(_ text: String) {
    print(text)
}

// MARK: - Observed data

/// Observations from the data part, or nil when it gives none (so the built-in set is used).
func observations(from data: [UInt8]) -> [Observation]? {
    guard !data.isEmpty, let json = try? JSONParser.parse(data) else { return nil }
    let items: [JSONValue] = json.arrayValue ?? [json]
    do {
        let found = try Observation.from(items)
        if !found.isEmpty { return found }
    } catch {
        _ = error.description
        return nil
    }
    // No observed-data: wrap every object with a type and an id into one made-up observed-data.
    var scos: [JSONValue] = []
    for item in items {
        if item["type"]?.stringValue == "bundle", let inner = item["objects"]?.arrayValue { scos += inner } else { scos.append(item) }
    }
    let refs: [JSONValue] = scos.compactMap { sco in
        guard sco["type"]?.stringValue != nil, let id = sco["id"]?.stringValue else { return nil }
        return .string(id)
    }
    guard !refs.isEmpty else { return nil }
    let wrapper = JSONValue.object(JSONObject([
        (key: "type", value: .string("observed-data")),
        (key: "id", value: .string("observed-data--fuzz")),
        (key: "first_observed", value: .string("2020-01-01T00:00:00Z")),
        (key: "last_observed", value: .string("2020-01-01T00:00:30Z")),
        (key: "number_observed", value: .number(JSONNumber(text: "2"))),
        (key: "object_refs", value: .array(refs)),
    ]))
    guard let made = try? Observation.from([wrapper] + scos), !made.isEmpty else { return nil }
    return made
}

/// Observations used when the input has no usable data: several observed-data objects a few
/// seconds to a day apart, with references, lists, dictionaries, binary (_hex, _bin) values,
/// timestamps, numbers of both kinds, booleans, nulls and IPv4/IPv6 values, in STIX 2.1
/// (object_refs) and 2.0 (embedded objects) form.
let builtInObservations: [Observation] = {
    let json = #"""
        [{"type": "observed-data", "id": "observed-data--1", "first_observed": "2020-01-01T00:00:00Z",
          "last_observed": "2020-01-01T00:00:10Z", "number_observed": 2,
          "object_refs": ["ipv4-addr--1", "domain-name--1", "missing--1"]},
         {"type": "ipv4-addr", "id": "ipv4-addr--1", "value": "10.0.0.1"},
         {"type": "domain-name", "id": "domain-name--1", "value": "evil.example", "resolves_to_refs": ["ipv4-addr--1", "ipv6-addr--1"]},
         {"type": "observed-data", "id": "observed-data--2", "first_observed": "2020-01-01T00:01:00Z",
          "last_observed": "2020-01-01T00:01:05Z", "number_observed": 1,
          "object_refs": ["ipv6-addr--1", "file--1", "directory--1"]},
         {"type": "ipv6-addr", "id": "ipv6-addr--1", "value": "2001:db8::7"},
         {"type": "directory", "id": "directory--1", "path": "C:\\Windows\\Temp"},
         {"type": "file", "id": "file--1", "name": "Setup.exe", "size": 12, "hashes": {"SHA-256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "MD5": "ffd8"},
          "magic_number_hex": "ffd8", "created": "2019-12-31T23:00:00Z", "parent_directory_ref": "directory--1",
          "extensions": {"windows-pebinary-ext": {"pe_type": "exe", "sections": [{"name": ".text", "entropy": 7.5, "size": 4096},
          {"name": ".data", "entropy": 0.25, "size": 0}]}}, "x_flag": true, "x_nothing": null, "x_big": 1e300,
          "x_list": [1, 2.5, "three", [4], {"five": 5}], "name_bin": "AAEC"},
         {"type": "observed-data", "id": "observed-data--3", "first_observed": "2020-01-01T00:02:00Z",
          "last_observed": "2020-01-02T00:00:00Z", "number_observed": 3,
          "object_refs": ["network-traffic--1", "ipv4-addr--2", "ipv4-addr--3", "email-message--1", "email-addr--1", "process--1"]},
         {"type": "network-traffic", "id": "network-traffic--1", "src_ref": "ipv4-addr--2", "dst_ref": "ipv4-addr--3",
          "src_port": 49152, "dst_port": 443, "protocols": ["ipv4", "tcp", "tls"], "start": "2020-01-01T00:02:01.123456Z",
          "src_payload_ref": "missing--2"},
         {"type": "ipv4-addr", "id": "ipv4-addr--2", "value": "198.51.100.0/24"},
         {"type": "ipv4-addr", "id": "ipv4-addr--3", "value": "203.0.113.9"},
         {"type": "email-addr", "id": "email-addr--1", "value": "jdoe@example.com", "display_name": "Jöhn Döe"},
         {"type": "email-message", "id": "email-message--1", "is_multipart": false, "from_ref": "email-addr--1",
          "to_refs": ["email-addr--1"], "subject": "Ünïcödé ✓ \\ 'quoted'", "date": "2020-01-01T00:02:30Z",
          "body_multipart": [{"content_type": "text/plain", "body": "hello"}]},
         {"type": "process", "id": "process--1", "pid": -1, "command_line": "cmd.exe /c whoami", "is_hidden": true,
          "environment_variables": {"PATH": "C:\\bin", "": "empty key"}, "created_time": "not a time"},
         {"type": "observed-data", "id": "observed-data--4", "first_observed": "2019-12-31T23:59:59.5Z",
          "last_observed": "2020-01-01T00:00:00Z", "number_observed": 50,
          "objects": {"0": {"type": "windows-registry-key", "key": "HKEY_LOCAL_MACHINE\\System\\Foo",
                            "values": [{"name": "Foo", "data": "qwerty", "data_type": "REG_SZ"},
                                       {"name": "Bar", "data": "42", "data_type": "REG_DWORD"}]},
                      "1": {"type": "x509-certificate", "serial_number": "36:f7:d4:32:f4:ab:70:ea",
                            "validity_not_before": "2016-03-12T12:00:00Z", "x509_v3_extensions": {"basic_constraints": "CA:TRUE"}},
                      "2": {"type": "artifact", "payload_bin": "aGVsbG8=", "mime_type": "text/plain", "hashes": {"SHA-256": "00"}},
                      "3": {"type": "user-account", "user_id": "1001", "account_login": "jdoe", "is_privileged": false,
                            "account_created": "2016-01-20T12:31:12Z", "x_ref": "0"}}}]
        """#
    do {
        let parsed = try JSONParser.parse(Array(json.utf8))
        return try Observation.from(parsed.arrayValue ?? [])
    } catch {
        fatalError("the built-in observations do not load: \(error)")
    }
}()

// MARK: - Round trip

/// Prints `e` as pattern text and checks that it parses back to the same tree. Inputs whose
/// tree holds a float that only prints with an exponent (which the grammar cannot spell) are
/// skipped.
func checkRoundTrip(_ e: ObservationExpression, source: String) {
    var printer = PatternPrinter()
    printer.observation(e)
    guard printer.exact else { return }
    let reparsed: ObservationExpression
    do {
        reparsed = try PatternParser.parse(printer.out)
    } catch {
        fatalError("round trip: printed pattern does not parse: \(error)\nsource:  \(source.debugDescription)\nprinted: \(printer.out.debugDescription)")
    }
    if reparsed != e {
        fatalError("round trip: printed pattern parses to another tree\nsource:  \(source.debugDescription)\nprinted: \(printer.out.debugDescription)")
    }
}

/// Prints a pattern tree with as few parentheses as its structure needs (so never deeper than
/// the text it was parsed from).
struct PatternPrinter {
    var out = ""
    /// False when a number could not be printed in the grammar's notation.
    var exact = true

    /// Binding strength of observation operators: FOLLOWEDBY loosest, then OR, AND.
    private func strength(_ e: ObservationExpression) -> Int {
        switch e {
        case .combined(.followedBy, _, _): 1
        case .combined(.or, _, _): 2
        case .combined(.and, _, _): 3
        case .observation, .qualified: 4
        }
    }

    mutating func observation(_ e: ObservationExpression) {
        switch e {
        case .observation(let c):
            out += "["
            comparison(c)
            out += "]"
        case .combined(let op, let a, let b):
            let s = strength(e)
            group(a, strength(a) < s)
            out += " \(op.rawValue) "
            group(b, strength(b) <= s)
        case .qualified(let inner, let q):
            group(inner, needsParentheses(inner, under: q))
            switch q {
            case .within(let seconds):
                out += " WITHIN "
                number(seconds)
                out += " SECONDS"
            case .repeats(let n): out += " REPEATS \(n) TIMES"
            case .startStop(let a, let b): out += " START t'\(a)' STOP t'\(b)'"
            }
        }
    }

    /// Qualifier kinds (WITHIN, REPEATS, START/STOP) that apply, without parentheses, to the
    /// observation expression `e` ends in. One kind may appear once per such chain (STIX 2.1
    /// 9.5.1), so a repeated kind needs the inner part in parentheses.
    private func unparenthesizedQualifiers(_ e: ObservationExpression) -> Set<Int> {
        guard case .qualified(let inner, let q) = e else { return [] }
        if needsParentheses(inner, under: q) { return [kind(q)] }
        return unparenthesizedQualifiers(inner).union([kind(q)])
    }

    private func needsParentheses(_ inner: ObservationExpression, under q: Qualifier) -> Bool {
        strength(inner) < 4 || unparenthesizedQualifiers(inner).contains(kind(q))
    }

    private func kind(_ q: Qualifier) -> Int {
        switch q {
        case .within: 0
        case .repeats: 1
        case .startStop: 2
        }
    }

    private mutating func group(_ e: ObservationExpression, _ parenthesize: Bool) {
        if parenthesize { out += "(" }
        observation(e)
        if parenthesize { out += ")" }
    }

    mutating func comparison(_ c: ComparisonExpression) {
        switch c {
        case .comparison(let t): test(t)
        case .and(let a, let b):
            comparisonGroup(a, { if case .or = a { true } else { false } }())
            out += " AND "
            comparisonGroup(b, { if case .comparison = b { false } else { true } }())
        case .or(let a, let b):
            comparison(a)
            out += " OR "
            comparisonGroup(b, { if case .or = b { true } else { false } }())
        }
    }

    private mutating func comparisonGroup(_ c: ComparisonExpression, _ parenthesize: Bool) {
        if parenthesize { out += "(" }
        comparison(c)
        if parenthesize { out += ")" }
    }

    private mutating func test(_ t: Comparison) {
        if t.op == .exists {
            out += t.negated ? "NOT EXISTS " : "EXISTS "
            path(t.path)
            return
        }
        path(t.path)
        out += t.negated ? " NOT " : " "
        out += t.op.rawValue + " "
        if let value = t.value { literal(value) }
    }

    private mutating func path(_ p: ObjectPath) {
        out += p.objectType + ":"
        for (i, step) in p.steps.enumerated() {
            switch step {
            case .property(let name):
                if i > 0 { out += "." }
                string(name)
            case .index(let n): out += "[\(n)]"
            case .anyIndex: out += "[*]"
            }
        }
    }

    private mutating func string(_ s: String) {
        out += "'"
        for scalar in s.unicodeScalars {
            if scalar == "'" || scalar == "\\" { out += "\\" }
            out.unicodeScalars.append(scalar)
        }
        out += "'"
    }

    private mutating func number(_ d: Double) {
        let text = "\(d)"
        if text.contains(where: { !("0"..."9").contains($0) && $0 != "." && $0 != "-" }) { exact = false }
        out += text
    }

    private mutating func literal(_ l: PatternLiteral) {
        switch l {
        case .string(let s): string(s)
        case .integer(let i): out += "\(i)"
        case .float(let d): number(d)
        case .boolean(let b): out += b ? "true" : "false"
        case .timestamp(let t): out += "t'\(t)'"
        case .hex(let bytes):
            let digits: [Character] = Array("0123456789abcdef")
            out += "h'"
            for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
            out += "'"
        case .binary(let b): out += "b'\(b)'"
        case .set(let elements):
            out += "("
            for (i, e) in elements.enumerated() {
                if i > 0 { out += ", " }
                literal(e)
            }
            out += ")"
        }
    }
}
