import Foundation
import STIX
import Store
import Testing

@Suite("Keyset paging")
struct PagingTests {
    func ids(_ n: Range<Int>) -> [String] {
        n.map { indicator(String(format: "%08x-79e2-4bf4-a0b3-27be02c7bd0d", $0)) }
    }

    @Test("10,000 objects sharing one date_added, plus objects added while paging, across a restart and a second store instance: each exactly once", arguments: TestBackend.all)
    func exactlyOnce(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let bulk = try await t.ingest(bundle(ids(0..<10_000)), into: c.id)
        #expect(bulk.added == 10_000)
        var seen: [String] = []
        var cursor: PageCursor?
        var store: any HubStore = t.store
        var pages = 0
        repeat {
            let page = try await store.page(PageQuery(collectionID: c.id, cursor: cursor, limit: 100))
            seen += page.objects.map(\.id)
            pages += 1
            if pages == 10 { _ = try await t.ingest(bundle(ids(10_000..<10_050)), into: c.id) }
            if pages == 40 { store = try await t.reopen() }   // a restart, or another node
            if pages > 60 { store = pages % 2 == 0 ? t.store : store }            // two instances, alternately
            // The cursor travels as its token, as a client would send it back.
            cursor = try page.next.map { try #require(PageCursor(token: $0.token)) }
            #expect(page.more == (page.next != nil))
        } while cursor != nil
        #expect(seen.count == 10_050)
        #expect(Set(seen).count == 10_050)
        let dates = try await t.raws().map(\.dateAdded)
        #expect(dates == dates.sorted())
    }

    @Test("versions: last by default, first, all, exact; added_after, types and ids filter", arguments: TestBackend.all)
    func filters(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let u = "1a7ebbd6-79e2-4bf4-a0b3-27be02c7bd0d"
        let v1 = indicator(u), v2 = indicator(u, modified: "2021-01-01T00:00:00.000Z")
        let sco = #"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}"#
        let first = try await t.ingest(bundle([v1, sco]), into: c.id)
        _ = try await t.ingest(bundle([v2]), into: c.id)
        func page(_ q: PageQuery) async throws -> [String] {
            try await t.store.page(q).objects.map { String(decoding: $0.raw, as: UTF8.self) }
        }
        #expect(try await page(PageQuery(collectionID: c.id)) == [sco, v2])
        #expect(try await page(PageQuery(collectionID: c.id, versions: .first)) == [v1, sco])
        #expect(try await page(PageQuery(collectionID: c.id, versions: .all)) == [v1, sco, v2])
        let modified = try Timestamp.parse("2020-01-01T00:00:00.000Z").get().microseconds
        #expect(try await page(PageQuery(collectionID: c.id, versions: .exact([modified]))) == [v1])
        #expect(try await page(PageQuery(collectionID: c.id, addedAfter: first.dateAdded, versions: .all)) == [v2])
        #expect(try await page(PageQuery(collectionID: c.id, types: ["ipv4-addr"])) == [sco])
        #expect(try await page(PageQuery(collectionID: c.id, ids: ["INDICATOR--\(u.uppercased())"], versions: .all)) == [v1, v2])
        #expect(try await page(PageQuery(collectionID: c.id, specVersions: ["2.0"])).isEmpty)
        await #expect(throws: StoreError.self) { try await t.store.page(PageQuery(collectionID: "nope")) }
    }

    @Test("delete removes the chosen versions and their index rows; a manifest page reads no content", arguments: TestBackend.all)
    func deleteAndManifest(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let u = "1a7ebbd6-79e2-4bf4-a0b3-27be02c7bd0d"
        _ = try await t.ingest(bundle([indicator(u), indicator(u, modified: "2021-01-01T00:00:00.000Z"), indicator(u, modified: "2022-01-01T00:00:00.000Z")]), into: c.id)
        #expect(try await t.store.indexRowCounts().refs == 6)
        let manifest = try await t.store.page(PageQuery(collectionID: c.id, versions: .all, withContent: false))
        #expect(manifest.objects.count == 3 && manifest.objects.allSatisfy { $0.raw.isEmpty && $0.specVersion == "2.1" })
        #expect(try await t.store.delete(id: "indicator--\(u)", from: c.id, versions: .first) == 1)
        #expect(try await t.store.delete(id: "indicator--\(u)", from: c.id, versions: .exact([0])) == 0)
        #expect(try await t.store.page(PageQuery(collectionID: c.id, versions: .all)).objects.count == 2)
        #expect(try await t.store.delete(id: "indicator--\(u)", from: c.id, versions: .all) == 2)
        let left = try await t.store.indexRowCounts()
        #expect(left.refs == 0 && left.observables == 0)
        #expect(try await t.store.integrityCheck() == ["ok"])
    }

    @Test("last and first stay right when versions arrive out of order, are deleted, or change spec_version", arguments: TestBackend.all)
    func versionFlags(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let u = "1a7ebbd6-79e2-4bf4-a0b3-27be02c7bd0d", other = "2b7ebbd6-79e2-4bf4-a0b3-27be02c7bd0d"
        let v2020 = indicator(u), v2021 = indicator(u, modified: "2021-01-01T00:00:00.000Z")
        let v2022 = indicator(u, modified: "2022-01-01T00:00:00.000Z")
        let v2023 = indicator(u, modified: "2023-01-01T00:00:00.000Z").replacingOccurrences(of: #""spec_version":"2.1""#, with: #""spec_version":"2.0""#)
        func page(_ versions: VersionFilter, specs: [String]? = nil) async throws -> [String] {
            try await t.store.page(PageQuery(collectionID: c.id, versions: versions, specVersions: specs)).objects.map { String(decoding: $0.raw, as: UTF8.self) }
        }
        _ = try await t.ingest(bundle([v2021]), into: c.id)
        _ = try await t.ingest(bundle([v2020]), into: c.id)                 // an older version, later
        _ = try await t.ingest(bundle([indicator(other), v2022]), into: c.id)
        #expect(try await page(.last) == [indicator(other), v2022])
        #expect(try await page(.first) == [v2020, indicator(other)])
        #expect(try await t.store.delete(id: "indicator--\(u)", from: c.id, versions: .last) == 1)
        #expect(try await page(.last) == [v2021, indicator(other)])
        #expect(try await t.store.delete(id: "indicator--\(u)", from: c.id, versions: .first) == 1)
        #expect(try await page(.first) == [v2021, indicator(other)])
        // A newer version in STIX 2.0: by default the latest 2.1 version still answers;
        // asking for 2.0 gives the 2.0 one.
        _ = try await t.ingest(bundle([v2023]), into: c.id)
        #expect(try await page(.last) == [v2021, indicator(other)])
        #expect(try await page(.last, specs: ["2.0"]) == [v2023])
        #expect(try await page(.all, specs: ["2.0", "2.1"]).count == 3)
    }

    @Test("last and first are chosen among the versions the reader may read; a hidden newer version neither hides nor reveals", arguments: TestBackend.all)
    func partlyReadable(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let owner = try await t.store.createOrganisation(name: "A", country: "KR", sector: "government")
        let reader = try await t.store.createOrganisation(name: "B", country: "JP", sector: "government")
        let u = "1a7ebbd6-79e2-4bf4-a0b3-27be02c7bd0d"
        let green = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
        let old = indicator(u).replacingOccurrences(of: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", with: green)
        let new = indicator(u, modified: "2021-01-01T00:00:00.000Z")
        #expect(new.contains(red) && !old.contains(red))
        _ = try await t.ingest(bundle([old, new]), into: c.id, owner: owner.id)
        func page(_ viewer: Viewer, _ versions: VersionFilter) async throws -> [String] {
            var q = PageQuery(collectionID: c.id, versions: versions)
            q.viewer = viewer
            return try await t.store.page(q).objects.map { String(decoding: $0.raw, as: UTF8.self) }
        }
        #expect(try await page(.organisation(reader.id), .last) == [old])
        #expect(try await page(.organisation(reader.id), .first) == [old])
        #expect(try await page(.organisation(reader.id), .all) == [old])
        #expect(try await page(.organisation(owner.id), .last) == [new])
        #expect(try await page(.anonymous, .last).isEmpty)   // GREEN is not for anonymous readers
        try await t.store.share(objectID: "indicator--\(u)", owner: owner.id, with: reader.id)
        #expect(try await page(.organisation(reader.id), .last) == [new])
    }

    @Test("cursor tokens round-trip and anything else is refused")
    func tokens() {
        let c = PageCursor(dateAdded: 1_700_000_000_123_456, sequence: 42)
        #expect(PageCursor(token: c.token) == c)
        for bad in ["", "1-", "2-abc-1", "1-zz-", "1--1-2", "x", "1-abc-1-1"] {
            #expect(PageCursor(token: bad) == nil, "\(bad)")
        }
    }
}
