import STIX
import Testing

/// Validates a JSON text and returns the outcome.
func validate(_ text: String) throws -> ObjectValidation {
    Validator().validate(try JSONParser.parse(Array(text.utf8)))
}

let campaign = #""type":"campaign","spec_version":"2.1","id":"campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:00.000Z","modified":"2016-04-06T20:03:00.000Z","name":"Green Group Attacks Against Finance""#

@Suite("STIX 2.1 validator")
struct ValidatorTests {
    @Test("accepts a minimal valid object of each category", arguments: [
        "{\(campaign)}",
        #"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}"#,
        #"{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:GREEN","definition":{"tlp":"green"}}"#,
        #"{"type":"relationship","spec_version":"2.1","id":"relationship--57b56a43-b8b0-4cba-9deb-34e3e1faed9e","created":"2016-04-06T20:06:37.000Z","modified":"2016-04-06T20:06:37.000Z","relationship_type":"indicates","source_ref":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","target_ref":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b"}"#,
        #"{"type":"x-mitre-tactic","spec_version":"2.1","id":"x-mitre-tactic--69da72d2-f550-41c5-ab9e-e8255707f28a","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","x_mitre_shortname":"evasion","x_mitre_related":[{"a":[]}]}"#,
    ])
    func valid(_ text: String) throws {
        let r = try validate(text)
        #expect(r.isValid, "\(r.errors)")
    }

    @Test("names the JSON path and the reason of each MUST violation", arguments: [
        ("{\(campaign),\"confidence\":101}", "$.confidence", "at most 100"),
        ("{\(campaign),\"labels\":[]}", "$.labels", "empty list"),
        ("{\(campaign),\"revoked\":\"true\"}", "$.revoked", "boolean"),
        ("{\(campaign),\"created_by_ref\":\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"}", "$.created_by_ref", "identity"),
        ("{\(campaign),\"external_references\":[{\"source_name\":\"x\"}]}", "$.external_references[0]", "at least one of"),
        ("{\(campaign),\"granular_markings\":[{\"marking_ref\":\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\",\"selectors\":[\"nope\"]}]}", "$.granular_markings[0].selectors[0]", "not a property"),
        ("{\(campaign),\"x_Bad\":1}", "$.x_Bad", "custom property names"),
        ("{\(campaign),\"severity\":\"high\"}", "$.severity", "reserved"),
        ("{\(campaign),\"extensions\":{\"foo\":{}}}", "$.extensions.foo", "extension keys"),
        (#"{"type":"campaign","spec_version":"2.1","id":"campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:00.000Z","modified":"2016-04-05T20:03:00.000Z","name":"x"}"#, "$.modified", "later than or equal to created"),
        (#"{"type":"campaign","spec_version":"2.1","id":"campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:00Z","modified":"2016-04-06T20:03:00.000Z","name":"x"}"#, "$.created", "millisecond"),
        (#"{"type":"campaign","spec_version":"2.1","id":"campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-02-30T20:03:00.000Z","modified":"2016-04-06T20:03:00.000Z","name":"x"}"#, "$.created", "calendar"),
        (#"{"type":"campaign","spec_version":"2.1","id":"campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:00.000Z","modified":"2016-04-06T20:03:00.000Z"}"#, "$.name", "is required"),
        (#"{"type":"campaign","spec_version":"2.1","id":"tool--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:00.000Z","modified":"2016-04-06T20:03:00.000Z","name":"x"}"#, "$.id", "must start with"),
        (#"{"type":"campaign","spec_version":"2.1","id":"campaign--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f","created":"2016-04-06T20:03:00.000Z","modified":"2016-04-06T20:03:00.000Z","name":"x"}"#, "$.id", "RFC 4122"),
        (#"{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:00.000Z","modified":"2016-04-06T20:03:00.000Z","pattern":"[ipv4-addr:value = '1.2.3.4'","pattern_type":"stix","valid_from":"2016-01-01T00:00:00Z"}"#, "$.pattern", "does not parse"),
        (#"{"type":"process","id":"process--8e2e2d2b-17d4-5cbf-938f-98ee46b3cd3f","pid":4}"#, "$.id", "UUIDv4"),
        (#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"300.1.1.1"}"#, "$.value", "IPv4"),
        (#"{"type":"network-traffic","id":"network-traffic--ff26c055-6336-5bc5-b98d-13d6226742dd","protocols":["tcp"],"dst_ref":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","dst_port":70000}"#, "$.dst_port", "at most 65535"),
        (#"{"type":"file","id":"file--ff26c055-6336-5bc5-b98d-13d6226742dd","hashes":{"MD5":"zz"}}"#, "$.hashes.MD5", "MD5"),
        (#"{"type":"artifact","id":"artifact--ff26c055-6336-5bc5-b98d-13d6226742dd","payload_bin":"!!"}"#, "$.payload_bin", "base64"),
        (#"{"type":"artifact","id":"artifact--ff26c055-6336-4bc5-b98d-13d6226742dd","mime_type":"text/plain"}"#, "$", "payload_bin or url"),
        (#"{"type":"x","id":"x--ff26c055-6336-4bc5-b98d-13d6226742dd"}"#, "$.type", "not a valid type name"),
    ])
    func invalid(_ text: String, _ path: String, _ reason: String) throws {
        let r = try validate(text)
        #expect(!r.isValid)
        #expect(r.errors.contains { $0.path == path && $0.reason.contains(reason) }, "\(r.errors)")
    }

    @Test("SHOULD-level problems are warnings that leave the object valid")
    func warnings() throws {
        let r = try validate(#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-4bc5-b98d-13d6226742dd","value":"198.51.100.3","foo_bar":1}"#)
        #expect(r.isValid)
        #expect(r.warnings.contains { $0.path == "$.id" && $0.reason.contains("deterministic id") })
        #expect(r.warnings.contains { $0.path == "$.foo_bar" })
    }
}

@Suite("Deterministic SCO ids and canonical JSON")
struct DeterministicIDTests {
    @Test("JCS sorts keys by UTF-16 and formats numbers as ECMAScript does")
    func canonical() throws {
        let v = try JSONParser.parse(Array(#"{"b":1.0,"a":[1e21,0.000001,1e-7,-0.5,123456789012],"\u00e9":"\u2028\n"}"#.utf8))
        #expect(String(decoding: CanonicalJSON.bytes(of: v), as: UTF8.self) == "{\"a\":[1e+21,0.000001,1e-7,-0.5,123456789012],\"b\":1,\"é\":\"\u{2028}\\n\"}")
    }

    @Test("UUIDv5 in the STIX namespace over the contributing properties")
    func computesIDs() throws {
        let a = try JSONParser.parse(Array(#"{"type":"ipv4-addr","value":"198.51.100.3","spec_version":"2.1"}"#.utf8))
        let b = try JSONParser.parse(Array(#"{"value":"198.51.100.3","type":"ipv4-addr","defanged":true}"#.utf8))
        let id = try #require(DeterministicID.compute(for: a))
        #expect(id == DeterministicID.compute(for: b))
        #expect(STIXIdentifier(id)?.uuid.version == 5)
        let process = try JSONParser.parse(Array(#"{"type":"process","pid":1}"#.utf8))
        #expect(DeterministicID.compute(for: process) == nil)
        let hashes = try JSONParser.parse(Array(#"{"type":"file","hashes":{"SHA-256":"aa","MD5":"bb"}}"#.utf8))
        let md5Only = try JSONParser.parse(Array(#"{"type":"file","hashes":{"MD5":"bb"}}"#.utf8))
        #expect(DeterministicID.compute(for: hashes) == DeterministicID.compute(for: md5Only))
    }

    @Test("TLP markings are recognised by id, the strictest wins")
    func tlp() {
        #expect(TLP(markingID: "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed") == .red)
        #expect(TLP(markingID: "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9") == .clear)
        #expect(TLP.strictest(of: [TLP.green.markingID, TLP.amberStrict.markingID, "marking-definition--00000000-0000-4000-8000-000000000000"]) == .amberStrict)
    }

    @Test("timestamps round-trip with microsecond precision")
    func timestamps() throws {
        let t = try Timestamp.parse("2016-05-12T08:17:27.123456789Z").get()
        #expect(t.taxiiString == "2016-05-12T08:17:27.123456Z")
        #expect(t.fractionDigits == 9)
        #expect(try Timestamp.parse("1969-12-31T23:59:59.5Z").get().microseconds == -500_000)
        #expect(throws: TimestampError.self) { try Timestamp.parse("2016-05-12 08:17:27Z").get() }
        #expect(throws: TimestampError.self) { try Timestamp.parse("2015-02-29T00:00:00Z").get() }
    }
}
