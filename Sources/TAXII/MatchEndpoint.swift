import Foundation
import Hummingbird
import Matching
import STIX
import Store

/// `POST /match`: a batch of observables checked against the indicators the caller may read
/// (outside the TAXII namespace; JSON in and out).
///
/// Body: `{"observables": ["198.51.100.7", "evil.example", ...], "objects": [STIX SCOs,
/// observed-data or bundles]}` (either or both, at most 5,000 of each). Answer:
/// `{"matches": [{"item": 0, "observable": {"type", "value"}, "indicator": {"id", "name",
/// "pattern"}}], "skipped": [{"item": 3, "reason": "..."}]}`; `item` counts observables first,
/// then objects.
extension TAXIIServer {
    /// Most observables, and most objects, in one request (docs/match-api.yaml states it as `maxItems`).
    static var matchBatchLimit: Int { 5_000 }

    func match(_ request: Request, _ caller: Caller) async throws -> Response {
        let principal = try await reader(of: caller)
        let buffer = try await jsonBody(request, limit: 8 << 20, size: "8 MiB")
        let body: JSONValue
        do { body = try JSONParser.parse(buffer.readableBytesView) } catch {
            throw TAXIIError.badRequest("$: the body is not JSON: \(error)")
        }
        guard case .object(let fields) = body else { throw TAXIIError.badRequest("$: the body must be a JSON object") }
        if let unknown = fields.keys.first(where: { $0 != "observables" && $0 != "objects" }) {
            throw TAXIIError.badRequest("$.\(unknown): unknown field (expected observables, objects)")
        }
        var observables: [String] = []
        if let value = fields["observables"] {
            guard case .array(let list) = value else { throw TAXIIError.badRequest("$.observables: must be a list of strings") }
            try Self.checkBatchSize(list, "$.observables")
            for (i, item) in list.enumerated() {
                guard case .string(let s) = item else { throw TAXIIError.badRequest("$.observables[\(i)]: must be a string") }
                observables.append(s)
            }
        }
        var objects: [JSONValue] = []
        if let value = fields["objects"] {
            guard case .array(let list) = value else { throw TAXIIError.badRequest("$.objects: must be a list of STIX objects") }
            try Self.checkBatchSize(list, "$.objects")
            for (i, item) in list.enumerated() {
                guard case .object = item else { throw TAXIIError.badRequest("$.objects[\(i)]: must be a JSON object (a STIX SCO, observed-data or bundle)") }
            }
            objects = list
        }
        let index = try await matchIndexes.index(for: principal?.viewer ?? .anonymous, in: store)
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        var matches: [String] = []
        var skipped: [String] = []
        func indicatorJSON(_ i: IndexedIndicator) -> String {
            #"{"id":\#(jsonString(i.id))\#(i.name.map { #","name":\#(jsonString($0))"# } ?? ""),"pattern":\#(jsonString(i.pattern))}"#
        }
        for (item, text) in observables.enumerated() {
            let value = text.trimmingCharacters(in: .whitespaces)
            guard let property = PlainObservable.infer(value)?.property else {
                skipped.append(#"{"item":\#(item),"reason":"not an IP address, domain, URL, email address, MAC address or file hash"}"#)
                continue
            }
            for indicator in index.matches(property, value: value, time: now) {
                matches.append(#"{"item":\#(item),"observable":{"type":\#(jsonString(property.type)),"value":\#(jsonString(value))},"indicator":\#(indicatorJSON(indicator))}"#)
            }
        }
        for (offset, object) in objects.enumerated() {
            let item = observables.count + offset
            let observations: [Observation]
            do { observations = try Observation.of(object, now: now) } catch {
                skipped.append(#"{"item":\#(item),"reason":\#(jsonString("\(error)"))}"#)
                continue
            }
            for observation in observations {
                let result = index.matches(observation)
                for indicator in result.matched {
                    let o = observation.objects.first { indicator.objectTypes.contains($0.value["type"]?.stringValue ?? "") }?.value
                    let observable = o.map { #","observable":{"type":\#(jsonString($0["type"]?.stringValue ?? "")),"value":\#(jsonString($0["value"]?.stringValue ?? $0["name"]?.stringValue ?? ""))}"# } ?? ""
                    matches.append(#"{"item":\#(item)\#(observable),"indicator":\#(indicatorJSON(indicator))}"#)
                }
            }
        }
        let answer = #"{"matches":[\#(matches.joined(separator: ","))],"skipped":[\#(skipped.joined(separator: ","))]}"#
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
    }

    private static func checkBatchSize(_ list: [JSONValue], _ path: String) throws {
        guard list.count <= matchBatchLimit else {
            throw TAXIIError.badRequest("\(path): \(list.count) items, at most \(matchBatchLimit) per request; split the batch")
        }
    }

    private func jsonString(_ s: String) -> String {
        var out: [UInt8] = []
        CanonicalJSON.writeString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
