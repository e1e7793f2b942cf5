import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import CoreMetrics
import Metrics
import NIOSSL
import Prometheus
import STIX
import Store

/// Settings of the TAXII 2.1 server.
public struct TAXIIConfiguration: Sendable {
    /// Address to listen on.
    public var host: String
    /// Port to listen on.
    public var port: Int
    /// Largest POST body accepted (TAXII `max_content_length`); larger ones get 413.
    public var maxContentLength: Int
    /// Title of the server and its API root.
    public var title: String
    /// POST bodies larger than this are ingested in the background (status `pending`).
    public var backgroundThreshold: Int = 4 << 20
    /// The lowest level logged; `.info` logs one line per request, `.warning` none.
    public var logLevel: Logger.Level = .info
    /// Failed authentications allowed per source address and minute before it gets 429 (0: no limit).
    public var authFailureLimit = 20
    /// Most bytes of finished objects pages kept in memory for repeated reads (0: none).
    public var pageCacheBytes = 64 << 20
    /// Whether requests without credentials may read what anonymous clients may (the TLP:CLEAR
    /// objects of public collections); off, they get 401.
    public var allowAnonymous = false
    /// PEM certificate chain and private key files for HTTPS; nil serves plain HTTP.
    public var tls: (certificateFile: String, keyFile: String)?
    /// Extension definitions whose schemas every POSTed object is checked against (besides
    /// those the envelope itself holds).
    public var extensions = ExtensionSchemas()

    /// Creates settings; the defaults suit a hub on one machine.
    public init(host: String = "127.0.0.1", port: Int = 8080, maxContentLength: Int = 64 << 20, title: String = "Accord",
                tls: (certificateFile: String, keyFile: String)? = nil) {
        self.tls = tls
        self.host = host
        self.port = port
        self.maxContentLength = maxContentLength
        self.title = title
    }
}

/// The TAXII 2.1 endpoints over a store: discovery at `/taxii2/`, one API root at `/api/`.
///
/// ```swift
/// let server = TAXIIServer(store: store, configuration: .init(port: 8080))
/// try await server.application().runService()
/// ```
public struct TAXIIServer<Backend: HubStore>: Sendable {
    let store: Backend
    let configuration: TAXIIConfiguration
    let metrics: PrometheusCollectorRegistry?
    let pageCache: PageCache
    let limiter: AuthFailureLimiter
    let readAudit = ReadAudit()
    let matchIndexes = MatchIndexes()
    let webState = WebState()
    static var apiRoot: String { "/api/" }
    /// Objects newly stored through TAXII POSTs.
    static var ingestedObjects: CoreMetrics.Counter { CoreMetrics.Counter(label: "accord_ingested_objects_total") }

    /// Creates a server over `store`; with `metrics`, requests are measured and `/metrics`
    /// serves the registry in the Prometheus text format.
    public init(store: Backend, configuration: TAXIIConfiguration, metrics: PrometheusCollectorRegistry? = nil) {
        self.store = store
        self.configuration = configuration
        self.metrics = metrics
        self.pageCache = PageCache(capacity: configuration.pageCacheBytes)
        self.limiter = AuthFailureLimiter(limit: configuration.authFailureLimit)
    }

    /// The Hummingbird application serving the TAXII routes (HTTPS with TLS 1.2 and 1.3 when
    /// a certificate is configured).
    public func application() throws -> some ApplicationProtocol {
        var http1 = HTTP1Channel.Configuration()
        if let reader = store as? any SynchronousPageReader {
            let answer = objectsAnswer(reader)
            let logger = self.logger
            http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [ObjectsFastPath(answer: answer, logger: logger)])
        }
        var server = HTTPServerBuilder.http1(configuration: http1)
        if let tls = configuration.tls {
            var settings = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificateFile).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.keyFile, format: .pem)))
            settings.minimumTLSVersion = .tlsv12
            server = try .tls(.http1(configuration: http1), tlsConfiguration: settings)
        }
        return Application(router: router(), server: server,
                           configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Accord"),
                           services: [AuditFlusher(audit: readAudit, store: store)],
                           logger: logger)
    }

    /// The server's logger, at the configured level.
    var logger: Logger {
        var logger = Logger(label: "Accord")
        logger.logLevel = configuration.logLevel
        return logger
    }

    /// The routes, for embedding or testing.
    public func router() -> Router<AccordRequestContext> {
        let router = Router(context: AccordRequestContext.self)
        // One log line per request: method, path, status and duration (no credentials, no bodies).
        router.add(middleware: LogRequestsMiddleware(.info))
        if let metrics {
            // Request counts and durations per route (swift-metrics, exported by the registry).
            router.add(middleware: MetricsMiddleware())
            router.get("metrics") { request, context in
                await respond(request, context, negotiate: false) { caller in
                    _ = try await principal(of: caller)
                    return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                             body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
                }
            }
        }
        let api = "api"
        addAdminRoutes(to: router)
        addWebRoutes(to: router)
        addWebAdminRoutes(to: router)
        router.post("match") { request, context in
            await respond(request, context, negotiate: false, json: true) { caller in try await match(request, caller) }
        }
        router.get("taxii2") { request, context in
            await respond(request, context) { caller in
                _ = try await reader(of: caller)
                return try discovery()
            }
        }
        router.get(RouterPath(api)) { request, context in
            await respond(request, context) { caller in
                _ = try await reader(of: caller)
                return try apiRootResource()
            }
        }
        router.get("\(api)/status/:status") { request, context in
            await respond(request, context) { caller in
                _ = try await principal(of: caller)
                return try await statusResource(context.parameters.get("status") ?? "")
            }
        }
        router.get("\(api)/collections") { request, context in await respond(request, context) { caller in try await collections(reader(of: caller)) } }
        router.get("\(api)/collections/:collection") { request, context in
            await respond(request, context) { caller in try await collectionResource(context.parameters.get("collection") ?? "", reader(of: caller)) }
        }
        router.get("\(api)/collections/:collection/objects") { request, context in
            await respond(request, context) { caller in
                try await objects(request, collectionKey: context.parameters.get("collection") ?? "", objectID: nil, caller)
            }
        }
        router.post("\(api)/collections/:collection/objects") { request, context in
            await respond(request, context) { caller in
                try await addObjects(request, collectionKey: context.parameters.get("collection") ?? "", caller)
            }
        }
        router.get("\(api)/collections/:collection/objects/:object") { request, context in
            await respond(request, context) { caller in
                try await objects(request, collectionKey: context.parameters.get("collection") ?? "",
                                  objectID: context.parameters.get("object") ?? "", caller)
            }
        }
        router.delete("\(api)/collections/:collection/objects/:object") { request, context in
            await respond(request, context) { caller in
                try await deleteObject(request, collectionKey: context.parameters.get("collection") ?? "",
                                       objectID: context.parameters.get("object") ?? "", caller)
            }
        }
        router.get("\(api)/collections/:collection/objects/:object/versions") { request, context in
            await respond(request, context) { caller in
                try await versions(request, collectionKey: context.parameters.get("collection") ?? "",
                                   objectID: context.parameters.get("object") ?? "", caller)
            }
        }
        router.get("\(api)/collections/:collection/manifest") { request, context in
            await respond(request, context) { caller in
                try await manifest(request, collectionKey: context.parameters.get("collection") ?? "", caller)
            }
        }
        return router
    }

    /// Negotiates the media type, hands the caller's credentials to `handler` and turns every
    /// failure into a TAXII error body; nothing a client sends produces a 500 without a TAXII
    /// error message. Handlers authenticate with `principal(of:)`, or in the same database read
    /// as their page with `page(_:for:)`.
    func respond(_ request: Request, _ context: AccordRequestContext, negotiate: Bool = true, json: Bool = false,
                 _ handler: (Caller) async throws -> Response) async -> Response {
        let errorResponse = { (error: TAXIIError) in TAXIIResponse.error(error, json: json) }
        let address = context.remoteAddress?.ipAddress
        if let wait = await limiter.retryAfter(address, in: store) {
            var response = errorResponse(TAXIIError(status: 429, title: "Too many requests",
                                                          description: "too many failed authentications from this address; try again in \(wait) s"))
            response.headers[.retryAfter] = String(wait)
            return response
        }
        let secret = Credentials.secret(fromAuthorization: request.headers[.authorization])
        do {
            if negotiate { _ = try MediaTypes.negotiate(accept: request.headers[.accept]) }
            guard secret != nil || configuration.allowAnonymous else { throw TAXIIError.unauthorized }
            return try await handler(Caller(secret: secret))
        } catch let error as TAXIIError {
            var response = errorResponse(error)
            if error.status == 401 {
                response.headers[.wwwAuthenticate] = #"Basic realm="Accord", Bearer"#
                // A token that names no live principal is a failed authentication; no token is not.
                if secret != nil {
                    await limiter.recordFailure(address, in: store)
                    try? await store.appendAudit([AuditEntry(actor: address ?? "unknown address", action: "auth.failure",
                                                             target: request.uri.path, detail: "a token that names no live principal")])
                }
            }
            return response
        } catch let error as StoreError {
            switch error {
            case .duplicate, .duplicateAlias: return errorResponse(TAXIIError(status: 409, title: "Conflict", description: error.description))
            default: return errorResponse(TAXIIError(status: 404, title: "Not found", description: error.description))
            }
        } catch {
            return errorResponse(TAXIIError(status: 500, title: "Internal error", description: "the server could not complete the request"))
        }
    }

    /// The principal the caller's token names; 401 without a token or when it names none.
    func principal(of caller: Caller) async throws -> Principal {
        if let signedIn = caller.signedIn { return signedIn }
        guard let secret = caller.secret, let principal = try await store.principal(forSecret: secret) else { throw TAXIIError.unauthorized }
        readAudit.used(principal)
        return principal
    }

    /// The principal of a caller that may also be anonymous (nil); 401 for a bad token.
    func reader(of caller: Caller) async throws -> Principal? {
        guard caller.secret != nil || caller.signedIn != nil else { return nil }
        return try await principal(of: caller)
    }

    /// Authenticates the caller and reads a page in one database read (an anonymous caller
    /// reads as anonymous); 401 for a bad token.
    func page(_ query: PageQuery, for caller: Caller) async throws -> (principal: Principal?, page: ObjectPage) {
        if let signedIn = caller.signedIn {
            var query = query
            query.viewer = signedIn.viewer
            let page = try await store.page(query)
            if query.withContent { readAudit.read(PageAudit(page), by: signedIn, collection: query.collectionID) }
            return (signedIn, page)
        }
        guard let secret = caller.secret else {
            var query = query
            query.viewer = .anonymous
            return (nil, try await store.page(query))
        }
        guard let answer = try await store.page(query, authenticating: secret) else { throw TAXIIError.unauthorized }
        readAudit.used(answer.principal)
        if query.withContent { readAudit.read(PageAudit(answer.page), by: answer.principal, collection: query.collectionID) }
        return answer
    }

    /// Parses a request's filters; a caller with a bad token hears 401 before any 400.
    func pageQuery(_ request: Request, collectionKey: String, caller: Caller) async throws -> PageQuery {
        do {
            return try ObjectFilters.pageQuery(from: queryItems(request), collectionID: collectionKey)
        } catch {
            _ = try await reader(of: caller)
            throw error
        }
    }
}

/// Who sent a request: the secret of its credentials, not yet checked (nil: anonymous, when
/// the server allows it).
struct Caller: Sendable {
    let secret: String?
    /// A principal the web interface has already authenticated from its session.
    var signedIn: Principal?

    /// A caller with the secret of a request's credentials (nil: anonymous).
    init(secret: String?) { self.secret = secret }

    /// A caller the web interface signed in (its session names a live token).
    init(signedIn: Principal) {
        secret = nil
        self.signedIn = signedIn
    }
}

/// Building TAXII responses.
enum TAXIIResponse {
    static let dateAddedFirst = HTTPField.Name("X-TAXII-Date-Added-First")!
    static let dateAddedLast = HTTPField.Name("X-TAXII-Date-Added-Last")!

    static func json(_ body: [UInt8], status: Int = 200, page: ObjectPage? = nil) -> Response {
        Response(status: .init(code: status), headers: fields(page), body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The headers of a TAXII response: its Content-Type and, for a page, the date headers.
    static func fields(_ page: ObjectPage?) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = MediaTypes.taxii
        if let page, let dates = Envelopes.dateAddedHeaders(page) {
            headers[dateAddedFirst] = dates.first
            headers[dateAddedLast] = dates.last
        }
        return headers
    }

    /// An objects envelope with its date headers.
    static func objects(_ page: ObjectPage) -> Response {
        Response(status: .ok, headers: fields(page), body: .init(byteBuffer: Envelopes.objectsBuffer(page)))
    }

    /// An error message resource; `json` sends it as `application/json` (the admin API).
    static func error(_ e: TAXIIError, json: Bool = false) -> Response {
        var response = self.json(e.body, status: e.status)
        if json { response.headers[.contentType] = "application/json" }
        return response
    }
}
