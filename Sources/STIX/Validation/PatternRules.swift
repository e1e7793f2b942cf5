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
        for path in ast.comparisons.map(\.path) {
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
}
