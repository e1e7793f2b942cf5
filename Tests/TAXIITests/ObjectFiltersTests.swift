import STIX
import Store
import TAXII
import Testing

@Suite("TAXII object filters")
struct ObjectFiltersTests {
    func parse(_ items: [(String, String)]) throws(TAXIIError) -> PageQuery {
        try ObjectFilters.pageQuery(from: items.map { (name: $0.0, value: $0.1) }, collectionID: "c")
    }

    @Test("every filter of the standard")
    func filters() throws {
        let q = try parse([("limit", "50"), ("added_after", "2021-01-01T00:00:00.123456Z"),
                           ("match[id]", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f,malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b"),
                           ("match[type]", "indicator,malware"), ("match[version]", "all"), ("match[spec_version]", "2.1"),
                           ("next", PageCursor(dateAdded: 5, sequence: 7).token), ("unrelated", "x")])
        #expect(q.limit == 50)
        #expect(q.addedAfter == (try Timestamp.parse("2021-01-01T00:00:00.123456Z").get().microseconds))
        #expect(q.ids.count == 2 && q.types == ["indicator", "malware"])
        #expect(q.versions == .all && q.specVersions == ["2.1"])
        #expect(q.cursor == PageCursor(dateAdded: 5, sequence: 7))
        let defaults = try parse([])
        #expect(defaults.limit == ObjectFilters.defaultLimit && defaults.versions == .last && defaults.specVersions == nil)
        #expect(try parse([("limit", "1000000")]).limit == ObjectFilters.maxLimit)
        #expect(try parse([("match[version]", "first")]).versions == .first)
        let exact = try parse([("match[version]", "2016-01-01T00:00:00.000Z,2017-01-01T00:00:00Z")])
        #expect(exact.versions == .exact([try Timestamp.parse("2016-01-01T00:00:00Z").get().microseconds, try Timestamp.parse("2017-01-01T00:00:00Z").get().microseconds]))
    }

    @Test("malformed filters are a 400 that names the parameter", arguments: [
        ("limit", "0"), ("limit", "-3"), ("limit", "ten"), ("added_after", "yesterday"), ("next", "garbage"),
        ("match[id]", "not-an-id"), ("match[id]", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f,"), ("match[type]", "Bad_Type"),
        ("match[version]", "all,last"), ("match[version]", "sometime"), ("match[spec_version]", "3.0"),
    ])
    func malformed(_ name: String, _ value: String) {
        do {
            _ = try parse([(name, value)])
            Issue.record("accepted \(name)=\(value)")
        } catch {
            #expect(error.status == 400)
            #expect(error.detail?.contains(name) == true, "\(error)")
        }
    }

    @Test("a repeated parameter is refused")
    func repeated() {
        #expect(throws: TAXIIError.self) { try parse([("limit", "1"), ("limit", "2")]) }
    }
}

@Suite("TAXII envelopes")
struct EnvelopeTests {
    let a = StoredObject(sequence: 1, collectionID: "c", id: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", type: "indicator",
                         dateAdded: 1_600_000_000_000_001, modified: 1_500_000_000_000_000, raw: Array(#"{"type":"indicator"}"#.utf8),
                         versionText: "2017-07-14T02:40:00.000Z")
    let b = StoredObject(sequence: 2, collectionID: "c", id: "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", type: "ipv4-addr",
                         dateAdded: 1_600_000_000_000_002, modified: nil, raw: Array(#"{"type":"ipv4-addr"}"#.utf8))

    @Test("objects go out byte for byte; more and next are set; empty is {}")
    func objects() throws {
        let page = ObjectPage(objects: [a, b], more: true, next: PageCursor(dateAdded: b.dateAdded, sequence: 2))
        let text = String(decoding: Envelopes.objects(page), as: UTF8.self)
        #expect(text == #"{"more":true,"next":"\#(page.next!.token)","objects":[{"type":"indicator"},{"type":"ipv4-addr"}]}"#)
        #expect(Envelopes.objects(ObjectPage(objects: [], more: false, next: nil)) == Array("{}".utf8))
        let headers = try #require(Envelopes.dateAddedHeaders(page))
        #expect(headers.first == "2020-09-13T12:26:40.000001Z" && headers.last == "2020-09-13T12:26:40.000002Z")
    }

    @Test("manifest and versions report modified as the object writes it; SCOs report date_added")
    func manifest() throws {
        let page = ObjectPage(objects: [a, b], more: false, next: nil)
        let manifest = try JSONParser.parse(Envelopes.manifest(page))
        let entries = try #require(manifest["objects"]?.arrayValue)
        #expect(entries[0]["version"]?.stringValue == "2017-07-14T02:40:00.000Z")
        #expect(entries[0]["date_added"]?.stringValue == "2020-09-13T12:26:40.000001Z")
        #expect(entries[1]["version"]?.stringValue == "2020-09-13T12:26:40.000002Z")
        #expect(entries[0]["media_type"]?.stringValue == "application/stix+json;version=2.1")
        #expect(manifest["more"] == .bool(false) && manifest["next"] == nil)
        let versions = try JSONParser.parse(Envelopes.versions(page))
        #expect(versions["versions"]?.arrayValue?.count == 2)
    }
}
