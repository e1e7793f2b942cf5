#!/usr/bin/env python3
"""Generate the bundled Korean Peninsula knowledge base (a STIX 2.1 bundle).

    python3 kb/build.py            # writes Sources/KnowledgeBase/Resources/korean-peninsula.json
    python3 kb/build.py --check    # exits 1 if the file on disk differs from what would be written

Python 3 standard library only.  The output is deterministic: ids are UUIDv5
of a stable key under NAMESPACE, keys are sorted, objects are ordered by type
then id, and every timestamp comes from the facts (never from the clock).
See kb/README.md.
"""

import sys

sys.dont_write_bytecode = True  # keep kb/ free of __pycache__

import calendar
import json
import os
import re
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import schemas  # noqa: E402
from facts_actors import ACCORD, IDENTITIES, THREAT_ACTORS, INTRUSION_SETS, ACTOR_RELATIONSHIPS  # noqa: E402
from facts_incidents import INCIDENTS  # noqa: E402
from facts_instruments import INSTRUMENTS, INSTRUMENT_RELATIONSHIPS  # noqa: E402
from facts_reports import REPORTS  # noqa: E402
from sources import ACCORD_MODEL, ref  # noqa: E402

OUTPUT = os.path.join(ROOT, "Sources", "KnowledgeBase", "Resources", "korean-peninsula.json")

# Never change: every id in the bundle is uuid5(NAMESPACE, "<type>:<slug>").
NAMESPACE = uuid.UUID("052516ef-340f-408f-9072-9d7cd126737a")
# Default `created` and `modified` of every Accord object (version 1 of the knowledge base).
CREATED = "2026-11-24T00:00:00.000Z"

TLP_CLEAR_ID = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
TLP_CLEAR = {  # exactly as published by OASIS (STIX 2.1 TLP 2.0 marking definitions)
    "type": "marking-definition",
    "spec_version": "2.1",
    "id": TLP_CLEAR_ID,
    "created": "2022-10-01T00:00:00.000Z",
    "name": "TLP:CLEAR",
    "extensions": {
        "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
            "extension_type": "property-extension",
            "tlp_2_0": "clear",
        }
    },
    "created_by_ref": "identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01",
}

TYPE_ORDER = ["marking-definition", "extension-definition", "identity", "threat-actor", "intrusion-set",
              "incident", "cyber-instrument", "report", "relationship"]

# Date fields that are upper bounds: a partial date expands to the END of its period.
UPPER_BOUND_FIELDS = {"last_seen", "until", "ended", "withdrawn"}

TS_FULL = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$")


class FactError(Exception):
    pass


def stix_id(key):
    type_, sep, slug = key.partition(":")
    if not sep or not slug:
        raise FactError("bad key %r" % key)
    return "%s--%s" % (type_, uuid.uuid5(NAMESPACE, key))


def ts(value, upper=False):
    """'YYYY' | 'YYYY-MM' | 'YYYY-MM-DD' | full STIX timestamp -> STIX timestamp with milliseconds."""
    if TS_FULL.match(value):
        return value
    m = re.match(r"^([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?$", value)
    if not m:
        raise FactError("bad date %r" % value)
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else (12 if upper else 1)
    if m.group(3):
        day = int(m.group(3))
    else:
        day = calendar.monthrange(year, month)[1] if upper else 1
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise FactError("bad date %r" % value)
    return "%04d-%02d-%02dT00:00:00.000Z" % (year, month, day)


def dedup_refs(refs):
    out, seen = [], set()
    for r in refs:
        k = json.dumps(r, sort_keys=True)
        if k not in seen:
            seen.add(k)
            out.append(dict(r))
    return out


class Builder:
    def __init__(self):
        self.objects = {}       # id -> object
        self.keys = {}          # key -> id
        self.accord_id = stix_id("identity:accord")
        self.ext = {name: stix_id("extension-definition:" + name)
                    for name in ("cyber-instrument", "incident-context", "actor-context")}

    # -- helpers ---------------------------------------------------------
    def declare(self, key):
        sid = stix_id(key)
        if key in self.keys:
            raise FactError("duplicate key %s" % key)
        self.keys[key] = sid
        return sid

    def resolve(self, key):
        if key not in self.keys:
            raise FactError("unknown reference %s" % key)
        return self.keys[key]

    def common(self, key, fact, type_):
        # Version 1 objects take CREATED; objects added later carry their own "created".
        # A later change to an object sets its "modified" (and nothing else moves).
        created = ts(fact["created"]) if fact.get("created") else CREATED
        modified = ts(fact["modified"]) if fact.get("modified") else created
        if modified < created:
            raise FactError("%s: modified before created" % key)
        obj = {
            "type": type_,
            "spec_version": "2.1",
            "id": self.keys[key],
            "created": created,
            "modified": modified,
            "created_by_ref": self.accord_id,
            "object_marking_refs": [TLP_CLEAR_ID],
        }
        sources = dedup_refs(fact.get("sources", []))
        if not sources:
            raise FactError("%s has no source" % key)
        obj["external_references"] = sources
        return obj

    def add(self, obj):
        if obj["id"] in self.objects:
            raise FactError("duplicate id %s" % obj["id"])
        self.objects[obj["id"]] = obj

    def convert(self, value, field=None):
        """Resolve *_ref / *_refs keys and expand dates inside extension data."""
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                if k in ("refs", "rel_created") or v is None:
                    continue
                if k.endswith("_ref"):
                    out[k] = self.resolve(v)
                elif k.endswith("_refs"):
                    out[k] = [self.resolve(x) for x in v]
                elif k in ("first_seen", "last_seen", "date", "since", "until", "as_of", "established",
                           "signed", "in_force", "withdrawn", "ended"):
                    out[k] = ts(v, upper=k in UPPER_BOUND_FIELDS)
                else:
                    out[k] = self.convert(v, k)
            return out
        if isinstance(value, list):
            return [self.convert(v, field) for v in value]
        return value

    # -- objects -----------------------------------------------------------
    def build(self):
        # keys first, so that facts may reference each other in any order
        self.declare("identity:accord")
        for i in IDENTITIES:
            self.declare("identity:" + i["key"])
        for t in THREAT_ACTORS:
            self.declare("threat-actor:" + t["key"])
        for s in INTRUSION_SETS:
            self.declare("intrusion-set:" + s["key"])
        for inc in INCIDENTS:
            self.declare("incident:" + inc["key"])
        for ins in INSTRUMENTS:
            self.declare("cyber-instrument:" + ins["key"])
        for r in REPORTS:
            self.declare("report:" + r["key"])

        self.add(dict(TLP_CLEAR))
        self.build_extension_definitions()
        self.build_identity("identity:accord", ACCORD)
        for i in IDENTITIES:
            self.build_identity("identity:" + i["key"], i)
        for t in THREAT_ACTORS:
            self.build_threat_actor(t)
        for s in INTRUSION_SETS:
            self.build_intrusion_set(s)
        self.relationships = []
        for inc in INCIDENTS:
            self.build_incident(inc)
        for ins in INSTRUMENTS:
            self.build_instrument(ins)
        for rel in ACTOR_RELATIONSHIPS + INSTRUMENT_RELATIONSHIPS:
            self.relationships.append(rel)
        for rel in self.relationships:
            self.build_relationship(*rel)
        for r in REPORTS:
            self.build_report(r)
        self.check()
        objects = sorted(self.objects.values(), key=lambda o: (TYPE_ORDER.index(o["type"]), o["id"]))
        return {"type": "bundle", "id": stix_id("bundle:korean-peninsula"), "objects": objects}

    def build_extension_definitions(self):
        specs = [
            ("cyber-instrument", "Accord cyber-instrument",
             "New STIX 2.1 SDO type 'cyber-instrument' for cyber-diplomacy and cyber-policy instruments "
             "(treaties, conventions, agreements, joint statements, resolutions, dialogues, fora, working "
             "groups, frameworks, networks, national strategies and plans, norms, confidence-building measures, "
             "capacity-building programmes) with their parties, membership, votes and the incidents that "
             "prompted them. The schema property holds the JSON Schema (2020-12) of the whole object.",
             ["new-sdo"], schemas.cyber_instrument_schema(self.ext["cyber-instrument"]), [ACCORD_MODEL]),
            ("incident-context", "Accord incident context",
             "Property extension for STIX 2.1 incident objects: incident types, first and last seen, target "
             "countries and sectors, initiator, attributions (who attributed, on what basis), impact and "
             "responses (sanctions, charges, policy instruments). The schema property holds the JSON Schema "
             "(2020-12) of the extension's dict.",
             ["property-extension"], schemas.incident_context_schema(),
             [ACCORD_MODEL,
              ref("EuRepoC", "European Repository of Cyber Incidents (model for the incident fields)",
                  "https://eurepoc.eu/"),
              ref("CFR Cyber Operations Tracker", "Council on Foreign Relations (model for the incident fields)",
                  "https://www.cfr.org/cyber-operations/"),
              ref("DCID", "Dyadic Cyber Incident and Campaign Data, Valeriano & Maness (model for the incident "
                  "fields)")]),
            ("actor-context", "Accord actor context",
             "Property extension for STIX 2.1 identity objects: kind of actor (state, international "
             "organisation, government agency, military, law enforcement, company, network, academic, other), "
             "ISO 3166-1 alpha-2 country and parent identity. The schema property holds the JSON Schema "
             "(2020-12) of the extension's dict.",
             ["property-extension"], schemas.actor_context_schema(), [ACCORD_MODEL]),
        ]
        for name, title, description, types, schema, refs in specs:
            key = "extension-definition:" + name
            self.declare(key)
            obj = self.common(key, {"sources": refs}, "extension-definition")
            obj.update({
                "name": title,
                "description": description,
                "schema": json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
                "version": "1.0.0",
                "extension_types": types,
            })
            self.add(obj)

    def build_identity(self, key, f):
        obj = self.common(key, f, "identity")
        obj["name"] = f["name"]
        obj["description"] = f["description"]
        obj["identity_class"] = f.get("identity_class", "organization")
        if f.get("sectors"):
            obj["sectors"] = list(f["sectors"])
        ext = {"extension_type": "property-extension", "actor_kind": f["kind"]}
        if f.get("country"):
            ext["country"] = f["country"]
        if f.get("parent"):
            ext["parent_ref"] = self.resolve("identity:" + f["parent"])
        obj["extensions"] = {self.ext["actor-context"]: ext}
        self.add(obj)

    def build_threat_actor(self, f):
        key = "threat-actor:" + f["key"]
        obj = self.common(key, f, "threat-actor")
        for k in ("name", "description", "threat_actor_types", "sophistication", "resource_level",
                  "primary_motivation", "secondary_motivations", "goals", "aliases"):
            if f.get(k):
                obj[k] = f[k]
        self.add(obj)

    def build_intrusion_set(self, f):
        key = "intrusion-set:" + f["key"]
        obj = self.common(key, f, "intrusion-set")
        obj.update({"name": f["name"], "description": f["description"], "aliases": list(f["aliases"]),
                    "resource_level": "government", "primary_motivation": f["primary_motivation"],
                    "goals": list(f["goals"])})
        if f.get("secondary_motivations"):
            obj["secondary_motivations"] = list(f["secondary_motivations"])
        if f.get("first_seen"):
            obj["first_seen"] = ts(f["first_seen"])
        self.add(obj)

    def build_incident(self, f):
        key = "incident:" + f["key"]
        obj = self.common(key, f, "incident")
        obj["name"] = f["name"]
        obj["description"] = f["description"]
        ext = {"extension_type": "property-extension"}
        ext.update(self.convert(f["ext"]))
        obj["extensions"] = {self.ext["incident-context"]: ext}
        self.add(obj)
        # mirror attributions as attributed-to relationships (one per attributed object)
        by_target, rel_created = {}, {}
        for a in f["ext"].get("attributions", []):
            by_target.setdefault(a["attributed_to_ref"], []).extend(a.get("refs") or f["sources"])
            if a.get("rel_created"):
                rel_created[a["attributed_to_ref"]] = a["rel_created"]
        for target, refs in by_target.items():
            self.relationships.append((key, "attributed-to", target,
                                       "Attribution recorded in the incident's Accord extension", refs,
                                       {"created": rel_created.get(target)}))
        for target, created in entries(f.get("targets", [])):
            self.relationships.append((key, "targets", target, "Victim of the incident", f["sources"],
                                       {"created": created}))

    def build_instrument(self, f):
        key = "cyber-instrument:" + f["key"]
        obj = self.common(key, f, "cyber-instrument")
        obj["name"] = f["name"]
        obj["description"] = f["description"]
        if f.get("aliases"):
            obj["aliases"] = list(f["aliases"])
        obj["instrument_type"] = f["instrument_type"]
        obj["scope"] = f["scope"]
        for k in ("established", "signed", "in_force", "withdrawn", "ended"):
            if f.get(k):
                obj[k] = ts(f[k], upper=k in UPPER_BOUND_FIELDS)
        if f.get("parties"):
            parties = []
            for party, status, extra in f["parties"]:
                p = {"party_ref": self.resolve("identity:" + party), "status": status}
                p.update(self.convert(extra))
                parties.append(p)
            obj["parties"] = parties
        for k in ("membership", "vote"):
            if f.get(k):
                obj[k] = self.convert(f[k])
        if f.get("related_incident_refs"):
            incidents = entries(f["related_incident_refs"])
            obj["related_incident_refs"] = [self.resolve(k) for k, _ in incidents]
            for inc, created in incidents:
                self.relationships.append((key, "related-to", inc, "Instrument prompted by the incident",
                                           f["sources"], {"created": created}))
        obj["extensions"] = {self.ext["cyber-instrument"]: {"extension_type": "new-sdo"}}
        self.add(obj)

    def build_relationship(self, source, rtype, target, description, refs, version=None):
        key = "relationship:%s|%s|%s" % (source, rtype, target)
        self.declare(key)
        version = version or {}
        obj = self.common(key, {"sources": refs, "created": version.get("created"),
                                "modified": version.get("modified")}, "relationship")
        obj.update({"relationship_type": rtype, "source_ref": self.resolve(source),
                    "target_ref": self.resolve(target), "description": description})
        self.add(obj)

    def build_report(self, f):
        key = "report:" + f["key"]
        refs = [f["author_ref"]] + [ref(n, d, u) for n, d, u in f["references"]]
        obj = self.common(key, {"sources": refs, "created": f.get("created"), "modified": f.get("modified")},
                          "report")
        cited = sorted((o for o in self.objects.values()
                        if o["type"] not in ("report", "marking-definition")
                        and any(r["source_name"] == f["source_name"] for r in o.get("external_references", []))),
                       key=lambda o: o["id"])
        if not cited:
            raise FactError("%s supports no object" % key)
        # object_refs grows when a later object cites the report: the report's modified follows.
        obj["modified"] = max([obj["modified"]] + [o["created"] for o in cited])
        cited = [o["id"] for o in cited]
        obj.update({"name": f["name"], "description": f["description"], "report_types": ["threat-report"],
                    "published": ts(f["published"]), "labels": list(f["labels"]), "object_refs": cited})
        self.add(obj)

    # -- integrity ---------------------------------------------------------
    def check(self):
        external_ok = {TLP_CLEAR["created_by_ref"]}  # the OASIS TLP creator identity is not bundled
        for obj in self.objects.values():
            if obj["type"] != "marking-definition" and not obj.get("external_references"):
                raise FactError("%s has no external_references" % obj["id"])
            for ref_id in iter_refs(obj):
                if ref_id not in self.objects and ref_id not in external_ok:
                    raise FactError("%s references missing %s" % (obj["id"], ref_id))
            for k, v in iter_timestamps(obj):
                if not TS_FULL.match(v):
                    raise FactError("%s: bad timestamp %s=%s" % (obj["id"], k, v))


def entries(items):
    """["key", ...] or [{"ref": "key", "created": "YYYY-MM-DD"}, ...] -> [(key, created or None)]."""
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append((item["ref"], item.get("created")))
        else:
            out.append((item, None))
    return out


def iter_refs(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            if k.endswith("_ref") and isinstance(v, str):
                yield v
            elif k.endswith("_refs") and isinstance(v, list):
                for x in v:
                    yield x
            else:
                yield from iter_refs(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from iter_refs(v, key)


def iter_timestamps(value):
    names = {"created", "modified", "published", "first_seen", "last_seen", "date", "since", "until", "as_of",
             "established", "signed", "in_force", "withdrawn", "ended"}
    if isinstance(value, dict):
        for k, v in value.items():
            if k in names and isinstance(v, str):
                yield k, v
            else:
                yield from iter_timestamps(v)
    elif isinstance(value, list):
        for v in value:
            yield from iter_timestamps(v)


def render():
    bundle = Builder().build()
    return json.dumps(bundle, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv):
    text = render()
    if "--check" in argv:
        try:
            with open(OUTPUT, encoding="utf-8") as fh:
                current = fh.read()
        except FileNotFoundError:
            current = None
        if current != text:
            print("kb: %s is out of date; run python3 kb/build.py" % os.path.relpath(OUTPUT, ROOT))
            return 1
        print("kb: %s is up to date" % os.path.relpath(OUTPUT, ROOT))
        return 0
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    counts = {}
    for o in json.loads(text)["objects"]:
        counts[o["type"]] = counts.get(o["type"], 0) + 1
    print("kb: wrote %s (%s)" % (os.path.relpath(OUTPUT, ROOT),
                                 ", ".join("%d %s" % (counts[t], t) for t in TYPE_ORDER if t in counts)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
