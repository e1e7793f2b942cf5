import STIX

/// A TAXII 2.1 error: the HTTP status and the error message body clients read.
///
/// ```swift
/// throw TAXIIError(status: 400, title: "Bad filter", description: "limit must be a positive integer")
/// ```
public struct TAXIIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP status code (400, 401, 403, 404, 406, 413, 415, 422...).
    public var status: Int
    /// Short human-readable summary (required by TAXII).
    public var title: String
    /// Longer explanation naming what to change (the body's `description`).
    public var detail: String?

    /// Creates an error.
    public init(status: Int, title: String, description: String? = nil) {
        self.status = status
        self.title = title
        self.detail = description
    }

    /// The TAXII error message resource (`title`, `description`, `http_status` as a string).
    public var body: [UInt8] {
        var out: [UInt8] = Array(#"{"title":"#.utf8)
        CanonicalJSON.writeString(title, to: &out)
        if let detail {
            out += Array(#","description":"#.utf8)
            CanonicalJSON.writeString(detail, to: &out)
        }
        out += Array(#","http_status":""#.utf8) + Array(String(status).utf8) + Array("\"}".utf8)
        return out
    }

    public var description: String { "\(status) \(title)" + (detail.map { ": \($0)" } ?? "") }

    /// Missing or invalid credentials (the response adds `WWW-Authenticate`).
    static let unauthorized = TAXIIError(status: 401, title: "Unauthorized",
                                         description: "send a token: HTTP Basic (token as password), 'Authorization: Bearer <token>' or 'Authorization: Token <token>'")

    static func badRequest(_ description: String) -> TAXIIError {
        TAXIIError(status: 400, title: "Bad request", description: description)
    }
}
