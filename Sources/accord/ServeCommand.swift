import ArgumentParser
import Logging
import Foundation
import Hummingbird
import KnowledgeBase
import Metrics
import Prometheus
import Store
import TAXII

/// `accord serve`: the TAXII 2.1 server over the store.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the store over TAXII 2.1 (discovery at /taxii2/, API root /api/) and the web interface at /.",
        discussion: """
            On first start with an empty data directory this creates the store and a default \
            collection, loads the bundled Korean Peninsula knowledge base into the public, read-only \
            collection 'korean-peninsula' (unless --no-knowledge-base), and makes an admin token that \
            is printed once (set ACCORD_ADMIN_TOKEN to choose it instead). Clients authenticate with HTTP Basic (any user name, the token as \
            password), 'Authorization: Bearer <token>' or 'Authorization: Token <token>'.

            Examples:
              accord serve
              accord serve --host 0.0.0.0 --port 9000 --data /srv/accord
              accord serve --database postgres://accord@db.internal/accord   (several nodes may share one database)
              curl -H 'Accept: application/taxii+json;version=2.1' -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/taxii2/
            SIGTERM or SIGINT stops the server after in-flight requests finish.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on.")
    var port = 8080

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("PEM certificate chain: serve HTTPS (TLS 1.2 and 1.3).", valueName: "file"))
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Option(name: .customLong("background-above"), help: ArgumentHelp("POST bodies larger than this many bytes are ingested in the background (status 'pending').", valueName: "bytes"))
    var backgroundAbove = 4 << 20

    @Option(name: .customLong("max-content-length"), help: ArgumentHelp("Largest POST body accepted, in bytes.", valueName: "bytes"))
    var maxContentLength = 64 << 20

    @Option(name: .customLong("page-cache-mb"), help: ArgumentHelp("Memory for finished objects pages kept for repeated reads (0: none); tokens are still checked on every request.", valueName: "MB"))
    var pageCacheMB = 64

    @Option(name: .customLong("auth-failure-limit"), help: ArgumentHelp("Failed authentications allowed per client address and minute before it gets 429 for the rest of the minute (0: no limit).", valueName: "n"))
    var authFailureLimit = 20

    @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info (a line per request), notice, warning, error or critical.", valueName: "level"))
    var logLevel = "info"

    @Flag(name: .customLong("allow-anonymous"), help: "Let clients without a token read the TLP:CLEAR objects of public collections (otherwise they get 401).")
    var allowAnonymous = false

    @Flag(name: .customLong("no-knowledge-base"), help: "Do not load the bundled knowledge base on first start (accord kb load does it later).")
    var noKnowledgeBase = false

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be trace, debug, info, notice, warning, error or critical")
        }
        guard authFailureLimit >= 0 else { throw ValidationError("--auth-failure-limit must be 0 or more") }
        guard (0...4096).contains(pageCacheMB) else { throw ValidationError("--page-cache-mb must be between 0 and 4096") }
        guard maxContentLength > 0 else { throw ValidationError("--max-content-length must be positive") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    func run() async throws {
        try await serve(try await store.open())
    }

    /// Runs the server over an opened store (generic, so the server is specialised for it).
    private func serve<Backend: HubStore>(_ db: Backend) async throws {
        try await ensureAdminToken(db)
        if !noKnowledgeBase, try await db.collection(KnowledgeBase.collectionAlias) == nil {
            let loaded = try await KnowledgeBase.load(into: db, actor: "serve")
            Terminal.say("Loaded the knowledge base into '\(loaded.collection.alias)': \(loaded.report.added) objects")
        }
        let tls = tlsCert.flatMap { cert in tlsKey.map { (certificateFile: cert, keyFile: $0) } }
        var settings = TAXIIConfiguration(host: host, port: port, maxContentLength: maxContentLength, tls: tls)
        settings.backgroundThreshold = backgroundAbove
        settings.allowAnonymous = allowAnonymous
        settings.pageCacheBytes = pageCacheMB << 20
        settings.authFailureLimit = authFailureLimit
        settings.extensions = try KnowledgeBase.extensionSchemas()
        settings.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let server = TAXIIServer(store: db, configuration: settings, metrics: registry)
        let application: any ApplicationProtocol
        do { application = try server.application() } catch {
            throw CommandFailure("cannot use --tls-cert/--tls-key: \(error)")
        }
        // Readers' first pages need no scan once this has run (seconds on large stores).
        Task.detached(priority: .background) { _ = await server.warmWebSnapshots() }
        let resumed = try await server.resumePendingIngests()
        if resumed > 0 { Terminal.say("Resuming \(resumed) background ingests interrupted by the last shutdown") }
        let scheme = tls == nil ? "http" : "https"
        Terminal.say("Accord serves \(db.location) over TAXII 2.1")
        Terminal.say("  web:        \(scheme)://\(host):\(port)/ (sign in with a token\(allowAnonymous ? "; anonymous visitors see TLP:CLEAR" : ""))")
        Terminal.say("  discovery:  \(scheme)://\(host):\(port)/taxii2/")
        Terminal.say("  API root:   \(scheme)://\(host):\(port)/api/")
        Terminal.say("  metrics:    \(scheme)://\(host):\(port)/metrics (Prometheus text; any token)")
        Terminal.say("  admin API:  \(scheme)://\(host):\(port)/admin/ (JSON; docs/admin-api.yaml)")
        Terminal.say("  collections: \(try await db.collections().map { "\($0.alias) (\($0.id))" }.joined(separator: ", "))")
        try await EventLoopExecutor.shared.run { try await application.runService() }
    }

    /// The first start makes an admin token and shows it once; ACCORD_ADMIN_TOKEN names one.
    private func ensureAdminToken(_ db: some HubStore) async throws {
        if let secret = ProcessInfo.processInfo.environment["ACCORD_ADMIN_TOKEN"], !secret.isEmpty {
            if try await db.principal(forSecret: secret) == nil {
                guard secret.utf8.count >= 32 else {
                    throw CommandFailure("ACCORD_ADMIN_TOKEN must be at least 32 characters (use a random value)")
                }
                let (id, _) = try await db.createToken(name: "admin (ACCORD_ADMIN_TOKEN)", role: .admin, organisation: try await db.operatorOrganisation().id, secret: secret)
                try await db.appendAudit([AuditEntry(actor: "serve", action: "token.create", target: id, detail: "admin token from ACCORD_ADMIN_TOKEN")])
            }
            Terminal.say("Admin token: the value of ACCORD_ADMIN_TOKEN")
            return
        }
        guard try await db.tokenCount() == 0 else { return }
        let (id, secret) = try await db.createToken(name: "admin (first start)", role: .admin, organisation: try await db.operatorOrganisation().id, secret: nil)
        try await db.appendAudit([AuditEntry(actor: "serve", action: "token.create", target: id, detail: "admin token of the first start")])
        Terminal.say("Admin token (shown once; only its hash is stored): \(secret)")
    }
}
