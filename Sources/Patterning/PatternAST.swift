/// A parsed STIX 2.1 pattern (STIX 2.1 section 9, grammar `STIXPattern.g4`).
///
/// ```swift
/// let pattern = try PatternParser.parse("[ipv4-addr:value = '198.51.100.1'] WITHIN 60 SECONDS")
/// ```
///
/// Only the cases that hold expressions of their own are boxed: a box for every node was a
/// good part of the cost of parsing and freeing a pattern.
public enum ObservationExpression: Sendable, Equatable {
    /// `[ comparison ]`: one observation matching the comparison.
    case observation(ComparisonExpression)
    /// `A AND B`, `A OR B`, `A FOLLOWEDBY B`.
    indirect case combined(ObservationOperator, ObservationExpression, ObservationExpression)
    /// A qualified expression (`WITHIN`, `REPEATS`, `START ... STOP`).
    indirect case qualified(ObservationExpression, Qualifier)
}

/// Operators that join observation expressions, weakest binding last.
public enum ObservationOperator: String, Sendable {
    case and = "AND"
    case or = "OR"
    case followedBy = "FOLLOWEDBY"
}

/// Qualifiers of observation expressions.
public enum Qualifier: Sendable, Equatable {
    /// `WITHIN n SECONDS`.
    case within(Double)
    /// `REPEATS n TIMES`.
    case repeats(Int)
    /// `START t'…' STOP t'…'`, as the two timestamp texts.
    case startStop(String, String)
}

/// The inside of `[ ... ]`: comparisons joined by AND/OR.
public enum ComparisonExpression: Sendable, Equatable {
    /// One test of an object path (held inline: most brackets hold one comparison).
    case comparison(Comparison)
    /// `A AND B`.
    indirect case and(ComparisonExpression, ComparisonExpression)
    /// `A OR B`.
    indirect case or(ComparisonExpression, ComparisonExpression)
}

/// One comparison such as `file:hashes.'SHA-256' = '…'` or `EXISTS file:name`.
public struct Comparison: Sendable, Equatable {
    /// The object path on the left.
    public var path: ObjectPath
    /// The operator.
    public var op: ComparisonOperator
    /// Whether it is negated with `NOT`.
    public var negated: Bool
    /// The right-hand side (nil for `EXISTS`).
    public var value: PatternLiteral?
}

/// Comparison operators of STIX patterning.
public enum ComparisonOperator: String, Sendable {
    case equal = "=", notEqual = "!=", greater = ">", less = "<", greaterOrEqual = ">=", lessOrEqual = "<="
    case `in` = "IN", like = "LIKE", matches = "MATCHES", isSubset = "ISSUBSET", isSuperset = "ISSUPERSET", exists = "EXISTS"
}

/// `type:property.sub[0].'quoted key'`.
public struct ObjectPath: Sendable, Equatable, CustomStringConvertible {
    /// The object type, such as `file`.
    public var objectType: String
    /// The path steps after the colon.
    public var steps: [PathStep]

    public var description: String {
        var out = objectType + ":"
        for (i, step) in steps.enumerated() {
            switch step {
            case .property(let name): out += (i == 0 ? "" : ".") + name
            case .index(let n): out += "[\(n)]"
            case .anyIndex: out += "[*]"
            }
        }
        return out
    }
}

/// One step of an object path.
public enum PathStep: Sendable, Equatable {
    /// A property or dictionary key.
    case property(String)
    /// A list index (negative counts from the end).
    case index(Int)
    /// `[*]`: any element.
    case anyIndex
}

/// A literal on the right of a comparison.
public enum PatternLiteral: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    /// `t'2020-01-01T00:00:00Z'`, the timestamp text.
    case timestamp(String)
    /// `h'ff00'`, the decoded bytes.
    case hex([UInt8])
    /// `b'AAEC'`, the base64 text.
    case binary(String)
    /// `('a', 'b')` for IN.
    case set([PatternLiteral])
}

/// Why a pattern does not parse: where, and what was expected.
public struct PatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Character offset in the pattern.
    public var position: Int
    /// What went wrong.
    public var reason: String

    public var description: String { "\(reason) at position \(position)" }

    /// Creates an error at a character offset.
    public init(position: Int, reason: String) {
        self.position = position
        self.reason = reason
    }
}

extension ObservationExpression {
    /// Every comparison in the pattern, left to right.
    public var comparisons: [Comparison] {
        var out: [Comparison] = []
        collect(into: &out)
        return out
    }

    private func collect(into out: inout [Comparison]) {
        switch self {
        case .observation(let c): c.collect(into: &out)
        case .combined(_, let a, let b):
            a.collect(into: &out)
            b.collect(into: &out)
        case .qualified(let inner, _): inner.collect(into: &out)
        }
    }
}

extension ComparisonExpression {
    fileprivate func collect(into out: inout [Comparison]) {
        switch self {
        case .comparison(let c): out.append(c)
        case .and(let a, let b), .or(let a, let b):
            a.collect(into: &out)
            b.collect(into: &out)
        }
    }
}
