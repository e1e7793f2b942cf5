import Patterning

/// A comparison ready to run on many values: its literal converted, its set checked, its LIKE
/// pattern, regular expression or address range compiled, all once per pattern.
///
/// A class, so that visiting a comparison for each observation shares it instead of copying
/// (and retaining) each of its parts.
final class CompiledComparison: Sendable {
    let op: ComparisonOperator
    let negated: Bool
    let path: CompiledPath
    /// The literal of =, !=, <, >, <= and >=.
    let literal: Operand?
    /// What IN, LIKE, MATCHES, ISSUBSET and ISSUPERSET compiled their literal to, or nil.
    let special: Special?

    /// The compiled literal of the operators other than equality and ordering, boxed apart:
    /// most comparisons have none, and an indicator index keeps a compiled comparison for
    /// every indicator (inline, these fields took 64 of its 192 bytes). A class rather than an
    /// indirect enum: matching a case copied the payload out at each test.
    final class Special: Sendable {
        /// The elements of an IN set (one kind; numbers may mix).
        let set: [Operand]
        /// The pattern of LIKE.
        let like: LikePattern?
        /// The expression of MATCHES.
        let regex: RegexPattern?
        /// The range of ISSUBSET and ISSUPERSET.
        let range: AddressRange?

        /// Holds the one part its operator uses.
        init(set: [Operand] = [], like: LikePattern? = nil, regex: RegexPattern? = nil, range: AddressRange? = nil) {
            (self.set, self.like, self.regex, self.range) = (set, like, regex, range)
        }
    }

    /// The elements of an IN set (empty for other operators).
    var set: [Operand] { special?.set ?? [] }
    /// The pattern of LIKE.
    var like: LikePattern? { special?.like }
    /// The expression of MATCHES.
    var regex: RegexPattern? { special?.regex }
    /// The range of ISSUBSET and ISSUPERSET.
    var range: AddressRange? { special?.range }

    /// Compiles `c`; throws for a literal that is no value (an impossible date, bad base64), a
    /// set mixing kinds, a refused regular expression or a malformed range.
    init(_ c: borrowing Comparison) throws(EvaluationError) {
        op = c.op
        negated = c.negated
        path = CompiledPath(c.path)
        var literal: Operand?, special: Special?
        switch (c.op, c.value) {
        case (.exists, _), (_, nil): break
        case (.in, .set(let elements)?):
            var set: [Operand] = []
            set.reserveCapacity(elements.count)
            for e in elements { set.append(try Operand(e)) }
            try Context.checkHomogeneous(set)
            special = Special(set: set)
        case (.like, .string(let text)?): special = Special(like: LikePattern(text))
        case (.matches, .string(let text)?): special = Special(regex: try RegexPattern(text))
        case (.isSubset, .string(let text)?), (.isSuperset, .string(let text)?):
            guard let parsed = AddressRange(text) else { throw EvaluationError("'\(text)' is not an IP address or CIDR range") }
            special = Special(range: parsed)
        case (.in, _), (.like, _), (.matches, _), (.isSubset, _), (.isSuperset, _):
            throw EvaluationError("\(c.op.rawValue) does not take this literal")
        case (_, let value?): literal = try Operand(value)
        }
        (self.literal, self.special) = (literal, special)
    }
}

/// The inside of `[...]` with its comparisons compiled.
enum CompiledExpression: Sendable {
    /// Already a reference: no box of its own.
    case comparison(CompiledComparison)
    indirect case and(CompiledExpression, CompiledExpression)
    indirect case or(CompiledExpression, CompiledExpression)

    init(_ c: borrowing ComparisonExpression) throws(EvaluationError) {
        switch c {
        case .comparison(let comparison): self = .comparison(try CompiledComparison(comparison))
        case .and(let a, let b): self = .and(try CompiledExpression(a), try CompiledExpression(b))
        case .or(let a, let b): self = .or(try CompiledExpression(a), try CompiledExpression(b))
        }
    }

    /// The compiled insides of every `[...]` of a pattern (`count` of them), left to right (the
    /// order in which the evaluator visits them).
    static func leaves(_ e: borrowing ObservationExpression, count: Int) throws(EvaluationError) -> [CompiledExpression] {
        var out: [CompiledExpression] = []
        // Room for all at once: growing the list leaf by leaf took an allocation per doubling.
        out.reserveCapacity(count)
        try collect(e, into: &out)
        return out
    }

    /// Appends the leaves of `e` to `out`: one list for the pattern, not one per node joined.
    private static func collect(_ e: borrowing ObservationExpression, into out: inout [CompiledExpression]) throws(EvaluationError) {
        switch e {
        case .observation(let c): out.append(try CompiledExpression(c))
        case .combined(_, let a, let b):
            try collect(a, into: &out)
            try collect(b, into: &out)
        case .qualified(let inner, _): try collect(inner, into: &out)
        }
    }
}
