import Patterning

/// Decides whether a STIX pattern matches a set of observations, with the semantics of STIX 2.1
/// section 9 as the OASIS reference matcher reads them:
/// - inside `[...]`, comparisons joined by AND must hold for the same observable (the root
///   object a path starts from); OR for any;
/// - an observed-data object with `number_observed` n counts as n observations;
/// - observation operators bind distinct observations: AND any two, FOLLOWEDBY the left ones
///   first-observed no later than the right ones last-observed, OR either;
/// - `REPEATS n` n distinct bindings; `WITHIN s SECONDS` all observed intervals touch one
///   window of s seconds; `START a STOP b` every interval meets [a, b) (a before b).
///
/// ```swift
/// let evaluator = try PatternEvaluator(pattern: "[ipv4-addr:value ISSUBSET '198.51.100.0/24']")
/// let matched = try evaluator.matches(Observation.from(objects))
/// ```
public struct PatternEvaluator: Sendable {
    /// The parsed pattern.
    public let pattern: ObservationExpression
    /// How many observations one binding may use: no observation is expanded beyond this many
    /// copies, since more could never be told apart.
    let slots: Int
    /// Most bindings one sub-expression may produce before evaluation is refused as too costly.
    public static let maxBindings = 100_000
    /// Largest REPEATS enumerated when enough observations exist (deeper choices would be refused
    /// by the work budget anyway, after much longer).
    public static let maxRepeats = 1_000

    /// Parses `text`; throws the parser's error with its position.
    public init(pattern text: String) throws(PatternError) {
        try self.init(try PatternParser.parse(text))
    }

    /// Evaluates an already parsed pattern; refuses what no data can satisfy or evaluate:
    /// qualifiers such as `WITHIN 0 SECONDS` (which the grammar lets through), literals that are
    /// no value (an impossible date), sets mixing kinds, refused regular expressions. Checked
    /// once, before any data, so no indicator fails later on some record.
    public init(_ pattern: consuming ObservationExpression) throws(PatternError) {
        let shape = Shape(pattern)
        if let reason = shape.refusal { throw PatternError(position: 0, reason: reason) }
        do { leaves = try CompiledExpression.leaves(pattern, count: shape.leaves) } catch { throw PatternError(position: 0, reason: error.reason) }
        slots = shape.slots
        // Taken over, not copied: copying a tree retains every name and literal it holds inline.
        self.pattern = pattern
    }

    /// The compiled inside of each `[...]`, left to right.
    let leaves: [CompiledExpression]

    /// What preparing a pattern needs to know of its tree, found in one walk of it.
    struct Shape {
        /// Why no data can satisfy or evaluate the pattern (the first such qualifier, outer
        /// ones before those they qualify, left to right), or nil.
        var refusal: String?
        /// How many observations one binding may use.
        var slots: Int
        /// How many `[...]` the pattern holds.
        var leaves: Int

        init(_ e: borrowing ObservationExpression) {
            switch e {
            case .observation:
                (refusal, slots, leaves) = (nil, 1, 1)
            case .combined(let op, let a, let b):
                let left = Shape(a), right = Shape(b)
                refusal = left.refusal ?? right.refusal
                slots = op == .or ? max(left.slots, right.slots) : min(left.slots + right.slots, 1 << 20)
                leaves = left.leaves + right.leaves
            case .qualified(let inner, let qualifier):
                let shape = Shape(inner)
                leaves = shape.leaves
                switch qualifier {
                case .within(let seconds) where seconds <= 0: refusal = "WITHIN needs a positive number of seconds"
                case .repeats(let n) where n < 1: refusal = "REPEATS needs at least 1 TIMES"
                case .startStop(let a, let b) where Operand.parseTime(a) == nil || Operand.parseTime(b) == nil:
                    refusal = "START and STOP need valid timestamps"
                default: refusal = shape.refusal
                }
                // A refused qualifier's slots are never used, and may not multiply.
                if case .repeats(let n) = qualifier, n >= 1 { slots = min(shape.slots * n, 1 << 20) } else { slots = shape.slots }
            }
        }
    }

    /// Whether the pattern matches `observations`. Throws when the data cannot be compared as
    /// the pattern requires (an invalid timestamp, a malformed reference) or the work exceeds
    /// the evaluator's bounds.
    public func matches(_ observations: [Observation]) throws(EvaluationError) -> Bool {
        if case .observation = pattern {
            // One `[...]` alone (most patterns): each observation it holds for is one binding of
            // one instance, so it matches when one holds, unless so many hold that listing
            // the bindings would have been refused.
            let found = try Context.holdingCount(leaves[0], observations)
            if found <= PatternEvaluator.maxBindings { return found > 0 }
        }
        let context = Context(observations: observations, slots: slots, leaves: leaves)
        // Every comparison is evaluated first, on every observation, so a bad value is reported
        // whatever the observation operators would have skipped.
        let tested = try context.test()
        var leaf = 0
        return try !context.bindings(pattern, tested, &leaf).isEmpty
    }
}

/// One evaluation: the observations, their expanded instances and the bounds.
struct Context {
    let observations: [Observation]
    let slots: Int
    /// The compiled inside of each `[...]`, left to right.
    let leaves: [CompiledExpression]

    init(observations: [Observation], slots: Int, leaves: [CompiledExpression]) {
        self.observations = observations
        self.slots = slots
        self.leaves = leaves
    }

    /// The observations each `[...]` holds for, in pattern order (left to right, the order
    /// `bindings` visits them in): a flat list rather than a tree mirroring the pattern, whose
    /// every node was a box.
    func test() throws(EvaluationError) -> [SmallBitSet] {
        var tested: [SmallBitSet] = []
        tested.reserveCapacity(leaves.count)
        for c in leaves {
            var matching = SmallBitSet()
            // By index: the observation is lent to `roots`, not copied for each expression.
            for i in observations.indices where try !Self.roots(c, observations[i]).isEmpty { matching.insert(i) }
            tested.append(matching)
        }
        return tested
    }

    /// How many observations `c` holds for (every one is evaluated, as `test` does).
    static func holdingCount(_ c: CompiledExpression, _ observations: [Observation]) throws(EvaluationError) -> Int {
        var found = 0
        for i in observations.indices where try !roots(c, observations[i]).isEmpty { found += 1 }
        return found
    }

    /// Sets must hold one kind of literal (numbers may mix integers and decimals).
    static func checkHomogeneous(_ set: [Operand]) throws(EvaluationError) {
        func kind(_ o: Operand) -> Int {
            switch o {
            case .integer, .double: 0
            case .string: 1
            case .bool: 2
            case .bytes: 3
            case .time: 4
            case .structure: 5
            }
        }
        guard let first = set.first else { return }
        if set.contains(where: { kind($0) != kind(first) }) { throw EvaluationError("a set must hold literals of one kind") }
    }

    func instance(_ observation: Int, _ copy: Int) -> Int { observation << 20 | copy }
    func observation(of instance: Int) -> Observation { observations[instance >> 20] }

    /// The bindings of `e`, whose first `[...]` is number `leaf` of `tested` (moved past its last).
    func bindings(_ e: ObservationExpression, _ tested: [SmallBitSet], _ leaf: inout Int) throws(EvaluationError) -> [Binding] {
        switch e {
        case .observation:
            let matching = tested[leaf]
            leaf += 1
            var out: [Binding] = []
            // Room for every binding at once (observed-data standing for several observations
            // grew the list copy by copy), up to the most that `bound` lets through.
            var total = 0
            for i in matching { total += min(observations[i].count, slots) }
            out.reserveCapacity(min(total, PatternEvaluator.maxBindings + 1))
            for i in matching {
                let copies = min(observations[i].count, slots)
                try budget.spend(elements: copies)
                for copy in 0..<copies { out.append(Binding(instance(i, copy))) }
                try bound(out.count)
            }
            return out
        case .combined(let op, let a, let b):
            let left = try bindings(a, tested, &leaf)
            let right = try bindings(b, tested, &leaf)
            if op == .or { return left + right }
            var out: [Binding] = []
            // Minima and maxima by loops: mapping each binding first made an array of each.
            let earliestLast = op == .followedBy ? right.map { r in r.reduce(Int64.max) { min($0, observation(of: $1).lastObserved) } } : []
            for l in left {
                let latestFirst = op == .followedBy ? l.reduce(Int64.min) { max($0, observation(of: $1).firstObserved) } : 0
                // Bindings are short: comparing their members beats hashing them, up to a point.
                let used = l.count > 8 ? Set(l) : []
                func disjoint(_ r: Binding) -> Bool { l.count > 8 ? used.isDisjoint(with: r) : !l.contains(where: r.contains) }
                // Every pair looked at costs work, kept or not: rejecting pairs can be quadratic too.
                try budget.spend(work: right.count)
                for (k, r) in right.enumerated() where disjoint(r) {
                    if op == .followedBy, latestFirst > earliestLast[k] { continue }
                    out.append(l + r)
                    try bound(out.count)
                    try budget.spend(elements: l.count + r.count)
                }
            }
            return out
        case .qualified(let inner, let qualifier):
            let all = try bindings(inner, tested, &leaf)
            switch qualifier {
            case .within(let seconds):
                // Windows beyond the time scale (about 292,000 years) cover everything.
                let micros = (seconds * 1_000_000).rounded()
                let window = micros < 9.2e18 ? Int64(micros) : Int64.max
                return all.filter { b in
                    let start = b.reduce(Int64.max) { min($0, observation(of: $1).lastObserved) }
                    let (end, overflow) = start.addingReportingOverflow(window)
                    return b.allSatisfy { observation(of: $0).firstObserved <= (overflow ? Int64.max : end) && observation(of: $0).lastObserved >= start }
                }
            case .startStop(let a, let b):
                guard let start = Operand.parseTime(a), let stop = Operand.parseTime(b) else {
                    throw EvaluationError("START and STOP need valid timestamps")
                }
                guard start < stop else { return [] }
                return all.filter { b in
                    b.allSatisfy { observation(of: $0).firstObserved < stop && observation(of: $0).lastObserved >= start }
                }
            case .repeats(let n):
                return try combinations(all, n)
            }
        }
    }

    /// Every choice of `n` pairwise disjoint bindings, in list order, each joined into one.
    func combinations(_ all: [Binding], _ n: Int) throws(EvaluationError) -> [Binding] {
        if n == 1 { return all }
        // Instances are numbered densely, so that sets of them are bits.
        var number: [Int: Int] = [:]
        for b in all { for x in b where number[x] == nil { number[x] = number.count } }
        // Fewer distinct instances than a combination needs: nothing to enumerate.
        if number.count < n { return [] }
        guard n <= PatternEvaluator.maxRepeats else {
            throw EvaluationError("REPEATS \(n) TIMES over this many observations is refused as too costly (at most \(PatternEvaluator.maxRepeats))")
        }
        let members = all.map { b in
            var bits = SmallBitSet()
            for x in b { if let position = number[x] { bits.insert(position) } }
            return bits
        }
        var out: [Binding] = []
        var chosen: [Int] = []
        var used = SmallBitSet()
        var steps = 0
        func extend(from start: Int) throws(EvaluationError) {
            steps += 1
            try bound(steps / 10)
            try budget.spend(work: 1)
            if chosen.count == n {
                let joined = Binding(joining: chosen, of: all)
                try budget.spend(elements: joined.count)
                out.append(joined)
                try bound(out.count)
                return
            }
            guard all.count - start >= n - chosen.count else { return }
            for i in start..<all.count where used.isDisjoint(with: members[i]) {
                chosen.append(i)
                used.formUnion(members[i])
                try extend(from: i + 1)
                used.subtract(members[i])
                chosen.removeLast()
            }
        }
        try extend(from: 0)
        return out
    }

    /// Work and memory spent on bindings so far in this evaluation.
    let budget = Budget()

    func bound(_ count: Int) throws(EvaluationError) {
        if count > PatternEvaluator.maxBindings {
            throw EvaluationError("the pattern combines more than \(PatternEvaluator.maxBindings) ways of matching these observations; refused as too costly")
        }
    }
}

/// The bounds of one evaluation: pairs of bindings looked at (AND, FOLLOWEDBY, REPEATS) and
/// observation references held in bindings. Past either, evaluation stops with an error instead of
/// running for minutes or filling memory (cases the fuzzer and its reviewer found).
final class Budget {
    static let maxWork = 5_000_000
    static let maxElements = 2_000_000
    private var work = 0
    private var elements = 0

    func spend(work amount: Int = 0, elements held: Int = 0) throws(EvaluationError) {
        work += amount
        elements += held
        if work > Self.maxWork || elements > Self.maxElements {
            throw EvaluationError("matching these observations needs more than \(Self.maxWork) steps or \(Self.maxElements) observation references; refused as too costly")
        }
    }
}
