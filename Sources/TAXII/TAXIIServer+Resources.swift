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

    func collections(_ principal: Principal) async throws -> Response {
        let all = try await store.collections()
        guard !all.isEmpty else { return TAXIIResponse.json(Array("{}".utf8)) }
        var out = Array(#"{"collections":["#.utf8)
        for (i, c) in all.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += collectionJSON(c, principal)
        }
        out += Array("]}".utf8)
        return TAXIIResponse.json(out)
    }

    func collectionResource(_ key: String, _ principal: Principal) async throws -> Response {
        TAXIIResponse.json(collectionJSON(try await collection(key), principal))
    }

    func collection(_ key: String) async throws -> CollectionInfo {
        guard let c = try await store.collection(key) else {
            throw TAXIIError(status: 404, title: "Not found", description: "no collection '\(key)'")
        }
        return c
    }

    func collectionJSON(_ c: CollectionInfo, _ principal: Principal) -> [UInt8] {
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
        out += Array(#","can_read":true,"can_write":\#(principal.role.canWrite),"media_types":["application/stix+json;version=2.1"]}"#.utf8)
        return out
    }

    /// Decoded query parameters, in order (keys too: clients send `match%5Bid%5D`).
    func queryItems(_ request: Request) -> [(name: String, value: String)] {
        guard let query = request.uri.query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(kv[0]).removingPercentEncoding ?? String(kv[0])
            let value = kv.count > 1 ? (String(kv[1]).removingPercentEncoding ?? String(kv[1])) : ""
            return (name, value)
        }
    }

    func objects(_ request: Request, collectionKey: String, objectID: String?, _ principal: Principal) async throws -> Response {
        let c = try await collection(collectionKey)
        var query = try ObjectFilters.pageQuery(from: queryItems(request), collectionID: c.id)
        if let objectID {
            guard IdentifierRules.parse(objectID) != nil else { throw TAXIIError(status: 404, title: "Not found", description: "'\(objectID)' is not a STIX identifier") }
            query.ids = [objectID]
        }
        let page = try await store.page(query)
        if objectID != nil && page.objects.isEmpty && query.cursor == nil {
            throw TAXIIError(status: 404, title: "Not found", description: "no object '\(objectID!)' in this collection")
        }
        return TAXIIResponse.json(Envelopes.objects(page), page: page)
    }

    func versions(_ request: Request, collectionKey: String, objectID: String, _ principal: Principal) async throws -> Response {
        let c = try await collection(collectionKey)
        var query = try ObjectFilters.pageQuery(from: queryItems(request), collectionID: c.id)
        query.ids = [objectID]
        query.versions = .all
        query.withContent = false
        let page = try await store.page(query)
        if page.objects.isEmpty && query.cursor == nil {
            throw TAXIIError(status: 404, title: "Not found", description: "no object '\(objectID)' in this collection")
        }
        return TAXIIResponse.json(Envelopes.versions(page), page: page)
    }

    func manifest(_ request: Request, collectionKey: String, _ principal: Principal) async throws -> Response {
        let c = try await collection(collectionKey)
        var query = try ObjectFilters.pageQuery(from: queryItems(request), collectionID: c.id)
        query.withContent = false
        let page = try await store.page(query)
        return TAXIIResponse.json(Envelopes.manifest(page), page: page)
    }

    func deleteObject(_ request: Request, collectionKey: String, objectID: String, _ principal: Principal) async throws -> Response {
        let c = try await collection(collectionKey)
        guard principal.role.canWrite else { throw TAXIIError(status: 403, title: "Forbidden", description: "this token may not change the collection") }
        let query = try ObjectFilters.pageQuery(from: queryItems(request), collectionID: c.id)
        let removed = try await store.delete(id: objectID, from: c.id, versions: query.versions == .last && !queryItems(request).contains { $0.name == "match[version]" } ? .all : query.versions)
        if removed == 0 { throw TAXIIError(status: 404, title: "Not found", description: "no object '\(objectID)' in this collection") }
        return Response(status: .ok, headers: [.contentType: MediaTypes.taxii])
    }

    func addObjects(_ request: Request, collectionKey: String, _ principal: Principal) async throws -> Response {
        let received = Timestamp(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000))
        try MediaTypes.checkContentType(request.headers[.contentType])
        let c = try await collection(collectionKey)
        guard principal.role.canWrite else { throw TAXIIError(status: 403, title: "Forbidden", description: "this token may not write to the collection") }
        let limit = configuration.maxContentLength
        let tooLarge = TAXIIError(status: 413, title: "Content too large", description: "the body exceeds max_content_length (\(limit) bytes)")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch { throw tooLarge }
        let pipeline = BundlePipeline(source: MemoryByteSource(Array(buffer.readableBytesView)))
        let report: IngestReport
        do {
            report = try await store.ingest(from: pipeline, into: c.id, options: IngestOptions(partial: true, ownerOrganisation: principal.organisation, recordAccepted: true))
        } catch let error as DocumentError {
            throw TAXIIError(status: 400, title: "Bad request", description: "the body is not a TAXII envelope: \(error)")
        }
        let statusID = STIXUUID.random().description
        let body = statusBody(id: statusID, received: received, report: report)
        try await store.saveStatus(id: statusID, collectionID: c.id, body: body)
        return TAXIIResponse.json(body, status: 202)
    }

    func statusBody(id: String, received: Timestamp, report: IngestReport) -> [UInt8] {
        var out = Array(#"{"id":"\#(id)","status":"complete","request_timestamp":"\#(received.taxiiString)""#.utf8)
        let total = report.accepted.count + report.rejectedCount
        out += Array(#","total_count":\#(total),"success_count":\#(report.accepted.count),"failure_count":\#(report.rejectedCount),"pending_count":0"#.utf8)
        if !report.accepted.isEmpty {
            out += Array(#","successes":["#.utf8)
            for (i, a) in report.accepted.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                let version = a.modified.map { Timestamp(microseconds: $0).taxiiString } ?? received.taxiiString
                out += Array(#"{"id":"\#(a.id)","version":"\#(version)"}"#.utf8)
            }
            out += Array("]".utf8)
        }
        if !report.rejections.isEmpty {
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
