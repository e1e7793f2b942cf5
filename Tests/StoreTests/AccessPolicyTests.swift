import STIX
import Store
import Testing

@Suite("Access policy (DESIGN.md, who may read what)")
struct AccessPolicyTests {
    let a = "org-a", b = "org-b", camp = "camp"

    @Test("collection visibility: public, community members, private owner; anonymous only public")
    func visibility() {
        let member: (String) -> Bool = { $0 == "camp" }
        #expect(AccessPolicy.reach(.anonymous, visibility: .public, isMember: member)?.maxLevel == .clear)
        #expect(AccessPolicy.reach(.anonymous, visibility: .community(camp), isMember: member) == nil)
        #expect(AccessPolicy.reach(.organisation(a), visibility: .public, isMember: member)?.maxLevel == .amberStrict)
        #expect(AccessPolicy.reach(.organisation(a), visibility: .community(camp), isMember: member) != nil)
        #expect(AccessPolicy.reach(.organisation(a), visibility: .community("other"), isMember: member) == nil)
        #expect(AccessPolicy.reach(.organisation(a), visibility: .privateTo(a), isMember: member) != nil)
        #expect(AccessPolicy.reach(.organisation(b), visibility: .privateTo(a), isMember: member) == nil)
        #expect(AccessPolicy.reach(.system, visibility: .privateTo(a), isMember: member)?.unrestricted == true)
    }

    @Test("levels: up to AMBER+STRICT for members, RED for the owner and its recipients only")
    func levels() {
        let reachB = AccessPolicy.Reach(maxLevel: .amberStrict, organisation: b)
        for level in TLP.allCases where level != .red {
            #expect(AccessPolicy.canRead(reachB, level: level, owner: a, isGrantee: false))
        }
        #expect(!AccessPolicy.canRead(reachB, level: .red, owner: a, isGrantee: false))
        #expect(AccessPolicy.canRead(reachB, level: .red, owner: a, isGrantee: true))
        #expect(AccessPolicy.canRead(reachB, level: .red, owner: b, isGrantee: false))
        let anonymous = AccessPolicy.Reach(maxLevel: .clear, organisation: nil)
        #expect(AccessPolicy.canRead(anonymous, level: .clear, owner: a, isGrantee: false))
        #expect(!AccessPolicy.canRead(anonymous, level: .green, owner: nil, isGrantee: true))
    }

    @Test("writing needs a writing role in an organisation that sees the collection")
    func writing() {
        let member: (String) -> Bool = { $0 == "camp" }
        #expect(AccessPolicy.canWrite(role: .editor, organisation: a, visibility: .community(camp), isMember: member))
        #expect(!AccessPolicy.canWrite(role: .reader, organisation: a, visibility: .community(camp), isMember: member))
        #expect(!AccessPolicy.canWrite(role: .admin, organisation: a, visibility: .privateTo(b), isMember: member))
        #expect(AccessPolicy.canWrite(role: .sync, organisation: a, visibility: .public, isMember: member))
    }
}

@Suite("Audit log chain")
struct AuditChainTests {
    @Test("the hash covers every field; a missing field differs from an empty one; appends chain and verify", arguments: TestBackend.all)
    func chain(_ backend: TestBackend) async throws {
        let e = AuditEntry(actor: "cli", organisation: nil, action: "org.add", target: "x", detail: "")
        let h = AuditRecord.hash(previous: AuditRecord.origin, sequence: 1, time: 5, entry: e)
        var other = e
        other.organisation = ""
        #expect(AuditRecord.hash(previous: AuditRecord.origin, sequence: 1, time: 5, entry: other) != h)
        other = e
        other.detail = nil
        #expect(AuditRecord.hash(previous: AuditRecord.origin, sequence: 1, time: 5, entry: other) != h)
        #expect(AuditRecord.hash(previous: AuditRecord.origin, sequence: 2, time: 5, entry: e) != h)
        let t = try await TemporaryStore.make(backend)
        try await t.store.appendAudit([e, AuditEntry(actor: "t1", action: "objects.add", target: "c")])
        try await t.store.appendAudit([AuditEntry(actor: "t2", action: "auth.failure")])
        let records = try await t.store.auditTail(10)
        #expect(records.map(\.sequence) == [1, 2, 3])
        #expect(records[1].previousHash == records[0].hash && records[2].previousHash == records[1].hash)
        let verification = try await t.store.verifyAudit()
        #expect(verification.count == 3 && verification.failure == nil && verification.head == records[2].hash)
    }

    @Test("a U+0000 in a field (which SQLite and PostgreSQL text cannot hold) is stored escaped and still verifies", arguments: TestBackend.all)
    func nul(_ backend: TestBackend) async throws {
        let t = try await TemporaryStore.make(backend)
        try await t.store.appendAudit([AuditEntry(actor: "a\u{0}b", action: "org.add", target: "x\u{0}", detail: "\u{0}")])
        let record = try await t.store.auditTail(1)[0]
        #expect(record.entry.actor == "a\\u0000b" && record.entry.target == "x\\u0000" && record.entry.detail == "\\u0000")
        #expect(try await t.store.verifyAudit().failure == nil)
    }
}
