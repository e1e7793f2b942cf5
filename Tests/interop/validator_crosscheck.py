#!/usr/bin/env python3
"""Cross-check Accord's validator against the OASIS stix2-validator.

Usage:
    .venv/bin/python Tests/interop/validator_crosscheck.py --accord PATH [--seed N] [--workdir DIR]
    .venv/bin/python Tests/interop/validator_crosscheck.py --dry-run [--seed N]

What it does:
 1. Builds a corpus of STIX 2.1 objects:
      * valid-looking content from stix2-generator for all 19 SDOs, the 2 SROs,
        the 18 SCOs and marking-definition (deterministic for a given --seed),
        plus hand-made valid base objects (also extension-definition and
        language-content);
      * hand-made variants, each tagged with the rule it exercises
        ("id.wrong-prefix", "required.indicator.pattern", "ts.invalid-date", ...).
        Most variants break a MUST rule; the tag table below records what
        stix2-validator is expected to say, so the corpus checks itself.
      * a few files that are not valid JSON ("json.*").
 2. Runs stix2-validator (validate_instance, version 2.1, default options) on
    every object. Its is_valid is the reference verdict. Files that are not
    JSON, and objects that make the validator raise an exception ("crash.*"
    tags), are counted as invalid.
 3. Writes each object to <workdir>/NNNNN.json and runs
    `ACCORD validate --format jsonl <files...>` (in batches if the command line
    would get too long).
 4. Compares the two verdicts object by object. A disagreement whose tag (or a
    dotted parent of it: "a.b" covers "a.b.c") is a key of
    INTENTIONAL_DIFFERENCES is reported as a known difference, not a failure.
    The last line printed is exactly "N passed, N failed"; the exit status is 1
    if anything failed.

With --dry-run only steps 1 and 2 run. The script then prints per-tag
stix2-validator verdict counts and lists every variant whose verdict is not
the one the corpus expects ("corpus problems"); its final line counts objects
that did or did not meet their expectation.

Only the stdlib and the packages in scripts/requirements.txt are used.
"""

import argparse
import collections
import copy
import datetime as _datetime
import json
import os
import random
import sys
import tempfile
import types
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_common as ic  # noqa: E402

if __name__ == "__main__":
    ic.ensure_fixed_hash_seed()  # reproducible corpus for a given --seed

import faker  # noqa: E402
import stix2  # noqa: E402
import stix2generator  # noqa: E402
import stix2generator.generation.pattern_generator as _gen_patterns  # noqa: E402
import stix2generator.generation.semantics as _gen_semantics  # noqa: E402
from stix2generator.generation.object_generator import Config as _GenConfig  # noqa: E402
from stix2validator import ValidationOptions, validate_instance  # noqa: E402


# Tags (or dotted tag prefixes) for which Accord deliberately differs from
# stix2-validator, each mapped to the reason. A disagreement on an object with
# such a tag is reported as a "known difference" instead of a failure.
# Example: "gm.lang-only": "STIX 2.1 section 7.2.3 allows lang without marking_ref".
INTENTIONAL_DIFFERENCES = {
    # Accord is stricter, because the STIX 2.1 text says MUST where stix2-validator does not look.
    "ref.unchecked-target": "STIX 2.1 3.2 (created_by_ref MUST refer to an identity), 7.2.2 (object_marking_refs "
                            "MUST refer to marking-definitions), 4.11 malware sample_refs (file or artifact) and the "
                            "SCO reference properties of section 6 (e.g. network-traffic src_ref MUST be an address, "
                            "file parent_directory_ref a directory): Accord checks the target type; the validator does not",
    "cond.extension-definition.ok": "STIX 2.1 7.3: created_by_ref is Required on an extension-definition",
    "gm.lang-and-marking-ref": "STIX 2.1 7.2.3: lang MUST NOT be present when marking_ref is (exactly one of them)",
    "custom.property-name-quirk-accepted": "STIX 2.1 3.1/11.1: property names MUST be 3-250 characters of a-z, 0-9 and _; "
                                           "the validator's unanchored regex lets 'abcD', 'foo-bar' and longer names through",
    "ts.string-compare-quirk": "STIX 2.1 3.2: modified MUST be later than or equal to created as points in time; the "
                               "validator compares the strings, so '00.0000Z' < '00.000Z'",
    # Accord is more lenient, where the validator enforces more than the standard says.
    "gm.lang-only": "STIX 2.1 7.2.3: a granular marking carries marking_ref or lang; the validator's schema always "
                    "requires marking_ref",
    "cond.schema-bug": "the validator's 2.1 schemas still list the STIX 2.0 names (created, modified) in the anyOf of "
                       "process and windows-registry-key; created_time/modified_time alone are enough in STIX 2.1",
    "format.registry-key": "STIX 2.1 6.17: the hive must not be abbreviated at the start of the key; the validator's "
                           "unanchored regex also refuses 'hku' anywhere inside a key",
    "hash.external-reference-algorithm": "STIX 2.1 2.7: hashes keys are hash-algorithm-ov (open) names; the validator's "
                                         "external-reference schema allows only the listed algorithms",
    # Registries Accord does not ship: it checks the syntax, not the membership.
    "format.artifact-mime": "the IANA media type registry is not bundled; Accord checks the type/subtype syntax only",
    "format.charset": "the IANA character set registry is not bundled; Accord accepts any name",
    "format.lang": "Accord checks RFC 5646 syntax (2-3 letter primary subtag), not membership in the IANA registry",
    "lc.contents-language": "Accord checks RFC 5646 syntax (2-3 letter primary subtag), not membership in the IANA registry",
    "format.software-languages": "Accord checks the ISO 639-2 form (three lowercase letters), not membership in the list",
}

# Validator messages that explain a disagreement on generated content (where the tag names only
# the generator): when Accord says valid and every validator error matches one of these, the
# difference is known, for the reason given.
INTENTIONAL_MESSAGE_DIFFERENCES = [
    (r"must be an IANA registered MIME Type", "the IANA media type registry is not bundled"),
    (r"^(windows-registry-key|process)--[0-9a-f-]+: \{'(modified_time|created_time|id|type)'.*is not valid under any of the given schemas",
     "the validator's schema bug for created_time/modified_time alone"),
    (r"objects\.process--.*created_time", "the validator's schema bug for created_time alone (embedded process)"),
    (r"object 'process--.*created_time", "the validator's schema bug for created_time alone (embedded process)"),
]


def message_excuse(item, record):
    """Returns the reason when every stix2-validator error is a known registry or schema gap."""
    import re
    if record is None or record.get("valid") is not True or item.v_valid:
        return None
    messages = ic.format_messages(item.v_errors, limit=1000, width=1_000_000)
    if not messages:
        return None
    reasons = []
    for m in messages:
        found = [why for pattern, why in INTENTIONAL_MESSAGE_DIFFERENCES if re.search(pattern, m)]
        if not found:
            return None
        reasons.append(found[0])
    return "; ".join(sorted(set(reasons)))


SDO_TYPES = [
    "attack-pattern", "campaign", "course-of-action", "grouping", "identity",
    "incident", "indicator", "infrastructure", "intrusion-set", "location",
    "malware", "malware-analysis", "note", "observed-data", "opinion",
    "report", "threat-actor", "tool", "vulnerability",
]
SRO_TYPES = ["relationship", "sighting"]
SCO_TYPES = [
    "artifact", "autonomous-system", "directory", "domain-name", "email-addr",
    "email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex",
    "network-traffic", "process", "software", "url", "user-account",
    "windows-registry-key", "x509-certificate",
]
GENERATED_TYPES = SDO_TYPES + SRO_TYPES + SCO_TYPES + ["marking-definition"]

TS = "2020-01-01T00:00:00.000Z"
TS_LATER = "2020-06-01T12:00:00.000Z"
TLP_GREEN = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
SCO_NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
DELETE = object()  # marker for "remove this property" in mutate()

# Expected stix2-validator verdicts for variants.
INVALID, VALID = "invalid", "valid"


class Item:
    """One corpus entry: a STIX object (or raw file text) plus its rule tag."""

    __slots__ = ("tag", "obj", "raw", "expect", "note", "path",
                 "v_valid", "v_errors", "v_warnings", "v_crash")

    def __init__(self, tag, obj=None, raw=None, expect=None, note=""):
        self.tag = tag
        self.obj = obj
        self.raw = raw          # file text for non-JSON / unusual files
        self.expect = expect    # INVALID, VALID or None (no expectation)
        self.note = note
        self.path = None
        self.v_valid = None
        self.v_errors = []
        self.v_warnings = []
        self.v_crash = None

    def text(self):
        if self.raw is not None:
            return self.raw
        return json.dumps(self.obj, ensure_ascii=False, indent=1) + "\n"


# --------------------------------------------------------------------------
# Deterministic identifiers
# --------------------------------------------------------------------------

class Ids:
    """Seeded UUID factory, so a seed always gives the same corpus."""

    def __init__(self, rng):
        self.rng = rng

    def v4(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def v5(self):
        return str(uuid.uuid5(SCO_NAMESPACE, "x%d" % self.rng.getrandbits(64)))

    def v1(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=1))

    def v3(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=3))

    def with_version_nibble(self, nibble):
        """A UUID-shaped string whose version digit is `nibble` (may be invalid)."""
        u = self.v4()
        return u[:14] + nibble + u[15:]

    def with_variant_nibble(self, nibble):
        u = self.v4()
        return u[:19] + nibble + u[20:]

    def ref(self, t):
        return "%s--%s" % (t, self.v5() if t in SCO_TYPES else self.v4())


def deterministic_sco_id(obj):
    """The id stix2 would assign to this SCO (used to make valid base SCOs)."""
    body = {k: v for k, v in obj.items() if k != "id"}
    try:
        return stix2.parse(body, allow_custom=True, version="2.1").id
    except Exception:
        return None


# --------------------------------------------------------------------------
# Hand-made valid base objects (every one is ACCEPTED by stix2-validator)
# --------------------------------------------------------------------------

def make_bases(ids):
    """Return {type: minimal valid object} for every type the variants use."""
    def sdo(t, **kw):
        d = {"type": t, "spec_version": "2.1", "id": "%s--%s" % (t, ids.v4()),
             "created": TS, "modified": TS}
        d.update(kw)
        return d

    def sco(t, **kw):
        d = {"type": t, "spec_version": "2.1", "id": None}
        d.update(kw)
        d["id"] = deterministic_sco_id(d) or "%s--%s" % (t, ids.v5())
        return d

    ident = ids.ref("identity")
    b = {
        "attack-pattern": sdo("attack-pattern", name="Spearphishing"),
        "campaign": sdo("campaign", name="Operation Nightfall"),
        "course-of-action": sdo("course-of-action", name="Block port 445"),
        "grouping": sdo("grouping", context="suspicious-activity", object_refs=[ident]),
        "identity": sdo("identity", name="ACME Corp", identity_class="organization"),
        "incident": sdo("incident", name="Incident 42"),
        "indicator": sdo("indicator", name="Bad IP", description="C2 address",
                         pattern="[ipv4-addr:value = '198.51.100.7']",
                         pattern_type="stix", valid_from=TS),
        "infrastructure": sdo("infrastructure", name="C2 cluster"),
        "intrusion-set": sdo("intrusion-set", name="APT Example"),
        "location": sdo("location", country="DE"),
        "malware": sdo("malware", name="EvilBot", is_family=True),
        "malware-analysis": sdo("malware-analysis", product="sandbox", result="malicious"),
        "note": sdo("note", content="analyst note", object_refs=[ident]),
        "observed-data": sdo("observed-data", first_observed=TS, last_observed=TS_LATER,
                             number_observed=3, object_refs=[ids.ref("ipv4-addr")]),
        "opinion": sdo("opinion", opinion="agree", object_refs=[ident]),
        "report": sdo("report", name="Q1 report", published=TS, object_refs=[ident]),
        "threat-actor": sdo("threat-actor", name="Evil Corp"),
        "tool": sdo("tool", name="mimikatz"),
        "vulnerability": sdo("vulnerability", name="CVE-2021-44228"),
        "relationship": sdo("relationship", relationship_type="uses",
                            source_ref=ids.ref("malware"), target_ref=ids.ref("tool")),
        "sighting": sdo("sighting", sighting_of_ref=ids.ref("indicator")),
        "artifact": sco("artifact", payload_bin="aGVsbG8gd29ybGQ="),
        "autonomous-system": sco("autonomous-system", number=15139),
        "directory": sco("directory", path="/var/tmp"),
        "domain-name": sco("domain-name", value="example.com"),
        "email-addr": sco("email-addr", value="alice@example.com"),
        "email-message": sco("email-message", is_multipart=False, subject="Invoice"),
        "file": sco("file", name="invoice.pdf"),
        "ipv4-addr": sco("ipv4-addr", value="198.51.100.7"),
        "ipv6-addr": sco("ipv6-addr", value="2001:db8::1"),
        "mac-addr": sco("mac-addr", value="00:11:22:33:44:55"),
        "mutex": sco("mutex", name="Global\\evil"),
        "network-traffic": sco("network-traffic", src_ref=ids.ref("ipv4-addr"),
                               src_port=49152, dst_port=443, protocols=["ipv4", "tcp"]),
        "process": {"type": "process", "spec_version": "2.1",
                    "id": "process--" + ids.v4(), "pid": 4242},
        "software": sco("software", name="Word", vendor="Microsoft"),
        "url": sco("url", value="https://example.com/a?b=c"),
        "user-account": sco("user-account", user_id="1001", account_login="alice"),
        "windows-registry-key": sco("windows-registry-key",
                                    key="HKEY_LOCAL_MACHINE\\System\\Foo"),
        "x509-certificate": sco("x509-certificate", serial_number="36:f7:d4:32:f4:ab:70:ea"),
        "marking-definition": {"type": "marking-definition", "spec_version": "2.1",
                               "id": "marking-definition--" + ids.v4(), "created": TS,
                               "definition_type": "statement",
                               "definition": {"statement": "Copyright ACME"}},
        "extension-definition": sdo("extension-definition", name="ext",
                                    description="an extension", created_by_ref=ident,
                                    schema="https://example.com/schema.json",
                                    version="1.0", extension_types=["property-extension"]),
        "language-content": sdo("language-content", object_ref=ids.ref("campaign"),
                                contents={"de": {"name": "Operation Nachtfall"}}),
    }
    return b


# Required properties per type (removing one must make the object invalid).
REQUIRED = {t: ["spec_version", "created", "modified"] for t in SDO_TYPES + SRO_TYPES}
REQUIRED.update({
    "attack-pattern": REQUIRED["attack-pattern"] + ["name"],
    "campaign": REQUIRED["campaign"] + ["name"],
    "course-of-action": REQUIRED["course-of-action"] + ["name"],
    "grouping": REQUIRED["grouping"] + ["context", "object_refs"],
    "identity": REQUIRED["identity"] + ["name"],
    "incident": REQUIRED["incident"] + ["name"],
    "indicator": REQUIRED["indicator"] + ["pattern", "pattern_type", "valid_from"],
    "infrastructure": REQUIRED["infrastructure"] + ["name"],
    "intrusion-set": REQUIRED["intrusion-set"] + ["name"],
    "location": REQUIRED["location"] + ["country"],            # the only one of region/country/lat+long
    "malware": REQUIRED["malware"] + ["is_family", "name"],    # name required because is_family is true
    "malware-analysis": REQUIRED["malware-analysis"] + ["product", "result"],
    "note": REQUIRED["note"] + ["content", "object_refs"],
    "observed-data": REQUIRED["observed-data"] + ["first_observed", "last_observed",
                                                  "number_observed", "object_refs"],
    "opinion": REQUIRED["opinion"] + ["opinion", "object_refs"],
    "report": REQUIRED["report"] + ["name", "published", "object_refs"],
    "threat-actor": REQUIRED["threat-actor"] + ["name"],
    "tool": REQUIRED["tool"] + ["name"],
    "vulnerability": REQUIRED["vulnerability"] + ["name"],
    "relationship": REQUIRED["relationship"] + ["relationship_type", "source_ref", "target_ref"],
    "sighting": REQUIRED["sighting"] + ["sighting_of_ref"],
    "artifact": ["payload_bin"],
    "autonomous-system": ["number"],
    "directory": ["path"],
    "domain-name": ["value"],
    "email-addr": ["value"],
    "email-message": ["is_multipart"],
    "file": ["name"],
    "ipv4-addr": ["value"],
    "ipv6-addr": ["value"],
    "mac-addr": ["value"],
    "mutex": ["name"],
    "network-traffic": ["protocols", "src_ref"],
    "process": ["pid"],
    "software": ["name"],
    "url": ["value"],
    "user-account": [],  # two properties; handled by the conditional rules
    "windows-registry-key": ["key"],
    "x509-certificate": ["serial_number"],
    "marking-definition": ["spec_version", "created", "definition", "definition_type"],
    "extension-definition": ["spec_version", "created", "modified", "name", "schema",
                             "version", "extension_types"],
    "language-content": ["spec_version", "created", "modified", "object_ref", "contents"],
})


# --------------------------------------------------------------------------
# Variant builders
# --------------------------------------------------------------------------

class Corpus:
    """Collects Items; helper methods make tagged variants of the base objects."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.ids = Ids(random.Random(seed * 7919 + 1))
        self.bases = make_bases(self.ids)
        self.items = []

    # helpers -------------------------------------------------------------
    def base(self, t):
        return copy.deepcopy(self.bases[t])

    def mutate(self, t, **changes):
        """Copy of base `t` with properties set (or removed with DELETE)."""
        o = self.base(t)
        for k, v in changes.items():
            if v is DELETE:
                o.pop(k, None)
            else:
                o[k] = v
        return o

    def add(self, tag, obj=None, expect=None, note="", raw=None):
        self.items.append(Item(tag, obj=obj, raw=raw, expect=expect, note=note))

    def pick(self, seq, k):
        seq = list(seq)
        return self.rng.sample(seq, min(k, len(seq)))

    # ---------------------------------------------------------------------
    def build_variants(self):
        for name in sorted(dir(self)):
            if name.startswith("rules_"):
                getattr(self, name)()

    def rules_bases(self):
        for t in sorted(self.bases):
            self.add("base.%s" % t, self.base(t), VALID, "hand-made valid base object")

    def rules_ids(self):
        ids = self.ids
        sdo_like = SDO_TYPES + SRO_TYPES
        for t in self.pick(sdo_like, 4) + self.pick(SCO_TYPES, 3):
            other = "tool" if t != "tool" else "campaign"
            self.add("id.wrong-prefix", self.mutate(t, id="%s--%s" % (other, ids.v4())),
                     INVALID, "%s with an id of type %s" % (t, other))
        for t in self.pick(sdo_like, 3) + self.pick(SCO_TYPES, 2):
            u = ids.v4()
            for bad, note in [(t + "--1234", "short uuid"),
                              (t + "--" + u[:-1], "uuid one char short"),
                              (t + "--" + u.replace("-", ""), "uuid without dashes"),
                              (t + "--" + "g" + u[1:], "non-hex uuid char"),
                              (t + "-" + u, "single dash separator"),
                              (t + u, "no separator"),
                              (t + "--" + u + " ", "trailing space")]:
                self.add("id.bad-uuid-text", self.mutate(t, id=bad), INVALID, note)
        for t in self.pick(sdo_like, 2) + self.pick(SCO_TYPES, 2):
            self.add("id.nil-uuid", self.mutate(t, id=t + "--00000000-0000-0000-0000-000000000000"),
                     INVALID, "nil UUID")
        for t in self.pick(sdo_like, 3):
            for nib in "0678f":
                self.add("id.uuid-version-out-of-range",
                         self.mutate(t, id="%s--%s" % (t, ids.with_version_nibble(nib))),
                         INVALID, "UUID version nibble %s (schema allows 1-5)" % nib)
            for nib in "07cf":
                self.add("id.uuid-variant", self.mutate(t, id="%s--%s" % (t, ids.with_variant_nibble(nib))),
                         INVALID, "UUID variant nibble %s (must be 8,9,a,b)" % nib)
        for t in self.pick(sdo_like, 3) + self.pick([s for s in SCO_TYPES if s != "process"], 3):
            o = self.base(t)
            o["id"] = o["id"].upper().replace(t.upper() + "--", t + "--")
            self.add("id.uppercase-uuid", o, VALID, "uppercase hex digits in the UUID")
        for t in self.pick(sdo_like, 4):
            for make, v in [(ids.v1, 1), (ids.v3, 3), (ids.v5, 5)]:
                self.add("id.sdo-not-v4", self.mutate(t, id="%s--%s" % (t, make())), VALID,
                         "SDO/SRO with UUIDv%d (warning only)" % v)
        self.add("id.sdo-not-v4", self.mutate("marking-definition",
                                              id="marking-definition--" + ids.v5()), VALID)
        for t in self.pick([s for s in SCO_TYPES if s != "process"], 6):
            self.add("id.sco-not-v5", self.mutate(t, id="%s--%s" % (t, ids.v4())), VALID,
                     "SCO with UUIDv4 (warning only)")
            self.add("id.sco-v5-mismatch", self.mutate(t, id="%s--%s" % (t, ids.v5())), VALID,
                     "SCO with a UUIDv5 that is not its deterministic id (not checked)")
        for make, v in [(ids.v1, 1), (ids.v3, 3), (ids.v5, 5)]:
            self.add("id.process-not-v4", self.mutate("process", id="process--" + make()), INVALID,
                     "process must use UUIDv4 (v%d given)" % v)
        no_contrib = {
            "user-account": {"display_name": "Alice"},
            "x509-certificate": {"issuer": "CN=Example CA"},
            "windows-registry-key": {"number_of_subkeys": 3},
            "email-message": {"is_multipart": False, "date": TS},
        }
        for t, props in no_contrib.items():
            for make, v in [(ids.v5, 5), (ids.v1, 1)]:
                o = {"type": t, "spec_version": "2.1", "id": "%s--%s" % (t, make())}
                o.update(props)
                self.add("id.sco-no-contrib-not-v4", o, INVALID,
                         "%s without ID-contributing properties must use UUIDv4 (v%d given)" % (t, v))
            o = {"type": t, "spec_version": "2.1", "id": "%s--%s" % (t, ids.v4())}
            o.update(props)
            self.add("id.sco-no-contrib-v4", o, VALID, "no contributing properties, UUIDv4 id")
        for t in self.pick(SDO_TYPES, 2):
            self.add("crash.id-not-string", self.mutate(t, id=12345), INVALID,
                     "id is a number (stix2-validator raises)")
        self.add("id.missing", self.mutate("campaign", id=DELETE), INVALID,
                 "no id at all (stix2-validator refuses the object)")
        self.add("type.missing", self.mutate("campaign", type=DELETE), INVALID,
                 "no type at all (stix2-validator refuses the object)")

    def rules_spec_version(self):
        for t in SDO_TYPES + SRO_TYPES + ["extension-definition", "language-content"]:
            self.add("spec_version.missing", self.mutate(t, spec_version=DELETE), INVALID,
                     "spec_version missing on %s" % t)
        self.add("spec_version.missing", self.mutate("marking-definition", spec_version=DELETE),
                 INVALID, "spec_version missing on marking-definition")
        for t in self.pick(SCO_TYPES, 6):
            self.add("spec_version.missing-on-sco", self.mutate(t, spec_version=DELETE), VALID,
                     "spec_version is optional on SCOs")
        for t in self.pick(SDO_TYPES, 3) + self.pick(SCO_TYPES, 2) + ["marking-definition"]:
            for bad in ["2.2", "3.0", "2.1.0", "", 2.1]:
                self.add("spec_version.bad-value", self.mutate(t, spec_version=bad), INVALID,
                         "spec_version %r" % (bad,))
        for t in self.pick(SDO_TYPES, 2) + self.pick(SCO_TYPES, 1) + ["marking-definition"]:
            self.add("spec_version.2-0", self.mutate(t, spec_version="2.0"), VALID,
                     "spec_version 2.0 inside a 2.1 validation run is accepted")

    def rules_timestamps(self):
        bad_format = [
            ("2020-01-01T00:00:00.000", "no Z"),
            ("2020-01-01T00:00:00.000+00:00", "+00:00 offset"),
            ("2020-01-01T01:00:00.000+01:00", "+01:00 offset"),
            ("2020-01-01T00:00:00.000z", "lowercase z"),
            ("2020-01-01t00:00:00.000Z", "lowercase t"),
            ("2020-01-01 00:00:00.000Z", "space separator"),
            ("2020-01-01", "date only"),
            ("2020-01-01T24:00:00.000Z", "hour 24"),
            ("2020-13-01T00:00:00.000Z", "month 13"),
            ("2020-01-00T00:00:00.000Z", "day 00"),
            ("20200101T000000.000Z", "basic format"),
            ("2020-1-1T00:00:00.000Z", "no zero padding"),
            ("10000-01-01T00:00:00.000Z", "five digit year"),
            ("2020-01-01T00:00:00.Z", "dot without digits"),
        ]
        bad_date = [
            ("2020-02-30T00:00:00.000Z", "Feb 30"),
            ("2021-02-29T00:00:00.000Z", "Feb 29 in a non-leap year"),
            ("1900-02-29T00:00:00.000Z", "Feb 29 1900"),
            ("2020-04-31T00:00:00.000Z", "Apr 31"),
            ("2020-06-31T00:00:00.000Z", "Jun 31"),
        ]
        # (type, property) pairs holding timestamps (besides created/modified)
        other_props = [("campaign", "first_seen"), ("indicator", "valid_from"),
                       ("report", "published"), ("observed-data", "first_observed"),
                       ("sighting", "last_seen"), ("relationship", "start_time"),
                       ("file", "ctime"), ("email-message", "date"),
                       ("network-traffic", "start"), ("user-account", "account_created"),
                       ("malware-analysis", "submitted"), ("language-content", "object_modified"),
                       ("x509-certificate", "validity_not_before"), ("directory", "mtime")]
        for val, note in bad_format:
            t = self.rng.choice(SDO_TYPES + SRO_TYPES)
            self.add("ts.format.created-modified", self.mutate(t, created=val, modified=val),
                     INVALID, note)
            t, p = self.rng.choice(other_props)
            self.add("ts.format.other", self.mutate(t, **{p: val}), INVALID, "%s: %s" % (p, note))
        for val, note in bad_date:
            t = self.rng.choice(SDO_TYPES)
            self.add("ts.invalid-date", self.mutate(t, created=val, modified=val), INVALID, note)
            t, p = self.rng.choice([tp for tp in other_props if tp[0] in SDO_TYPES + SRO_TYPES])
            self.add("ts.invalid-date", self.mutate(t, **{p: val}), INVALID, "%s: %s" % (p, note))
        for t, p in [("campaign", "created"), ("indicator", "valid_from"), ("sighting", "first_seen")]:
            o = self.mutate(t, **{p: "2016-12-31T23:59:60.000Z"})
            if p == "created":
                o["modified"] = "2016-12-31T23:59:60.000Z"
            self.add("ts.leap-second", o, INVALID, "second 60 (%s)" % p)
        self.add("ts.year-zero", self.mutate("tool", created="0000-01-01T00:00:00.000Z",
                                             modified="0000-01-01T00:00:00.000Z"), INVALID, "year 0")
        for frac, note in [("", "no fraction"), (".1", "1 digit"), (".12", "2 digits")]:
            for t in self.pick(SDO_TYPES + SRO_TYPES + ["language-content"], 3):
                val = "2020-01-01T00:00:00%sZ" % frac
                self.add("ts.created-modified-precision", self.mutate(t, created=val, modified=val),
                         INVALID, "created/modified need milliseconds: %s" % note)
            t = self.rng.choice(SDO_TYPES)
            self.add("ts.created-modified-precision",
                     self.mutate(t, modified="2020-06-01T00:00:00%sZ" % frac), INVALID,
                     "modified only: %s" % note)
        for frac in ["", ".1", ".12"]:
            for t, p in self.pick(other_props, 3):
                self.add("ts.other-precision", self.mutate(t, **{p: "2020-01-01T00:00:00%sZ" % frac}),
                         VALID, "%s may have any precision" % p)
        self.add("ts.other-precision", self.mutate("marking-definition", created="2020-01-01T00:00:00Z"),
                 VALID, "marking-definition created need not have milliseconds")
        for frac in [".1234", ".123456", ".123456789"]:
            t = self.rng.choice(SDO_TYPES)
            val = "2020-01-01T00:00:00%sZ" % frac
            self.add("ts.high-precision", self.mutate(t, created=val, modified=val), VALID,
                     "%d fractional digits" % (len(frac) - 1))
        self.add("ts.pe-time-date-stamp", self.mutate(
            "file", extensions={"windows-pebinary-ext": {"pe_type": "exe",
                                                         "time_date_stamp": TS}}),
            INVALID, "time_date_stamp must have whole seconds")
        self.add("ts.pe-time-date-stamp-ok", self.mutate(
            "file", extensions={"windows-pebinary-ext": {"pe_type": "dll",
                                                         "time_date_stamp": "2020-01-01T00:00:00Z"}}),
            VALID)
        for t in self.pick(SDO_TYPES + SRO_TYPES, 6):
            self.add("ts.modified-before-created", self.mutate(t, created=TS_LATER, modified=TS),
                     INVALID)
        self.add("ts.modified-before-created", self.mutate(
            "campaign", created="2020-01-01T00:00:01.000Z", modified="2020-01-01T00:00:00.999Z"),
            INVALID, "one millisecond earlier")
        pairs = [("campaign", "first_seen", "last_seen"), ("infrastructure", "first_seen", "last_seen"),
                 ("intrusion-set", "first_seen", "last_seen"), ("malware", "first_seen", "last_seen"),
                 ("threat-actor", "first_seen", "last_seen"), ("sighting", "first_seen", "last_seen"),
                 ("observed-data", "first_observed", "last_observed")]
        for t, first, last in pairs:
            self.add("ts.order.%s" % t, self.mutate(t, **{first: TS_LATER, last: TS}), INVALID,
                     "%s before %s" % (last, first))
            self.add("ts.order-equal-ok", self.mutate(t, **{first: TS, last: TS}), VALID,
                     "%s == %s is allowed" % (last, first))
        self.add("ts.order.indicator", self.mutate("indicator", valid_from=TS_LATER, valid_until=TS),
                 INVALID, "valid_until before valid_from")
        self.add("ts.order-strict.indicator", self.mutate("indicator", valid_until=TS), INVALID,
                 "valid_until equal to valid_from (must be later)")
        self.add("ts.order.relationship", self.mutate("relationship", start_time=TS_LATER, stop_time=TS),
                 INVALID, "stop_time before start_time")
        self.add("ts.order-strict.relationship", self.mutate("relationship", start_time=TS, stop_time=TS),
                 INVALID, "stop_time equal to start_time (must be later)")
        self.add("ts.order.network-traffic", self.mutate("network-traffic", start=TS_LATER, end=TS),
                 INVALID, "end before start")
        self.add("ts.order-unchecked", self.mutate("malware-analysis", analysis_started=TS_LATER,
                                                   analysis_ended=TS), VALID,
                 "analysis_ended before analysis_started is not checked")
        self.add("ts.order-unchecked", self.mutate("x509-certificate", validity_not_before=TS_LATER,
                                                   validity_not_after=TS), VALID,
                 "validity_not_after before validity_not_before is not checked")
        # stix2-validator compares timestamp *strings*: these two disagree with a semantic comparison.
        self.add("ts.string-compare-quirk", self.mutate(
            "campaign", created="2020-01-01T00:00:00.000Z", modified="2020-01-01T00:00:00.0000Z"),
            INVALID, "same instant, but '.0000Z' < '.000Z' as strings")
        self.add("ts.string-compare-quirk", self.mutate(
            "campaign", created="2020-01-01T00:00:00.0001Z", modified="2020-01-01T00:00:00.000Z"),
            VALID, "modified is earlier, but '.000Z' > '.0001Z' as strings")
        self.add("nt.is-active-with-end", self.mutate("network-traffic", is_active=True, end=TS),
                 INVALID, "is_active true forbids end")
        self.add("nt.is-active-false-with-end", self.mutate("network-traffic", is_active=False, end=TS),
                 VALID)
        for t in ["campaign", "indicator"]:
            self.add("crash.timestamp-not-string", self.mutate(t, modified=1577836800), INVALID,
                     "numeric timestamp (stix2-validator raises)")

    def rules_required(self):
        for t in sorted(REQUIRED):
            for p in REQUIRED[t]:
                self.add("required.%s.%s" % (t, p), self.mutate(t, **{p: DELETE}), INVALID,
                         "%s without %s" % (t, p))

    def rules_conditional(self):
        ids = self.ids
        L = dict(country=DELETE)
        self.add("cond.location.none", self.mutate("location", **L), INVALID,
                 "no region, country or latitude+longitude")
        self.add("cond.location.lat-without-long", self.mutate("location", latitude=48.1, **L), INVALID)
        self.add("cond.location.lat-without-long", self.mutate("location", longitude=11.5), INVALID,
                 "country present, longitude without latitude")
        self.add("cond.location.precision-without-latlong", self.mutate("location", precision=10.0),
                 INVALID)
        self.add("cond.location.ok", self.mutate("location", region="europe", **L), VALID)
        self.add("cond.location.ok", self.mutate("location", latitude=48.1, longitude=11.5,
                                                 precision=100.0, **L), VALID)
        self.add("cond.malware-analysis.result-or-scos", self.mutate("malware-analysis", result=DELETE),
                 INVALID, "neither result nor analysis_sco_refs")
        self.add("cond.malware-analysis.ok", self.mutate("malware-analysis", result=DELETE,
                                                         analysis_sco_refs=[ids.ref("file")]), VALID)
        self.add("cond.malware.family-needs-name", self.mutate("malware", name=DELETE), INVALID,
                 "is_family true without name")
        self.add("cond.malware.ok", self.mutate("malware", name=DELETE, is_family=False), VALID,
                 "is_family false, no name")
        pb = "aGVsbG8gd29ybGQ="
        self.add("cond.artifact.payload-or-url", self.mutate("artifact", payload_bin=DELETE,
                                                             mime_type="text/plain"), INVALID)
        self.add("cond.artifact.not-both", self.mutate("artifact", url="https://example.com/a.bin",
                                                       hashes={"MD5": "0" * 32}), INVALID,
                 "payload_bin and url")
        self.add("cond.artifact.url-needs-hashes", self.mutate("artifact", payload_bin=DELETE,
                                                               url="https://example.com/a.bin"),
                 INVALID)
        self.add("cond.artifact.key-needs-algorithm", self.mutate("artifact", decryption_key="secret"),
                 INVALID)
        self.add("cond.artifact.ok", self.mutate("artifact", payload_bin=DELETE,
                                                 url="https://example.com/a.bin",
                                                 hashes={"SHA-256": "ab" * 32}), VALID)
        self.add("cond.artifact.ok", self.mutate("artifact", payload_bin=pb,
                                                 encryption_algorithm="AES-256-GCM",
                                                 decryption_key="k"), VALID)
        inner = {"0": {"type": "ipv4-addr", "id": ids.ref("ipv4-addr"), "value": "10.0.0.1"}}
        self.add("cond.observed-data.objects-xor-refs", self.mutate("observed-data", object_refs=DELETE),
                 INVALID, "neither objects nor object_refs")
        self.add("cond.observed-data.objects-xor-refs", self.mutate("observed-data", objects=inner),
                 INVALID, "both objects and object_refs")
        self.add("cond.observed-data.deprecated-objects",
                 self.mutate("observed-data", object_refs=DELETE, objects=inner), VALID,
                 "deprecated objects dictionary (warning)")
        bad_inner = {"0": {"type": "ipv4-addr", "id": ids.ref("ipv4-addr")}}
        self.add("cond.observed-data.invalid-embedded",
                 self.mutate("observed-data", object_refs=DELETE, objects=bad_inner), INVALID,
                 "embedded ipv4-addr without value")
        self.add("cond.network-traffic.src-or-dst", self.mutate("network-traffic", src_ref=DELETE),
                 INVALID)
        self.add("cond.network-traffic.ok", self.mutate("network-traffic", src_ref=DELETE,
                                                        dst_ref=ids.ref("ipv6-addr")), VALID)
        E = "email-message"
        self.add("cond.email.multipart-body", self.mutate(E, body_multipart=[{"body": "x"}]), INVALID,
                 "is_multipart false with body_multipart")
        self.add("cond.email.multipart-body", self.mutate(E, is_multipart=True, body="x"), INVALID,
                 "is_multipart true with body")
        self.add("cond.email.mime-part", self.mutate(E, is_multipart=True,
                                                     body_multipart=[{"content_type": "text/plain"}]),
                 INVALID, "mime part without body or body_raw_ref")
        self.add("cond.email.mime-part", self.mutate(E, is_multipart=True, body_multipart=[
            {"body": "x", "body_raw_ref": ids.ref("artifact")}]), INVALID,
            "mime part with both body and body_raw_ref")
        self.add("cond.email.ok", self.mutate(E, is_multipart=True, body_multipart=[
            {"body": "hello", "content_type": "text/plain"},
            {"body_raw_ref": ids.ref("artifact"), "content_disposition": "attachment"}]), VALID)
        self.add("cond.email.ok", self.mutate(E, body="plain body"), VALID)
        self.add("cond.email.ok", self.mutate(E, is_multipart=True), VALID,
                 "is_multipart true without body_multipart is accepted")
        self.add("cond.file.name-or-hashes", self.mutate("file", name=DELETE, size=10), INVALID)
        self.add("cond.file.ok", self.mutate("file", name=DELETE, hashes={"SHA-1": "ab" * 20}), VALID)
        self.add("cond.x509.at-least-one", {"type": "x509-certificate", "spec_version": "2.1",
                                            "id": "x509-certificate--" + ids.v4()}, INVALID)
        self.add("cond.process.at-least-one", {"type": "process", "spec_version": "2.1",
                                               "id": "process--" + ids.v4()}, INVALID)
        self.add("cond.user-account.at-least-one", {"type": "user-account", "spec_version": "2.1",
                                                    "id": "user-account--" + ids.v4()}, INVALID)
        self.add("cond.registry-key.at-least-one", {"type": "windows-registry-key", "spec_version": "2.1",
                                                    "id": "windows-registry-key--" + ids.v4()}, INVALID)
        # stix2-validator schema bugs: the "at least one property" lists use the
        # STIX 2.0 names `created` / `modified`, so these valid 2.1 objects are rejected.
        self.add("cond.schema-bug.process-created-time-only",
                 {"type": "process", "spec_version": "2.1", "id": "process--" + ids.v4(),
                  "created_time": TS}, INVALID, "only created_time (the schema expects 'created')")
        self.add("cond.schema-bug.registry-modified-time-only",
                 {"type": "windows-registry-key", "spec_version": "2.1",
                  "id": "windows-registry-key--" + ids.v4(), "modified_time": TS}, INVALID,
                 "only modified_time (the schema expects 'modified')")
        self.add("cond.x509.v3-extensions-empty", self.mutate("x509-certificate", x509_v3_extensions={}),
                 INVALID)
        self.add("cond.registry-key.value-empty", self.mutate("windows-registry-key", values=[{}]),
                 INVALID)
        self.add("cond.extension-definition.extension-properties",
                 self.mutate("extension-definition", extension_properties=["x_rank"]), INVALID,
                 "extension_properties without toplevel-property-extension")
        self.add("cond.extension-definition.ok",
                 self.mutate("extension-definition", extension_types=["toplevel-property-extension"],
                             extension_properties=["x_rank"]), VALID)
        self.add("cond.extension-definition.ok", self.mutate("extension-definition",
                                                             created_by_ref=DELETE), VALID,
                 "created_by_ref is not required by the validator")
        M = "marking-definition"
        self.add("cond.marking.statement", self.mutate(M, definition={"text": "x"}), INVALID,
                 "statement definition without 'statement'")
        self.add("cond.marking.tlp-non-canonical", self.mutate(
            M, definition_type="tlp", definition={"tlp": "green"}, name="TLP:GREEN"), INVALID,
            "TLP marking with a non-canonical id")
        self.add("cond.marking.tlp-non-canonical", {
            "type": M, "spec_version": "2.1", "id": TLP_GREEN, "created": "2018-01-01T00:00:00.000Z",
            "definition_type": "tlp", "name": "TLP:GREEN", "definition": {"tlp": "green"}}, INVALID,
            "canonical TLP id with the wrong created")
        self.add("cond.marking.tlp-ok", {
            "type": M, "spec_version": "2.1", "id": TLP_GREEN, "created": "2017-01-20T00:00:00.000Z",
            "definition_type": "tlp", "name": "TLP:GREEN", "definition": {"tlp": "green"}}, VALID)
        self.add("cond.marking.extension-only", self.mutate(
            M, definition=DELETE, definition_type=DELETE,
            extensions={"extension-definition--" + ids.v4(): {"extension_type": "property-extension",
                                                              "level": "internal"}}), VALID,
            "marking defined only by an extension")
        self.add("cond.marking.custom-definition-type", self.mutate(
            M, definition_type="acme", definition={"level": "internal"}), VALID, "warning only")

    def rules_values(self):
        ids = self.ids
        for v in [-1, 101, 1000, -100]:
            self.add("value.confidence-range", self.mutate(self.rng.choice(SDO_TYPES), confidence=v),
                     INVALID, "confidence %r" % v)
        for v in [50.5, "50", True, [50]]:
            self.add("value.confidence-type", self.mutate(self.rng.choice(SDO_TYPES), confidence=v),
                     INVALID, "confidence %r" % (v,))
        for v in [0, 100, 55]:
            self.add("value.confidence-ok", self.mutate(self.rng.choice(SDO_TYPES), confidence=v), VALID)
        self.add("value.integral-float", self.mutate("campaign", confidence=50.0), VALID,
                 "50.0 counts as an integer for JSON Schema")
        self.add("value.integral-float", self.mutate("observed-data", number_observed=2.0), VALID,
                 "number_observed 2.0")
        for t, p in [("campaign", "revoked"), ("malware", "is_family"), ("ipv4-addr", "defanged"),
                     ("sighting", "summary"), ("email-message", "is_multipart"),
                     ("process", "is_hidden"), ("user-account", "is_privileged")]:
            self.add("value.boolean-as-string", self.mutate(t, **{p: "true"}), INVALID,
                     "%s as the string 'true'" % p)
        for t, p in [("campaign", "labels"), ("campaign", "aliases"), ("note", "object_refs"),
                     ("report", "object_refs"), ("identity", "sectors"), ("tool", "external_references"),
                     ("indicator", "kill_chain_phases"), ("network-traffic", "protocols"),
                     ("campaign", "object_marking_refs"), ("campaign", "x_acme_tags"),
                     ("ipv4-addr", "x_acme_list"), ("email-message", "to_refs"),
                     ("extension-definition", "extension_types"), ("malware", "malware_types")]:
            self.add("value.empty-list", self.mutate(t, **{p: []}), INVALID, "%s: []" % p)
        for t, p in [("campaign", "description"), ("campaign", "x_acme_note"), ("tool", "confidence"),
                     ("ipv4-addr", "x_acme_flag"), ("indicator", "name")]:
            self.add("value.null", self.mutate(t, **{p: None}), INVALID, "%s: null" % p)
        self.add("value.string-for-list", self.mutate("campaign", labels="apt"), INVALID)
        self.add("value.string-for-list", self.mutate("campaign", object_marking_refs=TLP_GREEN), INVALID)
        self.add("value.string-for-list", self.mutate("report", object_refs=ids.ref("identity")), INVALID)
        self.add("value.wrong-type", self.mutate("campaign", name=5), INVALID)
        self.add("value.wrong-type", self.mutate("campaign", labels=[1]), INVALID)
        self.add("value.wrong-type", self.mutate("process", pid="4242"), INVALID)
        self.add("value.wrong-type", self.mutate("autonomous-system", number="15139"), INVALID)
        self.add("value.wrong-type", self.mutate("x509-certificate", subject_public_key_exponent="65537"),
                 INVALID)
        self.add("value.wrong-type", self.mutate("location", latitude="48.1", longitude="11.5"), INVALID)
        self.add("value.wrong-type", self.mutate("indicator", pattern=["[x:y = 'z']"]), INVALID)
        self.add("value.wrong-type", self.mutate("identity", contact_information={"a": "b"}), INVALID)
        for p, v in [("src_port", 65536), ("dst_port", -1), ("src_port", 100000), ("dst_port", "443")]:
            self.add("value.port-range", self.mutate("network-traffic", **{p: v}), INVALID, "%s %r" % (p, v))
        for v in [0, 65535]:
            self.add("value.port-ok", self.mutate("network-traffic", dst_port=v), VALID)
        for v in [0, -1, 1000000000]:
            self.add("value.number-observed-range", self.mutate("observed-data", number_observed=v),
                     INVALID, "number_observed %d" % v)
        self.add("value.number-observed-ok", self.mutate("observed-data", number_observed=999999999), VALID)
        for v in [-1, 1000000000]:
            self.add("value.count-range", self.mutate("sighting", count=v), INVALID, "count %d" % v)
        self.add("value.count-ok", self.mutate("sighting", count=0), VALID)
        for lat, lon in [(90.5, 0), (-91, 0), (0, 180.01), (0, -181)]:
            self.add("value.latlong-range", self.mutate("location", latitude=lat, longitude=lon), INVALID)
        self.add("value.size-negative", self.mutate("file", size=-1), INVALID)
        for p in ["severity", "action", "username", "phone_numbers"]:
            self.add("value.reserved-property", self.mutate(self.rng.choice(SDO_TYPES), **{p: "x"}),
                     INVALID, "reserved property %s" % p)
        self.add("value.empty-string-ok", self.mutate("campaign", name="", description=""), VALID)
        self.add("value.custom-empty-dict-ok", self.mutate("campaign", x_acme_meta={}), VALID)

    def rules_formats(self):
        for v in ["300.1.1.1", "1.2.3", "1.2.3.4/33", "01.2.3.4.5", "a.b.c.d"]:
            self.add("format.ipv4", self.mutate("ipv4-addr", value=v), INVALID, v)
        self.add("format.ipv4-ok", self.mutate("ipv4-addr", value="10.0.0.0/8"), VALID, "CIDR")
        for v in ["zz::1", "1:2:3:4:5:6:7:8:9", "12345::1"]:
            self.add("format.ipv6", self.mutate("ipv6-addr", value=v), INVALID, v)
        for v in ["00:11:22:33:44:AA", "00-11-22-33-44-55", "0011.2233.4455", "00:11:22:33:44"]:
            self.add("format.mac", self.mutate("mac-addr", value=v), INVALID, v)
        for v in ["not-an-email", "alice@", "@example.com", "a b@example.com"]:
            self.add("format.email", self.mutate("email-addr", value=v), INVALID, v)
        for v in ["not a url", "/relative/path", "example.com/path"]:
            self.add("format.url", self.mutate("url", value=v), INVALID, v)
        for v in ["exa mple.com", "-bad-.com", "a..b.com"]:
            self.add("format.domain", self.mutate("domain-name", value=v), INVALID, v)
        self.add("format.domain-ok", self.mutate("domain-name", value="xn--bcher-kva.example"), VALID)
        for v in ["foo/bar", "image/not-registered-type", "text"]:
            self.add("format.artifact-mime", self.mutate("artifact", mime_type=v), INVALID, v)
        for v in ["xx-bad", "english", "EN_us"]:
            self.add("format.lang", self.mutate(self.rng.choice(SDO_TYPES), lang=v), INVALID, v)
        for v in ["en", "en-US", "de"]:
            self.add("format.lang-ok", self.mutate(self.rng.choice(SDO_TYPES), lang=v), VALID, v)
        for v in [["english"], ["xyz"], ["EN"]]:
            self.add("format.software-languages", self.mutate("software", languages=v), INVALID)
        self.add("format.software-cpe", self.mutate("software", cpe="cpe:/a:microsoft:word"), INVALID)
        self.add("format.software-cpe-ok", self.mutate(
            "software", cpe="cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*"), VALID)
        self.add("format.charset", self.mutate("directory", path_enc="not a charset"), INVALID)
        self.add("format.charset", self.mutate("file", name_enc="no-such-charset"), INVALID)
        self.add("format.charset-ok", self.mutate("file", name_enc="UTF-8"), VALID)
        for v in ["xyz", "abc", "0x1F"]:
            self.add("format.hex", self.mutate("file", magic_number_hex=v), INVALID, v)
        for v in ["abc", "!!!!", "aGVsbG8"]:
            self.add("format.binary", self.mutate("artifact", payload_bin=v), INVALID, v)
        for v in ["HKLM\\Software\\Foo", "hkcu\\Software", "HKEY_LOCAL_MACHINE\\hkufoo"]:
            self.add("format.registry-key", self.mutate("windows-registry-key", key=v), INVALID,
                     "abbreviated hive (unanchored regex): %s" % v)
        for v in ["Uses", "is related", "uses_tool", "uses!"]:
            self.add("format.relationship-type", self.mutate("relationship", relationship_type=v),
                     INVALID, v)
        self.add("format.external-reference-url", self.mutate(
            "campaign", external_references=[{"source_name": "acme", "url": "not a url"}]), INVALID)

    def rules_refs(self):
        ids = self.ids
        for bad_t in ["relationship", "sighting", "marking-definition", "bundle", "language-content"]:
            p = self.rng.choice(["source_ref", "target_ref"])
            self.add("ref.relationship-endpoint", self.mutate("relationship", **{p: ids.ref(bad_t)}),
                     INVALID, "%s -> %s" % (p, bad_t))
            self.add("ref.sighting-of", self.mutate("sighting", sighting_of_ref=ids.ref(bad_t)),
                     INVALID, "sighting_of_ref -> %s" % bad_t)
        for t in ["file", "ipv4-addr", "x-acme-widget"]:
            self.add("ref.relationship-to-sco-or-custom", self.mutate(
                "relationship", relationship_type="related-to", target_ref=ids.ref(t)), VALID,
                "relationship to %s" % t)
            self.add("ref.sighting-of-sco-or-custom", self.mutate("sighting", sighting_of_ref=ids.ref(t)),
                     VALID)
        for t in ["indicator", "malware", "file"]:
            self.add("ref.where-sighted", self.mutate("sighting", where_sighted_refs=[ids.ref(t)]),
                     INVALID, "where_sighted_refs -> %s" % t)
            self.add("ref.observed-data-refs", self.mutate("sighting", observed_data_refs=[ids.ref(t)]),
                     INVALID, "observed_data_refs -> %s" % t)
        self.add("ref.where-sighted-ok", self.mutate("sighting", where_sighted_refs=[
            ids.ref("identity"), ids.ref("location")], observed_data_refs=[ids.ref("observed-data")]),
            VALID)
        for t, p, lst in [("malware", "operating_system_refs", True),
                          ("malware-analysis", "host_vm_ref", False),
                          ("malware-analysis", "operating_system_ref", False),
                          ("malware-analysis", "installed_software_refs", True)]:
            ref = ids.ref("file")
            self.add("ref.software-only", self.mutate(t, **{p: [ref] if lst else ref}), INVALID,
                     "%s -> file" % p)
        for t in ["indicator", "software", "ipv4-addr"]:
            self.add("ref.sample-ref", self.mutate("malware-analysis", sample_ref=ids.ref(t)), INVALID,
                     "sample_ref -> %s" % t)
        self.add("ref.bad-format", self.mutate("campaign", created_by_ref="identity-x"), INVALID)
        self.add("ref.bad-format", self.mutate("note", object_refs=["not-an-id"]), INVALID)
        self.add("ref.bad-format", self.mutate("relationship", source_ref="malware--1234"), INVALID)
        self.add("ref.bad-format", self.mutate("campaign", object_marking_refs=["tlp-green"]), INVALID)
        # Target types stix2-validator does not check (all accepted):
        self.add("ref.unchecked-target", self.mutate("campaign", created_by_ref=ids.ref("indicator")),
                 VALID, "created_by_ref -> indicator")
        self.add("ref.unchecked-target", self.mutate("campaign", object_marking_refs=[ids.ref("identity")]),
                 VALID, "object_marking_refs -> identity")
        self.add("ref.unchecked-target", self.mutate("note", object_refs=[TLP_GREEN]), VALID,
                 "note object_refs -> marking-definition")
        self.add("ref.unchecked-target", self.mutate("malware", sample_refs=[ids.ref("indicator")]), VALID,
                 "sample_refs -> indicator")
        self.add("ref.unchecked-target", self.mutate("network-traffic", src_ref=ids.ref("file")), VALID,
                 "SCO src_ref -> file")
        self.add("ref.unchecked-target", self.mutate("email-message", from_ref=ids.ref("ipv4-addr")), VALID,
                 "from_ref -> ipv4-addr")
        self.add("ref.unchecked-target", self.mutate("file", parent_directory_ref=ids.ref("file")), VALID,
                 "parent_directory_ref -> file")
        self.add("ref.unchecked-target", self.mutate("observed-data", object_refs=[ids.ref("indicator")]),
                 VALID, "observed-data object_refs -> SDO")
        M = "marking-definition"
        self.add("ref.marking-object-marking-refs", self.mutate(M, object_marking_refs=[ids.ref("identity")]),
                 INVALID, "marking-definition object_marking_refs -> identity")
        o = self.base(M)
        o["object_marking_refs"] = [o["id"]]
        self.add("ref.marking-circular", o, INVALID, "marking-definition marks itself")
        o = self.base(M)
        o["granular_markings"] = [{"selectors": ["definition"], "marking_ref": o["id"]}]
        self.add("ref.marking-circular", o, INVALID, "granular marking on itself")
        for t in ["bundle", "language-content"]:
            self.add("ref.language-content-object-ref", self.mutate("language-content",
                                                                    object_ref=ids.ref(t)), INVALID)

    def rules_granular_markings(self):
        def gm(markings, t="campaign"):
            return self.mutate(t, granular_markings=markings, description="desc",
                               labels=["a", "b"],
                               external_references=[{"source_name": "acme", "external_id": "A-1"}])
        ok_sel = [["name"], ["labels.[1]"], ["external_references.[0].source_name"], ["id"],
                  ["description", "labels.[0]"]]
        for sel in ok_sel:
            self.add("gm.ok", gm([{"selectors": sel, "marking_ref": TLP_GREEN}]), VALID, repr(sel))
        for sel in [["Name"], ["ab"], ["labels[0]"], ["labels.0"], ["name "], [""], ["a.b"]]:
            self.add("gm.selector-syntax", gm([{"selectors": sel, "marking_ref": TLP_GREEN}]), INVALID,
                     repr(sel))
        self.add("gm.selector-syntax", self.mutate("file", hashes={"MD5": "0" * 32}, granular_markings=[
            {"selectors": ["hashes.MD5"], "marking_ref": TLP_GREEN}]), INVALID,
            "uppercase dictionary key in selector")
        for sel in [["confidence"], ["labels.[5]"], ["external_references.[0].url"],
                    ["external_references.[3]"], ["x_acme_missing"]]:
            self.add("gm.selector-missing", gm([{"selectors": sel, "marking_ref": TLP_GREEN}]), INVALID,
                     "selector for an absent property/index: %r" % sel)
        self.add("gm.no-marking-ref", gm([{"selectors": ["name"]}]), INVALID, "neither lang nor marking_ref")
        self.add("gm.lang-only", gm([{"selectors": ["name"], "lang": "en"}]), INVALID,
                 "lang without marking_ref: the validator's schema requires marking_ref")
        self.add("gm.lang-and-marking-ref", gm([{"selectors": ["name"], "lang": "en",
                                                 "marking_ref": TLP_GREEN}]), VALID,
                 "both lang and marking_ref: accepted by the validator")
        self.add("gm.selectors-missing", gm([{"marking_ref": TLP_GREEN}]), INVALID)
        self.add("gm.selectors-empty", gm([{"selectors": [], "marking_ref": TLP_GREEN}]), INVALID)
        self.add("gm.empty-list", gm([]), INVALID)
        self.add("gm.marking-ref-type", gm([{"selectors": ["name"], "marking_ref": self.ids.ref("identity")}]),
                 INVALID)
        self.add("gm.marking-ref-type", gm([{"selectors": ["name"], "marking_ref": "marking-definition--x"}]),
                 INVALID)
        self.add("gm.ok", self.mutate("ipv4-addr", granular_markings=[
            {"selectors": ["value"], "marking_ref": TLP_GREEN}]), VALID, "SCO granular marking")

    def rules_vocabularies(self):
        ids = self.ids
        closed = [
            ("opinion", {"opinion": "maybe"}), ("opinion", {"opinion": "Agree"}),
            ("artifact", {"encryption_algorithm": "DES"}),
            ("campaign", {"extensions": {"extension-definition--" + ids.v4(): {"extension_type": "new-thing"}}}),
            ("extension-definition", {"extension_types": ["property-extension", "other"]}),
            ("network-traffic", {"extensions": {"socket-ext": {"address_family": "AF_FOO"}}}),
            ("network-traffic", {"extensions": {"socket-ext": {"address_family": "AF_INET",
                                                               "socket_type": "SOCK_FOO"}}}),
            ("process", {"extensions": {"windows-service-ext": {"start_type": "SERVICE_SOMETIMES"}}}),
            ("process", {"extensions": {"windows-process-ext": {"integrity_level": "ultra"}}}),
            ("windows-registry-key", {"values": [{"name": "a", "data_type": "REG_FOO"}]}),
        ]
        for t, ch in closed:
            self.add("vocab.closed", self.mutate(t, **ch), INVALID, json.dumps(ch)[:120])
        open_vocab = [
            ("identity", {"identity_class": "alien"}), ("identity", {"sectors": ["space-mining"]}),
            ("indicator", {"indicator_types": ["weird"]}), ("indicator", {"pattern_type": "kql",
                                                                         "pattern": "whatever"}),
            ("malware", {"malware_types": ["nasty"]}), ("malware", {"capabilities": ["flies"]}),
            ("malware", {"implementation_languages": ["cobol"]}),
            ("malware", {"architecture_execution_envs": ["z80"]}),
            ("malware-analysis", {"result": "meh"}), ("report", {"report_types": ["gossip"]}),
            ("threat-actor", {"threat_actor_types": ["ghost"], "roles": ["boss"],
                              "sophistication": "godlike", "resource_level": "infinite",
                              "primary_motivation": "boredom"}),
            ("tool", {"tool_types": ["hammer"]}), ("infrastructure", {"infrastructure_types": ["moon"]}),
            ("grouping", {"context": "my-context"}), ("location", {"region": "atlantis"}),
            ("location", {"country": "XX"}), ("user-account", {"account_type": "myspace"}),
            ("file", {"extensions": {"windows-pebinary-ext": {"pe_type": "elf", "imphash": "x"}}}),
            ("network-traffic", {"protocols": ["FOOBAR"]}),
            ("attack-pattern", {"kill_chain_phases": [{"kill_chain_name": "My_Chain",
                                                       "phase_name": "Phase One"}]}),
            ("tool", {"tool_types": ["Remote Access"]}),
            ("marking-definition", {"definition_type": "Statement"}),
            ("process", {"extensions": {"windows-process-ext": {"priority": "high"}}}),
            ("malware-analysis", {"product": "Big Sandbox"}),
        ]
        for t, ch in open_vocab:
            self.add("vocab.open", self.mutate(t, **ch), VALID, "warning only: " + json.dumps(ch)[:100])

    def rules_custom(self):
        ids = self.ids
        for n in ["ab", "x_Foo", "xFOO", "Foo_bar", "_foo", "1foo", "x-foo-bar", "x", "X_ACME_BAR",
                  "x:foo"]:
            t = self.rng.choice(SDO_TYPES + SCO_TYPES)
            self.add("custom.property-name-invalid", self.mutate(t, **{n: "v"}), INVALID,
                     "property %r on %s" % (n, t))
        for n in ["x_acme_bar", "x_foo", "foo_bar", "abc", "xfoo", "x_" + "a" * 248]:
            t = self.rng.choice(SDO_TYPES + SCO_TYPES)
            self.add("custom.property-name-ok", self.mutate(t, **{n: "v"}), VALID,
                     "property %r (len %d) on %s" % (n[:40], len(n), t))
        # Names the spec forbids but the validator's unanchored regex lets through.
        for n in ["abcD", "foo-bar", "foo.bar", "foo id", "Some-id", "x" + "a" * 250]:
            t = self.rng.choice(SDO_TYPES + SCO_TYPES)
            self.add("custom.property-name-quirk-accepted", self.mutate(t, **{n: "v"}), VALID,
                     "property %r (len %d): accepted by stix2-validator's regex" % (n[:40], len(n)))
        self.add("custom.bin-hex", self.mutate("campaign", x_acme_blob_bin="!!!"), INVALID,
                 "*_bin must be base64")
        self.add("custom.bin-hex", self.mutate("campaign", x_acme_mask_hex="xyz"), INVALID,
                 "*_hex must be hex")

        def co(t, **kw):
            d = {"type": t, "spec_version": "2.1", "id": "%s--%s" % (t, ids.v4()),
                 "created": TS, "modified": TS, "name": "custom"}
            d.update(kw)
            return d
        for t in ["xx", "x-Foo", "x_foo", "-foo", "foo--bar", "1foo", "a" * 251, "action", "x-foo!",
                  "Widget"]:
            self.add("custom.type-invalid", co(t), INVALID, "type %r" % t[:40])
        for t in ["x-acme-widget", "x-widget", "acme-widget", "widget", "x-" + "a" * 248]:
            self.add("custom.type-ok", co(t), VALID, "type %r (warning only)" % t[:40])
        self.add("custom.type-ok", co("acme-widget", extensions={
            "extension-definition--" + ids.v4(): {"extension_type": "new-sdo"}}), VALID,
            "custom SDO declared through a new-sdo extension")
        self.add("custom.type-ok", {"type": "acme-gadget", "spec_version": "2.1",
                                    "id": "acme-gadget--" + ids.v4(), "value": "x",
                                    "extensions": {"extension-definition--" + ids.v4():
                                                   {"extension_type": "new-sco"}}}, VALID,
                 "custom SCO declared through a new-sco extension")
        self.add("custom.toplevel-extension-ok", self.mutate("campaign", acme_rank=5, extensions={
            "extension-definition--" + ids.v4(): {"extension_type": "toplevel-property-extension"}}),
            VALID)

    def rules_extensions(self):
        ids = self.ids
        ED = lambda: "extension-definition--" + ids.v4()  # noqa: E731
        for key in ["foo", "extension-definition--1234", "x_foo_ext", "Foo-ext", "extension-definition"]:
            t = self.rng.choice(["campaign", "indicator", "file"])
            self.add("ext.key-invalid", self.mutate(t, extensions={key: {"abc": "x"}}), INVALID,
                     "extension key %r" % key)
        self.add("ext.key-invalid", self.mutate("marking-definition", extensions={"acme-ext": {"abc": "x"}}),
                 INVALID, "marking-definition extensions must be extension-definition ids")
        self.add("ext.empty", self.mutate("campaign", extensions={}), INVALID, "extensions: {}")
        self.add("ext.empty", self.mutate("campaign", extensions={ED(): {}}), INVALID, "extension {}")
        self.add("ext.not-object", self.mutate("campaign", extensions=["x"]), INVALID)
        self.add("ext.missing-extension-type", self.mutate("campaign", extensions={ED(): {"rank": 5}}),
                 INVALID)
        self.add("ext.missing-extension-type", self.mutate("ipv4-addr", extensions={ED(): {"rank": 5}}),
                 INVALID)
        self.add("ext.bad-extension-type", self.mutate("tool", extensions={ED(): {"extension_type": "custom",
                                                                                   "rank": 5}}), INVALID)
        for n in ["ab", "Rank", "x-rank"]:
            self.add("ext.property-name-invalid", self.mutate(
                "campaign", extensions={ED(): {"extension_type": "property-extension", n: 1}}), INVALID,
                "property %r inside an extension" % n)
        predefined_bad = [
            ("file", "archive-ext", {"comment": "no refs"}),
            ("file", "ntfs-ext", {}),
            ("file", "pdf-ext", {}),
            ("file", "raster-image-ext", {"exif_tags": {"make": "x"}}),
            ("file", "windows-pebinary-ext", {"imphash": "abc"}),
            ("file", "windows-pebinary-ext", {"pe_type": "exe"}),
            ("network-traffic", "http-request-ext", {"request_method": "get"}),
            ("network-traffic", "icmp-ext", {"icmp_type_hex": "08"}),
            ("network-traffic", "socket-ext", {"address_family": "AF_INET", "options": {"foo": 1}}),
            ("network-traffic", "tcp-ext", {}),
            ("process", "windows-process-ext", {}),
            ("process", "windows-service-ext", {}),
            ("user-account", "unix-account-ext", {}),
        ]
        for t, name, body in predefined_bad:
            self.add("ext.predefined-invalid.%s" % name, self.mutate(t, extensions={name: body}), INVALID,
                     json.dumps(body))
        predefined_ok = [
            ("file", "archive-ext", {"contains_refs": [ids.ref("file")]}),
            ("file", "ntfs-ext", {"sid": "S-1-5-21"}),
            ("file", "pdf-ext", {"version": "1.7", "is_optimized": True}),
            ("file", "raster-image-ext", {"image_height": 600, "exif_tags": {"Make": "Nikon"}}),
            ("file", "windows-pebinary-ext", {"pe_type": "exe", "number_of_sections": 4}),
            ("network-traffic", "http-request-ext", {"request_method": "get", "request_value": "/"}),
            ("network-traffic", "icmp-ext", {"icmp_type_hex": "08", "icmp_code_hex": "00"}),
            ("network-traffic", "socket-ext", {"address_family": "AF_INET", "is_listening": True}),
            ("network-traffic", "tcp-ext", {"src_flags_hex": "02"}),
            ("process", "windows-process-ext", {"aslr_enabled": True}),
            ("process", "windows-service-ext", {"service_name": "svc"}),
            ("user-account", "unix-account-ext", {"gid": 100, "shell": "/bin/sh"}),
        ]
        for t, name, body in predefined_ok:
            self.add("ext.predefined-ok", self.mutate(t, extensions={name: body}), VALID, name)
        self.add("ext.ok", self.mutate("campaign", extensions={ED(): {"extension_type": "property-extension",
                                                                       "rank": 5}}), VALID)
        self.add("ext.ok", self.mutate("file", extensions={ED(): {"extension_type": "property-extension",
                                                                   "rank": 5}}), VALID)
        self.add("ext.ok", self.mutate("campaign", extensions={"x-acme-ext": {"rank": 5}}), VALID,
                 "custom *-ext key on an SDO")
        self.add("ext.ok", self.mutate("file", extensions={"x-acme-ext": {"rank": 5}}), VALID,
                 "custom *-ext key on an SCO (warning only)")
        self.add("ext.ok", self.mutate("campaign", extensions={
            "extension-definition--" + ids.v4().upper(): {"extension_type": "property-extension",
                                                          "rank": 1}}), VALID, "uppercase UUID in key")

    def rules_patterns(self):
        bad = ["[ipv4-addr:value = '1.2.3.4'", "ipv4-addr:value = '1.2.3.4'", "[ipv4-addr:value = 1.2.3.4]",
               "[]", "[file:hashes.MD5 = 'x'] AND",
               "[ipv4-addr:value = '1.2.3.4'] WITHIN -5 SECONDS", ""]
        for p in bad:
            self.add("pattern.syntax", self.mutate("indicator", pattern=p), INVALID, p)
        for p in ["[ipv4-addr:Value = '1.2.3.4']", "[file:X = 'a']"]:
            self.add("pattern.property-name", self.mutate("indicator", pattern=p), INVALID, p)
        for p in ["[x-acme-thing:value = 'a']", "[ipv4-addr:x_acme = 'a']",
                  "[ipv4-addr:value == '1.2.3.4']",
                  "[file:hashes.'SHA-256' = '" + "ab" * 32 + "'] AND [file:name MATCHES '^a.*']",
                  "([ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [domain-name:value = 'a.com']) WITHIN 60 SECONDS"]:
            self.add("pattern.ok", self.mutate("indicator", pattern=p), VALID, p)
        for pt in ["snort", "yara", "sigma"]:
            self.add("pattern.non-stix-unchecked", self.mutate("indicator", pattern_type=pt,
                                                               pattern="this ]] is not (stix"), VALID)

    def rules_hashes(self):
        bad_values = [{"MD5": "0" * 31}, {"MD5": "g" * 32}, {"SHA-1": "0" * 39}, {"SHA-256": "0" * 63},
                      {"SHA-512": "0" * 127}, {"SHA3-256": "z" * 64}, {"TLSH": "A" * 69},
                      {"SSDEEP": "3:a b:c"}, {"MD5": 5}]
        for h in bad_values:
            t = self.rng.choice(["file", "artifact-url", "x509-certificate"])
            if t == "artifact-url":
                o = self.mutate("artifact", payload_bin=DELETE, url="https://example.com/a", hashes=h)
            else:
                o = self.mutate(t, hashes=h)
            self.add("hash.bad-value", o, INVALID, json.dumps(h)[:80])
        for h in [{"ab": "x"}, {"a b": "x"}, {"x" * 251: "x"}]:
            self.add("hash.bad-key", self.mutate("file", hashes=h), INVALID, repr(list(h)[0][:20]))
        self.add("hash.empty", self.mutate("file", hashes={}), INVALID)
        for h in [{"md5": "0" * 32}, {"SHA256": "ab" * 32}, {"acme-hash": "xyz"}, {"x_acme": "1"}]:
            self.add("hash.unknown-algorithm", self.mutate("file", hashes=h), VALID,
                     "warning only: %s" % list(h)[0])
        self.add("hash.ok", self.mutate("file", hashes={"MD5": "AB" * 16, "SHA-1": "ab" * 20,
                                                        "SHA-256": "cd" * 32, "SHA-512": "ef" * 64,
                                                        "SHA3-256": "01" * 32, "SHA3-512": "23" * 64,
                                                        "SSDEEP": "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C",
                                                        "TLSH": "T1" + "A" * 68}), VALID)
        self.add("hash.external-reference-algorithm", self.mutate("campaign", external_references=[
            {"source_name": "acme", "url": "https://example.com", "hashes": {"acme-hash": "x"}}]), INVALID,
            "external reference hashes allow only the spec algorithm names")

    def rules_external_references(self):
        cases_bad = [
            ([{"source_name": "acme"}], "source_name only"),
            ([{"url": "https://example.com"}], "no source_name"),
            ([{"source_name": "capec", "external_id": "123"}], "capec id format"),
            ([{"source_name": "capec"}], "capec without external_id"),
            ([{"source_name": "cve", "external_id": "CVE-20-1"}], "cve id format"),
            ([{"source_name": "cve", "external_id": "CVE-2020-123"}], "cve id only 3 digits"),
            ([{"source_name": "nvd", "external_id": "CVE-2020-1234"}], "CVE id with another source_name"),
            ([{"source_name": "acme", "external_id": "CAPEC-12"}], "CAPEC id with another source_name"),
            ([{"source_name": 5, "external_id": "x"}], "source_name not a string"),
            ([], "empty list"),
        ]
        for er, note in cases_bad:
            self.add("extref.invalid", self.mutate(self.rng.choice(SDO_TYPES), external_references=er),
                     INVALID, note)
        cases_ok = [
            [{"source_name": "acme", "external_id": "A-1"}],
            [{"source_name": "acme", "description": "d"}],
            [{"source_name": "acme", "url": "https://example.com/x"}],
            [{"source_name": "capec", "external_id": "CAPEC-163"}],
            [{"source_name": "cve", "external_id": "CVE-2021-44228"}],
            [{"source_name": "cve", "external_id": "CVE-2020-0601"}],
        ]
        for er in cases_ok:
            self.add("extref.ok", self.mutate(self.rng.choice(SDO_TYPES), external_references=er), VALID)
        self.add("kcp.missing-field", self.mutate("attack-pattern", kill_chain_phases=[{"phase_name": "x"}]),
                 INVALID, "kill_chain_name missing")
        self.add("kcp.empty", self.mutate("tool", kill_chain_phases=[]), INVALID)
        self.add("kcp.ok", self.mutate("malware", kill_chain_phases=[
            {"kill_chain_name": "lockheed-martin-cyber-kill-chain", "phase_name": "exploitation"}]), VALID)
        self.add("crash.kcp-missing-phase-name", self.mutate(
            "attack-pattern", kill_chain_phases=[{"kill_chain_name": "x"}]), INVALID,
            "phase_name missing (stix2-validator raises KeyError)")

    def rules_language_content(self):
        LC = "language-content"
        self.add("lc.contents-language", self.mutate(LC, contents={"xx-bad": {"name": "x"}}), INVALID)
        self.add("lc.contents-language", self.mutate(LC, contents={"German": {"name": "x"}}), INVALID)
        self.add("lc.contents-property", self.mutate(LC, contents={"de": {"Name": "x"}}), INVALID)
        self.add("lc.contents-property", self.mutate(LC, contents={"de": {"ab": "x"}}), INVALID)
        self.add("lc.contents-empty", self.mutate(LC, contents={}), INVALID)
        self.add("lc.ok", self.mutate(LC, contents={"fr": {"name": "Nuit", "description": "texte"},
                                                    "es-ES": {"aliases": ["a", "b"]}}), VALID)
        self.add("crash.lc-contents-not-object", self.mutate(LC, contents={"de": "Nacht"}), INVALID,
                 "contents values must be objects (stix2-validator raises)")

    def rules_json(self):
        self.add("json.syntax", raw='{"type": "campaign", "id": "campaign--x"', expect=INVALID,
                 note="truncated JSON")
        self.add("json.syntax", raw='{"type": "campaign",}', expect=INVALID, note="trailing comma")
        self.add("json.syntax", raw="not json at all\n", expect=INVALID)
        self.add("json.syntax", raw="", expect=INVALID, note="empty file")
        self.add("json.syntax", raw="{'type': 'campaign'}", expect=INVALID, note="single quotes")


# --------------------------------------------------------------------------
# stix2-generator content
# --------------------------------------------------------------------------

def generated_items(seed, per_type, log):
    """`per_type` objects of every GENERATED_TYPES entry from stix2-generator."""
    random.seed(seed)
    faker.Faker.seed(seed)
    id_rng = random.Random(seed * 31 + 7)
    fixed_now = _datetime.datetime(2024, 3, 1, 12, 0, 0, tzinfo=_datetime.timezone.utc)

    class _FixedDatetime(_datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return fixed_now if tz is None else fixed_now.astimezone(tz)

        @classmethod
        def utcnow(cls):
            return fixed_now.replace(tzinfo=None)

    # The generator calls uuid.uuid4(), datetime.now() and datetime.utcnow();
    # patch those module globals so that the output depends only on the seed
    # (PYTHONHASHSEED is pinned too, see ic.ensure_fixed_hash_seed).
    _gen_semantics.uuid = types.SimpleNamespace(
        uuid4=lambda: uuid.UUID(int=id_rng.getrandbits(128), version=4))
    fixed_datetime_module = types.SimpleNamespace(datetime=_FixedDatetime,
                                                  timedelta=_datetime.timedelta,
                                                  timezone=_datetime.timezone)
    _gen_semantics.datetime = fixed_datetime_module
    _gen_patterns.datetime = fixed_datetime_module
    gen = stix2generator.create_object_generator(
        _GenConfig(optional_property_probability=0.5, minimize_ref_properties=False))
    items = []
    for t in GENERATED_TYPES:
        for _ in range(per_type):
            try:
                obj = gen.generate(t)
            except Exception as e:  # generator bug: note it, keep going
                log("stix2-generator failed on %s: %r" % (t, e))
                continue
            items.append(Item("gen.%s" % t, obj=obj, note="stix2-generator"))
    return items


# --------------------------------------------------------------------------
# stix2-validator
# --------------------------------------------------------------------------

def run_stix2_validator(items):
    opts = ValidationOptions(version="2.1")
    for it in items:
        if it.raw is not None:
            try:
                obj = json.loads(it.raw)
            except ValueError as e:
                it.v_valid, it.v_errors = False, ["not JSON: %s" % e]
                continue
        else:
            obj = it.obj
        try:
            r = validate_instance(obj, opts)
        except Exception as e:
            it.v_valid, it.v_crash = False, "%s: %s" % (type(e).__name__, e)
            it.v_errors = ["stix2-validator raised %s" % it.v_crash]
            continue
        it.v_valid = bool(r.is_valid)
        it.v_errors = [str(e) for e in r.errors]
        it.v_warnings = [str(w) for w in r.warnings]


def verdict(valid):
    return "valid" if valid else "invalid"


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------

def corpus_problems(items):
    """Variants whose stix2-validator verdict differs from the corpus expectation."""
    bad = []
    for it in items:
        if it.expect is None:
            continue
        if (it.expect == VALID) != bool(it.v_valid):
            bad.append(it)
    return bad


def print_tag_table(items, extra_cols=None):
    by_tag = collections.OrderedDict()
    for it in sorted(items, key=lambda i: i.tag):
        by_tag.setdefault(it.tag, []).append(it)
    head = "%-55s %5s %6s %8s %6s %s" % ("tag", "n", "valid", "invalid", "crash", "expect")
    if extra_cols:
        head += "  " + extra_cols[0]
    print(head)
    for tag, its in by_tag.items():
        nv = sum(1 for i in its if i.v_valid)
        nc = sum(1 for i in its if i.v_crash)
        exp = sorted({i.expect or "-" for i in its})
        line = "%-55s %5d %6d %8d %6d %s" % (tag[:55], len(its), nv, len(its) - nv, nc, "/".join(exp))
        if extra_cols:
            line += "  " + extra_cols[1](its)
        print(line)


def describe_object(it, width=700):
    s = it.raw if it.raw is not None else json.dumps(it.obj, ensure_ascii=False, sort_keys=True)
    s = " ".join(s.split())
    return s if len(s) <= width else s[:width - 3] + "..."


def write_corpus(items, workdir):
    os.makedirs(workdir, exist_ok=True)
    for name in os.listdir(workdir):  # clear files from an earlier run
        if name.endswith(".json") and name[:-5].isdigit():
            os.remove(os.path.join(workdir, name))
    width = max(5, len(str(len(items))))
    manifest = []
    for n, it in enumerate(items):
        it.path = os.path.join(workdir, "%0*d.json" % (width, n))
        with open(it.path, "w", encoding="utf-8") as f:
            f.write(it.text())
        manifest.append({"file": os.path.basename(it.path), "tag": it.tag, "expect": it.expect,
                         "note": it.note, "stix2_validator_valid": it.v_valid})
    with open(os.path.join(workdir, "manifest.jsonl"), "w", encoding="utf-8") as f:
        for m in manifest:
            f.write(json.dumps(m) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--accord", help="path to the accord binary (required unless --dry-run)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--workdir", help="directory for the NNNNN.json files (default: a new temp dir)")
    ap.add_argument("--per-type", type=int, default=40,
                    help="stix2-generator objects per type (default 40; 40 types)")
    ap.add_argument("--dry-run", action="store_true",
                    help="build the corpus and run stix2-validator only")
    ap.add_argument("--max-details", type=int, default=200,
                    help="print at most this many disagreements in full (default 200)")
    ap.add_argument("--arg-budget", type=int, default=ic.DEFAULT_ARG_BUDGET,
                    help="max bytes of file arguments per Accord run")
    args = ap.parse_args(argv)
    if not args.dry_run and not args.accord:
        ap.error("--accord is required unless --dry-run is given")

    log = lambda msg: print(msg, file=sys.stderr)  # noqa: E731
    corpus = Corpus(args.seed)
    corpus.build_variants()
    items = generated_items(args.seed, args.per_type, log) + corpus.items
    log("corpus: %d objects (%d generated, %d hand-made); running stix2-validator..."
        % (len(items), len(items) - len(corpus.items), len(corpus.items)))
    run_stix2_validator(items)
    problems = corpus_problems(items)

    if args.dry_run:
        print("== stix2-validator verdicts per tag (seed %d) ==" % args.seed)
        print_tag_table(items)
        n_valid = sum(1 for i in items if i.v_valid)
        print("\ntotal %d objects: %d valid, %d invalid (%d stix2-validator crashes)"
              % (len(items), n_valid, len(items) - n_valid, sum(1 for i in items if i.v_crash)))
        if problems:
            print("\n== corpus problems: stix2-validator verdict differs from the tag's expectation ==")
            for it in problems:
                print("- [%s] expected %s, got %s: %s\n    %s\n    %s" % (
                    it.tag, it.expect, verdict(it.v_valid), it.note,
                    describe_object(it, 300), "; ".join(ic.format_messages(it.v_errors, 2))))
        if args.workdir:
            write_corpus(items, args.workdir)
            print("\ncorpus written to %s" % args.workdir)
        with_expect = [i for i in items if i.expect is not None]
        ic.final_line(len(with_expect) - len(problems), len(problems))
        return 1 if problems else 0

    if problems:
        print("WARNING: %d corpus variants are not judged as their tag expects "
              "(see --dry-run); the comparison still uses stix2-validator's verdict." % len(problems))
    workdir = args.workdir or tempfile.mkdtemp(prefix="accord-validator-crosscheck-")
    write_corpus(items, workdir)
    log("wrote %d files to %s; running Accord..." % (len(items), workdir))
    stderr_texts = []
    try:
        by_file = ic.run_accord_validate(args.accord, [i.path for i in items],
                                         budget=args.arg_budget, log=log,
                                         stderr_sink=stderr_texts)
    except ic.AccordRunError as e:
        print("ERROR: %s" % e)
        ic.final_line(0, len(items))
        return 1

    passed, failures, known = 0, [], []
    stats = collections.defaultdict(lambda: collections.Counter())
    for it in items:
        rec = ic.record_for(by_file, it.path, 0)
        st = stats[it.tag]
        st["n"] += 1
        if rec is None:
            failures.append((it, None, "no output line from Accord for this file"))
            st["fail"] += 1
            continue
        a_valid = rec.get("valid")
        if not isinstance(a_valid, bool):
            failures.append((it, rec, "Accord's \"valid\" is not a boolean: %r" % (a_valid,)))
            st["fail"] += 1
            continue
        if a_valid == bool(it.v_valid):
            passed += 1
            st["agree"] += 1
            continue
        excuse = ic.is_excused(it.tag, INTENTIONAL_DIFFERENCES)
        by_message = None if excuse else message_excuse(it, rec)
        if excuse or by_message:
            known.append((it, rec, INTENTIONAL_DIFFERENCES[excuse] if excuse else by_message))
            st["known"] += 1
        else:
            failures.append((it, rec, "verdicts differ"))
            st["fail"] += 1

    print("== per-tag results (stix2-validator is the reference) ==")
    print("%-55s %5s %6s %6s %6s" % ("tag", "n", "agree", "known", "FAIL"))
    for tag in sorted(stats):
        s = stats[tag]
        print("%-55s %5d %6d %6d %6d%s" % (tag[:55], s["n"], s["agree"], s["known"], s["fail"],
                                           "  <--" if s["fail"] else ""))

    def detail(it, rec, why):
        print("- [%s] %s (%s)%s" % (it.tag, os.path.basename(it.path), why,
                                    (" -- " + it.note) if it.note else ""))
        print("    object: %s" % describe_object(it))
        print("    stix2-validator: %s" % verdict(it.v_valid))
        for m in ic.format_messages(it.v_errors):
            print("        error: %s" % m)
        if rec is not None:
            print("    accord: %s (id %s)" % (verdict(rec.get("valid")), rec.get("id")))
            for m in ic.format_messages(rec.get("errors")):
                print("        error: %s" % m)
            for m in ic.format_messages(rec.get("warnings"), limit=2):
                print("        warning: %s" % m)

    if known:
        print("\n== known (intentional) differences: %d ==" % len(known))
        for it, rec, why in known[:args.max_details]:
            print("- [%s] %s: stix2-validator %s, accord %s -- %s" % (
                it.tag, os.path.basename(it.path), verdict(it.v_valid), verdict(rec.get("valid")), why))
    if failures:
        print("\n== disagreements: %d ==" % len(failures))
        for it, rec, why in failures[:args.max_details]:
            detail(it, rec, why)
        if len(failures) > args.max_details:
            print("... %d more not shown (use --max-details)" % (len(failures) - args.max_details))
    if problems:
        print("\nnote: %d corpus variants had an unexpected stix2-validator verdict (run --dry-run)."
              % len(problems))
    missing = sum(1 for _, rec, _ in failures if rec is None)
    if missing:
        tail = "".join(stderr_texts)[-3000:]
        print("\n%d files got no output line from Accord. Accord's stderr (tail):\n%s"
              % (missing, tail or "(empty)"))
    print("\nworkdir: %s" % workdir)
    ic.final_line(passed, len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
