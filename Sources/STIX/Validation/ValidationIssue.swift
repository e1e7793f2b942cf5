import Patterning

/// One problem found in a STIX object: where it is, why, and how serious.
///
/// Errors are violations of a MUST of STIX 2.1 and make the object invalid; warnings are SHOULD
/// violations that leave it valid.
public struct ValidationIssue: Sendable, Equatable, CustomStringConvertible {
    /// Whether the problem makes the object invalid.
    public enum Severity: String, Sendable { case error, warning }

    /// Error or warning.
    public var severity: Severity
    /// The JSON path inside the object, such as `$.external_references[0].source_name`.
    public var path: String
    /// What is wrong, in words a person can act on.
    public var reason: String

    /// Creates an issue.
    public init(_ severity: Severity, path: String, reason: String) {
        self.severity = severity
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(severity): \(path): \(reason)" }
}

/// The outcome of validating one object.
public struct ObjectValidation: Sendable {
    /// The object's `id` when it had a string one.
    public var id: String?
    /// The object's `type` when it had a string one.
    public var type: String?
    /// Every problem found, errors and warnings.
    public var issues: [ValidationIssue] = []
    /// While checking the STIX 2.0 `objects` of observed-data: the keys references resolve to,
    /// with their types.
    var embeddedTypes: [String: String]?
    /// The parsed `stix` pattern of an indicator, kept so indexing does not parse it again.
    public internal(set) var pattern: ObservationExpression?

    /// True when no issue is an error.
    public var isValid: Bool { !issues.contains { $0.severity == .error } }
    /// The issues that make the object invalid.
    public var errors: [ValidationIssue] { issues.filter { $0.severity == .error } }
    /// The issues that leave it valid.
    public var warnings: [ValidationIssue] { issues.filter { $0.severity == .warning } }

    /// Creates an empty outcome.
    public init(id: String? = nil, type: String? = nil) {
        self.id = id
        self.type = type
    }

    mutating func error(_ path: String, _ reason: String) { issues.append(.init(.error, path: path, reason: reason)) }
    mutating func warning(_ path: String, _ reason: String) { issues.append(.init(.warning, path: path, reason: reason)) }
}
