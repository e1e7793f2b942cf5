import STIX
import Store

/// The JSON shapes of the admin API (docs/admin-api.yaml): what the store keeps, never a
/// secret except the one a token creation returns once.
enum AdminResources {
    /// The caller: `GET /admin/whoami`.
    struct Caller: Encodable {
        let tokenId: String
        let name: String
        let role: String
        let organisation: String?
        let hubAdmin: Bool
    }

    /// A member organisation.
    struct Organisation: Encodable {
        let id, name, country, sector, identityId: String

        init(_ o: Store.Organisation) {
            (id, name, country, sector, identityId) = (o.id, o.name, o.country, o.sector, o.identityID)
        }
    }

    /// A community and its member organisations' ids.
    struct Community: Encodable {
        let id, name: String
        let members: [String]

        init(_ c: Store.Community) { (id, name, members) = (c.id, c.name, c.members) }
    }

    /// A collection and who may see it.
    struct Collection: Encodable {
        let id, alias, title: String
        let description: String?
        let visibility: String
        let community: String?
        let organisation: String?
        let defaultTlp: String
        let readOnly: Bool

        init(_ c: CollectionInfo) {
            readOnly = c.readOnly
            (id, alias, title, description) = (c.id, c.alias, c.title, c.description)
            switch c.visibility {
            case .public: (visibility, community, organisation) = ("public", nil, nil)
            case .community(let id): (visibility, community, organisation) = ("community", id, nil)
            case .privateTo(let id): (visibility, community, organisation) = ("private", nil, id)
            }
            defaultTlp = AdminResources.name(of: c.defaultLevel)
        }
    }

    /// A person of an organisation.
    struct User: Encodable {
        let id, name: String
        let email: String?
        let organisation, role: String
        let revoked: String?

        init(_ u: UserInfo) {
            (id, name, email, organisation, role) = (u.id, u.name, u.email, u.organisation, u.role.rawValue)
            revoked = u.revoked.map { Timestamp(microseconds: $0).taxiiString }
        }
    }

    /// A token without its secret.
    struct Token: Encodable {
        let id, name, role: String
        let organisation: String?
        let user: String?
        let expires: String?
        let revoked: String?
        let state: String

        init(_ t: TokenInfo, now: Int64) {
            (id, name, role, organisation, user) = (t.id, t.name, t.role.rawValue, t.organisation, t.user)
            expires = t.expires.map { Timestamp(microseconds: $0).taxiiString }
            revoked = t.revoked.map { Timestamp(microseconds: $0).taxiiString }
            state = t.revoked != nil ? "revoked" : (t.expires.map { $0 <= now } ?? false) ? "expired" : "active"
        }
    }

    /// A new token with its secret, shown this once.
    struct NewToken: Encodable {
        let id, secret, name, role: String
        let organisation: String
        let expires: String?
    }

    /// A TLP:RED grant.
    struct Share: Encodable {
        let objectId, owner, recipient: String
    }

    /// An audit record.
    struct AuditRecord: Encodable {
        let sequence: Int64
        let time, actor: String
        let organisation: String?
        let action: String
        let target, detail: String?

        init(_ r: Store.AuditRecord) {
            (sequence, time, actor) = (r.sequence, Timestamp(microseconds: r.time).taxiiString, r.entry.actor)
            (organisation, action, target, detail) = (r.entry.organisation, r.entry.action, r.entry.target, r.entry.detail)
        }
    }

    /// `{"<key>": [...]}`: every list answer, so clients find the items by name.
    struct List<Item: Encodable>: Encodable {
        let key: String
        let items: [Item]

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(items, forKey: Key(stringValue: key))
        }
    }

    /// The TLP level names the API uses (`clear`, `green`, `amber`, `amber+strict`, `red`).
    static let levelNames = ["clear", "green", "amber", "amber+strict", "red"]

    /// The API name of a level.
    static func name(of level: TLP) -> String { String(level.description.dropFirst("TLP:".count)).lowercased() }

    /// The level an API name stands for.
    static func level(named name: String) -> TLP? { TLP.allCases.first { self.name(of: $0) == name } }
}
