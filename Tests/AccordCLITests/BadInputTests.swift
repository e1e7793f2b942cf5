import Foundation
import Store
import Testing

@Suite("Bad input gives a clear error, never a crash or a hang")
struct BadInputTests {
    /// Imports `content` into a fresh store; expects a clean non-zero exit naming `expected`,
    /// and an empty store afterwards.
    func expectRefused(_ content: [UInt8], _ expected: String, command: String = "import") async throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/input.json"
        try Data(content).write(to: URL(fileURLWithPath: file))
        let r = try CLIRunner.run(command == "import" ? ["import", "--data", dir + "/data", file] : ["validate", file])
        #expect(!r.signaled, "crashed: \(r.stderr.suffix(2000))")
        #expect(r.status == 1, "exit \(r.status): \(r.stderr.suffix(500))")
        let output = r.stderr + r.stdout
        #expect(output.contains(expected), "\(output.prefix(2000))")
        #expect(!output.contains("Fatal error"))
        if command == "import" {
            let store = try SQLiteStore(directory: dir + "/data")
            #expect(try await store.statistics().rows.isEmpty)
        }
    }

    @Test("truncated JSON", arguments: ["import", "validate"])
    func truncated(command: String) async throws {
        let text = Fixtures.bundle([Fixtures.indicator(1), Fixtures.indicator(2)])
        try await expectRefused(Array(text.utf8.prefix(text.utf8.count - 40)), "truncated", command: command)
    }

    @Test("a 200 MB single-line file: one huge object, and 200 MB of garbage")
    func huge() async throws {
        var big = Array(#"{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"note","description":""#.utf8)
        big.append(contentsOf: repeatElement(UInt8(ascii: "a"), count: 200 << 20))
        big.append(contentsOf: Array(#""}]}"#.utf8))
        try await expectRefused(big, "larger than")
        try await expectRefused(Array(repeatElement(UInt8(ascii: "x"), count: 200 << 20)), "expected a JSON object")
    }

    @Test("wrong types are refused with the object id and JSON path")
    func wrongTypes() async throws {
        let wrong = Fixtures.indicator(7).replacingOccurrences(of: #""name":"Indicator 7""#, with: #""name":["a"],"confidence":"high""#)
        try await expectRefused(Array(Fixtures.bundle([Fixtures.indicator(1), wrong]).utf8), "objects[1] (indicator--00000007-1111-4111-8111-111111111111): $.confidence: must be an integer")
        try await expectRefused(Array(#"{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":"none"}"#.utf8), "its objects must be a list")
        try await expectRefused(Array(#"{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[42]}"#.utf8), "must be a JSON object")
    }

    @Test("duplicate ids with conflicting content")
    func duplicates() async throws {
        let text = Fixtures.bundle([Fixtures.indicator(3), Fixtures.indicator(3, value: "192.0.2.1")])
        try await expectRefused(Array(text.utf8), "with different content")
        try await expectRefused(Array(text.utf8), "with different content", command: "validate")
    }

    @Test("non-UTF-8 bytes inside and outside strings")
    func nonUTF8() async throws {
        var inside = Array(Fixtures.bundle([Fixtures.indicator(4)]).utf8)
        let at = inside.firstIndex(of: UInt8(ascii: "I"))!
        inside[at] = 0xC3
        inside[at + 1] = 0x28
        try await expectRefused(inside, "not valid UTF-8")
        try await expectRefused([0xFF, 0xFE, 0x7B, 0x7D], "expected a JSON object")
    }

    @Test("100,000 levels of nesting")
    func deepNesting() async throws {
        let deep = #"{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":["# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "]}"
        try await expectRefused(Array(deep.utf8), "nesting deeper than")
        try await expectRefused(Array((String(repeating: "{\"a\":", count: 100_000) + "1" + String(repeating: "}", count: 100_000)).utf8), "nesting deeper than")
    }
}
