import Foundation
import Patterning
import STIX

/// A value a comparison works on: a property value of an observable (binary when its name ends
/// in `_hex` or `_bin`) or a literal of the pattern.
enum Operand: Hashable {
    case string(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)
    case bytes([UInt8])
    case time(Int64)
    /// An object, a list or null: it exists, but compares with nothing.
    case structure

    /// The operand a literal stands for; binary literals are decoded.
    init(_ literal: borrowing PatternLiteral) throws(EvaluationError) {
        switch literal {
        case .string(let s): self = .string(s)
        case .integer(let i): self = .integer(i)
        case .float(let d): self = .double(d)
        case .boolean(let b): self = .bool(b)
        case .timestamp(let t):
            guard let micros = Operand.parseTime(t) else { throw EvaluationError("the timestamp literal t'\(t)' is not a valid time") }
            self = .time(micros)
        case .hex(let b): self = .bytes(b)
        case .binary(let text):
            guard let data = Data(base64Encoded: text) else { throw EvaluationError("b'\(text)' is not valid base64") }
            self = .bytes(Array(data))
        case .set: throw EvaluationError("a set is not a single value")
        }
    }

    /// A JSON value reached by an object path, read as its property's name says.
    static func from(_ value: JSONValue, kind: CompiledPath.ValueKind) throws(EvaluationError) -> Operand {
        switch value {
        case .string(let s):
            switch kind {
            case .text: return .string(s)
            case .hex(let name):
                guard let bytes = HexText.bytes(s) else { throw EvaluationError("\(name): '\(s)' is not hexadecimal") }
                return .bytes(bytes)
            case .base64(let name):
                guard let data = Data(base64Encoded: s) else { throw EvaluationError("\(name): '\(s)' is not base64") }
                return .bytes(Array(data))
            }
        case .number(let n):
            // JSON number text is ASCII: its bytes say whether it has a fraction or exponent.
            if n.text.allBytes({ $0 != 0x2E && $0 != 0x65 && $0 != 0x45 }), let i = Int64(n.text) { return .integer(i) }
            return .double(n.double)
        case .bool(let b): return .bool(b)
        case .null, .array, .object: return .structure
        }
    }

    /// A STIX timestamp with upper-case `T` and `Z`, in microseconds (digits past the sixth
    /// fractional one are dropped).
    static func parseTime(_ text: String) -> Int64? {
        guard text.allBytes({ $0 < 0x61 || $0 > 0x7A }), case .success(let t) = Timestamp.parse(text) else { return nil }
        return t.microseconds
    }

    /// The value as a time, when compared with a timestamp literal: a string property must hold
    /// a valid timestamp (an invalid one is an error, not a mismatch).
    func asTime() throws(EvaluationError) -> Operand {
        guard case .string(let s) = self else { return self }
        guard let micros = Self.parseTime(s) else { throw EvaluationError("'\(s)' is not a valid timestamp") }
        return .time(micros)
    }

    /// Whether two operands are equal; operands of kinds that do not compare are unequal.
    static func equal(_ a: Operand, _ b: Operand) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return compareText(x, y) == 0
        case (.integer(let x), .integer(let y)): return x == y
        case (.integer(let x), .double(let y)), (.double(let y), .integer(let x)): return Double(x) == y && Double(x).isFinite && Int64(exactly: y) == x
        case (.double(let x), .double(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.bytes(let x), .string(let s)), (.string(let s), .bytes(let x)): return latin1(s) == x
        case (.time(let x), .time(let y)): return x == y
        default: return false
        }
    }

    /// The order of two operands (negative, zero, positive), or nil when they do not compare.
    static func order(_ a: Operand, _ b: Operand) -> Int? {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        switch (a, b) {
        case (.string(let x), .string(let y)): return compareText(x, y)
        case (.integer(let x), .integer(let y)): return sign(x, y)
        case (.integer(let x), .double(let y)): return compare(x, y)
        case (.double(let x), .integer(let y)): return compare(y, x).map { -$0 }
        case (.double(let x), .double(let y)): return sign(x, y)
        case (.bytes(let x), .bytes(let y)): return lexicographic(x, y)
        case (.bytes(let x), .string(let s)): return latin1(s).map { lexicographic(x, $0) }
        case (.string(let s), .bytes(let y)): return latin1(s).map { lexicographic($0, y) }
        case (.time(let x), .time(let y)): return sign(x, y)
        default: return nil
        }
    }

    /// Whether two operands are of kinds that have an order between them (a text that does not
    /// fit in bytes still fails against a binary value).
    static func orderable(_ a: Operand, _ b: Operand) -> Bool {
        switch (a, b) {
        case (.string, .string), (.integer, .integer), (.integer, .double), (.double, .integer), (.double, .double),
             (.bytes, .bytes), (.bytes, .string), (.string, .bytes), (.time, .time): true
        default: false
        }
    }

    /// An integer against a double, exactly (as Python compares them).
    static func compare(_ i: Int64, _ d: Double) -> Int? {
        guard !d.isNaN else { return nil }
        if d >= 9.3e18 { return -1 }
        if d <= -9.3e18 { return 1 }
        let floor = d.rounded(.down)
        let whole = Int64(floor)
        if i < whole { return -1 }
        if i > whole { return 1 }
        return floor < d ? -1 : 0
    }

    /// Two texts in code point order, as Python compares them: UTF-8 bytes sort in code point
    /// order, so the bytes are compared as they are, without decoding.
    static func compareText(_ x: String, _ y: String) -> Int {
        func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
            let shared = min(a.count, b.count)
            if shared > 0, let pa = a.baseAddress, let pb = b.baseAddress {
                let c = memcmp(pa, pb, shared)
                if c != 0 { return c < 0 ? -1 : 1 }
            }
            return a.count < b.count ? -1 : (a.count > b.count ? 1 : 0)
        }
        return x.withUTF8Bytes { a in y.withUTF8Bytes { b in compare(a, b) } }
    }

    static func lexicographic<T: Comparable>(_ x: [T], _ y: [T]) -> Int {
        for (a, b) in zip(x, y) where a != b { return a < b ? -1 : 1 }
        return x.count < y.count ? -1 : (x.count > y.count ? 1 : 0)
    }

    /// A string's code points as bytes, when all are below 256 (how STIX compares text with
    /// binary values).
    static func latin1(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        for c in s.unicodeScalars {
            guard c.value < 256 else { return nil }
            out.append(UInt8(c.value))
        }
        return out
    }
}

/// Why a pattern cannot be evaluated against some data: an invalid value where a timestamp is
/// needed, a malformed reference, or work beyond the evaluator's bounds.
public struct EvaluationError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
