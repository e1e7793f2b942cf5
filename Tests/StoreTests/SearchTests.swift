import Foundation
import STIX
import Store
import Testing

@Suite("Full-text search")
struct SearchTests {
    static func object(_ id: String, _ modified: String, name: String, extra: String = "") -> String {
        #"{"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--\#(id)", "created": "2020-01-01T00:00:00.000Z", "modified": "\#(modified)", "name": "\#(name)"\#(extra)}"#
    }

    @Test("names, aliases, descriptions and values are found by word prefixes; the latest version counts; deletion removes", arguments: TestBackend.all)
    func search(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let a = "6b0d5c53-3e8e-4b7e-9d44-0e2b1c9c2a11", b = "7b0d5c53-3e8e-4b7e-9d44-0e2b1c9c2a11"
        _ = try await t.ingest(#"{"type": "bundle", "id": "bundle--\#(a)", "objects": [\#(Self.object(a, "2020-01-01T00:00:00.000Z", name: "Lazarus Group", extra: #", "aliases": ["Hidden Cobra"], "description": "Behind the Sony Pictures attack""#)), \#(Self.object(b, "2020-01-01T00:00:00.000Z", name: "Kimsuky"))]}"#, into: c.id)
        #expect(try await t.store.searchIDs(matching: ["lazar"], limit: 10) == ["intrusion-set--" + a])
        #expect(try await t.store.searchIDs(matching: ["cobra"], limit: 10) == ["intrusion-set--" + a])
        #expect(try await t.store.searchIDs(matching: ["sony", "pictures"], limit: 10) == ["intrusion-set--" + a])
        #expect(try await t.store.searchIDs(matching: ["sony", "kimsuky"], limit: 10) == [])
        #expect(try await t.store.searchIDs(matching: ["\"); DROP TABLE objects; --"], limit: 10) == [])
        _ = try await t.ingest(#"{"type": "bundle", "id": "bundle--\#(b)", "objects": [\#(Self.object(b, "2021-01-01T00:00:00.000Z", name: "Velvet Chollima"))]}"#, into: c.id)
        #expect(try await t.store.searchIDs(matching: ["kimsuky"], limit: 10) == [])
        #expect(try await t.store.searchIDs(matching: ["chollima"], limit: 10) == ["intrusion-set--" + b])
        _ = try await t.store.delete(id: "intrusion-set--" + b, from: c.id, versions: .exact([1_609_459_200_000_000]))
        #expect(try await t.store.searchIDs(matching: ["kimsuky"], limit: 10) == ["intrusion-set--" + b], "the remaining version is searchable again")
        _ = try await t.store.delete(id: "intrusion-set--" + b, from: c.id, versions: .all)
        #expect(try await t.store.searchIDs(matching: ["kimsuky"], limit: 10) == [])
    }

    @Test("a U+0000 in a name, a description, a reference or an observable (JSON allows it, PostgreSQL text does not) is stored, indexed and searchable", arguments: TestBackend.all)
    func nulCharacters(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let malware = "malware--f0e642f4-3328-4d08-8ded-3c9691eb79fc"
        let report = try await t.ingest(#"""
            {"type": "bundle", "id": "bundle--1fb7f628-0037-4c0d-92dd-34d68744d3c1", "objects": [
            {"type": "malware", "spec_version": "2.1", "id": "\#(malware)", "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
             "name": "Zero\u0000Loader", "description": "drops\u0000files", "is_family": true, "x_peer_ref": "malware--f0e642f4-3328-4d08-8ded-3c9691eb79f\u0000"},
            {"type": "file", "spec_version": "2.1", "id": "file--4449db7f-5a29-5704-b895-a688db06ab91", "name": "a\u0000b.exe", "hashes": {"MD5": "0123456789abcdef0123456789abcdef"}}]}
            """#, into: c.id)
        #expect(report.added == 2 && report.rejectedCount == 0)
        #expect(try await t.store.searchIDs(matching: ["loader"], limit: 10) == [malware])
        #expect(try await t.store.searchIDs(matching: ["files"], limit: 10) == [malware])
        let rows = try await t.store.indexRows(for: malware)
        #expect(rows.refs.count == 1 && rows.refs.first?.hasPrefix("malware--f0e642f4-3328-4d08-8ded-3c9691eb79f") == true)
        #expect(try await t.store.indexRows(for: "file--4449db7f-5a29-5704-b895-a688db06ab91").observables.count == 2)
        #expect(try await t.raws().count == 2, "the objects read back")
        // Lookups with U+0000 (from a URL's %00) find nothing rather than fail.
        #expect(try await t.store.organisation("a\u{0}b") == nil)
        #expect(try await t.store.searchIDs(matching: ["zero\u{0}load"], limit: 10) == [malware], "U+0000 separates words")
        #expect(try await t.store.page(PageQuery(collectionID: c.id, ids: ["malware--\u{0}"])).objects.isEmpty)
    }
}

@Suite("Relationships around an object")
struct ReferencingTests {
    @Test("referencing selects relationships whose source or target is the id, through the policy", arguments: TestBackend.all)
    func referencing(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let group = "intrusion-set--6b0d5c53-3e8e-4b7e-9d44-0e2b1c9c2a11"
        func rel(_ n: Int, _ source: String, _ target: String, red: Bool = false) -> String {
            #"{"type": "relationship", "spec_version": "2.1", "id": "relationship--\#(String(format: "%08x", n))-3e8e-4b7e-9d44-0e2b1c9c2a11", "created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z", "relationship_type": "uses", "source_ref": "\#(source)", "target_ref": "\#(target)"\#(red ? #", "object_marking_refs": ["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]"# : "")}"#
        }
        let malware = "malware--7b0d5c53-3e8e-4b7e-9d44-0e2b1c9c2a11", other = "malware--8b0d5c53-3e8e-4b7e-9d44-0e2b1c9c2a11"
        _ = try await t.ingest(#"{"type": "bundle", "id": "bundle--9b0d5c53-3e8e-4b7e-9d44-0e2b1c9c2a11", "objects": [\#(rel(1, group, malware)), \#(rel(2, malware, group)), \#(rel(3, other, malware)), \#(rel(4, group, other, red: true))]}"#,
                               into: c.id, owner: "org-a")
        var q = PageQuery(collectionID: c.id, limit: 100)
        q.referencing = group.uppercased()
        let all = try await t.store.page(q).objects.map(\.id).sorted()
        #expect(all.count == 3 && all.allSatisfy { !$0.hasPrefix("relationship--00000003") })
        q.viewer = .organisation("org-b")
        #expect(try await t.store.page(q).objects.map(\.id).sorted() == all.filter { !$0.hasPrefix("relationship--00000004") }, "the RED one is hidden from another organisation")
    }
}
