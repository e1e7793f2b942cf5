import Foundation
import PostgresStore
import STIX
import Store
import Testing

/// Tokens, users, the directory, status resources, shared sessions and change tracking: the
/// same contract on both backends.
@Suite("Hub state conformance (SQLite and PostgreSQL)")
struct HubStateTests {
    @Test("tokens authenticate until revoked or expired; only hashes are stored; revoking a user revokes its tokens", arguments: TestBackend.all)
    func tokens(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let org = try await t.store.createOrganisation(name: "KISA", country: "kr", sector: "government")
        #expect(org.country == "KR")
        let (id, secret) = try await t.store.createToken(name: "feed", role: .reader, organisation: org.id, secret: nil)
        #expect(secret.hasPrefix("acc_"))
        #expect(try await t.store.principal(forSecret: secret) == Principal(tokenID: id, name: "feed", role: .reader, organisation: org.id))
        #expect(try await t.store.principal(forSecret: secret + "x") == nil)
        let expired = try await t.store.createToken(name: "old", role: .editor, organisation: org.id, secret: nil, expires: 1)
        #expect(try await t.store.principal(forSecret: expired.secret) == nil)
        try await t.store.revokeToken(id)
        #expect(try await t.store.principal(forSecret: secret) == nil)
        await #expect(throws: StoreError.self) { try await t.store.revokeToken("no-such-token") }
        let user = try await t.store.createUser(name: "analyst", email: "a@example.org", organisation: org.name, role: .editor)
        await #expect(throws: StoreError.self) { _ = try await t.store.createUser(name: "analyst", email: nil, organisation: org.id, role: .reader) }
        let personal = try await t.store.createToken(forUser: user.id, name: "laptop", expires: nil)
        #expect(try await t.store.principal(forSecret: personal.secret)?.role == .editor)
        let revoked = try await t.store.revokeUser("analyst")
        #expect(revoked.revoked != nil)
        #expect(try await t.store.principal(forSecret: personal.secret) == nil)
        #expect(try await t.store.tokens().map(\.name) == ["feed", "old", "laptop"])
        #expect(try await t.store.tokens().first { $0.name == "laptop" }?.user == user.id)
        #expect(try await t.store.tokenCount() == 3)
        #expect(try await t.store.users().map(\.name) == ["analyst"])
    }

    @Test("organisations, communities and memberships; duplicates refused; removing an organisation ends its access", arguments: TestBackend.all)
    func directory(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let a = try await t.store.createOrganisation(name: "A", country: "KR", sector: "finance")
        let b = try await t.store.createOrganisation(name: "B", country: "JP", sector: "energy")
        await #expect(throws: StoreError.self) { _ = try await t.store.createOrganisation(name: "A", country: "KR", sector: "x") }
        #expect(try await t.store.organisations().map(\.name) == ["A", "B"])
        #expect(try await t.store.organisation(b.id) == b)
        let camp = try await t.store.createCommunity(name: "CAMP")
        await #expect(throws: StoreError.self) { _ = try await t.store.createCommunity(name: "CAMP") }
        try await t.store.setMembership(community: "CAMP", organisation: "A", member: true)
        try await t.store.setMembership(community: camp.id, organisation: b.id, member: true)
        try await t.store.setMembership(community: camp.id, organisation: b.id, member: true)
        #expect(try await t.store.memberships(of: a.id) == [camp.id])
        #expect(Set(try await t.store.communities().first?.members ?? []) == [a.id, b.id])
        try await t.store.setMembership(community: "CAMP", organisation: "B", member: false)
        #expect(try await t.store.memberships(of: b.id).isEmpty)
        await #expect(throws: StoreError.self) { try await t.store.setMembership(community: "nope", organisation: "A", member: true) }
        let shared = try await t.store.createCollection(alias: "camp", title: "CAMP", description: nil, visibility: .community(camp.id), defaultLevel: .amber)
        var q = PageQuery(collectionID: shared.id)
        q.viewer = .organisation(b.id)
        await #expect(throws: StoreError.self) { _ = try await t.store.page(q) }   // hidden from non-members: looks absent
        q.viewer = .organisation(a.id)
        #expect(try await t.store.page(q).objects.isEmpty)
        let (_, secret) = try await t.store.createToken(name: "a", role: .admin, organisation: a.id, secret: nil)
        let reshape = try await t.store.reshapeGeneration()
        try await t.store.removeOrganisation("A")
        #expect(try await t.store.principal(forSecret: secret) == nil)
        #expect(try await t.store.memberships(of: a.id).isEmpty)
        #expect(try await t.store.reshapeGeneration() > reshape)
        let hub = try await t.store.operatorOrganisation()
        #expect(try await t.store.operatorOrganisation() == hub)
    }

    @Test("status resources and pending ingests survive a reopen; completing one drops its body", arguments: TestBackend.all)
    func statuses(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        try await t.store.saveStatus(id: "s1", collectionID: "c", body: Array(#"{"status":"complete"}"#.utf8))
        try await t.store.savePending(id: "s2", collectionID: "c", received: 5, body: [1, 2, 3], status: Array(#"{"status":"pending"}"#.utf8),
                                      organisation: "org", actor: "token")
        let other = try await t.reopen()
        #expect(try await other.status(id: "s1") == Array(#"{"status":"complete"}"#.utf8))
        let pending = try await other.pendingIngests()
        #expect(pending.count == 1 && pending[0].id == "s2" && pending[0].body == [1, 2, 3] && pending[0].organisation == "org" && pending[0].actor == "token")
        try await other.completePending(id: "s2", status: Array(#"{"status":"complete"}"#.utf8))
        #expect(try await t.store.pendingIngests().isEmpty)
        #expect(try await t.store.status(id: "s2") == Array(#"{"status":"complete"}"#.utf8))
        #expect(try await t.store.status(id: "nope") == nil)
    }

    @Test("web sessions are shared by every handle on the store, end with their token, and idle out", arguments: TestBackend.all)
    func sessions(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let org = try await t.store.createOrganisation(name: "A", country: "KR", sector: "finance")
        let (id, _) = try await t.store.createToken(name: "web", role: .admin, organisation: org.id, secret: nil)
        let key = Array(repeating: UInt8(7), count: 32)
        try await t.store.startSession(idHash: key, tokenID: id, csrf: "form-token")
        let other = try await t.reopen()
        let found = try await other.session(idHash: key, idle: 3_600_000_000)
        #expect(found?.principal.tokenID == id && found?.csrf == "form-token" && found?.principal.organisation == org.id)
        #expect(try await other.session(idHash: Array(repeating: 8, count: 32), idle: 3_600_000_000) == nil)
        #expect(try await other.session(idHash: key, idle: 0) == nil, "idle longer than allowed")
        try await t.store.revokeToken(id)
        #expect(try await other.session(idHash: key, idle: 3_600_000_000) == nil, "a revoked token ends its sessions at once")
        try await other.endSession(idHash: key)
    }

    @Test("failed authentications add up across handles within a window", arguments: TestBackend.all)
    func authFailures(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let other = try await t.reopen()
        let first = try await t.store.recordAuthFailure(address: "192.0.2.1", window: 60_000_000)
        let second = try await other.recordAuthFailure(address: "192.0.2.1", window: 60_000_000)
        #expect(first.failures == 1 && second.failures == 2 && second.windowStart == first.windowStart)
        #expect(try await other.recordAuthFailure(address: "192.0.2.2", window: 60_000_000).failures == 1)
        #expect(try await t.store.recordAuthFailure(address: "192.0.2.1", window: 0).failures == 1, "a finished window starts again")
    }

    @Test("generations and access changes: additions bump the generation only; deletions and RED grants are listed", arguments: TestBackend.all)
    func changes(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let owner = try await t.store.createOrganisation(name: "A", country: "KR", sector: "finance")
        let reader = try await t.store.createOrganisation(name: "B", country: "JP", sector: "energy")
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let start = try await t.store.accessChanges(after: -1).position
        let (g0, r0) = (try await t.store.generation(), try await t.store.reshapeGeneration())
        let u = "1a7ebbd6-79e2-4bf4-a0b3-27be02c7bd0d", v = "2b7ebbd6-79e2-4bf4-a0b3-27be02c7bd0d"
        _ = try await t.ingest(bundle([indicator(u), indicator(v)]), into: c.id, owner: owner.id)
        #expect(try await t.store.generation() > g0)
        #expect(try await t.store.reshapeGeneration() == r0)
        #expect(try await t.store.accessChanges(after: start).ids.isEmpty)
        try await t.store.share(objectID: "indicator--\(u)", owner: owner.id, with: reader.id)
        await #expect(throws: StoreError.self) { try await t.store.share(objectID: "indicator--\(v)", owner: reader.id, with: owner.id) }
        #expect(try await t.store.delete(id: "indicator--\(v)", from: c.id, versions: .all, by: .organisation(reader.id)) == 0, "only the owner deletes")
        #expect(try await t.store.delete(id: "indicator--\(v)", from: c.id, versions: .all, by: .organisation(owner.id)) == 1)
        let changes = try await t.store.accessChanges(after: start)
        #expect(changes.ids == ["indicator--\(u)", "indicator--\(v)"])
        #expect(try await t.store.accessChanges(after: changes.position).ids.isEmpty)
        #expect(try await t.store.statistics().rows == [.init(collection: "c", type: "indicator", objects: 1, versions: 1)])
        #expect(try await t.store.integrityCheck() == ["ok"])
    }

    @Test("another organisation may not add versions to an object it does not own", arguments: TestBackend.all)
    func foreignVersions(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        let c = try await t.store.createCollection(alias: "c", title: "c", description: nil)
        let u = "1a7ebbd6-79e2-4bf4-a0b3-27be02c7bd0d"
        #expect(try await t.ingest(bundle([indicator(u)]), into: c.id, owner: "org-a").added == 1)
        let r = try await t.ingest(bundle([indicator(u, modified: "2021-01-01T00:00:00.000Z")]), into: c.id, owner: "org-b")
        #expect(!r.committed && r.rejections.first?.issues.first?.reason.contains("belongs to another organisation") == true)
        let partial = try await t.ingest(bundle([indicator(u, modified: "2021-01-01T00:00:00.000Z"), indicator("2b7ebbd6-79e2-4bf4-a0b3-27be02c7bd0d")]),
                                         into: c.id, partial: true, owner: "org-b")
        #expect(partial.committed && partial.added == 1 && partial.rejectedCount == 1)
        #expect(try await t.raws().count == 2)
        #expect(try await t.store.integrityCheck() == ["ok"])
    }
}

/// PostgreSQL only: several nodes start on one database at the same moment.
@Suite("PostgreSQL nodes starting together")
struct ConcurrentStartTests {
    @Test("four stores opening one fresh database at once all migrate it without error, and agree", .enabled(if: TestBackend.all.contains(.postgres)))
    func concurrentMigrations() async throws {
        guard let server = TestBackend.serverURL else {
            throw StoreError.unusableDirectory("ACCORD_REQUIRE_POSTGRES=1 but ACCORD_TEST_DATABASE_URL names no PostgreSQL server")
        }
        let url = try await PostgresStore.createDatabase("accord_test_start_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""),
                                                         on: server)
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresStore.open(url: url) } }
            return try await group.reduce(into: [PostgresStore]()) { $0.append($1) }
        }
        #expect(stores.count == 4)
        let c = try await stores[0].createCollection(alias: "c", title: "c", description: nil)
        for store in stores { #expect(try await store.collection("c") == c) }
        #expect(try await stores[3].integrityCheck() == ["ok"])
    }

    @Test("a database that does not exist, or a role that does not, is named in the error (not the pool's 'could not connect')",
          .enabled(if: TestBackend.all.contains(.postgres)))
    func namedConnectionProblems() async throws {
        guard let server = TestBackend.serverURL, var url = URLComponents(string: server) else { return }
        url.path = "/accord_no_such_database"
        let missing = await #expect(throws: StoreError.self) { _ = try await PostgresStore.open(url: url.string!) }
        #expect(missing?.description.contains("database \"accord_no_such_database\" does not exist") == true)
        url.user = "accord_no_such_role"
        let stranger = await #expect(throws: StoreError.self) { _ = try await PostgresStore.open(url: url.string!) }
        #expect(stranger?.description.contains("role \"accord_no_such_role\" does not exist") == true)
    }
}
