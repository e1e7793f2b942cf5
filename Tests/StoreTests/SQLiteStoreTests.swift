import Foundation
import STIX
import PostgresStore
import Store
import Testing

/// The backends the store conformance tests run against: SQLite always; PostgreSQL when
/// `ACCORD_TEST_DATABASE_URL` names a server (scripts/test starts a throwaway one and sets
/// `ACCORD_REQUIRE_POSTGRES=1`, so a missing server fails instead of being skipped).
enum TestBackend: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var serverURL: String? {
        let url = ProcessInfo.processInfo.environment["ACCORD_TEST_DATABASE_URL"] ?? ""
        return url.isEmpty ? nil : url
    }

    /// Every backend the tests can reach here.
    static var all: [TestBackend] {
        serverURL != nil || ProcessInfo.processInfo.environment["ACCORD_REQUIRE_POSTGRES"] == "1" ? [.sqlite, .postgres] : [.sqlite]
    }
}

/// A fresh store, removed when the test ends: SQLite in a temporary directory, or a new
/// database on the test PostgreSQL server.
final class TemporaryStore: Sendable {
    let backend: TestBackend
    let directory: String
    let databaseURL: String?
    let store: any HubStore & StoreInspection

    /// A fresh SQLite store.
    convenience init() throws {
        let directory = NSTemporaryDirectory() + "accord-test-" + UUID().uuidString
        self.init(backend: .sqlite, directory: directory, databaseURL: nil, store: try SQLiteStore(directory: directory))
    }

    private init(backend: TestBackend, directory: String, databaseURL: String?, store: any HubStore & StoreInspection) {
        self.backend = backend
        self.directory = directory
        self.databaseURL = databaseURL
        self.store = store
    }

    /// A fresh store of `backend`.
    static func make(_ backend: TestBackend) async throws -> TemporaryStore {
        switch backend {
        case .sqlite: return try TemporaryStore()
        case .postgres:
            guard let server = TestBackend.serverURL else {
                throw StoreError.unusableDirectory("ACCORD_REQUIRE_POSTGRES=1 but ACCORD_TEST_DATABASE_URL names no PostgreSQL server")
            }
            let name = "accord_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let url = try await PostgresStore.createDatabase(name, on: server)
            return TemporaryStore(backend: .postgres, directory: "", databaseURL: url, store: try await PostgresStore.open(url: url))
        }
    }

    /// A second handle on the same store, as another process (or a restart) would open it.
    func reopen() async throws -> any HubStore & StoreInspection {
        if let databaseURL { return try await PostgresStore.open(url: databaseURL) }
        return try SQLiteStore(directory: directory)
    }

    deinit { if databaseURL == nil { try? FileManager.default.removeItem(atPath: directory) } }

    func ingest(_ json: String, into collection: String, partial: Bool = false, owner: String? = nil) async throws -> IngestReport {
        try await store.ingest(from: BundlePipeline(source: MemoryByteSource(Array(json.utf8)), batchSize: 2), into: collection,
                               options: IngestOptions(partial: partial, ownerOrganisation: owner))
    }

    /// Every stored version of every collection (or those `versions`/`addedAfter` select).
    func raws(versions: VersionFilter = .all, addedAfter: Int64? = nil) async throws -> [StoredObject] {
        var all: [StoredObject] = []
        for c in try await store.collections() {
            try await store.forEachPage(PageQuery(collectionID: c.id, addedAfter: addedAfter, limit: 500, versions: versions,
                                                  specVersions: ["2.0", "2.1"])) { all += $0 }
        }
        return all
    }
}


func indicator(_ uuid: String, modified: String = "2020-01-01T00:00:00.000Z", value: String = "198.51.100.7", spacing: String = "") -> String {
    #"{"type":"indicator","spec_version":"2.1","id":"indicator--\#(uuid)","created":"2020-01-01T00:00:00.000Z","modified":"\#(modified)",\#(spacing)"pattern":"[ipv4-addr:value = '\#(value)']","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z","created_by_ref":"identity--b38dfe21-7477-40d1-aa90-5c8671ce51ca","object_marking_refs":["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]}"#
}

func bundle(_ objects: [String]) -> String {
    #"{"type":"bundle","id":"bundle--\#(UUID().uuidString.lowercased())","objects":[\#(objects.joined(separator: ","))]}"#
}

@Suite("Object store conformance (SQLite and PostgreSQL)")
struct SQLiteStoreTests {
    let u1 = "1a7ebbd6-79e2-4bf4-a0b3-27be02c7bd0d", u2 = "2b7ebbd6-79e2-4bf4-a0b3-27be02c7bd0d", u3 = "3c7ebbd6-79e2-4bf4-a0b3-27be02c7bd0d"

    @Test("stores versions by (id, modified); an identical re-import is a no-op", arguments: TestBackend.all)
    func versions(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "camp", title: "CAMP", description: nil)
        let first = try await t.ingest(bundle([indicator(u1), indicator(u1, modified: "2021-01-01T00:00:00.000Z")]), into: c.id)
        #expect(first.added == 2 && first.committed)
        let again = try await t.ingest(bundle([indicator(u1, spacing: " "), indicator(u1, modified: "2021-01-01T00:00:00.000Z")]), into: c.id)
        #expect(again.added == 0 && again.unchanged == 2 && again.rejectedCount == 0)
        let stats = try await t.store.statistics()
        #expect(stats.rows == [.init(collection: "camp", type: "indicator", objects: 1, versions: 2)])
        #expect(try await t.raws(versions: .last).map(\.modified) == [try Timestamp.parse("2021-01-01T00:00:00.000Z").get().microseconds])
    }

    @Test("one invalid object rejects the whole bundle unless partial import is asked for", arguments: TestBackend.all)
    func atomicity(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let bad = #"{"type":"indicator","spec_version":"2.1","id":"indicator--\#(u2)","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z"}"#
        let r = try await t.ingest(bundle([indicator(u1), bad, indicator(u3)]), into: c.id)
        #expect(!r.committed && r.added == 0 && r.rejectedCount == 1)
        #expect(r.rejections.first?.index == 1 && r.rejections.first?.id == "indicator--\(u2)")
        #expect(r.rejections.first?.issues.contains { $0.path == "$.pattern" && $0.reason == "is required" } == true)
        #expect(try await t.raws().isEmpty)
        let partial = try await t.ingest(bundle([indicator(u1), bad, indicator(u3)]), into: c.id, partial: true)
        #expect(partial.committed && partial.added == 2 && partial.rejectedCount == 1)
    }

    @Test("the same version with different content is refused, in the bundle and against the store", arguments: TestBackend.all)
    func conflicts(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let r = try await t.ingest(bundle([indicator(u1), indicator(u1, value: "203.0.113.9")]), into: c.id)
        #expect(!r.committed && r.rejections.first?.issues.first?.reason.contains("earlier in the same bundle") == true)
        _ = try await t.ingest(bundle([indicator(u1)]), into: c.id)
        let r2 = try await t.ingest(bundle([indicator(u1, value: "203.0.113.9")]), into: c.id)
        #expect(!r2.committed && r2.rejections.first?.issues.first?.reason.contains("already stored with different content") == true)
    }

    @Test("an SCO sent again with other content keeps the stored copy and says so", arguments: TestBackend.all)
    func unversionedCopies(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let ip = #"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}"#
        let marked = #"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3","x_seen_by":"partner"}"#
        _ = try await t.ingest(bundle([ip]), into: c.id)
        let r = try await t.ingest(bundle([marked]), into: c.id)
        #expect(r.committed && r.rejectedCount == 0 && r.unchanged == 1)
        #expect(r.notices.first?.issues.first?.reason.contains("not versioned") == true)
        #expect(String(decoding: try await t.raws().first!.raw, as: UTF8.self) == ip)
    }

    @Test("an object comes back byte for byte as sent: white space, escapes, backslashes, non-ASCII text", arguments: TestBackend.all)
    func exactBytes(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let ascii = "{\n\t\"type\": \"malware\", \"spec_version\": \"2.1\", \"id\": \"malware--0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a\",\r\n"
            + #" "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", "is_family": true, "name": "C:\\Temp \"x\" \u00e9\u0000~"}"#
        let korean = #"{"type": "malware", "spec_version": "2.1", "id": "malware--1a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a", "created": "2024-01-01T00:00:00.000Z", "#
            + #""modified": "2024-01-01T00:00:00.000Z", "is_family": false, "name": "라자루스 그룹의 악성코드 김수키 안다리엘 블루노로프 — 북한"}"#
        let r = try await t.ingest(bundle([ascii, korean]), into: c.id)
        #expect(r.added == 2 && r.rejectedCount == 0)
        let stored = Dictionary(uniqueKeysWithValues: try await t.raws().map { ($0.id, $0.raw) })
        #expect(stored["malware--0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a"] == Array(ascii.utf8))
        #expect(stored["malware--1a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a"] == Array(korean.utf8))
    }

    @Test("revocation is final and every version keeps created", arguments: TestBackend.all)
    func versionRules(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let revoked = indicator(u1, modified: "2021-01-01T00:00:00.000Z").replacingOccurrences(of: #""pattern_type""#, with: #""revoked":true,"pattern_type""#)
        #expect(try await t.ingest(bundle([indicator(u1), revoked]), into: c.id).added == 2)
        let after = try await t.ingest(bundle([indicator(u1, modified: "2022-01-01T00:00:00.000Z")]), into: c.id)
        #expect(!after.committed && after.rejections.first?.issues.first?.reason.contains("revocation is final") == true)
        let recreated = indicator(u2, modified: "2022-01-01T00:00:00.000Z").replacingOccurrences(of: #""created":"2020-01-01T00:00:00.000Z""#, with: #""created":"2021-06-01T00:00:00.000Z""#)
        _ = try await t.ingest(bundle([indicator(u2)]), into: c.id)
        let moved = try await t.ingest(bundle([recreated]), into: c.id)
        #expect(!moved.committed && moved.rejections.first?.issues.first?.reason.contains("original created") == true)
        #expect(try await t.raws().count == 3)
    }

    @Test("TLP marking ids in capitals still count, and ids are stored in one case", arguments: TestBackend.all)
    func caseOfIdentifiers(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let upper = indicator(u3).replacingOccurrences(of: "e828b379-4e03-4974-9ac4-e53a884c97c1", with: "E828B379-4E03-4974-9AC4-E53A884C97C1")
            .replacingOccurrences(of: "indicator--\(u3)", with: "indicator--\(u3.uppercased())")
        _ = try await t.ingest(bundle([upper]), into: c.id)
        let index = try await t.store.indexRows(for: "indicator--\(u3)")
        #expect(index.tlp == TLP.red.rawValue)
        #expect(index.refs.contains("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"))
    }

    @Test("each bundle gets a later date_added; objects keep a strict order; index rows are written", arguments: TestBackend.all)
    func orderingAndIndexes(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let a = try await t.ingest(bundle([indicator(u1), indicator(u2)]), into: c.id)
        let b = try await t.ingest(bundle([indicator(u3)]), into: c.id)
        #expect(try #require(b.dateAdded) > #require(a.dateAdded))
        let all = try await t.raws()
        #expect(all.map(\.sequence) == all.map(\.sequence).sorted())
        #expect(all[0].dateAdded == all[1].dateAdded && all[2].dateAdded > all[1].dateAdded)
        #expect(try await t.raws(addedAfter: a.dateAdded).map(\.id) == ["indicator--\(u3)"])
        let stored = try #require(all.first)
        #expect(String(decoding: stored.raw, as: UTF8.self) == indicator(u1))
        let index = try await t.store.indexRows(for: "indicator--\(u1)")
        #expect(index.refs.contains("identity--b38dfe21-7477-40d1-aa90-5c8671ce51ca"))
        #expect(index.refs.contains("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"))
        #expect(index.observables == ["ipv4-addr:value=198.51.100.7"])
        #expect(index.tlp == TLP.red.rawValue)
    }

    @Test("readers see the last committed state while a writer ingests (WAL)", arguments: TestBackend.all)
    func concurrentReaders(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        _ = try await t.ingest(bundle([indicator(u1)]), into: c.id)
        let many = (0..<3000).map { i in indicator(String(format: "%08x-79e2-4bf4-a0b3-27be02c7bd0d", i + 100)) }
        async let writer = t.ingest(bundle(many), into: c.id)
        var counts: [Int] = []
        for _ in 0..<20 { counts.append(try await t.raws().count) }
        let report = try await writer
        #expect(report.added == 3000)
        #expect(counts.allSatisfy { $0 == 1 || $0 == 3001 })
        #expect(try await t.raws().count == 3001)
        #expect(try await t.store.integrityCheck() == ["ok"])
    }

    @Test("unknown collections are refused", arguments: TestBackend.all)
    func unknownCollection(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        await #expect(throws: StoreError.self) { try await t.ingest(bundle([indicator(u1)]), into: "nope") }
        _ = try await t.store.createCollection(alias: "a", title: "a", description: nil)
        await #expect(throws: StoreError.self) { try await t.store.createCollection(alias: "a", title: "a", description: nil) }
    }
}
