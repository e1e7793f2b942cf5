import STIX

/// The storage contract every backend (SQLite now, PostgreSQL later) fulfils.
///
/// Everything above the store (CLI, TAXII, web, matching, sync) talks to this protocol only,
/// so no SQL dialect leaks upward. Reads return the stored raw bytes of each object version.
///
/// ```swift
/// let store = try SQLiteStore(directory: "./accord-data")
/// let report = try await store.ingest(from: source, into: collection.id, options: .init())
/// ```
public protocol ObjectStore: Sendable {
    /// Where the store lives, for messages: a file path, or a database URL without its password.
    var location: String { get }
    /// Every collection, in creation order.
    func collections() async throws -> [CollectionInfo]
    /// The collection whose id or alias is `key`, if any.
    func collection(_ key: String) async throws -> CollectionInfo?
    /// Creates a collection; the id is a new UUIDv4. Nobody writes to a read-only one over the
    /// network: the local operator fills it (the bundled knowledge base).
    func createCollection(alias: String, title: String, description: String?, visibility: CollectionVisibility,
                          defaultLevel: TLP, readOnly: Bool) async throws -> CollectionInfo
    /// Ingests a stream of prepared elements as one transaction.
    func ingest(from source: some IngestSource, into collectionID: String, options: IngestOptions) async throws -> IngestReport
    /// One page of a collection with a keyset cursor: the same cost at any depth.
    func page(_ query: PageQuery) async throws -> ObjectPage
    /// Removes the matching versions of one object from a collection (with their index rows);
    /// returns how many were removed. An organisation removes only versions it owns.
    func delete(id: String, from collectionID: String, versions: VersionFilter, by viewer: Viewer) async throws -> Int
    /// Counts per collection and type.
    func statistics() async throws -> StoreStatistics
    /// A number that changes whenever objects are added or removed or TLP:RED grants change,
    /// so readers can tell whether what they derived from the store is still current.
    func generation() async throws -> Int64
    /// A number that changes when access to objects stored before may have changed in ways
    /// `accessChanges` does not list (a removed organisation); additions alone leave it.
    func reshapeGeneration() async throws -> Int64
    /// The ids whose readability may have changed for some readers after `position` (deleted
    /// versions, TLP:RED grants), oldest first, and the position to ask from next time. A
    /// position of `Int64.max` means too many to replay: rebuild instead. A negative position
    /// asks for the current position only.
    func accessChanges(after position: Int64) async throws -> (ids: [String], position: Int64)
}

/// A blocking source of prepared elements, pulled by the store inside its write transaction.
public protocol IngestSource: Sendable {
    /// The next batch, or nil at the end. Throws to abort the whole ingest.
    func nextBatch() throws -> [PreparedElement]?
    /// Called once when the store stops pulling, finished or failed, so a producer can stop.
    func finish()
}

extension IngestSource {
    /// Sources without background work have nothing to stop.
    public func finish() {}
}

/// How an ingest treats invalid objects.
public struct IngestOptions: Sendable {
    /// Store the valid objects even when others are rejected.
    public var partial: Bool
    /// The organisation that submits the content (stamped as owner of each version).
    public var ownerOrganisation: String?
    /// Record the id and version of every accepted object (TAXII status successes).
    public var recordAccepted = false
    /// Called after each batch with the running totals, for progress display.
    public var progress: (@Sendable (IngestReport) -> Void)?

    /// Creates options; by default one invalid object rejects the whole bundle.
    public init(partial: Bool = false, ownerOrganisation: String? = nil, recordAccepted: Bool = false, progress: (@Sendable (IngestReport) -> Void)? = nil) {
        self.recordAccepted = recordAccepted
        self.partial = partial
        self.ownerOrganisation = ownerOrganisation
        self.progress = progress
    }
}

/// What an ingest did.
public struct IngestReport: Sendable {
    /// Versions newly stored.
    public var added = 0
    /// Versions already stored with the same content.
    public var unchanged = 0
    /// Objects refused, with reasons (the first `maxKeptRejections`; `rejectedCount` counts all).
    public var rejections: [Rejection] = []
    /// How many objects were refused.
    public var rejectedCount = 0
    /// How many SHOULD-level warnings the accepted objects raised.
    public var warningCount = 0
    /// Id and version (as the object writes it; nil for SCOs) of every accepted object, when
    /// `IngestOptions.recordAccepted` asked for them.
    public var accepted: [(id: String, version: String?)] = []
    /// Objects accepted but not stored as sent (an unversioned object already held with other
    /// content), with the reason; at most `maxKeptRejections`.
    public var notices: [Rejection] = []
    /// True when the transaction was committed.
    public var committed = false
    /// The date_added stamped on the added versions (microseconds).
    public var dateAdded: Int64?

    /// Rejections kept in memory at most; a hostile bundle cannot grow the report without bound.
    public static let maxKeptRejections = 10_000

    /// Creates an empty report.
    public init() {}

    /// Elements read so far, whatever became of them.
    public var processed = 0

    /// Counts a refused object, keeping its reasons while there is room.
    public mutating func reject(_ r: Rejection) {
        rejectedCount += 1
        if rejections.count < Self.maxKeptRejections { rejections.append(r) }
    }
}

/// What a backend's writer did with one object version.
public enum WriteOutcome: Sendable {
    /// Stored as a new version.
    case added
    /// The same version with the same content was stored already.
    case unchanged
    /// An unversioned object already stored with other content: the stored copy stays.
    case kept(String)
    /// Refused, with the reason.
    case conflict(String)
}

extension IngestReport {
    /// Counts one prepared element and answers the object to write, if any: nil for a refused
    /// element, and for every element after a refusal unless the ingest is partial (the
    /// transaction is rolled back then; the rest is only validated and counted).
    public mutating func admit(_ element: PreparedElement, partial: Bool) -> (object: IndexedObject, index: Int)? {
        processed += 1
        switch element {
        case .invalid(let index, let id, let issues):
            reject(Rejection(index: index, id: id, issues: issues))
            return nil
        case .valid(let object, let index, let warnings):
            warningCount += warnings.count
            if rejectedCount > 0 && !partial { return nil }
            return (object, index)
        }
    }

    /// Counts what the writer did with the object at `index` of the bundle (and, when asked,
    /// records it as accepted): the one bookkeeping every backend shares.
    public mutating func record(_ outcome: WriteOutcome, id: String, version: String?, index: Int, recordAccepted: Bool) {
        if recordAccepted, case .conflict = outcome {} else if recordAccepted {
            accepted.append((id, version))
        }
        switch outcome {
        case .added: added += 1
        case .unchanged: unchanged += 1
        case .kept(let reason):
            unchanged += 1
            if notices.count < IngestReport.maxKeptRejections {
                notices.append(Rejection(index: index, id: id, issues: [.init(.warning, path: "$", reason: reason)]))
            }
        case .conflict(let reason):
            reject(Rejection(index: index, id: id, issues: [.init(.error, path: "$", reason: reason)]))
        }
    }
}

/// One refused object and why.
public struct Rejection: Sendable {
    /// Position in the objects list.
    public var index: Int
    /// The object's id, when it had one.
    public var id: String?
    /// The errors (and warnings) found.
    public var issues: [ValidationIssue]

    /// Creates a refusal record.
    public init(index: Int, id: String?, issues: [ValidationIssue]) {
        self.index = index
        self.id = id
        self.issues = issues
    }
}

/// A stored version as read back.
public struct StoredObject: Sendable {
    /// Position in the store's total order.
    public var sequence: Int64
    /// The collection holding it.
    public var collectionID: String
    /// `type--UUID`.
    public var id: String
    /// The object type.
    public var type: String
    /// When it was added (microseconds since the epoch).
    public var dateAdded: Int64
    /// The version key (modified, microseconds), nil for unversioned objects.
    public var modified: Int64?
    /// The original JSON bytes (empty when the query asked for metadata only).
    public var raw: [UInt8]
    /// The STIX version the object declares.
    public var specVersion: String = "2.1"
    /// The version as written in the object (`modified`, else `created`); nil for SCOs.
    public var versionText: String?
    /// Its TLP level for readers: the strictest TLP marking, else the collection's default.
    public var level: TLP?
    /// The organisation that submitted this version (nil: the local operator).
    public var owner: String?

    /// Creates a stored version (backends build these from their rows).
    public init(sequence: Int64, collectionID: String, id: String, type: String, dateAdded: Int64, modified: Int64?,
                raw: [UInt8], specVersion: String = "2.1", versionText: String? = nil, level: TLP? = nil, owner: String? = nil) {
        self.owner = owner
        self.versionText = versionText
        self.level = level
        self.sequence = sequence
        self.collectionID = collectionID
        self.id = id
        self.type = type
        self.dateAdded = dateAdded
        self.modified = modified
        self.raw = raw
        self.specVersion = specVersion
    }
}

/// A collection of objects (TAXII collection).
public struct CollectionInfo: Sendable, Equatable {
    /// UUIDv4 id.
    public var id: String
    /// A short human name, unique on the hub.
    public var alias: String
    /// Title shown to users.
    public var title: String
    /// Longer description.
    public var description: String?
    /// Who may see it.
    public var visibility: CollectionVisibility = .public
    /// The level of objects that carry no TLP marking.
    public var defaultLevel: TLP = .green
    /// Whether network clients are refused writes (only the local operator fills it).
    public var readOnly = false

    /// Creates a collection record (backends build these from their rows).
    public init(id: String, alias: String, title: String, description: String?, visibility: CollectionVisibility = .public,
                defaultLevel: TLP = .green, readOnly: Bool = false) {
        self.id = id
        self.alias = alias
        self.title = title
        self.description = description
        self.visibility = visibility
        self.defaultLevel = defaultLevel
        self.readOnly = readOnly
    }
}

/// Object counts of a store.
public struct StoreStatistics: Sendable {
    /// One row per collection and type.
    public struct Row: Sendable, Equatable {
        /// Collection alias.
        public var collection: String
        /// Object type.
        public var type: String
        /// Distinct objects.
        public var objects: Int
        /// Stored versions.
        public var versions: Int

        /// Creates a row.
        public init(collection: String, type: String, objects: Int, versions: Int) {
            self.collection = collection
            self.type = type
            self.objects = objects
            self.versions = versions
        }
    }

    /// All rows, sorted by collection then type.
    public var rows: [Row]

    /// Creates statistics from their rows.
    public init(rows: [Row]) { self.rows = rows }
}

extension ObjectStore {
    /// Removes versions as the local operator (any owner).
    public func delete(id: String, from collectionID: String, versions: VersionFilter) async throws -> Int {
        try await delete(id: id, from: collectionID, versions: versions, by: .system)
    }

    /// Creates a collection that its readers may also write to.
    public func createCollection(alias: String, title: String, description: String?, visibility: CollectionVisibility,
                                 defaultLevel: TLP) async throws -> CollectionInfo {
        try await createCollection(alias: alias, title: title, description: description, visibility: visibility, defaultLevel: defaultLevel, readOnly: false)
    }

    /// Creates a public collection whose unmarked objects count as TLP:GREEN.
    public func createCollection(alias: String, title: String, description: String?) async throws -> CollectionInfo {
        try await createCollection(alias: alias, title: title, description: description, visibility: .public, defaultLevel: .green)
    }
}

/// Failures of the store that are the caller's to fix.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// No collection has that id or alias.
    case unknownCollection(String)
    /// The alias is taken.
    case duplicateAlias(String)
    /// The data directory cannot be used.
    case unusableDirectory(String)
    /// No organisation, community or token has that id or name.
    case unknown(kind: String, key: String)
    /// The name is taken.
    case duplicate(kind: String, name: String)

    public var description: String {
        switch self {
        case .unknownCollection(let key): return "no collection with id or alias '\(key)'"
        case .duplicateAlias(let alias): return "a collection with alias '\(alias)' already exists"
        case .unusableDirectory(let reason): return reason
        case .unknown(let kind, let key): return "no \(kind) with id or name '\(key)'"
        case .duplicate(let kind, let name): return "\(kind) '\(name)' already exists"
        }
    }
}

/// Full-text search over what the store holds. It answers candidate ids only: callers keep
/// those the reader may read (and check the words against the version the reader sees).
public protocol SearchStore: Sendable {
    /// Ids of objects whose latest version's name, aliases, description, value or pattern has a
    /// word starting with each of `words`, best matches first.
    func searchIDs(matching words: [String], limit: Int) async throws -> [String]
}
