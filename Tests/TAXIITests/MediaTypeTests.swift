import Testing
import TAXII

@Suite("TAXII media types")
struct MediaTypeTests {
    @Test("accepts what TAXII 2.1 clients send", arguments: [
        nil, "", "application/taxii+json;version=2.1", "application/taxii+json", "application/taxii+json; version=2.1",
        "*/*", "application/*", "text/html, application/taxii+json;version=2.1", "Application/TAXII+json;version=2.1",
    ])
    func acceptable(_ accept: String?) throws {
        #expect(try MediaTypes.negotiate(accept: accept) == "application/taxii+json;version=2.1")
    }

    @Test("answers 406 to anything else", arguments: [
        "application/json", "application/taxii+json;version=2.0", "text/html", "application/stix+json;version=2.1",
        "application/taxii+json;version=2.1;q=0",
    ])
    func notAcceptable(_ accept: String) {
        #expect(throws: TAXIIError(status: 406, title: "Not acceptable",
                                   description: "this server answers with application/taxii+json;version=2.1; the Accept header was '\(accept)'")) {
            try MediaTypes.negotiate(accept: accept)
        }
    }

    @Test("POST bodies must be TAXII envelopes, else 415")
    func contentType() throws {
        try MediaTypes.checkContentType("application/taxii+json;version=2.1")
        try MediaTypes.checkContentType("application/taxii+json")
        for bad in [nil, "application/json", "application/stix+json;version=2.1", "application/taxii+json;version=2.0"] as [String?] {
            #expect(throws: TAXIIError.self) { try MediaTypes.checkContentType(bad) }
            do { try MediaTypes.checkContentType(bad) } catch { #expect(error.status == 415) }
        }
    }

    @Test("error bodies carry title, description and http_status as a string")
    func errorBody() {
        let body = String(decoding: TAXIIError(status: 404, title: "Not found", description: "no \"such\" collection").body, as: UTF8.self)
        #expect(body == #"{"title":"Not found","description":"no \"such\" collection","http_status":"404"}"#)
    }
}
