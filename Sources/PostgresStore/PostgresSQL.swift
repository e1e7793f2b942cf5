import Foundation
import NIOCore
import PostgresNIO

/// A statement under construction: SQL text with `$n` placeholders and their values, so that
/// queries with optional conditions are built in one place without string-pasting values.
struct SQL {
    private(set) var text: String
    private(set) var binds = PostgresBindings()
    private var count = 0

    init(_ text: String = "") { self.text = text }

    /// Adds a value and returns its placeholder (`$n`).
    mutating func bind<T: PostgresDynamicTypeEncodable>(_ value: T) -> String {
        binds.appendText(value)
        count += 1
        return "$\(count)"
    }

    /// Adds an optional value (NULL when nil) and returns its placeholder.
    mutating func bind<T: PostgresDynamicTypeEncodable>(_ value: T?) -> String {
        if let value { binds.appendText(value) } else { binds.appendNull() }
        count += 1
        return "$\(count)"
    }

    /// Appends SQL text (never a value: values go through `bind`).
    mutating func append(_ more: String) { text += more }

    /// The query to send.
    var query: PostgresQuery { PostgresQuery(unsafeSQL: text, binds: binds) }
}

/// Builds a statement with `$n` placeholders from a template whose values are appended in order.
func sql(_ text: String, _ values: [any PostgresDynamicTypeEncodable & Sendable]) -> PostgresQuery {
    var binds = PostgresBindings()
    for value in values { binds.appendValue(value) }
    return PostgresQuery(unsafeSQL: text, binds: binds)
}

/// An absent value in `sql(_:_:)`'s value list.
struct SQLNull: PostgresDynamicTypeEncodable, Sendable {
    static var psqlType: PostgresDataType { .text }
    var psqlType: PostgresDataType { .text }
    var psqlFormat: PostgresFormat { .binary }
    func encode<E: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<E>) {}
}

extension PostgresBindings {
    /// Appends a value of the `sql(_:_:)` list, a NULL for `SQLNull`.
    mutating func appendValue(_ value: any PostgresDynamicTypeEncodable & Sendable) {
        if value is SQLNull { appendNull() } else { appendText(value) }
    }

    /// Appends a value; text holding U+0000 (which PostgreSQL text cannot hold, though JSON and
    /// URLs may) is bound with it written as `\u0000`, the form `CopyRows` stores, so a lookup
    /// finds what was stored instead of failing.
    mutating func appendText<T: PostgresDynamicTypeEncodable>(_ value: T) {
        if let text = value as? String, text.utf8.contains(0) {
            append(text.escapingNUL)
        } else if let list = value as? [String], list.contains(where: { $0.utf8.contains(0) }) {
            append(list.map(\.escapingNUL))
        } else {
            append(value)
        }
    }
}

extension String {
    /// The text with every U+0000 written as `\u0000`.
    var escapingNUL: String { replacingOccurrences(of: "\u{0}", with: "\\u0000") }
}

/// A value or NULL, for `sql(_:_:)` lists.
func orNull<T: PostgresDynamicTypeEncodable & Sendable>(_ value: T?) -> any PostgresDynamicTypeEncodable & Sendable {
    value.map { $0 as any PostgresDynamicTypeEncodable & Sendable } ?? SQLNull()
}

extension PostgresRandomAccessRow {
    func int(_ i: Int) throws -> Int64 { try self[i].decode(Int64.self) }
    func optionalInt(_ i: Int) throws -> Int64? { try self[i].decode(Int64?.self) }
    func string(_ i: Int) throws -> String { try self[i].decode(String.self) }
    func optionalString(_ i: Int) throws -> String? { try self[i].decode(String?.self) }
    func bool(_ i: Int) throws -> Bool { try self[i].decode(Bool.self) }
    func bytes(_ i: Int) throws -> [UInt8] {
        guard let buffer = try self[i].decode(ByteBuffer?.self) else { return [] }
        return Array(buffer.readableBytesView)
    }
}

extension PostgresConnection {
    /// Runs a statement and collects its rows (random access).
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await self.query(query, logger: PostgresStore.quiet).collect().map { $0.makeRandomAccess() }
    }

    /// Runs a statement for its effect.
    func run(_ query: PostgresQuery) async throws {
        _ = try await self.query(query, logger: PostgresStore.quiet).collect()
    }

    /// Runs a statement and answers how many rows it touched, from its RETURNING 1 rows.
    func changed(_ query: PostgresQuery) async throws -> Int {
        try await self.query(query, logger: PostgresStore.quiet).collect().count
    }
}
