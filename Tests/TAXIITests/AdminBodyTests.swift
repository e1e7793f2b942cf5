import Testing
@testable import TAXII

@Suite("Admin API request bodies")
struct AdminBodyTests {
    func body(_ json: String, allowed: [String] = ["name", "days"]) throws -> AdminBody {
        try AdminBody(Array(json.utf8), allowed: allowed)
    }

    func reason(_ work: () throws -> Any?) -> String? {
        do { _ = try work(); return nil } catch let e as TAXIIError { return e.detail } catch { return "\(error)" }
    }

    @Test("each refusal names the JSON path and the reason")
    func refusals() throws {
        #expect(reason { try body("[1]") } == "$: the body must be a JSON object, not an array")
        #expect(reason { try body("{") } == "$: the body is not JSON")
        #expect(reason { try body(#"{"nmae": "x"}"#) } == "$.nmae: unknown field (expected name, days)")
        #expect(reason { try body(#"{"name": 5}"#).string("name") } == "$.name: must be a string, not a number")
        #expect(reason { try body(#"{"name": true}"#).string("name") } == "$.name: must be a string, not a boolean")
        #expect(reason { try body(#"{"name": ""}"#).string("name") } == "$.name: must not be empty")
        #expect(reason { try body("{}").string("name", required: true) } == "$.name: required")
        #expect(reason { try body(#"{"name": "   "}"#).string("name", rule: AdminBody.hasVisibleCharacter) } == "$.name: must contain more than spaces")
        #expect(reason { try body(#"{"name": "a\u0000b"}"#).string("name") } == "$.name: must not contain control characters")
        #expect(reason { try body(#"{"name": "a\tb"}"#).string("name") } == "$.name: must not contain control characters")
        #expect(try body(#"{"name": "a\tb\nc"}"#).string("name", lines: true) == "a\tb\nc")
        #expect(reason { try body(#"{"days": "3"}"#).integer("days", in: 1...10) } == "$.days: must be an integer, not a string")
        #expect(reason { try body(#"{"days": true}"#).integer("days", in: 1...10) } == "$.days: must be an integer, not a boolean")
        #expect(reason { try body(#"{"days": 11}"#).integer("days", in: 1...10) } == "$.days: must be between 1 and 10")
        #expect(try body(#"{"days": 3}"#).integer("days", in: 1...10) == 3)
        #expect(try body(#"{"name": "KrCERT/CC"}"#).string("name") == "KrCERT/CC")
        #expect(try body("{}").string("name") == nil)
    }

    @Test("lengths count Unicode scalars, as JSON Schema's maxLength does")
    func lengths() throws {
        #expect(try body(#"{"name": "한국인터넷진흥원"}"#).string("name", maxLength: 8) == "한국인터넷진흥원")
        #expect(reason { try body(#"{"name": "한국인터넷진흥원!"}"#).string("name", maxLength: 8) } == "$.name: longer than 8 characters")
    }

    @Test("object ids: the OpenAPI file's pattern, no more and no less")
    func identifiers() {
        #expect(AdminBody.looksLikeIdentifier("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"))
        #expect(AdminBody.looksLikeIdentifier("x-acme-thing--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F"))
        #expect(!AdminBody.looksLikeIdentifier("ab--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"))
        #expect(!AdminBody.looksLikeIdentifier("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\n"))
        #expect(!AdminBody.looksLikeIdentifier("Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"))
        #expect(!AdminBody.looksLikeIdentifier("indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"))
        #expect(!AdminBody.looksLikeIdentifier("indicator--8e2e2d2b-17d4-4cbf-938f98ee46b3cd3f0"))
    }

    @Test("405 guard: ':name' matches one segment")
    func methodGuardPatterns() {
        let pattern = "/admin/communities/:community/members/:organisation".split(separator: "/")
        #expect(AdminMethodGuard.matches(pattern, "/admin/communities/CAMP/members/KISA".split(separator: "/")))
        #expect(!AdminMethodGuard.matches(pattern, "/admin/communities/CAMP/members".split(separator: "/")))
        #expect(!AdminMethodGuard.matches(pattern, "/admin/communities/CAMP/people/KISA".split(separator: "/")))
    }
}
