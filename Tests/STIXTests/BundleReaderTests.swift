import STIX
import Testing

/// Serves input a few bytes at a time, so every token can straddle a chunk boundary.
struct TrickleSource: ByteSource {
    var bytes: [UInt8]
    var chunk: Int
    var offset = 0

    mutating func nextChunk() throws(ByteSourceError) -> [UInt8]? {
        guard offset < bytes.count else { return nil }
        let end = min(bytes.count, offset + chunk)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

func readAll(_ text: String, chunk: Int = 3, maxObjectSize: Int = 64 << 20) throws(DocumentError) -> (elements: [String], shape: DocumentShape, header: [String: JSONValue]) {
    var reader = BundleReader(source: TrickleSource(bytes: Array(text.utf8), chunk: chunk), maxObjectSize: maxObjectSize)
    var out: [String] = []
    while let e = try reader.next() { out.append(String(decoding: e.raw, as: UTF8.self)) }
    return (out, reader.shape, reader.header)
}

@Suite("Streaming bundle reader")
struct BundleReaderTests {
    @Test("splits a bundle into the original bytes of each object, across chunk boundaries", arguments: [1, 2, 7, 1 << 20])
    func bundle(chunk: Int) throws {
        let text = #"{"type": "bundle", "id": "bundle--44af6c39-c09b-49c5-9de2-394224b04982", "objects": [ {"type":"x","s":"a]}\"["} , {"b": [1, {"c": 2}]} ]}"#
        let r = try readAll(text, chunk: chunk)
        #expect(r.elements == [#"{"type":"x","s":"a]}\"["}"#, #"{"b": [1, {"c": 2}]}"#])
        #expect(r.shape == .bundle)
        #expect(r.header["id"]?.stringValue == "bundle--44af6c39-c09b-49c5-9de2-394224b04982")
    }

    @Test("reads TAXII envelopes and single objects")
    func shapes() throws {
        let envelope = try readAll(#"{"more": false, "objects": [{"a": 1}]}"#)
        #expect(envelope.shape == .envelope)
        #expect(envelope.elements.count == 1)
        let single = try readAll("\u{FEFF}" + #" {"type": "indicator", "objects": {"0": {}}} "#)
        #expect(single.shape == .singleObject)
        #expect(single.elements == [#"{"type": "indicator", "objects": {"0": {}}}"#])
        let empty = try readAll(#"{"type":"bundle","id":"bundle--44af6c39-c09b-49c5-9de2-394224b04982","objects":[]}"#)
        #expect(empty.elements.isEmpty)
    }

    @Test("reports truncated, trailing and malformed documents with position", arguments: [
        (#"{"type":"bundle","objects":[{"a":1},{"b":"#, "truncated"),
        (#"{"objects":[{"a":1}]} {"#, "unexpected data after the end"),
        (#"[{"a":1}]"#, "expected a JSON object"),
        ("", "the input is empty"),
        (#"{"objects":[{"a":1} {"b":2}]}"#, "expected ',' or ']'"),
        (#"{"objects":[{"a":1}], "type": x}"#, "expected a value"),
        (#"{"objects":[{"a":1},]}"#, "trailing or doubled comma"),
        (#"{"objects":[,{"a":1}]}"#, "trailing or doubled comma"),
        (#"{"objects":1,"objects":[{"a":1}]}"#, "duplicate top-level member"),
    ])
    func malformed(_ text: String, _ expected: String) {
        do {
            _ = try readAll(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.reason.contains(expected), "\(error)")
        }
    }

    @Test("refuses nesting and objects beyond the limits without buffering the rest")
    func limits() {
        let deep = #"{"objects":["# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "]}"
        #expect(throws: DocumentError.self) { try readAll(deep, chunk: 4096) }
        let big = #"{"objects":[{"description":""# + String(repeating: "a", count: 5000) + #""}]}"#
        do {
            _ = try readAll(big, chunk: 100, maxObjectSize: 1000)
            Issue.record("accepted an object over the limit")
        } catch {
            #expect(error.reason.contains("larger than 1000 bytes"))
            #expect(error.elementIndex == 0)
        }
    }
}
