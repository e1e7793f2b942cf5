/// TAXII 2.1 media types and the negotiation rules clients depend on.
///
/// ```swift
/// try MediaTypes.negotiate(accept: request.headers["Accept"])   // the Content-Type to answer with
/// ```
public enum MediaTypes {
    /// The one Content-Type Accord answers TAXII requests with.
    public static let taxii = "application/taxii+json;version=2.1"
    /// The media type of STIX 2.1 content, as manifests report it.
    public static let stix = "application/stix+json;version=2.1"

    /// Picks the response type for an `Accept` header, or fails with 406.
    ///
    /// `application/taxii+json` without a version means the latest (2.1); a missing header, `*/*`
    /// and `application/*` accept anything. Parameters and case are compared the way the
    /// standard writes them, ignoring white space.
    public static func negotiate(accept: String?) throws(TAXIIError) -> String {
        // The exact TAXII type is what clients send on nearly every request.
        if accept == taxii { return taxii }
        guard let accept, !accept.trimmingSpaces.isEmpty else { return taxii }
        for range in accept.split(separator: ",") {
            let (type, parameters) = parse(String(range))
            if parameters["q"] == "0" { continue }
            switch type {
            case "*/*", "application/*": return taxii
            case "application/taxii+json":
                if let version = parameters["version"], version != "2.1" { continue }
                return taxii
            default: continue
            }
        }
        throw TAXIIError(status: 406, title: "Not acceptable",
                         description: "this server answers with \(taxii); the Accept header was '\(accept)'")
    }

    /// Checks the `Content-Type` of a POST body, or fails with 415.
    public static func checkContentType(_ contentType: String?) throws(TAXIIError) {
        let (type, parameters) = parse(contentType ?? "")
        guard type == "application/taxii+json", parameters["version"] == nil || parameters["version"] == "2.1" else {
            throw TAXIIError(status: 415, title: "Unsupported media type",
                             description: "POST bodies must be \(taxii) envelopes; the Content-Type was '\(contentType ?? "")'")
        }
    }

    /// Splits `type/subtype; a=b; c=d` into the lowercased type and its parameters.
    static func parse(_ value: String) -> (String, [String: String]) {
        let parts = value.split(separator: ";").map { String($0).trimmingSpaces }
        var parameters: [String: String] = [:]
        for p in parts.dropFirst() {
            let kv = p.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
            if kv.count == 2 { parameters[kv[0].lowercased()] = kv[1].trimmingCharacters(in: "\"") }
        }
        return ((parts.first ?? "").lowercased(), parameters)
    }
}

extension String {
    var trimmingSpaces: String { trimmingCharacters(in: " \t") }

    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
