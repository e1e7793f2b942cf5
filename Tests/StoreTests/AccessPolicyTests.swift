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
