import STIX

/// Who may see a collection at all.
public enum CollectionVisibility: Sendable, Hashable {
    /// Every authenticated organisation (and anonymous clients, for TLP:CLEAR, where the hub
    /// allows anonymous reads).
    case `public`
    /// The organisations of one community (its id).
    case community(String)
    /// One organisation (its id).
    case privateTo(String)
}

extension CollectionVisibility {
    /// The stored form: a kind (`public`, `community`, `private`) and an owner (community or
    /// organisation id), as both backends keep it.
    public var columns: (kind: String, owner: String?) {
        switch self {
        case .public: return ("public", nil)
        case .community(let id): return ("community", id)
        case .privateTo(let id): return ("private", id)
        }
    }

    /// A visibility from its stored columns; an unknown kind reads as private to nobody (hidden).
    public init(kind: String, owner: String?) {
        switch kind {
        case "public": self = .public
        case "community": self = .community(owner ?? "")
        default: self = .privateTo(owner ?? "")
        }
    }
}

/// Who is reading.
public enum Viewer: Sendable, Hashable {
    /// The local operator (command line on the store's own files): no policy applies, since
    /// whoever runs it can read the database file anyway.
    case system
    /// A client without credentials.
    case anonymous
    /// A principal of this organisation (its id), whatever its role: admins get no read bypass.
    case organisation(String)

    /// The organisation, when the viewer is one.
    public var organisation: String? {
        if case .organisation(let id) = self { return id }
        return nil
    }
}

/// The access contract of DESIGN.md ("Who may read what"), in one place. The SQL of every
/// backend applies exactly these rules in its queries, and the tests compare both.
///
/// ```swift
/// if let reach = AccessPolicy.reach(.organisation(org), visibility: .community(camp), isMember: { $0 == camp }) {
///     AccessPolicy.canRead(reach, level: .amber, owner: other, isGrantee: false)   // true
/// }
/// ```
public enum AccessPolicy {
    /// What a viewer may read in one collection.
    public struct Reach: Sendable, Hashable {
        /// Versions marked up to this level are readable.
        public var maxLevel: TLP
        /// The viewer's organisation: its own versions, and TLP:RED versions shared with it,
        /// are readable whatever their level.
        public var organisation: String?
        /// True for the local operator: everything is readable.
        public var unrestricted: Bool

        /// Creates a reach.
        public init(maxLevel: TLP, organisation: String?, unrestricted: Bool = false) {
            self.maxLevel = maxLevel
            self.organisation = organisation
            self.unrestricted = unrestricted
        }
    }

    /// What `viewer` may read in a collection of `visibility`; nil when the collection is
    /// hidden from it (and so looks absent). `isMember(community)` says whether the viewer's
    /// organisation belongs to a community.
    public static func reach(_ viewer: Viewer, visibility: CollectionVisibility, isMember: (String) throws -> Bool) rethrows -> Reach? {
        switch viewer {
        case .system:
            return Reach(maxLevel: .red, organisation: nil, unrestricted: true)
        case .anonymous:
            return visibility == .public ? Reach(maxLevel: .clear, organisation: nil) : nil
        case .organisation(let org):
            switch visibility {
            case .public: return Reach(maxLevel: .amberStrict, organisation: org)
            case .community(let community): return try isMember(community) ? Reach(maxLevel: .amberStrict, organisation: org) : nil
            case .privateTo(let owner): return owner == org ? Reach(maxLevel: .amberStrict, organisation: org) : nil
            }
        }
    }

    /// Whether a version is readable: its level (the strictest TLP marking, else the
    /// collection's default) within reach, or the viewer's organisation owns it, or it is
    /// TLP:RED and its owner named the viewer's organisation as a recipient.
    public static func canRead(_ reach: Reach, level: TLP, owner: String?, isGrantee: Bool) -> Bool {
        if reach.unrestricted || level <= reach.maxLevel { return true }
        guard let org = reach.organisation else { return false }
        return owner == org || (level == .red && isGrantee)
    }

    /// Whether a principal may add objects to a collection: a writing role, in an organisation
    /// that may read it (public collections take objects from every organisation; their
    /// markings still decide who reads them).
    public static func canWrite(role: Role, organisation: String, visibility: CollectionVisibility,
                                isMember: (String) throws -> Bool) rethrows -> Bool {
        guard role.canWrite else { return false }
        return try reach(.organisation(organisation), visibility: visibility, isMember: isMember) != nil
    }
}
