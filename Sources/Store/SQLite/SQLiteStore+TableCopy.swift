import Foundation
import GRDB

extension SQLiteStore: TableSource {
    public func rows(of table: TableSpec, in range: ClosedRange<Int64>?) async throws -> [[CellValue]] {
        var sql = "SELECT \(table.columns.map(\.name).joined(separator: ", ")) FROM \(table.name)"
        var arguments: StatementArguments = []
        if let key = table.rangeKey, let range {
            sql += " WHERE \(key) BETWEEN ? AND ?"
            arguments = [range.lowerBound, range.upperBound]
        }
        sql += " ORDER BY " + table.orderBy.joined(separator: ", ")
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                table.columns.indices.map { i in
                    let value = row[i] as DatabaseValue
                    switch value.storage {
                    case .null: return .null
                    case .int64(let v): return table.columns[i].kind == .boolean ? .boolean(v != 0) : .integer(v)
                    case .double(let d): return .integer(Int64(d))
                    case .string(let s): return table.columns[i].kind == .blob ? .blob(Array(s.utf8)) : .text(s)
                    case .blob(let d): return table.columns[i].kind == .text ? .text(String(decoding: d, as: UTF8.self)) : .blob([UInt8](d))
                    }
                }
            }
        }
    }

    public func extent(of table: TableSpec) async throws -> (count: Int64, maxKey: Int64) {
        try read { db in
            let count = try Int64.fetchOne(db, sql: "SELECT count(*) FROM \(table.name)") ?? 0
            let maxKey = try table.rangeKey.map { try Int64.fetchOne(db, sql: "SELECT coalesce(max(\($0)), 0) FROM \(table.name)") ?? 0 } ?? 0
            return (count, maxKey)
        }
    }

    /// The store's bookkeeping counters (last date_added, generations), for copying a hub.
    public func metaValues() async throws -> [String: Int64] {
        try read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT key, value FROM meta").map { ($0[0] as String, $0[1] as Int64) })
        }
    }
}
