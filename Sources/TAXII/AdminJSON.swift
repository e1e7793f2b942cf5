import Foundation
import HTTPTypes
import Hummingbird

/// A JSON value as a client sent it, decoded strictly: a number is never read as a string or a
/// boolean, so the admin API can name exactly what is wrong with a field.
enum AdminJSONValue: Decodable, Sendable {
    case null, bool(Bool), integer(Int64), number(Double), string(String), array([AdminJSONValue]), object([String: AdminJSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null
        } else if let b = try? c.decode(Bool.self) { self = .bool(b)
        } else if let i = try? c.decode(Int64.self) { self = .integer(i)
        } else if let d = try? c.decode(Double.self) { self = .number(d)
        } else if let s = try? c.decode(String.self) { self = .string(s)
        } else if let a = try? c.decode([AdminJSONValue].self) { self = .array(a)
        } else { self = .object(try c.decode([String: AdminJSONValue].self)) }
    }

    /// The JSON type's name, for error messages.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// The JSON object of an admin request body, read field by field; every error names the
/// JSON path (`$.country`) and the reason, and unknown fields are refused so a typo never
/// passes silently.
struct AdminBody {
    private let fields: [String: AdminJSONValue]

    /// Parses `bytes` as a JSON object whose keys are all in `allowed`.
    init(_ bytes: [UInt8], allowed: [String]) throws {
        let value: AdminJSONValue
        do { value = try JSONDecoder().decode(AdminJSONValue.self, from: Data(bytes)) } catch {
            throw TAXIIError.badRequest("$: the body is not JSON")
        }
        guard case .object(let fields) = value else { throw TAXIIError.badRequest("$: the body must be a JSON object, not \(value.kind)") }
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw TAXIIError.badRequest("$.\(unknown): unknown field (expected \(allowed.joined(separator: ", ")))")
        }
        self.fields = fields
    }

    /// A string field; nil when absent and not `required`. Control characters are refused (tab
    /// and line breaks too unless `lines`); `rule` returns why a value is refused.
    func string(_ key: String, required: Bool = false, maxLength: Int = 200, lines: Bool = false,
                rule: (String) -> String? = { _ in nil }) throws -> String? {
        guard let value = fields[key] else {
            if required { throw TAXIIError.badRequest("$.\(key): required") }
            return nil
        }
        guard case .string(let text) = value else { throw TAXIIError.badRequest("$.\(key): must be a string, not \(value.kind)") }
        let length = text.unicodeScalars.count
        guard length >= 1 else { throw TAXIIError.badRequest("$.\(key): must not be empty") }
        guard length <= maxLength else { throw TAXIIError.badRequest("$.\(key): longer than \(maxLength) characters") }
        let allowed: Set<UInt32> = lines ? [0x09, 0x0A, 0x0D] : []
        if text.unicodeScalars.contains(where: { $0.value < 0x20 && !allowed.contains($0.value) }) {
            throw TAXIIError.badRequest("$.\(key): must not contain control characters\(lines ? " other than tabs and line breaks" : "")")
        }
        if let reason = rule(text) { throw TAXIIError.badRequest("$.\(key): \(reason)") }
        return text
    }

    /// A string field that must be one of `choices`.
    func choice(_ key: String, _ choices: [String], required: Bool = false) throws -> String? {
        try string(key, required: required) { choices.contains($0) ? nil : "must be one of \(choices.joined(separator: ", ")), not '\($0)'" }
    }

    /// An integer field within `range`.
    func integer(_ key: String, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let value = fields[key] else { return nil }
        guard case .integer(let n) = value else { throw TAXIIError.badRequest("$.\(key): must be an integer, not \(value.kind)") }
        guard range.contains(n) else { throw TAXIIError.badRequest("$.\(key): must be between \(range.lowerBound) and \(range.upperBound)") }
        return n
    }

    /// Whether a name has a character other than a space (control characters are refused
    /// before; together the OpenAPI file's `Name` pattern).
    static func hasVisibleCharacter(_ text: String) -> String? {
        text.unicodeScalars.contains { $0.value > 0x20 } ? nil : "must contain more than spaces"
    }

    /// Whether a character is one of A-Z and a-z.
    static func isASCIILetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }

    /// The OpenAPI file's shape of an object id: 3-250 characters of a-z, 0-9 and '-', then
    /// `--` and a UUID in 8-4-4-4-12 hex digits. (Whether such an object exists is the store's
    /// question; this only keeps malformed text out.)
    static func looksLikeIdentifier(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard u.count >= 3 + 2 + 36, u.count <= 250 + 2 + 36 else { return false }
        let uuid = u.suffix(36), separator = u.dropLast(36).suffix(2), type = u.dropLast(38)
        let isHex = { (c: UInt8) in (0x30...0x39).contains(c) || (0x61...0x66).contains(c) || (0x41...0x46).contains(c) }
        let uuidOK = uuid.enumerated().allSatisfy { i, c in [8, 13, 18, 23].contains(i) ? c == 0x2D : isHex(c) }
        return uuidOK && separator.elementsEqual("--".utf8)
            && type.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }
}

/// Building admin API responses: JSON objects with snake_case keys.
enum AdminResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// `value` as the JSON body of a response with `status`.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An empty 204.
    static var noContent: Response { Response(status: .noContent) }
}
