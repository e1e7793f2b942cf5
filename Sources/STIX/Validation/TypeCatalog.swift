/// The kind of a STIX object, which decides its common properties and versioning.
public enum ObjectCategory: Sendable {
    /// STIX Domain Object (attack-pattern, indicator, ...): versioned, has created/modified.
    case domain
    /// STIX Relationship Object (relationship, sighting).
    case relationship
    /// STIX Cyber-observable Object (ipv4-addr, file, ...): unversioned, deterministic ids.
    case observable
    /// marking-definition: unversioned.
    case marking
    /// extension-definition and language-content: versioned meta objects.
    case meta
}

/// What STIX 2.1 says about one object type: its category, properties and required ones.
public struct TypeSpec: Sendable {
    /// The category, which brings the common properties.
    public var category: ObjectCategory
    /// Type-specific properties and their rules.
    public var properties: [String: PropertyRule]
    /// Type-specific properties that must be present.
    public var required: [String]
    /// Sets of properties of which at least one must be present (each inner list all together).
    public var anyOf: [[String]]

    init(_ category: ObjectCategory, _ properties: [String: PropertyRule], required: [String] = [], anyOf: [[String]] = []) {
        self.category = category
        self.properties = properties
        self.required = required
        self.anyOf = anyOf
    }
}

/// The STIX 2.1 object types Accord knows, with their rules.
public enum TypeCatalog {
    /// The 19 STIX Domain Object types.
    public static let domainTypes: Set<String> = [
        "attack-pattern", "campaign", "course-of-action", "grouping", "identity", "incident", "indicator",
        "infrastructure", "intrusion-set", "location", "malware", "malware-analysis", "note", "observed-data",
        "opinion", "report", "threat-actor", "tool", "vulnerability",
    ]
    /// The 2 STIX Relationship Object types.
    public static let relationshipTypes: Set<String> = ["relationship", "sighting"]
    /// The 18 STIX Cyber-observable Object types.
    public static let observableTypes: Set<String> = Set(DeterministicID.contributingProperties.keys)

    /// Spec of a standard type; nil for custom types.
    public static func spec(for type: String) -> TypeSpec? { specs[type] }

    static let identityRef = PropertyRule.ref(.only(["identity"]))
    static let anyRef = PropertyRule.ref(.any)
    static let refList = PropertyRule.list(anyRef)
    static let strings = PropertyRule.list(.string)
    static let notRelationshipLike: Set<String> = ["relationship", "sighting", "bundle", "marking-definition", "language-content"]

    /// Common properties of SDOs and SROs.
    static let domainCommon: [String: PropertyRule] = [
        "type": .string, "spec_version": .string, "id": .string,
        "created_by_ref": identityRef, "created": .timestampMillis, "modified": .timestampMillis,
        "revoked": .boolean, "labels": strings, "confidence": .integer(min: 0, max: 100), "lang": .string,
        "external_references": .list(.externalReference),
        "object_marking_refs": .list(.ref(.only(["marking-definition"]))),
        "granular_markings": .list(.granularMarking), "extensions": .any,
    ]
    /// Common properties of SCOs.
    static let observableCommon: [String: PropertyRule] = [
        "type": .string, "spec_version": .string, "id": .string,
        "object_marking_refs": .list(.ref(.only(["marking-definition"]))),
        "granular_markings": .list(.granularMarking), "defanged": .boolean, "extensions": .any,
    ]
    /// Common properties of marking definitions.
    static let markingCommon: [String: PropertyRule] = [
        "type": .string, "spec_version": .string, "id": .string, "created_by_ref": identityRef,
        "created": .timestamp, "external_references": .list(.externalReference),
        "object_marking_refs": .list(.ref(.only(["marking-definition"]))),
        "granular_markings": .list(.granularMarking), "extensions": .any,
        "name": .string, "definition_type": .string, "definition": .dictionary,
    ]

    static let killChain = PropertyRule.list(.killChainPhase)

    static let specs: [String: TypeSpec] = {
        var s: [String: TypeSpec] = [:]
        // Domain objects.
        s["attack-pattern"] = .init(.domain, ["name": .string, "description": .string, "aliases": strings, "kill_chain_phases": killChain], required: ["name"])
        s["campaign"] = .init(.domain, ["name": .string, "description": .string, "aliases": strings, "first_seen": .timestamp, "last_seen": .timestamp, "objective": .string], required: ["name"])
        s["course-of-action"] = .init(.domain, ["name": .string, "description": .string, "action_type": .string, "os_execution_envs": strings, "action_bin": .binary, "action_reference": .externalReference], required: ["name"])
        s["grouping"] = .init(.domain, ["name": .string, "description": .string, "context": .string, "object_refs": refList], required: ["context", "object_refs"])
        s["identity"] = .init(.domain, ["name": .string, "description": .string, "roles": strings, "identity_class": .string, "sectors": strings, "contact_information": .string], required: ["name"])
        s["incident"] = .init(.domain, ["name": .string, "description": .string, "kill_chain_phases": killChain], required: ["name"])
        s["indicator"] = .init(.domain, ["name": .string, "description": .string, "indicator_types": strings, "pattern": .string, "pattern_type": .string, "pattern_version": .string, "valid_from": .timestamp, "valid_until": .timestamp, "kill_chain_phases": killChain], required: ["pattern", "pattern_type", "valid_from"])
        s["infrastructure"] = .init(.domain, ["name": .string, "description": .string, "infrastructure_types": strings, "aliases": strings, "kill_chain_phases": killChain, "first_seen": .timestamp, "last_seen": .timestamp], required: ["name"])
        s["intrusion-set"] = .init(.domain, ["name": .string, "description": .string, "aliases": strings, "first_seen": .timestamp, "last_seen": .timestamp, "goals": strings, "resource_level": .string, "primary_motivation": .string, "secondary_motivations": strings], required: ["name"])
        s["location"] = .init(.domain, ["name": .string, "description": .string, "latitude": .number(min: -90, max: 90), "longitude": .number(min: -180, max: 180), "precision": .number(min: 0), "region": .string, "country": .string, "administrative_area": .string, "city": .string, "street_address": .string, "postal_code": .string], anyOf: [["region"], ["country"], ["latitude", "longitude"]])
        s["malware"] = .init(.domain, ["name": .string, "description": .string, "malware_types": strings, "is_family": .boolean, "aliases": strings, "kill_chain_phases": killChain, "first_seen": .timestamp, "last_seen": .timestamp, "operating_system_refs": .list(.ref(.only(["software"]))), "architecture_execution_envs": strings, "implementation_languages": strings, "capabilities": strings, "sample_refs": .list(.ref(.only(["file", "artifact"])))], required: ["is_family"])
        s["malware-analysis"] = .init(.domain, ["product": .string, "version": .string, "host_vm_ref": .ref(.only(["software"])), "operating_system_ref": .ref(.only(["software"])), "installed_software_refs": .list(.ref(.only(["software"]))), "configuration_version": .string, "modules": strings, "analysis_engine_version": .string, "analysis_definition_version": .string, "submitted": .timestamp, "analysis_started": .timestamp, "analysis_ended": .timestamp, "result_name": .string, "result": .string, "analysis_sco_refs": refList, "sample_ref": .ref(.only(["file", "artifact", "network-traffic"]))], required: ["product"], anyOf: [["result"], ["analysis_sco_refs"]])
        s["note"] = .init(.domain, ["abstract": .string, "content": .string, "authors": strings, "object_refs": refList], required: ["content", "object_refs"])
        s["observed-data"] = .init(.domain, ["first_observed": .timestamp, "last_observed": .timestamp, "number_observed": .integer(min: 1, max: 999_999_999), "objects": .dictionary, "object_refs": refList], required: ["first_observed", "last_observed", "number_observed"], anyOf: [["objects"], ["object_refs"]])
        s["opinion"] = .init(.domain, ["explanation": .string, "authors": strings, "opinion": .oneOf(["strongly-disagree", "disagree", "neutral", "agree", "strongly-agree"]), "object_refs": refList], required: ["opinion", "object_refs"])
        s["report"] = .init(.domain, ["name": .string, "description": .string, "report_types": strings, "published": .timestamp, "object_refs": refList], required: ["name", "published", "object_refs"])
        s["threat-actor"] = .init(.domain, ["name": .string, "description": .string, "threat_actor_types": strings, "aliases": strings, "first_seen": .timestamp, "last_seen": .timestamp, "roles": strings, "goals": strings, "sophistication": .string, "resource_level": .string, "primary_motivation": .string, "secondary_motivations": strings, "personal_motivations": strings], required: ["name"])
        s["tool"] = .init(.domain, ["name": .string, "description": .string, "tool_types": strings, "aliases": strings, "kill_chain_phases": killChain, "tool_version": .string], required: ["name"])
        s["vulnerability"] = .init(.domain, ["name": .string, "description": .string], required: ["name"])
        // Relationship objects.
        let relatable = PropertyRule.ref(.except(notRelationshipLike))
        s["relationship"] = .init(.relationship, ["relationship_type": .string, "description": .string, "source_ref": relatable, "target_ref": relatable, "start_time": .timestamp, "stop_time": .timestamp], required: ["relationship_type", "source_ref", "target_ref"])
        s["sighting"] = .init(.relationship, ["description": .string, "first_seen": .timestamp, "last_seen": .timestamp, "count": .integer(min: 0, max: 999_999_999), "sighting_of_ref": relatable, "observed_data_refs": .list(.ref(.only(["observed-data"]))), "where_sighted_refs": .list(.ref(.only(["identity", "location"]))), "summary": .boolean], required: ["sighting_of_ref"])
        // Meta objects.
        s["marking-definition"] = .init(.marking, [:])
        s["extension-definition"] = .init(.meta, ["name": .string, "description": .string, "schema": .string, "version": .string, "extension_types": .list(.oneOf(extensionTypes)), "extension_properties": strings], required: ["created_by_ref", "name", "schema", "version", "extension_types"])
        s["language-content"] = .init(.meta, ["object_ref": .ref(.except(["bundle", "language-content"])), "object_modified": .timestamp, "contents": .dictionaryOf(.dictionary)], required: ["object_ref", "contents"])
        // Cyber-observable objects.
        for (type, spec) in ObservableCatalog.specs { s[type] = spec }
        return s
    }()

    /// The `extension_type` values STIX 2.1 defines.
    public static let extensionTypes: Set<String> = ["new-sdo", "new-sco", "new-sro", "property-extension", "toplevel-property-extension"]
}
