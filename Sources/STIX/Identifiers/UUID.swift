import Crypto
import Patterning

/// A 128-bit RFC 4122 UUID as STIX identifiers carry it.
public struct STIXUUID: Sendable, Hashable, CustomStringConvertible {
    /// The 16 bytes, most significant first.
    public let bytes: [UInt8]

    /// Creates a UUID from 16 bytes.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16)
        self.bytes = bytes
    }

    /// Parses the canonical 8-4-4-4-12 hex form (either case); nil otherwise.
    public init?(_ text: some StringProtocol) {
        let u = Array(text.utf8)
        guard u.count == 36, u[8] == 0x2D, u[13] == 0x2D, u[18] == 0x2D, u[23] == 0x2D else { return nil }
        let digits = u.indices.lazy.filter { $0 != 8 && $0 != 13 && $0 != 18 && $0 != 23 }.map { u[$0] }
        guard let out = HexText.bytes(digits, count: 32) else { return nil }
        bytes = out
    }

    /// The version nibble (4 random, 5 name-based SHA-1, ...).
    public var version: Int { Int(bytes[6] >> 4) }

    /// True when the variant bits say RFC 4122 (`10xx`).
    public var isRFC4122Variant: Bool { bytes[8] & 0xC0 == 0x80 }

    /// Lowercase 8-4-4-4-12 text.
    public var description: String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, b) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(0x2D) }
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A random (version 4) UUID.
    public static func random() -> STIXUUID {
        var g = SystemRandomNumberGenerator()
        var b = (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        return STIXUUID(bytes: b)
    }

    /// A name-based (version 5, SHA-1) UUID of `name` in `namespace` (RFC 4122 section 4.3).
    public static func v5(namespace: STIXUUID, name: [UInt8]) -> STIXUUID {
        var hasher = Insecure.SHA1()
        hasher.update(data: namespace.bytes)
        hasher.update(data: name)
        var b = Array(hasher.finalize().prefix(16))
        b[6] = (b[6] & 0x0F) | 0x50
        b[8] = (b[8] & 0x3F) | 0x80
        return STIXUUID(bytes: b)
    }

    /// The namespace STIX 2.1 reserves for deterministic SCO identifiers.
    public static let stixSCONamespace = STIXUUID("00abedb4-aa42-466c-9c01-fed23315a9b7")!
}

/// A parsed STIX identifier `type--UUID`.
public struct STIXIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// The object type part, such as `indicator`.
    public let type: Substring
    /// The UUID part.
    public let uuid: STIXUUID
    /// The UUID text as written (case preserved).
    public let uuidText: Substring

    /// Splits `text` at the last `--`; nil when there is no `--` or the UUID part does not parse.
    public init?(_ text: String) {
        // The UUID has a fixed length of 36, so the separator sits just before the last 36 bytes.
        let utf8 = text.utf8
        guard utf8.count > 38 else { return nil }
        let uuidStart = utf8.index(utf8.endIndex, offsetBy: -36)
        let dashes = utf8.index(uuidStart, offsetBy: -2)
        guard utf8[dashes] == 0x2D, utf8[utf8.index(after: dashes)] == 0x2D,
              let uuid = STIXUUID(Substring(utf8[uuidStart...]))
        else { return nil }
        let t = Substring(utf8[..<dashes])
        let u = Substring(utf8[uuidStart...])
        type = t
        uuidText = u
        self.uuid = uuid
    }

    public var description: String { "\(type)--\(uuidText)" }
}
