import GRDB
import GRDBSQLite

/// Binds values straight into a prepared statement, skipping GRDB's boxed argument arrays:
/// ingest binds a dozen values per object, and the boxing cost as much as SQLite's own work.
///
/// A binding resets its statement when it goes away: a statement left stepped keeps its read
/// transaction open, which would pin the connection to an old snapshot and stop checkpoints.
final class SQLiteBinding {
    /// SQLite copies the bound bytes before returning (SQLITE_TRANSIENT).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    let handle: SQLiteStatement
    /// Keeps the statement (and so its handle) alive: uncached statements are finalized when
    /// their last reference goes.
    private let owner: AnyObject?

    convenience init(_ statement: Statement) {
        self.init(handle: statement.sqliteStatement, owner: statement)
    }

    /// Binds into a raw statement that `owner` (if any) keeps alive.
    init(handle: SQLiteStatement, owner: AnyObject?) {
        self.owner = owner
        self.handle = handle
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    deinit {
        sqlite3_reset(handle)
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else { sqlite3_bind_null(handle, index); return }
        _ = value.withUTF8 { sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    func bind(_ index: Int32, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    /// Binds a value of either kind.
    func bind(_ index: Int32, _ value: SQLiteValue) {
        switch value {
        case .integer(let n): bind(index, n)
        case .text(let t): bind(index, t)
        }
    }

    /// Steps to the next row of a query; false when there are no more.
    func nextRow(_ db: some SQLiteStatements) throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.failureMessage)
        }
        return false
    }

    /// The integer in `column` of the current row.
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// The text in `column` of the current row; nil when NULL.
    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    /// The bytes in `column` of the current row, copied once.
    func bytes(_ column: Int32) -> [UInt8] {
        let n = Int(sqlite3_column_bytes(handle, column))
        guard n > 0, let p = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }

    /// Runs a query expected to return one integer (such as `SELECT EXISTS(...)`).
    func integer(_ db: Database) throws -> Int64 {
        let code = sqlite3_step(handle)
        guard code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage)
        }
        return sqlite3_column_int64(handle, 0)
    }

    /// Runs a query for one row of (integer, blob); nil when there is no row. The blob is
    /// compared in place with `bytes`, and copied out only when it differs.
    func integerAndBlob(_ db: Database, comparingWith bytes: [UInt8]) throws -> (Int64, equal: Bool, blob: [UInt8]?)? {
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage)
        }
        let n = Int(sqlite3_column_bytes(handle, 1))
        let pointer = sqlite3_column_blob(handle, 1)
        let stored = pointer.map { UnsafeRawBufferPointer(start: $0, count: n) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        let equal = bytes.withUnsafeBytes { $0.elementsEqual(stored) }
        return (sqlite3_column_int64(handle, 0), equal, equal ? nil : Array(stored))
    }

    /// Runs the statement once; throws GRDB's error on failure.
    func step(_ db: Database) throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage)
        }
    }
}

/// A value bound into a statement.
enum SQLiteValue {
    case integer(Int64)
    case text(String)
}
