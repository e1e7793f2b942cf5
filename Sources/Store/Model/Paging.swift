/// Which versions of each object a page returns (TAXII `match[version]`).
public enum VersionFilter: Sendable, Equatable {
    /// The latest version of each object (the TAXII default).
    case last
    /// The earliest version of each object.
    case first
    /// Every version.
    case all
    /// Versions whose `modified` is one of these (microseconds).
    case exact([Int64])
}

/// A position in a collection's (date_added, sequence) order: a stateless keyset cursor that
/// stays valid across restarts and between server processes, because it names a place in the
/// order rather than an offset or a server-side session.
public struct PageCursor: Sendable, Hashable, CustomStringConvertible {
    /// date_added of the last object returned (microseconds).
    public var dateAdded: Int64
    /// Sequence of the last object returned.
    public var sequence: Int64

    /// Creates a cursor just after the given object.
    public init(dateAdded: Int64, sequence: Int64) {
        self.dateAdded = dateAdded
        self.sequence = sequence
    }

    /// The opaque token clients send back (TAXII `next`).
    public var token: String { "1-\(String(dateAdded, radix: 36))-\(String(sequence, radix: 36))" }

    /// Parses a token made by `token`; nil for anything else.
    public init?(token: String) {
        let parts = token.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "1", let d = Int64(parts[1], radix: 36), let s = Int64(parts[2], radix: 36), d >= 0, s >= 0 else {
            return nil
        }
        dateAdded = d
        sequence = s
    }

    public var description: String { token }
}

/// One page of a collection, in (date_added, sequence) order.
public struct PageQuery: Sendable {
    /// The collection (id).
    public var collectionID: String
    /// Only versions added strictly after this time (TAXII `added_after`).
    public var addedAfter: Int64?
    /// Continue after this position (TAXII `next`).
    public var cursor: PageCursor?
    /// Most objects to return.
    public var limit: Int
    /// Only these ids (empty: all).
    public var ids: [String]
    /// Only these types (empty: all).
    public var types: [String]
    /// Which versions.
    public var versions: VersionFilter
    /// Only these spec versions; nil means the latest spec version of each object.
    public var specVersions: [String]?
    /// Whether to read the objects' JSON (a TAXII manifest needs only the metadata).
    public var withContent: Bool
    /// Only what an objects envelope and the audit log need: the JSON, date_added, position and
    /// level (and the id of TLP:RED versions); the other fields are left empty (a page of 100
    /// then makes 300 fewer strings).
    public var contentOnly = false
    /// Who reads: the access policy decides which versions the page holds (and whether the
    /// collection is visible at all). `.system`, the default, is the local operator.
    public var viewer: Viewer = .system
    /// Only relationships (and sightings) whose `source_ref` or `target_ref` is this id: the
    /// reference index answers it, so it costs the same at any collection size.
    public var referencing: String?

    /// Creates a query for the first page of `collectionID`.
    public init(collectionID: String, addedAfter: Int64? = nil, cursor: PageCursor? = nil, limit: Int = 100,
                ids: [String] = [], types: [String] = [], versions: VersionFilter = .last, specVersions: [String]? = nil,
                withContent: Bool = true) {
        self.collectionID = collectionID
        self.addedAfter = addedAfter
        self.cursor = cursor
        self.limit = limit
        self.ids = ids
        self.types = types
        self.versions = versions
        self.specVersions = specVersions
        self.withContent = withContent
    }
}

/// The objects of one page and where to continue.
public struct ObjectPage: Sendable {
    /// The objects, in (date_added, sequence) order.
    public var objects: [StoredObject]
    /// True when more objects match after this page.
    public var more: Bool
    /// Where the next page starts (set when `more`).
    public var next: PageCursor?

    /// Creates a page.
    public init(objects: [StoredObject], more: Bool, next: PageCursor?) {
        self.objects = objects
        self.more = more
        self.next = next
    }
}

extension ObjectStore {
    /// Walks every page of `query` (its cursor and limit are the walk's), in order; the one way
    /// to read a whole collection, for exports and checks.
    public func forEachPage(_ query: PageQuery, _ body: ([StoredObject]) throws -> Void) async throws {
        var query = query
        while true {
            let page = try await self.page(query)
            try body(page.objects)
            guard let next = page.next else { return }
            query.cursor = next
        }
    }
}
