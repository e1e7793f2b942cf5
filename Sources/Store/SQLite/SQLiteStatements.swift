import Foundation
import GRDB
import GRDBSQLite

/// Where the hot read paths get their prepared statements: a GRDB `Database` inside one of its
/// accesses, or a `ThreadConnection` of the calling thread.
protocol SQLiteStatements {
    /// A prepared statement for `sql`, kept for reuse.
    func cached(_ sql: String) throws -> SQLiteBinding
    /// A statement prepared for one use (SQL that varies, such as long `IN` lists).
    func uncached(_ sql: String) throws -> SQLiteBinding
    /// SQLite's message for the last failure on this connection.
    var failureMessage: String? { get }
}

extension Database: SQLiteStatements {
    func cached(_ sql: String) throws -> SQLiteBinding { SQLiteBinding(try cachedStatement(sql: sql)) }
    func uncached(_ sql: String) throws -> SQLiteBinding { SQLiteBinding(try makeStatement(sql: sql)) }
    var failureMessage: String? { lastErrorMessage }
}

/// A read-only SQLite connection that belongs to one thread, outside GRDB's reader pool.
///
/// The synchronous TAXII fast path checks a token and reads a page on an event-loop thread;
/// through the pool, the pool's lock, its queue and its schema-version check cost several times
/// the token query itself. Each event loop gets its own connection and statement cache instead
/// (WAL mode lets any number of readers run beside the writer). Schema changes happen only
/// before the server starts (migrations), and SQLite re-prepares statements if one ever did.
final class ThreadConnection: SQLiteStatements {
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]

    init(path: String) throws {
        var db: OpaquePointer?
        let code = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let db else {
            defer { sqlite3_close_v2(db) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.map { String(cString: sqlite3_errmsg($0)) })
        }
        handle = db
        sqlite3_busy_timeout(db, 30_000)
        sqlite3_exec(db, SQLiteStore.readerCache, nil, nil, nil)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    func cached(_ sql: String) throws -> SQLiteBinding {
        if let statement = statements[sql] { return SQLiteBinding(handle: statement, owner: nil) }
        let statement = try prepare(sql)
        statements[sql] = statement
        return SQLiteBinding(handle: statement, owner: nil)
    }

    func uncached(_ sql: String) throws -> SQLiteBinding {
        let statement = try prepare(sql)
        return SQLiteBinding(handle: statement, owner: FinalizeOnRelease(statement))
    }

    var failureMessage: String? { String(cString: sqlite3_errmsg(handle)) }

    private func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: failureMessage, sql: sql)
        }
        return statement
    }

    /// Finalizes a one-use statement when its binding goes.
    private final class FinalizeOnRelease {
        let statement: OpaquePointer
        init(_ statement: OpaquePointer) { self.statement = statement }
        deinit { sqlite3_finalize(statement) }
    }
}

/// The calling thread's `ThreadConnection` to a database file, opened on first use and closed
/// when the thread ends (one thread-specific key for the process, whatever the number of stores).
enum ThreadConnections {
    private final class Connections {
        var byPath: [String: ThreadConnection] = [:]
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            if let pointer { Unmanaged<Connections>.fromOpaque(pointer).release() }
        }
        return key
    }()

    /// The calling thread's connection to `path`.
    static func current(path: String) throws -> ThreadConnection {
        let connections: Connections
        if let pointer = pthread_getspecific(key) {
            connections = Unmanaged<Connections>.fromOpaque(pointer).takeUnretainedValue()
        } else {
            connections = Connections()
            pthread_setspecific(key, Unmanaged.passRetained(connections).toOpaque())
        }
        if let connection = connections.byPath[path] { return connection }
        let connection = try ThreadConnection(path: path)
        connections.byPath[path] = connection
        return connection
    }
}
