import Foundation
import HTTPTypes
import Hummingbird
import STIX
import Store
import Web

/// The web interface's state: templates, per-reader snapshots and sessions.
final class WebState: Sendable {
    let pages: WebPages?
    let problem: String?
    let snapshots = WebSnapshots()
    let sessions = WebSessions()

    init() {
        do {
            pages = try WebPages()
            problem = nil
        } catch {
            pages = nil
            problem = "\(error)"
        }
    }
}

/// Who is looking at a page.
struct WebVisitor {
    var principal: Principal?
    var sessionID: String?
    var csrf: String
    var displayName: String?
}

extension TAXIIServer {
    static var sessionCookie: String { "accord_session" }
    static var signInCookie: String { "accord_signin" }

    /// The web pages at `/`: overview, actors, incidents, diplomacy, objects, search, sign-in.
    func addWebRoutes(to router: Router<AccordRequestContext>) {
        router.get("/") { request, context in await web(request, context) { v, s, c in page(v.overview(s, chrome: c)) } }
        router.get("actors") { request, context in
            await web(request, context) { v, s, c in
                let q = Dictionary(webQuery(request).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
                return page(v.actors(s, type: q["type"].flatMap { $0.isEmpty ? nil : $0 }, motivation: q["motivation"].flatMap { $0.isEmpty ? nil : $0 }, chrome: c))
            }
        }
        router.get("incidents") { request, context in
            await web(request, context) { v, s, c in
                let q = Dictionary(webQuery(request).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
                let filter = WebPages.IncidentFilter(actor: q["actor"], type: q["type"], sector: q["sector"], country: q["country"], year: q["year"])
                return page(v.incidents(s, filter: filter, chrome: c))
            }
        }
        router.get("diplomacy") { request, context in
            await web(request, context) { v, s, c in
                page(v.diplomacy(s, sortByBetweenness: webQuery(request).contains { $0.name == "sort" && $0.value == "betweenness" }, chrome: c))
            }
        }
        router.get("search") { request, context in
            await web(request, context) { v, s, c in
                let query = String((webQuery(request).first { $0.name == "q" }?.value ?? "").prefix(200))
                let words = WebPages.searchWords(query)
                let candidates = words.isEmpty ? [] : try await store.searchIDs(matching: words, limit: 2_000)
                // Indicators and observables are not kept in the snapshot: fetch the best few.
                let missing = Array(candidates.filter { s.entry($0) == nil }.prefix(200))
                let fetched = try await fetchEntries(missing, viewer: c.reader)
                return page(v.search(s.adding(fetched), query: query, candidates: candidates, chrome: c))
            }
        }
        router.get("objects/:id") { request, context in
            let id = (context.parameters.get("id") ?? "").lowercased()
            return await web(request, context) { v, s, c in
                let viewer = c.reader
                // Relationships around the object come from the reference index, not the snapshot.
                let around = try await relationships(around: id, viewer: viewer)
                var wanted = [id]
                for r in around.values.map(\.object) + (s.outgoing[id] ?? []) + (s.incoming[id] ?? []) {
                    wanted += [r["source_ref"]?.stringValue, r["target_ref"]?.stringValue].compactMap { $0 }
                }
                var fetched = try await fetchEntries(Array(Set(wanted.filter { s.entry($0) == nil }).prefix(500)), viewer: viewer)
                fetched.merge(around) { a, _ in a }
                let snapshot = s.adding(fetched)
                guard snapshot.object(id) != nil else {
                    return page(v.message("Not found", "There is no object \(id) that you may see.", chrome: c), status: .notFound)
                }
                let versions = try await visibleVersions(id, viewer: viewer)
                return page(v.object(snapshot, id: id, versions: versions, chrome: c) ?? "", status: .ok)
            }
        }
        router.get("static/accord.css") { _, _ in
            let css = (try? WebPages.stylesheet()) ?? []
            return Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600",
                                                   .init("X-Content-Type-Options")!: "nosniff"],
                            body: .init(byteBuffer: ByteBuffer(bytes: css)))
        }
        router.get("signin") { request, _ in
            guard let pages = webState.pages else { return unavailable() }
            let csrf = WebSessions.randomValue()
            var response = page(pages.signIn(error: nil, chrome: PageChrome(viewer: nil, csrf: csrf)))
            response.headers[values: .setCookie] = [cookie(Self.signInCookie, csrf, maxAge: 1800)]
            return response
        }
        router.post("signin") { request, context in
            guard let pages = webState.pages else { return unavailable() }
            let form = await formBody(request)
            let cookieCSRF = cookies(request)[Self.signInCookie]
            let fresh = WebSessions.randomValue()
            func again(_ message: String, status: HTTPResponse.Status) -> Response {
                var r = page(pages.signIn(error: message, chrome: PageChrome(viewer: nil, csrf: fresh)), status: status)
                r.headers[values: .setCookie] = [cookie(Self.signInCookie, fresh, maxAge: 1800)]
                return r
            }
            guard let sent = form["csrf"], let expected = cookieCSRF, !sent.isEmpty, sent == expected else {
                return again("The form expired; please sign in again.", status: .forbidden)
            }
            let address = context.remoteAddress?.ipAddress
            if let wait = await limiter.retryAfter(address, in: store) {
                return again("Too many failed sign-ins from this address; try again in \(wait) s.", status: .tooManyRequests)
            }
            let secret = form["token"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !secret.isEmpty, let principal = try? await store.principal(forSecret: secret) else {
                await limiter.recordFailure(address, in: store)
                try? await store.appendAudit([AuditEntry(actor: address ?? "unknown address", action: "auth.failure", target: "/signin",
                                                         detail: "web sign-in with a token that names no live principal")])
                return again("That token is not valid (revoked, expired or mistyped).", status: .unauthorized)
            }
            readAudit.used(principal)
            let session: (id: String, csrf: String)
            do { session = try await webState.sessions.start(for: principal, in: store) } catch {
                return again("The session could not be started; please try again.", status: .serviceUnavailable)
            }
            var response = Response(status: .seeOther, headers: [.location: "/"])
            response.headers[values: .setCookie] = [cookie(Self.sessionCookie, session.id, maxAge: nil), cookie(Self.signInCookie, "", maxAge: 0)]
            return response
        }
        router.post("signout") { request, _ in
            let form = await formBody(request)
            let id = cookies(request)[Self.sessionCookie]
            if let session = await webState.sessions.session(id, in: store), form["csrf"] == session.csrf {
                await webState.sessions.end(id, in: store)
            } else if id != nil {
                return Response(status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "The form expired; reload the page and sign out again.")))
            }
            var response = Response(status: .seeOther, headers: [.location: "/signin"])
            response.headers[values: .setCookie] = [cookie(Self.sessionCookie, "", maxAge: 0)]
            return response
        }
    }

    /// Runs a page handler for the visitor of `request`: a signed-in session's token, anonymous
    /// (when the hub allows anonymous readers), or a redirect to the sign-in page.
    func web(_ request: Request, _ context: AccordRequestContext,
             _ body: (WebPages, WebSnapshot, PageChrome) async throws -> Response) async -> Response {
        guard let pages = webState.pages else { return unavailable() }
        let sessionID = cookies(request)[Self.sessionCookie]
        let session = await webState.sessions.session(sessionID, in: store)
        var principal: Principal?
        if let session {
            readAudit.used(session.principal)
            principal = session.principal
        } else if sessionID != nil {
            // Ended, idle too long, or its token was revoked: sign in again.
            await webState.sessions.end(sessionID, in: store)
            return redirectToSignIn(clearSession: true)
        } else if !configuration.allowAnonymous {
            return redirectToSignIn(clearSession: sessionID != nil)
        }
        let viewer = principal?.viewer ?? .anonymous
        do {
            var memberships: Set<String> = []
            if let org = principal?.organisation { memberships = try await store.memberships(of: org) }
            let snapshot = try await webState.snapshots.snapshot(for: viewer, memberships: memberships, in: store)
            var name: String?
            if let principal {
                let org = try await principal.organisation.asyncFlatMap { try await store.organisation($0)?.name }
                name = principal.name + (org.map { " (\($0))" } ?? "")
            }
            var chrome = PageChrome(viewer: name, csrf: session?.csrf ?? "")
            chrome.admin = principal?.role == .admin
            chrome.reader = viewer
            var recorded = snapshot
            let recorder = AccessRecorder()
            recorded.recorder = recorder
            let response = try await body(pages, recorded, chrome)
            if let principal { auditWebRead(recorder.ids, in: recorded, by: principal) }
            return response
        } catch {
            context.logger.error("web page failed: \(error)")
            return page(pages.message("Something went wrong", "The page could not be built; the server log has the details.", chrome: PageChrome(viewer: nil, csrf: "")),
                        status: .internalServerError)
        }
    }

    /// Audits what a page showed of AMBER, AMBER+STRICT and RED content, as TAXII reads are
    /// (per collection; each RED object named).
    func auditWebRead(_ ids: Set<String>, in snapshot: WebSnapshot, by principal: Principal) {
        var byCollection: [String: [(id: String, level: TLP?)]] = [:]
        for id in ids {
            guard let e = snapshot.entries[id] ?? snapshot.extras[id], let level = e.level, level >= .amber else { continue }
            byCollection[e.collection, default: []].append((id, level))
        }
        for (collection, objects) in byCollection { readAudit.read(PageAudit(objects), by: principal, collection: collection) }
    }

    /// A page's query parameters, with '+' read as a space (as HTML forms send them).
    func webQuery(_ request: Request) -> [(name: String, value: String)] {
        URLText.queryItems(request.uri.query.map { Substring($0.replacingOccurrences(of: "+", with: " ")) })
    }

    /// The latest readable versions of `ids` (objects the snapshot does not keep), by id.
    func fetchEntries(_ ids: [String], viewer: Viewer) async throws -> [String: WebSnapshot.Entry] {
        guard !ids.isEmpty else { return [:] }
        return try await latestReadable(viewer: viewer) { PageQuery(collectionID: $0, limit: 1_000, ids: ids, versions: .last) }
    }

    /// The relationships (at most 500 per collection) whose source or target is `id`, that the viewer may read.
    func relationships(around id: String, viewer: Viewer) async throws -> [String: WebSnapshot.Entry] {
        try await latestReadable(viewer: viewer) { collection in
            var query = PageQuery(collectionID: collection, limit: 500, types: ["relationship"], versions: .last)
            query.referencing = id
            return query
        }
    }

    /// One page of `query(collection)` from every collection the viewer may see, parsed, keeping
    /// each id's latest version.
    func latestReadable(viewer: Viewer, _ query: (String) -> PageQuery) async throws -> [String: WebSnapshot.Entry] {
        var out: [String: WebSnapshot.Entry] = [:]
        for c in try await store.collections() {
            var q = query(c.id)
            q.viewer = viewer
            do {
                for stored in try await store.page(q).objects {
                    guard let o = try? JSONParser.parse(stored.raw).objectValue else { continue }
                    if let old = out[stored.id], (old.object["modified"]?.stringValue ?? "") >= (o["modified"]?.stringValue ?? "") { continue }
                    out[stored.id] = WebSnapshot.Entry(object: o, collection: c.alias, dateAdded: stored.dateAdded, level: stored.level)
                }
            } catch StoreError.unknownCollection {
                continue  // hidden from this reader
            }
        }
        return out
    }

    /// The `modified` of every version of `id` the viewer may read, newest first.
    func visibleVersions(_ id: String, viewer: Viewer) async throws -> [String] {
        var versions = Set<String>()
        for c in try await store.collections() {
            var query = PageQuery(collectionID: c.id, limit: 1_000, ids: [id], versions: .all)
            query.viewer = viewer
            do {
                let page = try await store.page(query)
                for o in page.objects { versions.insert(o.versionText ?? (o.modified.map { String($0) } ?? "")) }
            } catch StoreError.unknownCollection {
                continue
            }
        }
        return versions.sorted(by: >)
    }

    /// An HTML page with the headers every page carries: a strict Content-Security-Policy (no
    /// script at all, styles from this origin), no caching, no framing, no referrer.
    func page(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [
            .contentType: "text/html; charset=utf-8",
            .init("Content-Security-Policy")!: "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            .init("X-Content-Type-Options")!: "nosniff",
            .init("Referrer-Policy")!: "no-referrer",
            .cacheControl: "no-store",
        ], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func unavailable() -> Response {
        Response(status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: "The web interface is unavailable: \(webState.problem ?? "unknown problem")")))
    }

    func redirectToSignIn(clearSession: Bool) -> Response {
        var response = Response(status: .seeOther, headers: [.location: "/signin"])
        if clearSession { response.headers[values: .setCookie] = [cookie(Self.sessionCookie, "", maxAge: 0)] }
        return response
    }

    /// A Set-Cookie value: HttpOnly, SameSite=Strict, Path=/, Secure when serving TLS.
    func cookie(_ name: String, _ value: String, maxAge: Int?) -> String {
        var parts = ["\(name)=\(value)", "Path=/", "HttpOnly", "SameSite=Strict"]
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if configuration.tls != nil { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }

    /// The request's cookies by name.
    func cookies(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                let name = pair[0].trimmingCharacters(in: .whitespaces)
                if out[name] == nil { out[name] = pair[1].trimmingCharacters(in: .whitespaces) }
            }
        }
        return out
    }

    /// A URL-encoded form body (at most 16 KiB), by field name.
    func formBody(_ request: Request) async -> [String: String] {
        guard let buffer = try? await request.body.collect(upTo: 16 << 10) else { return [:] }
        let text = String(buffer: buffer).replacingOccurrences(of: "+", with: " ")
        var out: [String: String] = [:]
        for item in URLText.queryItems(Substring(text)) where out[item.name] == nil { out[item.name] = item.value }
        return out
    }
}

extension Optional {
    /// Maps with an async transform that may itself give nil.
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension TAXIIServer {
    /// Builds the web snapshots of anonymous visitors and of every organisation in the
    /// background after a start, so a reader's first page does not wait for the scan of what it
    /// may read (seconds on a store of millions of objects). Returns how many were built.
    public func warmWebSnapshots() async -> Int {
        let started = Date()
        var viewers: [(Viewer, Set<String>)] = [(.anonymous, [])]
        do {
            for org in try await store.organisations().prefix(WebSnapshots.capacity - 1) {
                viewers.append((.organisation(org.id), try await store.memberships(of: org.id)))
            }
            for (viewer, memberships) in viewers {
                _ = try await webState.snapshots.snapshot(for: viewer, memberships: memberships, in: store)
            }
        } catch {
            logger.warning("warming the web pages stopped: \(error)")
            return 0
        }
        logger.notice("web pages ready for \(viewers.count) readers (anonymous and each organisation) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        return viewers.count
    }
}
