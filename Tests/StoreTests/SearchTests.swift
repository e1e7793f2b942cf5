import Foundation
import STIX
import Store
import Testing

@Suite("Full-text search")
struct SearchTests {
    static func object(_ id: String, _ modified: String, name: String, extra: String = "") -> String {
        #"{"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--\#(id)", "created": "2020-01-01T00:00:00.000Z", "modified": "\#(modified)", "name": "\#(name)"\#(extra)}"#
    }

    @Test("names, aliases, descriptions and values are found by word prefixes; the latest version counts; deletion removes")
    func search() async throws {
        let t = try TemporaryStore()
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
}
