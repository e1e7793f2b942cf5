import STIX
import Testing

@Suite("JSON Schema subset")
struct JSONSchemaTests {
    static func schema(_ text: String) throws -> JSONSchema { try JSONSchema(JSONParser.parse(Array(text.utf8))) }
    static func problems(_ schema: JSONSchema, _ instance: String) throws -> [String] {
        schema.validate(try JSONParser.parse(Array(instance.utf8))).map { "\($0.path): \($0.reason)" }
    }

    static let party = """
        {"type": "object", "additionalProperties": false, "required": ["party_ref", "status"],
         "properties": {"party_ref": {"type": "string", "pattern": "^identity--[0-9a-f-]{36}$"},
                        "status": {"enum": ["party", "signatory", "not-party"]},
                        "since": {"$ref": "#/$defs/timestamp"},
                        "count": {"type": "integer", "minimum": 0, "maximum": 100},
                        "tags": {"type": "array", "items": {"type": "string", "minLength": 2}, "uniqueItems": true, "maxItems": 3}},
         "$defs": {"timestamp": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$"}}}
        """

    @Test("a conforming instance has no problems")
    func valid() throws {
        let s = try Self.schema(Self.party)
        #expect(try Self.problems(s, #"{"party_ref": "identity--6b0d5c53-3e8e-4b7e-9d44-0e2b1c9c2a11", "status": "party", "since": "2004-07-01T00:00:00.000Z", "count": 3.0, "tags": ["ab", "cd"]}"#) == [])
    }

    @Test("each keyword reports its path and reason")
    func violations() throws {
        let s = try Self.schema(Self.party)
        let found = try Self.problems(s, #"{"party_ref": "identity--x", "status": "member", "since": "2004", "count": 101, "tags": ["ab", "ab", "c", "dd"], "extra": 1}"#)
        #expect(found.contains("$.party_ref: 'identity--x' does not match the pattern ^identity--[0-9a-f-]{36}$"))
        #expect(found.contains("$.status: must be one of 'party', 'signatory', 'not-party', found 'member'"))
        #expect(found.contains { $0.hasPrefix("$.since: '2004' does not match") })
        #expect(found.contains("$.count: must be at most 100, found 101"))
        #expect(found.contains("$.tags: must have at most 3 items, found 4"))
        #expect(found.contains("$.tags: items [0] and [1] are equal; items must be unique"))
        #expect(found.contains("$.tags[2]: must be at least 2 characters long"))
        #expect(found.contains("$.extra: is not a property the extension defines"))
        #expect(try Self.problems(s, #"{"status": "party"}"#) == ["$.party_ref: is required"])
        #expect(try Self.problems(s, #"{"party_ref": 7, "status": "party"}"#) == ["$.party_ref: must be a string, found an integer"])
        #expect(try Self.problems(s, #"{"party_ref": "identity--6b0d5c53-3e8e-4b7e-9d44-0e2b1c9c2a11", "status": "party", "count": 1.5}"#) == ["$.count: must be an integer, found a number"])
    }

    @Test("anyOf, oneOf, allOf and const")
    func combinators() throws {
        let s = try Self.schema(#"{"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 10}]}"#)
        #expect(try Self.problems(s, "3") == [])
        #expect(try Self.problems(s, "12") == ["$: matches 2 of the forms where exactly one must match (oneOf)"])
        #expect(try Self.problems(s, "2.5") == ["$: matches none of the allowed forms (oneOf)"])
        let c = try Self.schema(#"{"anyOf": [{"const": "new-sdo"}, {"const": {"a": [1, 2]}}]}"#)
        #expect(try Self.problems(c, #"{"a": [1.0, 2]}"#) == [])
        #expect(try Self.problems(c, #""property-extension""#) == ["$: matches none of the allowed forms (anyOf)"])
        let all = try Self.schema(#"{"allOf": [{"type": "string"}, {"maxLength": 2}]}"#)
        #expect(try Self.problems(all, #""abc""#) == ["$: must be at most 2 characters long"])
    }

    @Test("a schema using what is not implemented is refused, never half-checked")
    func unsupported() throws {
        #expect(throws: JSONSchemaError.self) { try Self.schema(#"{"type": "object", "properties": {"a": {"format": "date-time"}}}"#) }
        #expect(throws: JSONSchemaError.self) { try Self.schema(#"{"$ref": "https://example.com/schema.json"}"#) }
        #expect(throws: JSONSchemaError.self) { try Self.schema(##"{"$ref": "#/$defs/missing"}"##) }
        #expect(throws: JSONSchemaError.self) { try Self.schema(#"{"type": "text"}"#) }
        let loop = try Self.schema(##"{"$ref": "#/$defs/a", "$defs": {"a": {"$ref": "#/$defs/a"}}}"##)
        #expect(try Self.problems(loop, "1") == ["$: the schema's references nest too deeply"])
    }

    @Test("the validator applies an extension definition's schema to the objects that use it")
    func validatorApplies() throws {
        let schema = #"{"type": "object", "required": ["extension_type", "incident_types"], "additionalProperties": false, "properties": {"extension_type": {"const": "property-extension"}, "incident_types": {"type": "array", "minItems": 1, "items": {"enum": ["ddos", "espionage"]}}}}"#
        let ext = "extension-definition--3a8a3f1e-0b6e-4d1c-9f0a-2b7c5d4e6f70"
        let definitionJSON = """
            {"type": "extension-definition", "spec_version": "2.1", "id": "\(ext)", "created_by_ref": "identity--6b0d5c53-3e8e-4b7e-9d44-0e2b1c9c2a11",
             "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "name": "incident details", "version": "1.0.0",
             "extension_types": ["property-extension"], "schema": \(String(decoding: CanonicalJSON.bytes(of: .string(schema)), as: UTF8.self))}
            """
        var validator = Validator()
        var learnt = validator.validate(try JSONParser.parse(Array(definitionJSON.utf8)))
        #expect(learnt.isValid, "\(learnt.issues)")
        validator.learn(try JSONParser.parse(Array(definitionJSON.utf8)), into: &learnt)
        #expect(learnt.warnings.isEmpty)
        func incident(_ details: String) throws -> ObjectValidation {
            validator.validate(try JSONParser.parse(Array("""
                {"type": "incident", "spec_version": "2.1", "id": "incident--0b7d5c53-3e8e-4b7e-9d44-0e2b1c9c2a11", "created": "2026-01-01T00:00:00.000Z",
                 "modified": "2026-01-01T00:00:00.000Z", "name": "7.7 DDoS", "extensions": {"\(ext)": \(details)}}
                """.utf8)))
        }
        #expect(try incident(#"{"extension_type": "property-extension", "incident_types": ["ddos"]}"#).isValid)
        let bad = try incident(#"{"extension_type": "property-extension", "incident_types": ["cyberwar"]}"#)
        #expect(bad.errors.map(\.path) == ["$.extensions.\(ext).incident_types[0]"])
        #expect(bad.errors.first?.reason.contains("schema of 'incident details'") == true)
        #expect(!Validator().validate(try JSONParser.parse(Array("""
            {"type": "incident", "spec_version": "2.1", "id": "incident--0b7d5c53-3e8e-4b7e-9d44-0e2b1c9c2a11", "created": "2026-01-01T00:00:00.000Z",
             "modified": "2026-01-01T00:00:00.000Z", "name": "x", "extensions": {"\(ext)": {"extension_type": "property-extension", "incident_types": ["cyberwar"]}}}
            """.utf8))).errors.contains { $0.reason.contains("schema of") }, "a validator that does not know the definition cannot check it")
    }
}
