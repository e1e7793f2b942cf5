/// The `flags` column of an object row: which of its object's versions it is.
///
/// A row alone in its (collection, id) has every bit set. When another version arrives or one
/// is deleted, the writer recomputes the bits of all versions of that object at once.
///
/// `last` and `first` are judged among the versions that declare the same `spec_version`, so
/// that the spec-version filter applies first: by default a client gets the latest version of
/// the latest spec version, and `match[spec_version]=2.0` the latest 2.0 version.
enum VersionFlags {
    /// The latest `modified` (TAXII `match[version]=last`, the default).
    static let last: Int64 = 1
    /// The earliest `modified` (`match[version]=first`).
    static let first: Int64 = 2
    /// Declares the latest `spec_version` among the versions (the default of `match[spec_version]`).
    static let latestSpec: Int64 = 4
    /// A row with no other version.
    static let all: Int64 = 7

    /// The flags of a row of `objects`, computed from all versions of its object.
    static let refreshExpression = """
        (version_us = (SELECT max(v.version_us) FROM objects v \(sameSpec)))
        | ((version_us = (SELECT min(v.version_us) FROM objects v \(sameSpec))) << 1)
        | ((spec_version = (SELECT max(v.spec_version) FROM objects v \(sameObject))) << 2)
        """
    private static let sameObject = "WHERE v.collection = objects.collection AND v.stix_id = objects.stix_id"
    private static let sameSpec = sameObject + " AND v.spec_version = objects.spec_version"

    /// Recomputes the flags of every version of one object (`?1` collection number, `?2` id).
    static let refresh = "UPDATE objects SET flags = \(refreshExpression) WHERE collection = ?1 AND stix_id = ?2"
}
