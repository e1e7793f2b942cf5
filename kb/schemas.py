"""JSON Schemas embedded in the Accord extension definitions.

Dialect: JSON Schema 2020-12, restricted to the keywords the Accord Swift
validator implements: $schema, $id, title, description, type, properties,
required, additionalProperties, enum, const, items, minItems, maxItems,
uniqueItems, minimum, maximum, minLength, maxLength, pattern, $defs, $ref
(local "#/$defs/NAME" only), allOf, anyOf, oneOf.  No `format`.
"""

DIALECT = "https://json-schema.org/draft/2020-12/schema"
TIMESTAMP = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
COUNTRY = r"^[A-Z]{2}$"
CURRENCY = r"^[A-Z]{3}$"

INSTRUMENT_TYPES = ["treaty", "convention", "agreement", "joint-statement", "resolution", "dialogue", "forum",
                    "working-group", "framework", "network", "strategy", "plan", "norm",
                    "confidence-building-measure", "capacity-building-programme"]
SCOPES = ["national", "bilateral", "trilateral", "regional", "multilateral", "global"]
PARTY_STATUSES = ["party", "signatory", "observer", "not-party", "member", "issuer", "host", "secretariat",
                  "sponsor", "supporter", "opposed"]
INCIDENT_TYPES = ["ddos", "espionage", "sabotage", "financial-theft", "data-destruction", "data-theft",
                  "information-operation", "ransomware", "defacement", "supply-chain"]
ATTRIBUTION_BASES = ["government", "industry", "un-panel", "media", "academic"]
IMPACT_LEVELS = ["none", "low", "medium", "high", "unknown"]
RESPONSE_TYPES = ["diplomatic", "legal", "sanctions", "criminal-charges", "technical", "policy"]
ACTOR_KINDS = ["state", "international-organization", "government-agency", "military", "law-enforcement",
               "company", "network", "academic", "other"]
# STIX 2.1 industry-sector-ov
INDUSTRY_SECTORS = ["agriculture", "aerospace", "automotive", "chemical", "commercial", "communications",
                    "construction", "defense", "education", "energy", "entertainment", "financial-services",
                    "government", "emergency-services", "government-local", "government-national",
                    "government-public-services", "government-regional", "healthcare", "hospitality-leisure",
                    "infrastructure", "dams", "nuclear", "water", "insurance", "manufacturing", "mining",
                    "non-profit", "pharmaceuticals", "retail", "technology", "telecommunications",
                    "transportation", "utilities"]


def id_pattern(*types):
    return "^(%s)--%s$" % ("|".join(types), UUID)


def _ts():
    return {"type": "string", "pattern": TIMESTAMP}


def _ref(*types):
    return {"type": "string", "pattern": id_pattern(*types)}


def _list(item, **extra):
    d = {"type": "array", "items": item, "minItems": 1}
    d.update(extra)
    return d


def cyber_instrument_schema(ext_id):
    """Schema for a whole `cyber-instrument` object."""
    defs = {
        "timestamp": _ts(),
        "identity-ref": _ref("identity"),
        "external-reference": {
            "type": "object",
            "properties": {
                "source_name": {"type": "string", "minLength": 1},
                "description": {"type": "string"},
                "url": {"type": "string"},
                "hashes": {"type": "object", "additionalProperties": {"type": "string"}},
                "external_id": {"type": "string"},
            },
            "required": ["source_name"],
            "additionalProperties": False,
        },
        "granular-marking": {
            "type": "object",
            "properties": {
                "lang": {"type": "string"},
                "marking_ref": _ref("marking-definition"),
                "selectors": _list({"type": "string"}),
            },
            "required": ["selectors"],
            "additionalProperties": False,
        },
        "party": {
            "type": "object",
            "properties": {
                "party_ref": {"$ref": "#/$defs/identity-ref"},
                "status": {"enum": PARTY_STATUSES},
                "since": {"$ref": "#/$defs/timestamp"},
                "until": {"$ref": "#/$defs/timestamp"},
                "note": {"type": "string"},
            },
            "required": ["party_ref", "status"],
            "additionalProperties": False,
        },
        "membership": {
            "type": "object",
            "properties": {
                "institutions": {"type": "integer", "minimum": 0},
                "countries": {"type": "integer", "minimum": 0},
                "as_of": {"$ref": "#/$defs/timestamp"},
            },
            "additionalProperties": False,
        },
        "vote": {
            "type": "object",
            "properties": {
                "in_favour": {"type": "integer", "minimum": 0},
                "against": {"type": "integer", "minimum": 0},
                "abstentions": {"type": "integer", "minimum": 0},
                "date": {"$ref": "#/$defs/timestamp"},
            },
            "additionalProperties": False,
        },
    }
    props = {
        "type": {"const": "cyber-instrument"},
        "spec_version": {"const": "2.1"},
        "id": _ref("cyber-instrument"),
        "created_by_ref": {"$ref": "#/$defs/identity-ref"},
        "created": {"$ref": "#/$defs/timestamp"},
        "modified": {"$ref": "#/$defs/timestamp"},
        "revoked": {"type": "boolean"},
        "labels": _list({"type": "string"}),
        "confidence": {"type": "integer", "minimum": 0, "maximum": 100},
        "lang": {"type": "string"},
        "external_references": _list({"$ref": "#/$defs/external-reference"}),
        "object_marking_refs": _list(_ref("marking-definition")),
        "granular_markings": _list({"$ref": "#/$defs/granular-marking"}),
        "extensions": {
            "type": "object",
            "properties": {
                ext_id: {
                    "type": "object",
                    "properties": {"extension_type": {"const": "new-sdo"}},
                    "required": ["extension_type"],
                    "additionalProperties": False,
                },
            },
            "required": [ext_id],
            "additionalProperties": {"type": "object"},
        },
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "aliases": _list({"type": "string", "minLength": 1}, uniqueItems=True),
        "instrument_type": {"enum": INSTRUMENT_TYPES},
        "scope": {"enum": SCOPES},
        "established": {"$ref": "#/$defs/timestamp"},
        "signed": {"$ref": "#/$defs/timestamp"},
        "in_force": {"$ref": "#/$defs/timestamp"},
        "withdrawn": {"$ref": "#/$defs/timestamp"},
        "ended": {"$ref": "#/$defs/timestamp"},
        "parties": _list({"$ref": "#/$defs/party"}),
        "membership": {"$ref": "#/$defs/membership"},
        "vote": {"$ref": "#/$defs/vote"},
        "related_incident_refs": _list(_ref("incident"), uniqueItems=True),
    }
    return {
        "$schema": DIALECT,
        "$id": "urn:accord:extension:cyber-instrument:1.0.0",
        "title": "cyber-instrument",
        "description": "A STIX 2.1 SDO describing a cyber-diplomacy or cyber-policy instrument: treaty, "
                       "convention, agreement, joint statement, resolution, dialogue, forum, working group, "
                       "framework, network, national strategy or plan, norm, confidence-building measure or "
                       "capacity-building programme. Validates the whole object.",
        "type": "object",
        "properties": props,
        "required": ["type", "spec_version", "id", "created", "modified", "name", "instrument_type", "scope",
                     "extensions"],
        "additionalProperties": False,
        "$defs": defs,
    }


def incident_context_schema():
    """Schema for the dict inside incident.extensions[<ext id>]."""
    defs = {
        "timestamp": _ts(),
        "identity-ref": _ref("identity"),
        "country": {"type": "string", "pattern": COUNTRY},
        "level": {"enum": IMPACT_LEVELS},
        "attribution": {
            "type": "object",
            "properties": {
                "attributed_to_ref": _ref("intrusion-set", "threat-actor", "identity"),
                "attributing_ref": {"$ref": "#/$defs/identity-ref"},
                "attributing_country": {"$ref": "#/$defs/country"},
                "basis": {"enum": ATTRIBUTION_BASES},
                "date": {"$ref": "#/$defs/timestamp"},
                "confidence": {"type": "integer", "minimum": 0, "maximum": 100},
                "source": {"type": "string"},
            },
            "required": ["attributed_to_ref", "basis"],
            "additionalProperties": False,
        },
        "impact": {
            "type": "object",
            "properties": {
                "functional": {"$ref": "#/$defs/level"},
                "political": {"$ref": "#/$defs/level"},
                "economic": {"$ref": "#/$defs/level"},
                "loss_amount": {"type": "number", "minimum": 0},
                "loss_currency": {"type": "string", "pattern": CURRENCY},
                "loss_note": {"type": "string"},
            },
            "additionalProperties": False,
        },
        "response": {
            "type": "object",
            "properties": {
                "response_type": {"enum": RESPONSE_TYPES},
                "responder_ref": {"$ref": "#/$defs/identity-ref"},
                "date": {"$ref": "#/$defs/timestamp"},
                "description": {"type": "string"},
                "instrument_ref": _ref("cyber-instrument"),
            },
            "required": ["response_type"],
            "additionalProperties": False,
        },
    }
    props = {
        "extension_type": {"const": "property-extension"},
        "incident_types": _list({"enum": INCIDENT_TYPES}, uniqueItems=True),
        "first_seen": {"$ref": "#/$defs/timestamp"},
        "last_seen": {"$ref": "#/$defs/timestamp"},
        "target_countries": _list({"$ref": "#/$defs/country"}, uniqueItems=True),
        "target_sectors": _list({"enum": INDUSTRY_SECTORS}, uniqueItems=True),
        "initiator_country": {"$ref": "#/$defs/country"},
        "initiator_refs": _list(_ref("intrusion-set", "threat-actor"), uniqueItems=True),
        "operation_count": {"type": "integer", "minimum": 1},
        "attributions": _list({"$ref": "#/$defs/attribution"}),
        "impact": {"$ref": "#/$defs/impact"},
        "responses": _list({"$ref": "#/$defs/response"}),
    }
    return {
        "$schema": DIALECT,
        "$id": "urn:accord:extension:incident-context:1.0.0",
        "title": "incident-context",
        "description": "Property extension for STIX 2.1 incident objects: type, timing, targets, initiator, "
                       "attributions, impact and responses (modelled on EuRepoC, the CFR Cyber Operations "
                       "Tracker and DCID). Validates the dict stored under the extension id.",
        "type": "object",
        "properties": props,
        "required": ["extension_type", "incident_types", "first_seen"],
        "additionalProperties": False,
        "$defs": defs,
    }


def actor_context_schema():
    """Schema for the dict inside identity.extensions[<ext id>]."""
    return {
        "$schema": DIALECT,
        "$id": "urn:accord:extension:actor-context:1.0.0",
        "title": "actor-context",
        "description": "Property extension for STIX 2.1 identity objects: what kind of actor the identity "
                       "is, which country it is or belongs to, and its parent identity.",
        "type": "object",
        "properties": {
            "extension_type": {"const": "property-extension"},
            "actor_kind": {"enum": ACTOR_KINDS},
            "country": {"type": "string", "pattern": COUNTRY},
            "parent_ref": _ref("identity"),
        },
        "required": ["extension_type", "actor_kind"],
        "additionalProperties": False,
    }
