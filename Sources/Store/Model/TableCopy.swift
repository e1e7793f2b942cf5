import Crypto

/// One cell of a copied row, in the types both backends share.
public enum CellValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])
    case boolean(Bool)
}

/// A table as `accord migrate` copies it between backends: its columns and their kinds, the
/// order that makes both sides list rows alike, and, for large tables, the integer key the copy
/// advances by (so an interrupted copy resumes after the last key it committed).
public struct TableSpec: Sendable {
    /// The kind of a column (SQLite keeps booleans as integers; PostgreSQL as boolean).
    public enum Kind: Sendable { case integer, text, blob, boolean }

    /// Table name, the same on both sides.
    public var name: String
    /// Columns copied, with their kinds.
    public var columns: [(name: String, kind: Kind)]
    /// Columns that order rows identically on both sides (byte order for text).
    public var orderBy: [String]
    /// The integer column large tables are copied in ranges of; nil for small tables copied whole.
    public var rangeKey: String?

    /// The tables of a hub in the order their references need (parents first).
    public static let hub: [TableSpec] = [
        TableSpec(name: "collections", columns: [("num", .integer), ("id", .text), ("alias", .text), ("title", .text), ("description", .text),
                                                ("created_us", .integer), ("visibility", .text), ("owner", .text), ("default_tlp", .integer),
                                                ("read_only", .boolean)], orderBy: ["num"], rangeKey: nil),
        TableSpec(name: "organisations", columns: [("id", .text), ("name", .text), ("country", .text), ("sector", .text), ("identity_id", .text),
                                                  ("created_us", .integer)], orderBy: ["id"], rangeKey: nil),
        TableSpec(name: "communities", columns: [("id", .text), ("name", .text), ("created_us", .integer)], orderBy: ["id"], rangeKey: nil),
        TableSpec(name: "community_members", columns: [("community", .text), ("organisation", .text)], orderBy: ["community", "organisation"], rangeKey: nil),
        TableSpec(name: "users", columns: [("id", .text), ("name", .text), ("email", .text), ("organisation", .text), ("role", .text),
                                          ("created_us", .integer), ("revoked_us", .integer)], orderBy: ["id"], rangeKey: nil),
        TableSpec(name: "tokens", columns: [("id", .text), ("name", .text), ("secret_sha256", .blob), ("role", .text), ("organisation", .text),
                                           ("created_us", .integer), ("expires_us", .integer), ("revoked_us", .integer), ("user_id", .text)],
                  orderBy: ["id"], rangeKey: nil),
        TableSpec(name: "red_grants", columns: [("stix_id", .text), ("owner_org", .text), ("recipient", .text), ("created_us", .integer)],
                  orderBy: ["stix_id", "owner_org", "recipient"], rangeKey: nil),
        TableSpec(name: "statuses", columns: [("id", .text), ("collection", .text), ("created_us", .integer), ("body", .blob)], orderBy: ["id"], rangeKey: nil),
        TableSpec(name: "pending_ingests", columns: [("id", .text), ("collection", .text), ("received_us", .integer), ("body", .blob),
                                                    ("organisation", .text), ("actor", .text)], orderBy: ["id"], rangeKey: nil),
        TableSpec(name: "audit_log", columns: [("seq", .integer), ("at_us", .integer), ("actor", .text), ("organisation", .text), ("action", .text),
                                              ("target", .text), ("detail", .text), ("prev_hash", .blob), ("hash", .blob)],
                  orderBy: ["seq"], rangeKey: "seq"),
        TableSpec(name: "objects", columns: [("seq", .integer), ("collection", .integer), ("stix_id", .text), ("type", .text), ("version_us", .integer),
                                            ("created_us", .integer), ("date_added_us", .integer), ("spec_version", .text), ("created_by_ref", .text),
                                            ("revoked", .boolean), ("tlp", .integer), ("owner_org", .text), ("raw", .blob), ("version_text", .text),
                                            ("flags", .integer)], orderBy: ["seq"], rangeKey: "seq"),
        TableSpec(name: "object_refs", columns: [("seq", .integer), ("target", .text), ("property", .text)], orderBy: ["seq", "target", "property"],
                  rangeKey: "seq"),
        TableSpec(name: "observables", columns: [("seq", .integer), ("kind", .text), ("value", .text)], orderBy: ["seq", "kind", "value"], rangeKey: "seq"),
        TableSpec(name: "access_changes", columns: [("seq", .integer), ("stix_id", .text)], orderBy: ["seq"], rangeKey: "seq"),
    ]

    /// Creates a table description.
    public init(name: String, columns: [(name: String, kind: Kind)], orderBy: [String], rangeKey: String?) {
        self.name = name
        self.columns = columns
        self.orderBy = orderBy
        self.rangeKey = rangeKey
    }
}

/// Reads a hub's tables row by row, for copying and for comparing two stores.
public protocol TableSource: Sendable {
    /// Rows of `table` whose range key lies in `range` (all rows of a small table), in the
    /// table's order.
    func rows(of table: TableSpec, in range: ClosedRange<Int64>?) async throws -> [[CellValue]]
    /// How many rows the table holds, and the largest range key (0 when empty or unranged).
    func extent(of table: TableSpec) async throws -> (count: Int64, maxKey: Int64)
}

/// A running SHA-256 over rows in a canonical encoding: the same rows give the same digest on
/// either backend.
public struct RowDigest: Sendable {
    private var sha = SHA256()
    /// Rows added.
    public private(set) var count: Int64 = 0

    /// Starts an empty digest.
    public init() {}

    /// Adds one row.
    public mutating func add(_ row: [CellValue]) {
        count += 1
        for cell in row {
            switch cell {
            case .null: sha.update(data: [0])
            case .integer(let v): sha.update(data: [1]); withUnsafeBytes(of: v.bigEndian) { sha.update(bufferPointer: $0) }
            case .boolean(let b): sha.update(data: [1]); withUnsafeBytes(of: Int64(b ? 1 : 0).bigEndian) { sha.update(bufferPointer: $0) }
            case .text(let s): add(2, Array(s.utf8))
            case .blob(let b): add(3, b)
            }
        }
    }

    private mutating func add(_ tag: UInt8, _ bytes: [UInt8]) {
        sha.update(data: [tag])
        withUnsafeBytes(of: Int64(bytes.count).bigEndian) { sha.update(bufferPointer: $0) }
        sha.update(data: bytes)
    }

    /// The digest, in hexadecimal.
    public var hex: String { sha.finalize().map { String(format: "%02x", $0) }.joined() }
}
