import Patterning

/// Checks `stix` patterns of indicators with the patterning parser.
enum PatternRules {
    static func check(_ pattern: String, into r: inout ObjectValidation) {
        let ast: ObservationExpression
        do {
            ast = try PatternParser.parse(pattern)
        } catch {
            r.error("$.pattern", "the STIX pattern does not parse: \(error.reason) (at character \(error.position))")
            return
        }
        r.pattern = ast
        var paths: [ObjectPath] = []
        collectPaths(ast, into: &paths)
        for path in paths {
            if !path.objectType.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }) {
                r.error("$.pattern", "'\(path.objectType)' is not a valid object type in the pattern")
            }
            if case .property(let name)? = path.steps.first, !isPropertyName(name) {
                r.error("$.pattern", "'\(name)' is not a valid observable property name (a-z, 0-9 and _, 3-250 characters)")
            }
        }
    }

    static func isPropertyName(_ s: String) -> Bool {
        (3...250).contains(s.utf8.count) && s.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    static func collectPaths(_ e: ObservationExpression, into out: inout [ObjectPath]) {
        switch e {
        case .observation(let c): collectPaths(c, into: &out)
        case .combined(_, let a, let b):
            collectPaths(a, into: &out)
            collectPaths(b, into: &out)
        case .qualified(let inner, _): collectPaths(inner, into: &out)
        }
    }

    static func collectPaths(_ c: ComparisonExpression, into out: inout [ObjectPath]) {
        switch c {
        case .and(let a, let b), .or(let a, let b):
            collectPaths(a, into: &out)
            collectPaths(b, into: &out)
        case .comparison(let cmp): out.append(cmp.path)
        }
    }
}
