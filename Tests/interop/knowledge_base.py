"""The bundled Korean Peninsula knowledge base, checked with independent judges.

Usage: .venv/bin/python Tests/interop/knowledge_base.py --accord PATH

- stix2-validator (OASIS) and `accord validate` accept the bundle; every object but the TLP
  marking names at least one source; every reference resolves inside the bundle.
- Python `jsonschema` is the judge of Accord's own JSON Schema checks: each extension object is
  valid for both, and hundreds of mutations of them (a missing required property, a value
  outside an enumeration, a wrong type, an unknown property, a malformed id or date) are refused
  by both.
- A fresh `accord serve` loads it into a public, read-only collection; the facts are asserted by
  following ids and properties read with taxii2-client (not by searching text): the 7.7 DDoS
  attacks are attributed to a DPRK actor and began in July 2009; the UN panel's figures (58
  attacks, about 3 billion US dollars) are on the cryptocurrency-theft record; South Korea is not a
  party to the Budapest Convention; CAMP had 59 institutions from 45 countries in 2020.
- Loading twice changes nothing; an updated bundle adds only the changed objects, as versions.
- `accord report landscape --format json` equals figures recomputed here from the objects, and
  the Markdown and HTML reports show them.
The last line is "N passed, N failed".
"""
import collections
import copy
import html.parser
import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_common as ic  # noqa: E402
from taxii_interop import TAXII, TOKEN, free_port, start_server, stop_server, store_args, suite_opening  # noqa: E402

import jsonschema  # noqa: E402
from taxii2client.v21 import Server, as_pages  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUNDLE = os.path.join(ROOT, "Sources", "KnowledgeBase", "Resources", "korean-peninsula.json")
TLP_CLEAR = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"


def refs_of(value):
    """Every *_ref and *_refs value inside an object, at any depth."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k.endswith("_ref") and isinstance(v, str):
                yield v
            elif k.endswith("_refs") and isinstance(v, list):
                yield from (x for x in v if isinstance(x, str))
            else:
                yield from refs_of(v)
    elif isinstance(value, list):
        for v in value:
            yield from refs_of(v)


class Model:
    """The objects by id, their extension definitions, and navigation helpers."""

    def __init__(self, objects):
        self.by_id = {}
        for o in objects:
            old = self.by_id.get(o["id"])
            if old is None or o.get("modified", "") > old.get("modified", ""):
                self.by_id[o["id"]] = o
        self.definitions = {o["id"]: o for o in self.by_id.values() if o["type"] == "extension-definition"}
        self.schemas = {i: json.loads(d["schema"]) for i, d in self.definitions.items()}
        self.new_sdo = {i for i, d in self.definitions.items() if "new-sdo" in d["extension_types"]}
        self.instrument_ext = next(iter(self.new_sdo), None)
        self.incident_ext = self.identity_ext = None
        for i, d in self.definitions.items():
            if "property-extension" in d["extension_types"]:
                used_by = {o["type"] for o in self.by_id.values() if i in o.get("extensions", {})}
                if used_by == {"incident"}:
                    self.incident_ext = i
                elif used_by == {"identity"}:
                    self.identity_ext = i

    def of_type(self, t):
        return [o for o in self.by_id.values() if o["type"] == t]

    def ext(self, o, ext_id):
        return o.get("extensions", {}).get(ext_id, {})

    def country_of(self, identity_id):
        o = self.by_id.get(identity_id)
        return self.ext(o, self.identity_ext).get("country") if o else None

    def sponsors(self, actor_id, depth=0):
        """Countries an actor leads to through attributed-to relationships (or itself, for an identity)."""
        found = set()
        o = self.by_id.get(actor_id)
        if o is None or depth > 5:
            return found
        if o["type"] == "identity" and self.country_of(actor_id):
            found.add(self.country_of(actor_id))
        for r in self.of_type("relationship"):
            if r["relationship_type"] == "attributed-to" and r["source_ref"] == actor_id:
                found |= self.sponsors(r["target_ref"], depth + 1)
        return found

    def state(self, country):
        for o in self.of_type("identity"):
            e = self.ext(o, self.identity_ext)
            if e.get("actor_kind") == "state" and e.get("country") == country:
                return o
        return None


def landscape(model):
    """The landscape figures, recomputed independently of Accord (rules of docs/knowledge-model.md)."""
    years = {}
    losses = collections.defaultdict(lambda: collections.defaultdict(float))
    basis = collections.Counter()
    actors = collections.defaultdict(set)
    incidents = [o for o in model.of_type("incident") if model.incident_ext in o.get("extensions", {})]
    for o in incidents:
        e = model.ext(o, model.incident_ext)
        year = e["first_seen"][:4]
        y = years.setdefault(year, {"year": year, "incidents": 0, "by_type": collections.Counter()})
        y["incidents"] += 1
        for t in e["incident_types"]:
            y["by_type"][t] += 1
        impact = e.get("impact", {})
        if "loss_amount" in impact and "loss_currency" in impact:
            losses[impact["loss_currency"]][year] += impact["loss_amount"]
        for a in e.get("attributions", []):
            basis[a["basis"]] += 1
            actors[a["attributed_to_ref"]].add(o["id"])
    ids = {o["id"] for o in incidents}
    for r in model.of_type("relationship"):
        if r["relationship_type"] == "attributed-to" and r["source_ref"] in ids:
            actors[r["target_ref"]].add(r["source_ref"])
    loss_rows = []
    for currency in sorted(losses):
        running = 0.0
        for year in sorted(losses[currency]):
            running += losses[currency][year]
            loss_rows.append({"year": year, "currency": currency, "amount": losses[currency][year], "cumulative": running})
    states = {}
    country_state = {}
    for o in model.of_type("identity"):
        e = model.ext(o, model.identity_ext)
        if e.get("actor_kind") == "state":
            states[o["id"]] = []
            country_state[e.get("country")] = o["id"]
    for inst in model.of_type("cyber-instrument"):
        for p in inst.get("parties", []):
            if p["party_ref"] in states:
                states[p["party_ref"]].append((inst["id"], p["status"], None))
            else:
                c = model.country_of(p["party_ref"])
                if c in country_state:
                    states[country_state[c]].append((inst["id"], p["status"], model.by_id[p["party_ref"]]["name"]))
    return {
        "incidents": len(incidents),
        "incidents_by_year": sorted(({"year": y["year"], "incidents": y["incidents"], "by_type": dict(y["by_type"])} for y in years.values()),
                                    key=lambda y: y["year"]),
        "losses": loss_rows,
        "actors": {a: sorted(i) for a, i in actors.items()},
        "attributions_by_basis": dict(basis),
        "states": {s: sorted(v, key=lambda x: (x[0], x[1], x[2] or "")) for s, v in states.items()},
        "participating": {s: len({i for i, st, _ in v if st not in ("not-party", "opposed")}) for s, v in states.items()},
    }


def mutations(model):
    """(description, object) pairs that break an extension schema in one place."""
    out = []
    for o in model.by_id.values():
        for ext_id in o.get("extensions", {}):
            if ext_id not in model.schemas:
                continue
            schema = model.schemas[ext_id]
            whole = ext_id in model.new_sdo
            target = o if whole else o["extensions"][ext_id]
            props = schema.get("properties", {})
            for name in schema.get("required", []):
                if name in ("type", "id", "spec_version", "created", "modified", "extension_type", "extensions"):
                    continue  # STIX itself requires these; the mutation would test the STIX rules instead
                m = copy.deepcopy(o)
                (m if whole else m["extensions"][ext_id]).pop(name, None)
                out.append(("%s without required %s" % (o["id"], name), m, ext_id))
            for name, sub in props.items():
                if name not in target:
                    continue
                if "enum" in sub:
                    m = copy.deepcopy(o)
                    (m if whole else m["extensions"][ext_id])[name] = "not-in-the-enumeration"
                    out.append(("%s with %s outside its enumeration" % (o["id"], name), m, ext_id))
                if sub.get("type") == "array" and "enum" in sub.get("items", {}):
                    m = copy.deepcopy(o)
                    (m if whole else m["extensions"][ext_id])[name] = ["not-in-the-enumeration"]
                    out.append(("%s with a %s item outside its enumeration" % (o["id"], name), m, ext_id))
                if sub.get("type") in ("integer", "number"):
                    m = copy.deepcopy(o)
                    (m if whole else m["extensions"][ext_id])[name] = "12"
                    out.append(("%s with %s a string" % (o["id"], name), m, ext_id))
                if sub.get("type") == "array" and sub.get("items", {}).get("type") == "object":
                    m = copy.deepcopy(o)
                    items = (m if whole else m["extensions"][ext_id])[name]
                    if items:
                        items[0]["unknown_member"] = 1
                        out.append(("%s with an unknown member in %s[0]" % (o["id"], name), m, ext_id))
            m = copy.deepcopy(o)
            (m if whole else m["extensions"][ext_id])["unknown_property_x"] = True
            out.append(("%s with an unknown property" % o["id"], m, ext_id))
    return out


def main():
    args, work = suite_opening(__doc__, "accord-kb-")
    check = ic.Checks()

    def cli(*a, data=os.path.join(work, "data")):
        return subprocess.run([args.accord, *a, *store_args(data)], capture_output=True, text=True, timeout=600)

    try:
        with open(BUNDLE) as f:
            bundle = json.load(f)
        objects = bundle["objects"]
        model = Model(objects)
        counts = collections.Counter(o["type"] for o in objects)
        print("bundle: %d objects: %s" % (len(objects), dict(sorted(counts.items()))))

        # --- the bundle itself -------------------------------------------------------------
        r = subprocess.run([sys.executable, os.path.join(ROOT, "kb", "build.py"), "--check"], capture_output=True, text=True)
        check(r.returncode == 0, "the committed bundle is what kb/build.py generates from the facts", r.stdout + r.stderr)
        v = subprocess.run([os.path.join(os.path.dirname(sys.executable), "stix2_validator"), BUNDLE], capture_output=True, text=True)
        check(v.returncode == 0 and "[X]" not in v.stdout, "stix2-validator accepts the bundle (extension definitions included)", v.stdout[-3000:])
        r = subprocess.run([args.accord, "validate", BUNDLE], capture_output=True, text=True)
        check(r.returncode == 0, "accord validate accepts the bundle, checking the extension schemas", (r.stdout + r.stderr)[-2000:])
        unsourced = [o["id"] for o in objects if o["type"] != "marking-definition" and not o.get("external_references")]
        check(not unsourced, "every object but the TLP marking names at least one source", unsourced[:10])
        dangling = sorted({ref for o in objects for ref in refs_of(o) if ref not in model.by_id and ref != "identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01"})
        check(not dangling, "every reference resolves inside the bundle", dangling[:10])
        check(all(TLP_CLEAR in o.get("object_marking_refs", []) for o in objects if o["type"] != "marking-definition"),
              "every object is marked TLP:CLEAR")
        check(model.instrument_ext and model.incident_ext and model.identity_ext, "the three extension definitions are found by their use",
              (model.instrument_ext, model.incident_ext, model.identity_ext))
        for needed, least in (("identity", 30), ("intrusion-set", 5), ("threat-actor", 1), ("incident", 10), ("cyber-instrument", 25),
                              ("report", 2), ("relationship", 20), ("extension-definition", 3)):
            check(counts[needed] >= least, "at least %d %s objects (%d)" % (least, needed, counts[needed]))

        # Python jsonschema as the judge of Accord's schema checks.
        invalid = []
        for o in objects:
            for ext_id, e in o.get("extensions", {}).items():
                if ext_id in model.schemas:
                    instance = o if ext_id in model.new_sdo else e
                    for err in jsonschema.Draft202012Validator(model.schemas[ext_id]).iter_errors(instance):
                        invalid.append((o["id"], list(err.path), err.message))
        check(not invalid, "jsonschema: every object that uses an extension conforms to its schema", invalid[:5])
        cases = mutations(model)
        judged = []
        for what, m, ext_id in cases:
            instance = m if ext_id in model.new_sdo else m["extensions"][ext_id]
            ok = not list(jsonschema.Draft202012Validator(model.schemas[ext_id]).iter_errors(instance))
            m["id"] = "%s--%s" % (m["type"], uuid.uuid4())  # the same id and modified twice would be refused for that instead
            judged.append((what, m, ok))
        check(len(cases) >= 300 and not any(ok for _, _, ok in judged), "jsonschema refuses every mutation (%d)" % len(cases),
              [w for w, _, ok in judged if ok][:5])
        mutated = os.path.join(work, "mutated.json")
        header = [o for o in objects if o["type"] == "extension-definition"]
        with open(mutated, "w") as f:
            json.dump({"type": "bundle", "id": "bundle--0b9c2f0e-3f1c-4f7e-9d44-0e2b1c9c2a11",
                       "objects": header + [m for _, m, _ in judged]}, f)
        r = subprocess.run([args.accord, "validate", "--format", "jsonl", mutated], capture_output=True, text=True)
        verdicts = {}
        for line in r.stdout.splitlines():
            entry = json.loads(line)
            if entry.get("index") is not None:
                verdicts[entry["index"]] = entry
        missed = []
        unnamed = []
        for i, (what, m, _) in enumerate(judged):
            entry = verdicts.get(len(header) + i)
            if entry is None or entry.get("valid", True):
                missed.append(what)
            elif not any("schema of" in e.get("reason", "") and e.get("path", "").startswith("$") for e in entry.get("errors", [])):
                unnamed.append((what, entry.get("errors")))
        check(verdicts and not missed, "accord refuses every mutation jsonschema refuses (%d)" % len(judged), missed[:5])
        check(verdicts and not unnamed, "each refusal names the JSON path and the schema", unnamed[:3])

        # --- loaded by a fresh server --------------------------------------------------------
        port = free_port()
        data = os.path.join(work, "data")
        server = start_server(args.accord, data, port, os.path.join(work, "server.log"))
        base = "http://127.0.0.1:%d" % port
        try:
            root = Server(base + "/taxii2/", user="analyst", password=TOKEN).api_roots[0]
            kb = [c for c in root.collections if c.title == "Korean Peninsula cyber landscape"]
            check(len(kb) == 1 and kb[0].can_read and not kb[0].can_write, "the first start made a public, read-only knowledge-base collection",
                  [(c.title, c.can_write) for c in root.collections])
            kb = kb[0]
            served = []
            for envelope in as_pages(kb.get_objects, per_request=50):
                served += envelope.get("objects", [])
            check(len(served) == len(objects), "taxii2-client pages through every knowledge-base object (%d)" % len(served))
            m = Model(served)
            req = urllib.request.Request(base + "/api/collections/%s/objects/" % kb.id, method="POST",
                                         data=json.dumps({"objects": [objects[-1]]}).encode(),
                                         headers={"Authorization": "Bearer " + TOKEN, "Content-Type": TAXII, "Accept": TAXII})
            try:
                status = urllib.request.urlopen(req, timeout=30).status
            except urllib.error.HTTPError as e:
                status = e.code
            check(status == 403, "even the hub admin cannot write to it over TAXII (403)", status)

            # Partners record their own incidents and instruments with the same extensions.
            default = [c for c in root.collections if c.can_write][0]
            instrument = copy.deepcopy([o for o in objects if o["type"] == "cyber-instrument"][0])
            instrument.update(id="cyber-instrument--%s" % uuid.uuid4(), name="Partner dialogue", created="2026-11-20T00:00:00.000Z",
                              modified="2026-11-20T00:00:00.000Z", instrument_type="dialogue", scope="bilateral")
            incident = copy.deepcopy([o for o in objects if o["type"] == "incident"][0])
            incident.update(id="incident--%s" % uuid.uuid4(), name="Partner incident", created="2026-11-20T00:00:00.000Z",
                            modified="2026-11-20T00:00:00.000Z")
            broken = copy.deepcopy(incident)
            broken["id"] = "incident--%s" % uuid.uuid4()
            broken["extensions"][model.incident_ext]["incident_types"] = ["cyberwar"]
            status = default.add_objects({"objects": [instrument, incident, broken]}, wait_for_completion=True, poll_interval=0.2)
            check(status.success_count == 2 and {s["id"] for s in status.successes} == {instrument["id"], incident["id"]},
                  "over TAXII, a partner's own cyber-instrument and extended incident are accepted", status.successes)
            messages = [f.get("message", "") for f in status.failures]
            check(status.failure_count == 1 and status.failures[0]["id"] == broken["id"]
                  and "$.extensions.%s.incident_types[0]" % model.incident_ext in messages[0] and "cyberwar" in messages[0],
                  "an incident that breaks the extension schema is refused, naming the JSON path and the value", messages)

            # Anonymous readers (where the hub allows them) see the public knowledge base.
            anon_port = free_port()
            anonymous = start_server(args.accord, data, anon_port, os.path.join(work, "anon.log"), extra=("--allow-anonymous",))
            try:
                url = "http://127.0.0.1:%d/api/collections/%s/objects/?match[type]=incident" % (anon_port, kb.id)
                with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": TAXII}), timeout=30) as resp:
                    seen = json.load(resp).get("objects", [])
                check(len(seen) == counts["incident"], "anonymous readers see the TLP:CLEAR knowledge base (with --allow-anonymous)", len(seen))
            finally:
                stop_server(anonymous)

            # Facts, by following ids and properties.
            ddos = [o for o in m.of_type("incident") if "ddos" in m.ext(o, m.incident_ext).get("incident_types", [])
                    and m.ext(o, m.incident_ext).get("first_seen", "").startswith("2009-07")]
            check(len(ddos) == 1, "exactly one DDoS incident began in July 2009 (the 7.7 attacks)", [o["name"] for o in ddos])
            if ddos:
                e = m.ext(ddos[0], m.incident_ext)
                countries = set().union(*[m.sponsors(a["attributed_to_ref"]) for a in e.get("attributions", [])] or [set()])
                check("KP" in countries, "the 7.7 DDoS attacks are attributed to a DPRK actor", e.get("attributions"))
                dated = [a for a in e.get("attributions", []) if a.get("date", "").startswith("2009-07")]
                check(bool(dated), "... by an attribution dated July 2009", e.get("attributions"))
                check("KR" in e.get("target_countries", []), "... targeting South Korea", e.get("target_countries"))
            un = [o for o in m.of_type("incident") if any(a["basis"] == "un-panel" for a in m.ext(o, m.incident_ext).get("attributions", []))
                  and "financial-theft" in m.ext(o, m.incident_ext).get("incident_types", [])]
            check(len(un) == 1, "one financial-theft record attributed by the UN panel", [o["name"] for o in un])
            if un:
                e = m.ext(un[0], m.incident_ext)
                impact = e.get("impact", {})
                check(e.get("operation_count") == 58, "the UN panel record counts 58 attacks", e.get("operation_count"))
                check(impact.get("loss_amount") == 3_000_000_000 and impact.get("loss_currency") == "USD",
                      "the UN panel record reports about 3 billion US dollars", impact)
                check(e["first_seen"].startswith("2017") and e.get("last_seen", "").startswith("2023"), "... from 2017 to 2023",
                      (e["first_seen"], e.get("last_seen")))
            kr, us, kp = m.state("KR"), m.state("US"), m.state("KP")
            check(kr and us and kp, "South Korea, the United States and North Korea are states with their country codes")
            budapest = [o for o in m.of_type("cyber-instrument") if o["instrument_type"] == "convention"
                        and o.get("signed", "").startswith("2001-11-23")]
            check(len(budapest) == 1, "one convention signed on 2001-11-23 (Budapest)", [o["name"] for o in budapest])
            if budapest and kr:
                status = {p["party_ref"]: p["status"] for p in budapest[0]["parties"]}
                check(status.get(kr["id"]) == "not-party", "South Korea is not a party to the Budapest Convention", status.get(kr["id"]))
                check(status.get(us["id"]) == "party", "the United States is a party to it", status.get(us["id"]))
            camp = [o for o in m.of_type("cyber-instrument") if o["instrument_type"] == "network" and o.get("membership")]
            camp = [o for o in camp if any(p["status"] in ("secretariat", "host") and m.country_of(p["party_ref"]) == "KR" for p in o["parties"])]
            check(len(camp) >= 1, "a cooperation network run from South Korea lists its size (CAMP)", [o["name"] for o in camp])
            if camp:
                size = camp[0]["membership"]
                check(size.get("institutions") == 59 and size.get("countries") == 45 and size.get("as_of", "").startswith("2020"),
                      "CAMP: 59 institutions from 45 countries as of 2020", size)
            sony = [o for o in m.of_type("incident") if "entertainment" in m.ext(o, m.incident_ext).get("target_sectors", [])]
            check(any(a.get("basis") == "government" and m.country_of(a.get("attributing_ref", "")) == "US"
                      for o in sony for a in m.ext(o, m.incident_ext).get("attributions", [])),
                  "the attack on an entertainment company was attributed by the US government (Sony, FBI)", [o["name"] for o in sony])
            groups = {o["name"]: o for o in m.of_type("intrusion-set")}
            for g, mitre in (("Lazarus Group", "G0032"), ("APT38", "G0082"), ("Kimsuky", "G0094"), ("APT37", "G0067"), ("Andariel", "G0138")):
                o = groups.get(g)
                check(o is not None and "KP" in m.sponsors(o["id"]) and any(r.get("external_id") == mitre for r in o["external_references"])
                      and o.get("aliases"), "%s: aliases, ATT&CK %s, sponsored by the DPRK" % (g, mitre))
            reports = m.of_type("report")
            check(any("Purwa Roshan" in json.dumps(r) for r in reports) and all(len(r["external_references"]) >= 1 for r in reports)
                  and max(len(r["external_references"]) for r in reports) >= 40,
                  "the seed documents are reports with their author and the references they cite")
        finally:
            stop_server(server)

        # --- loading again, and an update ----------------------------------------------------
        r = cli("kb", "load")
        check(r.returncode == 0 and "added 0, unchanged %d" % len(objects) in r.stdout, "accord kb load again changes nothing", r.stdout + r.stderr)
        changed = [o for o in objects if o["type"] == "incident"][:2] + [o for o in objects if o["type"] == "cyber-instrument"][:1]
        newer = copy.deepcopy(bundle)
        for o in newer["objects"]:
            if o["id"] in {c["id"] for c in changed}:
                o["modified"] = "2027-01-01T00:00:00.000Z"
                o["description"] = o.get("description", "") + " (updated)"
        newer_path = os.path.join(work, "newer.json")
        with open(newer_path, "w") as f:
            json.dump(newer, f)
        r = cli("kb", "update", newer_path)
        check(r.returncode == 0 and "added 3, unchanged %d" % (len(objects) - 3) in r.stdout, "accord kb update adds only the 3 changed objects",
              r.stdout + r.stderr)
        r = cli("export", "--collection", "korean-peninsula")
        exported = json.loads(r.stdout)["objects"] if r.returncode == 0 else []
        versions = collections.Counter(o["id"] for o in exported)
        check(sorted(i for i, n in versions.items() if n == 2) == sorted(c["id"] for c in changed) and len(versions) == len(objects),
              "the changed objects now have two versions, the others one", [i for i, n in versions.items() if n > 1])

        # --- the landscape report --------------------------------------------------------------
        expected = landscape(Model(exported))
        r = cli("report", "landscape", "--format", "json")
        everything = json.loads(r.stdout) if r.returncode == 0 else {}
        check(everything.get("incidents") == expected["incidents"] + 1, "report: the whole store counts the partner's incident too",
              (everything.get("incidents"), r.stderr))
        r = cli("report", "landscape", "--format", "json", "--collection", "korean-peninsula")
        got = json.loads(r.stdout) if r.returncode == 0 else {}
        check(got.get("incidents") == expected["incidents"], "report: the number of incidents (%d)" % expected["incidents"], got.get("incidents"))
        check(got.get("incidents_by_year") == expected["incidents_by_year"], "report: incidents per year and type", (got.get("incidents_by_year"), expected["incidents_by_year"]))
        check(got.get("losses") == expected["losses"], "report: reported and cumulative losses", (got.get("losses"), expected["losses"]))
        check({a["id"]: a["incidents"] for a in got.get("actors", [])} == expected["actors"], "report: actors and their incidents")
        counts_desc = [len(a["incidents"]) for a in got.get("actors", [])]
        check(counts_desc == sorted(counts_desc, reverse=True), "report: actors by number of incidents, most first")
        check(got.get("attributions_by_basis") == expected["attributions_by_basis"], "report: attributions by basis",
              (got.get("attributions_by_basis"), expected["attributions_by_basis"]))
        got_states = {s["id"]: sorted(((i["id"], i["status"], i["via"]) for i in s["instruments"]), key=lambda x: (x[0], x[1], x[2] or ""))
                      for s in got.get("states", [])}
        check(got_states == expected["states"], "report: which states are parties to which instruments")
        check({s["id"]: s["participating"] for s in got.get("states", [])} == expected["participating"], "report: instruments per state")
        md = cli("report", "landscape", "--collection", "korean-peninsula").stdout
        top = got.get("actors", [{}])[0]
        check("| %s | %s | %d |" % (top.get("name"), top.get("type"), len(top.get("incidents", []))) in md and "3,000,000,000" in md,
              "the Markdown report shows the same figures")
        page = cli("report", "landscape", "--format", "html", "--collection", "korean-peninsula").stdout

        class Tags(html.parser.HTMLParser):
            def __init__(self):
                super().__init__()
                self.tables = 0

            def handle_starttag(self, tag, attrs):
                self.tables += tag == "table"
        t = Tags()
        t.feed(page)
        check(page.startswith("<!DOCTYPE html>") and t.tables == 6, "the HTML report is a page with its six tables", t.tables)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return check.finish()


if __name__ == "__main__":
    sys.exit(main())
