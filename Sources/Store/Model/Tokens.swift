import Crypto
import STIX

/// What a principal may do on the hub.
public enum Role: String, Sendable, CaseIterable {
    case admin, editor, reader, sync

    /// Whether the role may add objects to collections it can write.
    public var canWrite: Bool { self != .reader }
}

/// The authenticated caller of a request.
public struct Principal: Sendable, Hashable {
    /// The token's id (never the secret).
    public var tokenID: String
    /// The token's name, for logs.
    public var name: String
    /// Its role.
    public var role: Role
    /// The organisation it belongs to (the access-control work fills this in).
    public var organisation: String?

    /// How the access policy sees this principal: its organisation (a token without one reads
    /// as anonymous).
    public var viewer: Viewer { organisation.map(Viewer.organisation) ?? .anonymous }

    /// Creates a principal.
    public init(tokenID: String, name: String, role: Role, organisation: String?) {
        self.tokenID = tokenID
        self.name = name
        self.role = role
        self.organisation = organisation
    }
}

/// Machine and user tokens: random secrets, stored only as SHA-256 hashes.
public protocol TokenStore: Sendable {
    /// Creates a token; `secret` nil generates 256 random bits. Returns the id and the secret,
    /// which is shown once and never stored.
    func createToken(name: String, role: Role, organisation: String?, secret: String?, expires: Int64?) async throws -> (id: String, secret: String)
    /// Revokes a token at once (by id); later requests with it get 401.
    func revokeToken(_ id: String) async throws
    /// Every token (never a secret), oldest first.
    func tokens() async throws -> [TokenInfo]
    /// The principal a secret authenticates, if it is a live token.
    func principal(forSecret secret: String) async throws -> Principal?
    /// Authenticates `secret` and reads one page in the same database read, so a TAXII read
    /// costs one round trip; the page is read as the principal (its viewer replaces the
    /// query's). Nil when the secret is not a live token.
    func page(_ query: PageQuery, authenticating secret: String) async throws -> (principal: Principal, page: ObjectPage)?
    /// Adds a person of an organisation with a role; their tokens carry that role.
    func createUser(name: String, email: String?, organisation: String, role: Role) async throws -> UserInfo
    /// Every user, by organisation and name.
    func users() async throws -> [UserInfo]
    /// Revokes a user (by id, or by name within its organisation) and every token of theirs, at once.
    func revokeUser(_ key: String) async throws -> UserInfo
    /// Creates a token for a user: their organisation and role, shown once.
    func createToken(forUser userID: String, name: String, expires: Int64?) async throws -> (id: String, secret: String)
    /// How many tokens exist (revoked ones included).
    func tokenCount() async throws -> Int
}

extension TokenStore {
    /// Creates a token that does not expire.
    public func createToken(name: String, role: Role, organisation: String?, secret: String?) async throws -> (id: String, secret: String) {
        try await createToken(name: name, role: role, organisation: organisation, secret: secret, expires: nil)
    }
}

/// A person of a member organisation.
public struct UserInfo: Sendable, Equatable {
    /// UUIDv4 id.
    public var id: String
    /// Name, unique within the organisation.
    public var name: String
    /// Contact address, if given.
    public var email: String?
    /// Organisation id.
    public var organisation: String
    /// Role their tokens carry.
    public var role: Role
    /// When they were revoked, if they were.
    public var revoked: Int64?

    /// Creates a user record (backends build these from their rows).
    public init(id: String, name: String, email: String?, organisation: String, role: Role, revoked: Int64?) {
        self.id = id
        self.name = name
        self.email = email
        self.organisation = organisation
        self.role = role
        self.revoked = revoked
    }
}

/// What the hub knows of a token: everything but its secret.
public struct TokenInfo: Sendable, Equatable {
    /// Token id.
    public var id: String
    /// Name given at creation.
    public var name: String
    /// Role.
    public var role: Role
    /// Organisation id.
    public var organisation: String?
    /// Expiry (microseconds since the epoch), if any.
    public var expires: Int64?
    /// When it was revoked, if it was.
    public var revoked: Int64?
    /// The user it belongs to, if it is a user's token.
    public var user: String?

    /// Creates a token record (backends build these from their rows).
    public init(id: String, name: String, role: Role, organisation: String?, expires: Int64?, revoked: Int64?, user: String?) {
        self.id = id
        self.name = name
        self.role = role
        self.organisation = organisation
        self.expires = expires
        self.revoked = revoked
        self.user = user
    }
}

/// A POST body kept for ingesting in the background.
public struct PendingIngest: Sendable {
    /// Its status resource id.
    public var id: String
    /// Target collection id.
    public var collectionID: String
    /// When the request arrived (microseconds).
    public var received: Int64
    /// The envelope.
    public var body: [UInt8]
    /// The submitting principal's organisation: the owner of the objects it adds.
    public var organisation: String?
    /// The submitting token's id, for the audit log.
    public var actor: String?

    /// Creates a record (backends build these from their rows).
    public init(id: String, collectionID: String, received: Int64, body: [UInt8], organisation: String?, actor: String?) {
        self.id = id
        self.collectionID = collectionID
        self.received = received
        self.body = body
        self.organisation = organisation
        self.actor = actor
    }
}

/// A store that can authenticate and read a page synchronously on the calling thread; the
/// TAXII server answers plain GET objects requests with it straight from the connection's
/// event loop. A store whose reads must wait (a network database) does not offer it.
public protocol SynchronousPageReader: Sendable {
    /// Authenticates `secret` and resolves what it may read in the collection `key` (id or
    /// alias), in one short read: nil for a bad token; `StoreError.unknownCollection` for a
    /// collection that does not exist or is hidden from it.
    func accessNow(collection key: String, authenticating secret: String) throws -> PageAccess?
    /// A page of the resolved collection, read as the access allows (the query's collection
    /// and viewer are not used).
    func pageNow(_ query: PageQuery, access: PageAccess) throws -> ObjectPage
}

/// What one token may read in one collection, and the store's generation when that was
/// resolved: two requests with equal `key`s and the same filters get the same page as long as
/// the generation stays put, so a server may keep finished pages under it.
public struct PageAccess: Sendable {
    /// The authenticated principal.
    public var principal: Principal
    /// What it may read; with the collection and its default level, the part of a cache key
    /// that depends on the reader.
    public var key: Key
    /// Changes whenever objects or TLP:RED grants change anywhere in the store.
    public var generation: Int64

    /// The reader-dependent part of a cached page's identity.
    public struct Key: Sendable, Hashable {
        /// The collection (store-internal number).
        public var collection: Int64
        /// What the principal may read there.
        public var reach: AccessPolicy.Reach
        /// The level of unmarked objects.
        public var defaultLevel: Int64
    }

    /// Creates an access record (backends build these).
    public init(principal: Principal, key: Key, generation: Int64) {
        self.principal = principal
        self.key = key
        self.generation = generation
    }
}

/// Token secrets and their hashes.
public enum TokenSecrets {
    /// A new secret: `acc_` and 256 random bits in base64url.
    public static func generate() -> String {
        var g = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for b in bytes {
            buffer = buffer << 8 | Int(b)
            bits += 8
            while bits >= 6 {
                bits -= 6
                out.append(alphabet[(buffer >> bits) & 63])
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (6 - bits)) & 63]) }
        return "acc_" + String(decoding: out, as: UTF8.self)
    }

    /// The stored form of a secret.
    public static func hash(_ secret: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(secret.utf8)))
    }
}

/// Where TAXII status resources are kept (so clients can poll them after a restart).
public protocol StatusStore: Sendable {
    /// Stores a status resource body under its id.
    func saveStatus(id: String, collectionID: String, body: [UInt8]) async throws
    /// A stored status resource body.
    func status(id: String) async throws -> [UInt8]?
    /// Keeps a request body to ingest in the background, with its `pending` status, so the
    /// ingest can resume after a restart.
    /// The submitter's organisation (the owner of what the body adds) and token id are kept too.
    func savePending(id: String, collectionID: String, received: Int64, body: [UInt8], status: [UInt8],
                     organisation: String?, actor: String?) async throws
    /// Ingests not finished yet, oldest first.
    func pendingIngests() async throws -> [PendingIngest]
    /// Replaces a pending ingest's status with its final one and drops the kept body.
    func completePending(id: String, status: [UInt8]) async throws
}
