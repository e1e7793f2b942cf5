import Foundation
import HTTPTypes
import Hummingbird
import STIX
import Store

extension TAXIIServer {
    func discovery() throws -> Response {
        var out = Array(#"{"title":"#.utf8)
        CanonicalJSON.writeString(configuration.title, to: &out)
        out += Array(#","description":"Accord threat-intelligence sharing hub","default":"/api/","api_roots":["/api/"]}"#.utf8)
        return TAXIIResponse.json(out)
    }

    func apiRootResource() throws -> Response {
        var out = Array(#"{"title":"#.utf8)
        CanonicalJSON.writeString(configuration.title, to: &out)
        out += Array(#","versions":["application/taxii+json;version=2.1"],"max_content_length":\#(configuration.maxContentLength)}"#.utf8)
        return TAXIIResponse.json(out)
    }

    func statusResource(_ id: String) async throws -> Response {
        guard let body = try await store.status(id: id) else {
            throw TAXIIError(status: 404, title: "Not found", description: "no status resource '\(id)'")
        }
        return TAXIIResponse.json(body)
    }

    func collections(_ principal: Principal?) async throws -> Response {
        let access = try await collectionAccess(principal)
        let visible = try await store.collections().compactMap { c in access.reach(c).map { _ in c } }
        guard !visible.isEmpty else { return TAXIIResponse.json(Array("{}".utf8)) }
        var out = Array(#"{"collections":["#.utf8)
        for (i, c) in visible.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += collectionJSON(c, canWrite: access.canWrite(c))
        }
        out += Array("]}".utf8)
        return TAXIIResponse.json(out)
    }

    func collectionResource(_ key: String, _ principal: Principal?) async throws -> Response {
        let (c, access) = try await visibleCollection(key, principal)
        return TAXIIResponse.json(collectionJSON(c, canWrite: access.canWrite(c)))
    }

    /// What a principal (nil: anonymous) may do with collections: its organisation's
    /// communities, resolved once.
    struct CollectionAccess {
        let principal: Principal?
        let communities: Set<String>

        func reach(_ c: CollectionInfo) -> AccessPolicy.Reach? {
            AccessPolicy.reach(principal?.viewer ?? .anonymous, visibility: c.visibility) { communities.contains($0) }
        }

        func canWrite(_ c: CollectionInfo) -> Bool {
            guard !c.readOnly, let principal, let org = principal.organisation else { return false }
            return AccessPolicy.canWrite(role: principal.role, organisation: org, visibility: c.visibility) { communities.contains($0) }
        }
    }

    func collectionAccess(_ principal: Principal?) async throws -> CollectionAccess {
        var communities: Set<String> = []
        if let org = principal?.organisation { communities = try await store.memberships(of: org) }
        return CollectionAccess(principal: principal, communities: communities)
    }

    /// A collection the principal may see; a hidden one is as absent as an unknown one.
    func visibleCollection(_ key: String, _ principal: Principal?) async throws -> (CollectionInfo, CollectionAccess) {
        let access = try await collectionAccess(principal)
        guard let c = try await store.collection(key), access.reach(c) != nil else {
            throw TAXIIError(status: 404, title: "Not found", description: "no collection '\(key)'")
        }
        return (c, access)
    }

    func collectionJSON(_ c: CollectionInfo, canWrite: Bool) -> [UInt8] {
        var out = Array(#"{"id":"#.utf8)
        CanonicalJSON.writeString(c.id, to: &out)
        out += Array(#","title":"#.utf8)
        CanonicalJSON.writeString(c.title, to: &out)
        if let d = c.description {
            out += Array(#","description":"#.utf8)
            CanonicalJSON.writeString(d, to: &out)
        }
        out += Array(#","alias":"#.utf8)
        CanonicalJSON.writeString(c.alias, to: &out)
        out += Array(#","can_read":true,"can_write":\#(canWrite),"media_types":["application/stix+json;version=2.1"]}"#.utf8)
        return out
    }

    /// Decoded query parameters, in order (keys too: clients send `match%5Bid%5D`).
    func queryItems(_ request: Request) -> [(name: String, value: String)] {
        URLText.queryItems(request.uri.query.map { Substring($0) })
    }

    /// The answer of the event-loop fast path for GET objects: the page, or nil whenever the
    /// routes should answer instead (they then give the error the client must see). The token
    /// is checked on every request; the page may come from the page cache.
    func objectsAnswer(_ reader: any SynchronousPageReader) -> ObjectsFastPath.Answer {
        let cache = pageCache, limiter = limiter, audit = readAudit
        return { path, rawQuery, authorization, address in
            // A blocked address hears its 429 from the routes.
            guard limiter.retryAfter(address) == nil else { return nil }
            let key = String(path.dropFirst("/api/collections/".count).prefix { $0 != "/" })
            guard !key.contains("%"), let secret = Credentials.secret(fromAuthorization: authorization),
                  let access = try? reader.accessNow(collection: key, authenticating: secret) else { return nil }
            let cacheKey = PageCache.Key(access: access.key, query: String(rawQuery ?? ""))
            let entry: PageCache.Entry
            if let kept = cache.get(cacheKey, generation: access.generation) {
                entry = kept
            } else {
                guard var query = try? ObjectFilters.pageQuery(from: URLText.queryItems(rawQuery), collectionID: key) else { return nil }
                query.contentOnly = true
                guard let page = try? reader.pageNow(query, access: access) else { return nil }
                entry = PageCache.Entry(generation: access.generation, fields: TAXIIResponse.fields(page),
                                        body: Envelopes.objectsBuffer(page), audit: PageAudit(page))
                cache.put(cacheKey, entry)
            }
            audit.used(access.principal)
            audit.read(entry.audit, by: access.principal, collection: key)
            return (entry.fields, entry.body)
        }
    }

    func objects(_ request: Request, collectionKey: String, objectID: String?, _ caller: Caller) async throws -> Response {
        var query = try await pageQuery(request, collectionKey: collectionKey, caller: caller)
        if let objectID {
            guard IdentifierRules.parse(objectID) != nil else {
                _ = try await reader(of: caller)
                throw TAXIIError(status: 404, title: "Not found", description: "'\(objectID)' is not a STIX identifier")
            }
            query.ids = [objectID]
        }
        query.contentOnly = true
        let page = try await page(query, for: caller).page
        if objectID != nil && page.objects.isEmpty && query.cursor == nil {
            throw TAXIIError(status: 404, title: "Not found", description: "no object '\(objectID!)' in this collection")
        }
        return TAXIIResponse.objects(page)
    }

    func versions(_ request: Request, collectionKey: String, objectID: String, _ caller: Caller) async throws -> Response {
        var query = try await pageQuery(request, collectionKey: collectionKey, caller: caller)
        query.ids = [objectID]
        query.versions = .all
        query.withContent = false
        let page = try await page(query, for: caller).page
        if page.objects.isEmpty && query.cursor == nil {
            throw TAXIIError(status: 404, title: "Not found", description: "no object '\(objectID)' in this collection")
        }
        return TAXIIResponse.json(Envelopes.versions(page), page: page)
    }

    func manifest(_ request: Request, collectionKey: String, _ caller: Caller) async throws -> Response {
        var query = try await pageQuery(request, collectionKey: collectionKey, caller: caller)
        query.withContent = false
        let page = try await page(query, for: caller).page
        return TAXIIResponse.json(Envelopes.manifest(page), page: page)
    }

    func deleteObject(_ request: Request, collectionKey: String, objectID: String, _ caller: Caller) async throws -> Response {
        let principal = try await principal(of: caller)
        let (c, access) = try await visibleCollection(collectionKey, principal)
        guard access.canWrite(c) else { throw TAXIIError(status: 403, title: "Forbidden", description: "this token may not change the collection") }
        let items = queryItems(request)
        let query = try ObjectFilters.pageQuery(from: items, collectionID: c.id)
        // Without match[version], DELETE removes every version (TAXII 2.1 5.7).
        let versions = items.contains { $0.name == "match[version]" } ? query.versions : .all
        // Only the owner organisation's versions go; others' stay, and look absent.
        let removed = try await store.delete(id: objectID, from: c.id, versions: versions, by: principal.viewer)
        if removed == 0 { throw TAXIIError(status: 404, title: "Not found", description: "no object '\(objectID)' in this collection") }
        try await store.appendAudit([AuditEntry(actor: principal.tokenID, organisation: principal.organisation, action: "objects.delete",
                                                target: objectID, detail: "\(removed) version(s) from collection \(c.id)")])
        return Response(status: .ok, headers: [.contentType: MediaTypes.taxii])
    }

    func addObjects(_ request: Request, collectionKey: String, _ caller: Caller) async throws -> Response {
        let principal = try await principal(of: caller)
        let received = Timestamp(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000))
        try MediaTypes.checkContentType(request.headers[.contentType])
        let (c, access) = try await visibleCollection(collectionKey, principal)
        guard access.canWrite(c) else { throw TAXIIError(status: 403, title: "Forbidden", description: "this token may not write to the collection") }
        let limit = configuration.maxContentLength
        let tooLarge = TAXIIError(status: 413, title: "Content too large", description: "the body exceeds max_content_length (\(limit) bytes)")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch { throw tooLarge }
        let bytes = Array(buffer.readableBytesView)
        let statusID = STIXUUID.random().description
        if bytes.count > configuration.backgroundThreshold {
            // Large envelopes: check the syntax and count the objects now (a fast scan), answer
            // 202 `pending` at once, ingest in the background so the client never times out.
            let count: Int
            do { count = try Self.countObjects(bytes) } catch {
                throw TAXIIError(status: 400, title: "Bad request", description: "the body is not a TAXII envelope: \(error)")
            }
            let pending = pendingStatusBody(id: statusID, received: received, count: count)
            try await store.savePending(id: statusID, collectionID: c.id, received: received.microseconds, body: bytes, status: pending,
                                        organisation: principal.organisation, actor: principal.tokenID)
            startBackgroundIngest(id: statusID, collectionID: c.id, received: received, body: bytes, organisation: principal.organisation,
                                  actor: principal.tokenID)
            return TAXIIResponse.json(pending, status: 202)
        }
        let report: IngestReport
        do {
            report = try await ingest(bytes, into: c.id, organisation: principal.organisation)
        } catch let error as DocumentError {
            throw TAXIIError(status: 400, title: "Bad request", description: "the body is not a TAXII envelope: \(error)")
        }
        Self.ingestedObjects.increment(by: report.added)
        try await store.appendAudit([Self.ingestAudit(principal, collectionID: c.id, report: report)])
        let body = statusBody(id: statusID, received: received, report: report)
        try await store.saveStatus(id: statusID, collectionID: c.id, body: body)
        return TAXIIResponse.json(body, status: 202)
    }

    func ingest(_ bytes: [UInt8], into collectionID: String, organisation: String?) async throws -> IngestReport {
        // Small batches: the writer starts after 32 objects instead of 512, so validation and
        // writing overlap for nearly all of an envelope of a thousand (42k -> 60k objects/s for
        // sequential envelopes of 1,000; 128: 48k, 64: 55k).
        let pipeline = BundlePipeline(source: MemoryByteSource(bytes), extensions: configuration.extensions, batchSize: 32)
        return try await store.ingest(from: pipeline, into: collectionID,
                                      options: IngestOptions(partial: true, ownerOrganisation: organisation, recordAccepted: true))
    }

    /// Ingests a kept body and replaces its pending status with the final one. A body that turns
    /// out not to be an envelope completes with every object counted as failed.
    func startBackgroundIngest(id: String, collectionID: String, received: Timestamp, body: [UInt8], organisation: String?,
                               actor: String = "resumed ingest") {
        let server = self
        Task.detached {
            let final: [UInt8]
            do {
                let report = try await server.ingest(body, into: collectionID, organisation: organisation)
                Self.ingestedObjects.increment(by: report.added)
                try? await server.store.appendAudit([AuditEntry(actor: actor, organisation: organisation, action: "objects.add",
                                                                target: collectionID, detail: Self.ingestDetail(report))])
                final = server.statusBody(id: id, received: received, report: report)
            } catch {
                var report = IngestReport()
                report.rejectedCount = (try? Self.countObjects(body)) ?? 0
                final = server.statusBody(id: id, received: received, report: report, failure: "\(error)")
            }
            try? await server.store.completePending(id: id, status: final)
        }
    }

    /// Resumes the background ingests a shutdown or crash interrupted.
    public func resumePendingIngests() async throws -> Int {
        let pending = try await store.pendingIngests()
        for p in pending {
            startBackgroundIngest(id: p.id, collectionID: p.collectionID, received: Timestamp(microseconds: p.received), body: p.body,
                                  organisation: p.organisation, actor: p.actor ?? "resumed ingest")
        }
        return pending.count
    }

    /// The audit entry of a completed POST.
    static func ingestAudit(_ principal: Principal, collectionID: String, report: IngestReport) -> AuditEntry {
        AuditEntry(actor: principal.tokenID, organisation: principal.organisation, action: "objects.add", target: collectionID,
                   detail: ingestDetail(report))
    }

    static func ingestDetail(_ report: IngestReport) -> String {
        "added \(report.added), unchanged \(report.unchanged), rejected \(report.rejectedCount)"
    }

    static func countObjects(_ bytes: [UInt8]) throws -> Int {
        var reader = BundleReader(source: MemoryByteSource(bytes))
        var n = 0
        while try reader.next() != nil { n += 1 }
        return n
    }

    func pendingStatusBody(id: String, received: Timestamp, count: Int) -> [UInt8] {
        Array(#"{"id":"\#(id)","status":"pending","request_timestamp":"\#(received.taxiiString)","total_count":\#(count),"success_count":0,"failure_count":0,"pending_count":\#(count)}"#.utf8)
    }

    func statusBody(id: String, received: Timestamp, report: IngestReport, failure: String? = nil) -> [UInt8] {
        var out = Array(#"{"id":"\#(id)","status":"complete","request_timestamp":"\#(received.taxiiString)""#.utf8)
        let total = report.accepted.count + report.rejectedCount
        out += Array(#","total_count":\#(total),"success_count":\#(report.accepted.count),"failure_count":\#(report.rejectedCount),"pending_count":0"#.utf8)
        if !report.accepted.isEmpty {
            out += Array(#","successes":["#.utf8)
            for (i, a) in report.accepted.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out += Array(#"{"id":"#.utf8)
                CanonicalJSON.writeString(a.id, to: &out)
                out += Array(#","version":"#.utf8)
                CanonicalJSON.writeString(a.version ?? received.taxiiString, to: &out)
                out += Array("}".utf8)
            }
            out += Array("]".utf8)
        }
        if let failure {
            out += Array(#","failures":[{"id":"envelope","message":"#.utf8)
            CanonicalJSON.writeString(failure, to: &out)
            out += Array("}]".utf8)
        } else if !report.rejections.isEmpty {
            out += Array(#","failures":["#.utf8)
            for (i, r) in report.rejections.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out += Array(#"{"id":"#.utf8)
                CanonicalJSON.writeString(r.id ?? "objects[\(r.index)]", to: &out)
                out += Array(#","message":"#.utf8)
                let message = r.issues.filter { $0.severity == .error }.map { "objects[\(r.index)] \($0.path): \($0.reason)" }.joined(separator: "; ")
                CanonicalJSON.writeString(message, to: &out)
                out += Array("}".utf8)
            }
            out += Array("]".utf8)
        }
        out += Array("}".utf8)
        return out
    }
}
