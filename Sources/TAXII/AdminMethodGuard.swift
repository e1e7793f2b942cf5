import HTTPTypes
import Hummingbird

/// Answers 405 with an `Allow` header when a request uses a method a path of the admin or match
/// API does not take (any method, QUERY and TRACE included), instead of the router's bare 404.
struct AdminMethodGuard: RouterMiddleware {
    typealias Context = AccordRequestContext
    /// Path patterns (`:name` matches one segment) with the methods each takes.
    let patterns: [(segments: [Substring], allowed: [HTTPRequest.Method])]

    /// Groups `routes` (path pattern, method) by pattern.
    init(routes: [(path: String, method: HTTPRequest.Method)]) {
        var patterns: [(segments: [Substring], allowed: [HTTPRequest.Method])] = []
        for (path, method) in routes {
            let segments = path.split(separator: "/")
            if let i = patterns.firstIndex(where: { $0.segments == segments }) {
                patterns[i].allowed.append(method)
            } else {
                patterns.append((segments, [method]))
            }
        }
        self.patterns = patterns
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        // Only the JSON APIs are guarded; TAXII paths go straight on.
        guard path.hasPrefix("/admin/") || path.hasPrefix("/match") else { return try await next(request, context) }
        let segments = path.split(separator: "/")
        guard let match = patterns.first(where: { Self.matches($0.segments, segments) }) else { return try await next(request, context) }
        // A GET path answers HEAD too (Hummingbird sends the GET response without its body).
        let allowed = match.allowed.contains(.get) ? match.allowed + [.head] : match.allowed
        guard !allowed.contains(request.method) else { return try await next(request, context) }
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        var response = TAXIIResponse.error(TAXIIError(status: 405, title: "Method not allowed", description: "this path takes \(allow)"), json: true)
        response.headers[.allow] = allow
        return response
    }

    static func matches(_ pattern: [Substring], _ segments: [Substring]) -> Bool {
        pattern.count == segments.count && zip(pattern, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
    }
}
