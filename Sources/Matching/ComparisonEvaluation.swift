import Patterning
import STIX

/// Comparisons need nothing of an evaluation but the observation they test: static, so that a
/// pattern of one `[...]` is decided without setting up an evaluation (and its budget).
extension Context {
    /// The root objects of `o` for which the comparison expression holds.
    static func roots(_ c: CompiledExpression, _ o: Observation) throws(EvaluationError) -> SmallBitSet {
        switch c {
        case .comparison(let compiled):
            if compiled.path.isPlain { return try roots(compiled, plain: compiled.path.path.steps, o) }
            if let hops = compiled.path.hops { return try roots(compiled, hops, o) }
            if compiled.path.followsNoReference { return try roots(compiled, indexed: compiled.path.path.steps[...], o) }
            let selection = try Selection.select(compiled.path.path, in: o)
            if compiled.op == .exists && compiled.negated {
                // NOT EXISTS: objects of the type where the path reaches nothing.
                var present = SmallBitSet()
                for (root, _) in selection.roots { present.insert(root) }
                return absent(compiled.path.path.objectType, present, o)
            }
            var passed = SmallBitSet()
            for (root, values) in selection.roots {
                for value in values where try holds(compiled, value: Operand.from(value, kind: compiled.path.valueKind)) {
                    passed.insert(root)
                    break
                }
            }
            return passed
        case .and(let a, let b):
            let left = try roots(a, o), right = try roots(b, o)
            return left.intersection(right)
        case .or(let a, let b):
            let left = try roots(a, o), right = try roots(b, o)
            return left.union(right)
        }
    }

    /// The same for a path of plain properties: one value at most per root, and no reference
    /// whose target could be malformed, so each root is tested as it is reached.
    private static func roots(_ compiled: CompiledComparison, plain steps: [PathStep], _ o: Observation) throws(EvaluationError) -> SmallBitSet {
        let type = compiled.path.path.objectType
        let notExists = compiled.op == .exists && compiled.negated
        var passed = SmallBitSet()
        for i in o.members.indices where o.members[i].isOf(type) {
            guard let value = CompiledPath.walk(o.members[i].object, steps) else { continue }
            if notExists {
                passed.insert(i)
            } else if try holds(compiled, value: Operand.from(value, kind: compiled.path.valueKind)) {
                passed.insert(i)
            }
        }
        return notExists ? absent(type, passed, o) : passed
    }

    /// The same for a path of single steps through references: every root is followed first
    /// (a malformed reference is an error whatever the values), then the values are tested.
    private static func roots(_ compiled: CompiledComparison, _ hops: [CompiledPath.Hop], _ o: Observation) throws(EvaluationError) -> SmallBitSet {
        let type = compiled.path.path.objectType
        var reached: [Reached] = []
        for i in o.members.indices where o.members[i].isOf(type) {
            if let value = try CompiledPath.follow(o.members[i].object, hops, in: o) { reached.append(Reached(root: i, value: value)) }
        }
        var passed = SmallBitSet()
        if compiled.op == .exists && compiled.negated {
            for r in reached { passed.insert(r.root) }
            return absent(type, passed, o)
        }
        for r in reached where try holds(compiled, value: Operand.from(r.value, kind: compiled.path.valueKind)) { passed.insert(r.root) }
        return passed
    }

    /// The same for a path with list indexes but no reference: selecting cannot fail, so the
    /// values are tested as they are reached, in the order a selection lists them, without
    /// building one (the test of a root stops at its first passing value, as it did on the list).
    private static func roots(_ compiled: CompiledComparison, indexed steps: ArraySlice<PathStep>, _ o: Observation) throws(EvaluationError) -> SmallBitSet {
        let type = compiled.path.path.objectType
        var passed = SmallBitSet()
        if compiled.op == .exists && compiled.negated {
            for i in o.members.indices where o.members[i].isOf(type) {
                if try reaches(.object(o.members[i].object), steps, { _ in true }) { passed.insert(i) }
            }
            return absent(type, passed, o)
        }
        let kind = compiled.path.valueKind
        for i in o.members.indices where o.members[i].isOf(type) {
            let found = try reaches(.object(o.members[i].object), steps) { (value) throws(EvaluationError) in
                try holds(compiled, value: Operand.from(value, kind: kind))
            }
            if found { passed.insert(i) }
        }
        return passed
    }

    /// Whether `test` holds for one of the values `steps` reach from `value` (each step into an
    /// object's property, a list element, or every element of a list), tried in selection order.
    private static func reaches(_ value: JSONValue, _ steps: ArraySlice<PathStep>,
                                _ test: (JSONValue) throws(EvaluationError) -> Bool) throws(EvaluationError) -> Bool {
        guard let step = steps.first else { return try test(value) }
        let rest = steps.dropFirst()
        switch step {
        case .property(let name):
            guard case .object(let object) = value, let next = object[name] else { return false }
            return try reaches(next, rest, test)
        case .index(let n):
            guard case .array(let list) = value, n >= 0, n < list.count else { return false }
            return try reaches(list[n], rest, test)
        case .anyIndex:
            guard case .array(let list) = value else { return false }
            for element in list where try reaches(element, rest, test) { return true }
            return false
        }
    }

    /// A value a path reached and the root object it was reached from.
    private struct Reached {
        let root: Int
        let value: JSONValue
    }

    /// The objects of `type` not in `present`.
    private static func absent(_ type: String, _ present: SmallBitSet, _ o: Observation) -> SmallBitSet {
        var out = SmallBitSet()
        for i in o.members.indices where o.members[i].isOf(type) && !present.contains(i) { out.insert(i) }
        return out
    }

    /// Whether one value passes one comparison (NOT negates the result for that value).
    static func holds(_ compiled: CompiledComparison, value: Operand) throws(EvaluationError) -> Bool {
        let op = compiled.op
        let result: Bool
        switch op {
        case .exists:
            result = true
        case .equal, .notEqual:
            guard let literal = compiled.literal else { return false }
            // The value converted only against a time: otherwise it is read as it is, not copied.
            let equal = if case .time = literal { Operand.equal(try value.asTime(), literal) } else { Operand.equal(value, literal) }
            result = equal != (op == .notEqual)
        case .less, .greater, .lessOrEqual, .greaterOrEqual:
            guard let literal = compiled.literal else { return false }
            let time = if case .time = literal { try value.asTime() } else { Operand?.none }
            // Kinds that have no order fail the test whatever NOT says (as the reference
            // matcher reads "incompatible types ... the results are false").
            guard Operand.orderable(time ?? value, literal) else { return false }
            guard let order = Operand.order(time ?? value, literal) else { result = false; break }
            switch op {
            case .less: result = order < 0
            case .greater: result = order > 0
            case .lessOrEqual: result = order <= 0
            default: result = order >= 0
            }
        case .in:
            if case .time? = compiled.set.first {
                let time = try value.asTime()
                result = compiled.set.contains { Operand.equal(time, $0) }
            } else {
                result = compiled.set.contains { Operand.equal(value, $0) }
            }
        case .like:
            guard let like = compiled.like else { return false }
            switch value {
            case .string(let s): result = like.matches(s)
            case .bytes(let b): result = String(validating: b, as: UTF8.self).map(like.matches) ?? false
            default: result = false
            }
        case .matches:
            guard let regex = compiled.regex else { return false }
            switch value {
            case .string(let s): result = try regex.matches(s)
            // Binary values are matched as text of their byte values (0-255).
            case .bytes(let b): result = try regex.matches(String(String.UnicodeScalarView(b.map { Unicode.Scalar($0) })))
            default: result = false
            }
        case .isSubset, .isSuperset:
            guard let literal = compiled.range else { return false }
            if case .string(let s) = value, let range = AddressRange(s) {
                result = op == .isSubset ? range.isWithin(literal) : literal.isWithin(range)
            } else {
                result = false
            }
        }
        return result != compiled.negated
    }
}
