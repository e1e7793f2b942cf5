import STIX
import Store

/// The filters of a TAXII objects, manifest or versions request, parsed and checked.
///
/// ```swift
/// let query = try ObjectFilters.pageQuery(from: request.uri.queryItems, collectionID: id)
/// ```
public enum ObjectFilters {
    /// The largest page a client may ask for; larger limits are lowered to it (TAXII allows it).
    public static let maxLimit = 1_000
    /// The page size when the client gives no limit.
    public static let defaultLimit = 100

    /// Builds a page query from URL query parameters (already percent-decoded), or fails with 400
    /// naming the parameter and the reason. Unknown parameters are ignored, as TAXII allows.
    public static func pageQuery(from items: [(name: String, value: String)], collectionID: String) throws(TAXIIError) -> PageQuery {
        var query = PageQuery(collectionID: collectionID, limit: defaultLimit)
        var seen: Set<String> = []
        for (name, value) in items {
            guard seen.insert(name).inserted else { throw .badRequest("the parameter '\(name)' is given more than once") }
            switch name {
            case "limit":
                guard let n = Int(value), n > 0 else { throw .badRequest("limit must be a positive integer, not '\(value)'") }
                query.limit = min(n, maxLimit)
            case "added_after":
                guard case .success(let t) = Timestamp.parse(value) else {
                    throw .badRequest("added_after must be a timestamp such as 2021-01-01T00:00:00.000000Z, not '\(value)'")
                }
                query.addedAfter = t.microseconds
            case "next":
                guard let cursor = PageCursor(token: value) else { throw .badRequest("next '\(value)' is not a value this server gave out") }
                query.cursor = cursor
            case "match[id]":
                let ids = try list(value, name)
                for id in ids where IdentifierRules.parse(id) == nil { throw .badRequest("match[id] '\(id)' is not a STIX identifier") }
                query.ids = ids
            case "match[type]":
                let types = try list(value, name)
                for t in types where !IdentifierRules.isValidTypeName(t) { throw .badRequest("match[type] '\(t)' is not a STIX type name") }
                query.types = types
            case "match[version]":
                query.versions = try versions(value)
            case "match[spec_version]":
                let specs = try list(value, name)
                for s in specs where s != "2.0" && s != "2.1" { throw .badRequest("match[spec_version] '\(s)' is not a STIX version (2.0 or 2.1)") }
                query.specVersions = specs
            default:
                continue
            }
        }
        return query
    }

    static func list(_ value: String, _ name: String) throws(TAXIIError) -> [String] {
        let items = value.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        guard !items.isEmpty, !items.contains(where: \.isEmpty) else { throw .badRequest("\(name) needs a comma-separated list without empty items") }
        return items
    }

    /// `last`, `first`, `all` (alone) or exact `modified` timestamps, comma-separated.
    static func versions(_ value: String) throws(TAXIIError) -> VersionFilter {
        let items = try list(value, "match[version]")
        if items == ["last"] { return .last }
        if items == ["first"] { return .first }
        if items == ["all"] { return .all }
        if items.contains("all") { throw .badRequest("match[version]=all cannot be combined with other values") }
        var exact: [Int64] = []
        var wantsFirst = false, wantsLast = false
        for item in items {
            switch item {
            case "first": wantsFirst = true
            case "last": wantsLast = true
            default:
                guard case .success(let t) = Timestamp.parse(item) else {
                    throw .badRequest("match[version] '\(item)' is not last, first, all or a timestamp")
                }
                exact.append(t.microseconds)
            }
        }
        if wantsFirst || wantsLast {
            throw .badRequest("match[version] combining first or last with timestamps is not supported; ask separately")
        }
        return .exact(exact)
    }
}
