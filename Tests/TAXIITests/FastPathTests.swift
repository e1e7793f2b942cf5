import HTTPTypes
import Testing
@testable import TAXII

@Suite("GET objects fast path")
struct FastPathTests {
    func head(_ path: String, accept: String? = "application/taxii+json;version=2.1", method: HTTPRequest.Method = .get) -> HTTPRequest {
        var fields = HTTPFields()
        if let accept { fields[.accept] = accept }
        fields[.authorization] = "Bearer x"
        return HTTPRequest(method: method, scheme: nil, authority: nil, path: path, headerFields: fields)
    }

    @Test("takes only plain objects lists; every other request goes to the routes")
    func candidates() {
        for path in ["/api/collections/c1/objects", "/api/collections/c1/objects/", "/api/collections/c1/objects/?limit=5&next=1-a-b"] {
            #expect(ObjectsFastPath.isCandidate(head(path)), "\(path)")
        }
        for path in ["/api/collections/c1/objects/indicator--x/", "/api/collections/c1/manifest/", "/api/collections//objects/",
                     "/api/collections/c1/objects/x", "/api/collections/c1/objectsx/", "/api/collections/", "/taxii2/", "/api/collections/c1/objects//"] {
            #expect(!ObjectsFastPath.isCandidate(head(path)), "\(path)")
        }
        #expect(!ObjectsFastPath.isCandidate(head("/api/collections/c1/objects/", method: .post)))
        #expect(!ObjectsFastPath.isCandidate(head("/api/collections/c1/objects/", accept: "application/taxii+json")))
        #expect(!ObjectsFastPath.isCandidate(head("/api/collections/c1/objects/", accept: nil)))
    }
}
