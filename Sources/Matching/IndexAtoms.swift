import Patterning

/// A test an observable must pass for a pattern to have any chance of matching: one of a
/// pattern's atoms holds for some observable of every observation set the pattern matches.
/// The index looks atoms up; only patterns with a hit are evaluated in full.
enum IndexAtom: Hashable, Sendable {
    /// `type:path = 'text'`.
    case equal(path: PathKey, value: String)
    /// `type:path ISSUBSET 'cidr'`.
    case within(path: PathKey, range: AddressRange)
    /// `type:path LIKE 'prefix%'` (no other wildcard before the first `%`).
    case prefix(path: PathKey, text: String)
}

/// An object path as the index keys it: the object type and its steps, when the path has no
/// list steps and no binary (`_hex`, `_bin`) property.
struct PathKey: Hashable, Sendable {
    let type: String
    let steps: [String]
    /// Computed once: a key is hashed for every table it is looked up in.
    private let hash: Int

    init?(_ path: ObjectPath) {
        var steps: [String] = []
        for step in path.steps {
            guard case .property(let name) = step, !name.hasSuffix("_hex"), !name.hasSuffix("_bin"), !name.hasSuffix("_refs") else { return nil }
            steps.append(name)
        }
        self.init(type: path.objectType, steps: steps)
    }

    init(type: String, steps: [String]) {
        self.type = type
        self.steps = steps
        var hasher = Hasher()
        hasher.combine(type)
        hasher.combine(steps)
        hash = hasher.finalize()
    }

    static func == (a: PathKey, b: PathKey) -> Bool { a.hash == b.hash && a.type == b.type && a.steps == b.steps }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}

extension AddressRange: Hashable {
    func hash(into hasher: inout Hasher) {
        hasher.combine(bytes)
        hasher.combine(prefix)
    }
}

enum IndexAtoms {
    /// Atoms such that any match of `pattern` makes one of them hold, or nil when the pattern
    /// has a part the index cannot narrow (it is then evaluated for every observation).
    static func of(_ pattern: ObservationExpression) -> Set<IndexAtom>? {
        switch pattern {
        case .observation(let c): return of(c)
        case .combined(.or, let a, let b):
            guard let left = of(a), let right = of(b) else { return nil }
            return left.union(right)
        case .combined(_, let a, let b):
            // Both sides must match: either side's atoms are necessary; take the smaller set.
            switch (of(a), of(b)) {
            case (let l?, let r?): return l.count <= r.count ? l : r
            case (let l?, nil): return l
            case (nil, let r?): return r
            case (nil, nil): return nil
            }
        case .qualified(let inner, _): return of(inner)
        }
    }

    static func of(_ c: ComparisonExpression) -> Set<IndexAtom>? {
        switch c {
        case .comparison(let comparison): return of(comparison)
        case .or(let a, let b):
            guard let left = of(a), let right = of(b) else { return nil }
            return left.union(right)
        case .and(let a, let b):
            switch (of(a), of(b)) {
            case (let l?, let r?): return l.count <= r.count ? l : r
            case (let l?, nil): return l
            case (nil, let r?): return r
            case (nil, nil): return nil
            }
        }
    }

    static func of(_ c: Comparison) -> Set<IndexAtom>? {
        guard !c.negated, let path = PathKey(c.path) else { return nil }
        switch (c.op, c.value) {
        case (.equal, .string(let s)?): return [.equal(path: path, value: s)]
        case (.in, .set(let elements)?):
            var atoms: Set<IndexAtom> = []
            for element in elements {
                guard case .string(let s) = element else { return nil }
                atoms.insert(.equal(path: path, value: s))
            }
            return atoms.isEmpty ? nil : atoms
        case (.isSubset, .string(let s)?):
            return AddressRange(s).map { [.within(path: path, range: $0)] }
        case (.like, .string(let s)?):
            let prefix = String(s.unicodeScalars.prefix { $0 != "%" && $0 != "_" })
            // A pattern without wildcards is an equality; one starting with a wildcard has no prefix.
            guard !prefix.isEmpty, prefix.precomposedStringWithCanonicalMapping == prefix else { return nil }
            if prefix.unicodeScalars.count == s.unicodeScalars.count { return [.equal(path: path, value: s)] }
            return [.prefix(path: path, text: prefix)]
        default:
            return nil
        }
    }
}
