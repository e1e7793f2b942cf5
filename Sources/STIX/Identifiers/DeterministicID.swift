/// Deterministic identifiers of STIX Cyber-observable Objects (STIX 2.1 section 2.9).
///
/// An SCO's id is UUIDv5, in the namespace STIX reserves, over the JCS form of the object's
/// id-contributing properties. Two parties that observe the same IP address thus mint the same id.
///
/// ```swift
/// let object = try JSONParser.parse(Array(#"{"type":"ipv4-addr","value":"198.51.100.3"}"#.utf8))
/// DeterministicID.compute(for: object) // "ipv4-addr--..."
/// ```
public enum DeterministicID {
    /// The id-contributing properties of each standard SCO type (`process` has none).
    public static let contributingProperties: [String: [String]] = [
        "artifact": ["hashes", "payload_bin"],
        "autonomous-system": ["number"],
        "directory": ["path"],
        "domain-name": ["value"],
        "email-addr": ["value"],
        "email-message": ["from_ref", "subject", "body"],
        "file": ["hashes", "name", "extensions", "parent_directory_ref"],
        "ipv4-addr": ["value"],
        "ipv6-addr": ["value"],
        "mac-addr": ["value"],
        "mutex": ["name"],
        "network-traffic": ["start", "end", "src_ref", "dst_ref", "src_port", "dst_port", "protocols", "extensions"],
        "process": [],
        "software": ["name", "cpe", "swid", "vendor", "version"],
        "url": ["value"],
        "user-account": ["account_type", "user_id", "account_login"],
        "windows-registry-key": ["key", "values"],
        "x509-certificate": ["hashes", "serial_number"],
    ]

    /// Hash algorithms in the order STIX prefers when one hash stands for `hashes`.
    static let hashPreference = ["MD5", "SHA-1", "SHA-256", "SHA-512"]

    /// The deterministic id the object should carry, or nil when it gets a UUIDv4 instead
    /// (`process`, custom SCOs, or no contributing property present).
    public static func compute(for object: JSONValue) -> String? {
        guard let members = object.objectValue, let type = members["type"]?.stringValue,
              let names = contributingProperties[type]
        else { return nil }
        var contributing = JSONObject()
        for name in names {
            guard let value = members[name] else { continue }
            if name == "hashes" {
                guard let hashes = value.objectValue, let chosen = chooseHash(hashes) else { continue }
                contributing[name] = .object([chosen.key: chosen.value])
            } else {
                contributing[name] = value
            }
        }
        guard !contributing.isEmpty else { return nil }
        let uuid = STIXUUID.v5(namespace: .stixSCONamespace, name: CanonicalJSON.bytes(of: .object(contributing)))
        return "\(type)--\(uuid)"
    }

    /// Picks the single hash used for the id: MD5, else SHA-1, else SHA-256, else SHA-512,
    /// else the first one written (as the OASIS `stix2` library does).
    static func chooseHash(_ hashes: JSONObject) -> (key: String, value: JSONValue)? {
        for algorithm in hashPreference {
            if let v = hashes[algorithm] { return (algorithm, v) }
        }
        return hashes.first(where: { _ in true })
    }
}

extension DeterministicID {
    /// True when `object` carries the id STIX says it should, or is not an SCO with
    /// id-contributing properties (nothing to check).
    public static func matches(_ object: JSONValue) -> Bool {
        guard let expected = compute(for: object) else { return true }
        return object["id"]?.stringValue?.lowercased() == expected
    }
}
