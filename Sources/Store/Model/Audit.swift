import Crypto
import Foundation

/// One thing that happened, as the audit log records it.
public struct AuditEntry: Sendable, Equatable {
    /// Who: a token id, `cli` for the local operator, or the client address of a failed login.
    public var actor: String
    /// The actor's organisation, when known.
    public var organisation: String?
    /// What, as a dotted name: `auth.failure`, `objects.add`, `objects.delete`, `org.add`...
    public var action: String
    /// On what: a collection, object, organisation or token id.
    public var target: String?
    /// Anything else worth keeping (counts, names); never a secret.
    public var detail: String?

    /// Creates an entry.
    public init(actor: String, organisation: String? = nil, action: String, target: String? = nil, detail: String? = nil) {
        self.actor = actor
        self.organisation = organisation
        self.action = action
        self.target = target
        self.detail = detail
    }
}

/// A stored entry with its place in the chain.
public struct AuditRecord: Sendable, Equatable {
    /// Position (1, 2, 3...).
    public var sequence: Int64
    /// When (microseconds since the epoch).
    public var time: Int64
    /// What happened.
    public var entry: AuditEntry
    /// SHA-256 of the previous record (32 zero bytes for the first).
    public var previousHash: [UInt8]
    /// SHA-256 of the previous hash and this record's fields.
    public var hash: [UInt8]

    /// Creates a record.
    public init(sequence: Int64, time: Int64, entry: AuditEntry, previousHash: [UInt8], hash: [UInt8]) {
        self.sequence = sequence
        self.time = time
        self.entry = entry
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The hash a record with these fields must carry: SHA-256 over the previous hash and every
    /// field, each prefixed with its length, so no two different records hash alike.
    public static func hash(previous: [UInt8], sequence: Int64, time: Int64, entry: AuditEntry) -> [UInt8] {
        var sha = SHA256()
        sha.update(data: previous)
        for field in [String(sequence), String(time), entry.actor, entry.organisation, entry.action, entry.target, entry.detail] {
            let bytes = Array((field ?? "").utf8)
            // A missing field and an empty one differ: -1 marks missing.
            let length = field == nil ? Int64(-1) : Int64(bytes.count)
            withUnsafeBytes(of: length.bigEndian) { sha.update(bufferPointer: $0) }
            sha.update(data: bytes)
        }
        return Array(sha.finalize())
    }

    /// The first record's previous hash.
    public static let origin = [UInt8](repeating: 0, count: 32)
}

/// The outcome of checking the chain.
public struct AuditVerification: Sendable, Equatable {
    /// Records checked.
    public var count: Int
    /// The first record that breaks the chain and why; nil when the chain is intact.
    public var failure: (sequence: Int64, reason: String)?
    /// The hash of the last record (write it down elsewhere: it also proves nothing was cut off
    /// the end since).
    public var head: [UInt8]

    /// Creates an outcome (backends build these).
    public init(count: Int, failure: (sequence: Int64, reason: String)?, head: [UInt8]) {
        self.count = count
        self.failure = failure
        self.head = head
    }

    public static func == (a: AuditVerification, b: AuditVerification) -> Bool {
        a.count == b.count && a.head == b.head && a.failure?.sequence == b.failure?.sequence && a.failure?.reason == b.failure?.reason
    }
}

/// Checks an audit chain record by record, in sequence order: the one verification every
/// backend runs over its rows.
public struct AuditChainCheck: Sendable {
    /// Records checked so far.
    public private(set) var count = 0
    private var expectedSequence: Int64 = 1
    private var previous = AuditRecord.origin

    /// Starts at the chain's origin.
    public init() {}

    /// Checks the next record; the outcome when it breaks the chain (checking stops there).
    public mutating func check(_ record: AuditRecord) -> AuditVerification? {
        count += 1
        let failure: String?
        if record.sequence != expectedSequence {
            failure = "expected record \(expectedSequence) here: records were removed or renumbered"
        } else if record.previousHash != previous {
            failure = "its previous hash does not match record \(expectedSequence - 1): records were removed, reordered or rewritten"
        } else if record.hash != AuditRecord.hash(previous: previous, sequence: record.sequence, time: record.time, entry: record.entry) {
            failure = "its content does not match its hash: the record was edited"
        } else {
            failure = nil
        }
        if let failure { return AuditVerification(count: count, failure: (record.sequence, failure), head: previous) }
        previous = record.hash
        expectedSequence += 1
        return nil
    }

    /// The outcome of a chain that broke nowhere.
    public var intact: AuditVerification { AuditVerification(count: count, failure: nil, head: previous) }
}

/// An append-only, hash-chained log of authentications, writes and administrative changes.
/// Each record carries the hash of the one before, so an edited, removed or reordered record
/// breaks the chain from that point on.
public protocol AuditStore: Sendable {
    /// Appends entries in order, in one transaction.
    func appendAudit(_ entries: [AuditEntry]) async throws
    /// The last `count` records, oldest first.
    func auditTail(_ count: Int) async throws -> [AuditRecord]
    /// Recomputes the whole chain.
    func verifyAudit() async throws -> AuditVerification
}
