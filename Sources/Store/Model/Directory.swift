import STIX

/// A member organisation of the hub.
public struct Organisation: Sendable, Equatable {
    /// UUIDv4 id.
    public var id: String
    /// Unique name.
    public var name: String
    /// ISO 3166-1 alpha-2 country code (ZZ when unknown).
    public var country: String
    /// Sector (government, finance, energy...).
    public var sector: String
    /// The STIX `identity` id that represents it.
    public var identityID: String

    /// Creates an organisation record.
    public init(id: String, name: String, country: String, sector: String, identityID: String) {
        self.id = id
        self.name = name
        self.country = country
        self.sector = sector
        self.identityID = identityID
    }
}

/// A named set of organisations that share collections.
public struct Community: Sendable, Equatable {
    /// UUIDv4 id.
    public var id: String
    /// Unique name.
    public var name: String
    /// Member organisation ids.
    public var members: [String]

    /// Creates a community record.
    public init(id: String, name: String, members: [String]) {
        self.id = id
        self.name = name
        self.members = members
    }
}

/// Organisations, communities and TLP:RED recipients: who the access contract talks about.
public protocol DirectoryStore: Sendable {
    /// Adds an organisation.
    func createOrganisation(name: String, country: String, sector: String) async throws -> Organisation
    /// All organisations, by name.
    func organisations() async throws -> [Organisation]
    /// An organisation by id or name.
    func organisation(_ key: String) async throws -> Organisation?
    /// Removes an organisation with its tokens and memberships; its objects stay, owned by an id
    /// nobody holds (so its TLP:RED objects become unreadable, never readable by others).
    func removeOrganisation(_ key: String) async throws
    /// The organisation that runs the hub (created on first use): the bootstrap admin's.
    func operatorOrganisation() async throws -> Organisation
    /// Adds a community.
    func createCommunity(name: String) async throws -> Community
    /// All communities with their members, by name.
    func communities() async throws -> [Community]
    /// Adds (`true`) or removes an organisation from a community.
    func setMembership(community: String, organisation: String, member: Bool) async throws
    /// The communities an organisation belongs to (ids).
    func memberships(of organisation: String) async throws -> Set<String>
    /// Names `recipient` as a reader of the TLP:RED versions `owner` holds of `objectID`.
    func share(objectID: String, owner: String, with recipient: String) async throws
}

extension DirectoryStore {
    /// Resolves an organisation by id or name, or fails naming the key.
    public func requireOrganisation(_ key: String) async throws -> Organisation {
        guard let found = try await organisation(key) else { throw StoreError.unknown(kind: "organisation", key: key) }
        return found
    }
}
