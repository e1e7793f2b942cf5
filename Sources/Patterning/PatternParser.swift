/// A recursive-descent parser for STIX 2.1 patterns.
///
/// Precedence, loosest first: `FOLLOWEDBY`, `OR`, `AND` between observations; qualifiers bind
/// to the observation before them; inside brackets `OR` is looser than `AND`.
///
/// ```swift
/// let ast = try PatternParser.parse("[file:hashes.'SHA-256' = 'aa...'] AND [ipv4-addr:value = '1.2.3.4']")
/// ```
public struct PatternParser {
    /// Tokens are read as the parser needs them, not collected first.
    private var lexer: PatternLexer
    /// The token being looked at.
    private var current: PatternToken = .end
    /// The byte offset of the current token.
    private var position = 0
    private var depth = 0
    private var nodes = 0

    /// Deepest nesting of parentheses accepted.
    public static let maxDepth = 64
    /// Most comparisons and observations in one pattern; real patterns use a handful, and the
    /// cap keeps the tree small enough to walk and free without deep recursion.
    public static let maxNodes = 1_000

    /// Parses a whole pattern or throws with the position and what was expected.
    public static func parse(_ pattern: String) throws(PatternError) -> ObservationExpression {
        // The lexer reads the pattern's bytes where they are (a native string lends them)
        // instead of a copy made for each pattern.
        var text = pattern
        return try text.withUTF8 { bytes in
            Result { () throws(PatternError) in try parse(bytes) }
        }.get()
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(PatternError) -> ObservationExpression {
        var parser = PatternParser(bytes)
        do throws(PatternError) {
            try parser.advance()
            let expression = try parser.observationExpressions()
            guard case .end = parser.current else { throw parser.expected("AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern") }
            return expression
        } catch {
            // The grammar reads every token before parsing: a lexical error anywhere in the
            // pattern is the one reported, as when the tokens were all read first.
            try parser.lexer.drain()
            throw error
        }
    }

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.lexer = PatternLexer(bytes)
    }

    private mutating func advance() throws(PatternError) {
        (current, position) = try lexer.next()
    }

    private func error(at byteOffset: Int, _ reason: String) -> PatternError {
        PatternError(position: lexer.scalarOffset(byteOffset), reason: reason)
    }

    private func expected(_ what: String) -> PatternError {
        error(at: position, "expected \(what), found \(describe(current))")
    }

    /// The current token's text, as written.
    private var tokenText: String { lexer.text(position..<lexer.offset) }

    /// The text of the current token, a quoted literal, with its escapes undone.
    private func literalText(escaped: Bool = false) -> String {
        lexer.unquoted(from: position, to: lexer.offset, escaped: escaped)
    }

    private func describe(_ t: PatternToken) -> String {
        switch t {
        case .lbracket: return "'['"
        case .rbracket: return "']'"
        case .lparen: return "'('"
        case .rparen: return "')'"
        case .colon: return "':'"
        case .dot: return "'.'"
        case .comma: return "','"
        case .star: return "'*'"
        case .op(let o): return "'\(o.rawValue)'"
        case .keyword(let k): return k.rawValue
        case .identifier: return "'\(tokenText)'"
        case .string(let escaped): return "string '\(literalText(escaped: escaped))'"
        case .integer: return "number \(tokenText)"
        case .float(let d): return "number \(d)"
        case .boolean(let b): return "\(b)"
        case .timestamp: return "timestamp t'\(literalText())'"
        case .hex: return "hex literal"
        case .binary: return "binary literal"
        case .end: return "the end of the pattern"
        }
    }

    private mutating func enter() throws(PatternError) {
        depth += 1
        if depth > Self.maxDepth { throw error(at: position, "parentheses nested deeper than \(Self.maxDepth) levels") }
    }

    @inline(__always)
    private mutating func count() throws(PatternError) {
        nodes += 1
        if nodes > Self.maxNodes { throw tooMany() }
    }

    /// Kept out of `count`, which every comparison calls: the message is built only when thrown.
    private func tooMany() -> PatternError {
        error(at: position, "more than \(Self.maxNodes) comparisons and observations in one pattern")
    }

    private mutating func accept(keyword: PatternKeyword) throws(PatternError) -> Bool {
        if case .keyword(let k) = current, k == keyword { try advance(); return true }
        return false
    }

    // The operands of each operator are moved into its node (`consume`): the tree built so far
    // was copied into the new node and then destroyed, a retain and a release of every box.

    private mutating func observationExpressions() throws(PatternError) -> ObservationExpression {
        var left = try observationOr()
        while try accept(keyword: .followedBy) {
            let right = try observationOr()
            left = .combined(.followedBy, consume left, right)
        }
        return left
    }

    private mutating func observationOr() throws(PatternError) -> ObservationExpression {
        var left = try observationAnd()
        while try accept(keyword: .or) {
            let right = try observationAnd()
            left = .combined(.or, consume left, right)
        }
        return left
    }

    private mutating func observationAnd() throws(PatternError) -> ObservationExpression {
        var left = try qualifiedObservation()
        while try accept(keyword: .and) {
            let right = try qualifiedObservation()
            left = .combined(.and, consume left, right)
        }
        return left
    }

    private mutating func qualifiedObservation() throws(PatternError) -> ObservationExpression {
        var expression: ObservationExpression
        switch current {
        case .lbracket:
            try advance()
            try count()
            expression = .observation(try comparisonOr())
            guard case .rbracket = current else { throw expected("']' or AND/OR between comparisons") }
            try advance()
        case .lparen:
            try advance()
            try enter()
            expression = try observationExpressions()
            guard case .rparen = current else { throw expected("')'") }
            depth -= 1
            try advance()
        default:
            throw expected("'[' or '(' to start an observation expression")
        }
        // STIX 2.1 9.5.1: an observation expression MUST NOT have two qualifiers of one type.
        // The kinds seen so far as bits (WITHIN, REPEATS, START): no list made per observation.
        var seen: UInt8 = 0
        func once(_ kind: PatternKeyword, at position: Int) throws(PatternError) {
            let bit: UInt8 = kind == .within ? 1 : kind == .repeats ? 2 : 4
            guard seen & bit == 0 else {
                let name = kind == .start ? "START/STOP" : kind.rawValue
                throw error(at: position, "a second \(name) qualifier on the same observation expression (one of each type at most)")
            }
            seen |= bit
        }
        while true {
            let qualifierPosition = position
            if try accept(keyword: .within) {
                try once(.within, at: qualifierPosition)
                // The grammar takes 0 (and the evaluator then refuses it: no window is that short).
                let seconds: Double
                switch current {
                case .integer(let v) where v >= 0 && lexer.byte(position) != UInt8(ascii: "-"): seconds = Double(v)
                case .float(let d) where d >= 0: seconds = d
                default: throw expected("a number of seconds after WITHIN")
                }
                try advance()
                guard try accept(keyword: .seconds) else { throw expected("SECONDS") }
                expression = .qualified(consume expression, .within(seconds))
            } else if try accept(keyword: .repeats) {
                try once(.repeats, at: qualifierPosition)
                guard case .integer(let v) = current, v >= 0, lexer.byte(position) != UInt8(ascii: "-") else { throw expected("a whole number after REPEATS") }
                try advance()
                guard try accept(keyword: .times) else { throw expected("TIMES") }
                expression = .qualified(consume expression, .repeats(Int(min(v, Int64(Int32.max)))))
            } else if try accept(keyword: .start) {
                try once(.start, at: qualifierPosition)
                guard case .timestamp = current else { throw expected("a timestamp literal t'...' after START") }
                let start = literalText()
                try advance()
                guard try accept(keyword: .stop) else { throw expected("STOP") }
                guard case .timestamp = current else { throw expected("a timestamp literal t'...' after STOP") }
                let stop = literalText()
                try advance()
                expression = .qualified(consume expression, .startStop(start, stop))
            } else {
                return expression
            }
        }
    }

    private mutating func comparisonOr() throws(PatternError) -> ComparisonExpression {
        var left = try comparisonAnd()
        while try accept(keyword: .or) {
            let right = try comparisonAnd()
            left = .or(consume left, right)
        }
        return left
    }

    private mutating func comparisonAnd() throws(PatternError) -> ComparisonExpression {
        var left = try propertyTest()
        while try accept(keyword: .and) {
            let right = try propertyTest()
            left = .and(consume left, right)
        }
        return left
    }

    private mutating func propertyTest() throws(PatternError) -> ComparisonExpression {
        if case .lparen = current {
            try advance()
            try enter()
            let inner = try comparisonOr()
            guard case .rparen = current else { throw expected("')'") }
            depth -= 1
            try advance()
            return inner
        }
        try count()
        // `NOT EXISTS path` is the one test with NOT in front (STIXPattern.g4 propTestExists).
        if case .keyword(.not) = current {
            try advance()
            guard try accept(keyword: .exists) else { throw expected("EXISTS after a leading NOT") }
            return .comparison(Comparison(path: try objectPath().path, op: .exists, negated: true, value: nil))
        }
        if try accept(keyword: .exists) {
            return .comparison(Comparison(path: try objectPath().path, op: .exists, negated: false, value: nil))
        }
        let (path, throughHashes) = try objectPath()
        let negated = try accept(keyword: .not)
        let op: ComparisonOperator
        switch current {
        case .op(let o): op = o
        case .keyword(.in): op = .in
        case .keyword(.like): op = .like
        case .keyword(.matches): op = .matches
        case .keyword(.isSubset): op = .isSubset
        case .keyword(.isSuperset): op = .isSuperset
        default: throw expected("a comparison operator (=, !=, <, >, <=, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)")
        }
        try advance()
        let valuePosition = position
        let value: PatternLiteral
        switch op {
        case .equal, .notEqual:
            value = try literal(allowBoolean: true)
        case .greater, .less, .greaterOrEqual, .lessOrEqual:
            value = try literal(allowBoolean: false)
        case .in:
            value = try setLiteral()
        case .like, .matches, .isSubset, .isSuperset:
            guard case .string(let escaped) = current else { throw expected("a string literal after \(op.rawValue)") }
            value = .string(literalText(escaped: escaped))
            try advance()
        case .exists:
            preconditionFailure("EXISTS is handled above")
        }
        // Only a path through `hashes` can compare a hash.
        if throughHashes, let reason = HashLiterals.problem(path: path, op: op, value: value) { throw error(at: valuePosition, reason) }
        return .comparison(Comparison(path: path, op: op, negated: negated, value: value))
    }

    private mutating func literal(allowBoolean: Bool) throws(PatternError) -> PatternLiteral {
        let value: PatternLiteral
        switch current {
        case .string(let escaped): value = .string(literalText(escaped: escaped))
        case .integer(let v): value = .integer(v)
        case .float(let d): value = .float(d)
        case .timestamp: value = .timestamp(literalText())
        // The lexer checked the digits.
        case .hex: value = .hex(HexText.bytes(literalText()) ?? [])
        case .binary: value = .binary(literalText())
        case .boolean(let b) where allowBoolean: value = .boolean(b)
        default: throw expected(allowBoolean ? "a literal" : "an orderable literal (string, number, timestamp, hex or binary)")
        }
        try advance()
        return value
    }

    private mutating func setLiteral() throws(PatternError) -> PatternLiteral {
        guard case .lparen = current else { throw expected("'(' to start a set after IN") }
        try advance()
        var elements: [PatternLiteral] = []
        if case .rparen = current { try advance(); return .set(elements) }
        // Sets hold a few literals: one allocation instead of growing from one.
        elements.reserveCapacity(4)
        while true {
            elements.append(try literal(allowBoolean: true))
            if case .comma = current { try advance(); continue }
            guard case .rparen = current else { throw expected("',' or ')' in a set") }
            try advance()
            return .set(elements)
        }
    }

    /// The object path at the current token, and whether one of its steps is `hashes`.
    private mutating func objectPath() throws(PatternError) -> (path: ObjectPath, throughHashes: Bool) {
        guard case .identifier = current else { throw expected("an object path such as ipv4-addr:value") }
        let type = tokenText
        try advance()
        guard case .colon = current else { throw expected("':' after the object type '\(type)'") }
        try advance()
        var steps: [PathStep] = []
        // Most paths have a few steps: one allocation instead of growing from one.
        steps.reserveCapacity(4)
        var throughHashes = false
        /// The property name at the current token, if it is one.
        func propertyName() -> String? {
            let name: String
            switch current {
            case .identifier(hyphen: false): name = tokenText
            case .string(let escaped): name = literalText(escaped: escaped)
            default: return nil
            }
            if name.utf8.count == 6 && name == "hashes" { throughHashes = true }
            return name
        }
        guard let first = propertyName() else { throw expected("a property name after '\(type):'") }
        steps.append(.property(first))
        try advance()
        while true {
            switch current {
            case .dot:
                try advance()
                guard let name = propertyName() else { throw expected("a property name after '.' (quote names with hyphens: 'SHA-256')") }
                steps.append(.property(name))
                try advance()
            case .lbracket:
                try advance()
                switch current {
                case .integer(let n): steps.append(.index(Int(n)))
                case .star: steps.append(.anyIndex)
                default: throw expected("a list index or '*'")
                }
                try advance()
                guard case .rbracket = current else { throw expected("']' after a list index") }
                try advance()
            default:
                return (ObjectPath(objectType: type, steps: steps), throughHashes)
            }
        }
    }
}
