#!/usr/bin/env python3
"""Check the generated knowledge base against its own extension schemas.

    /work/main/.venv/bin/python kb/check.py        (needs the `jsonschema` package)

- every cyber-instrument object validates against the schema embedded in the
  cyber-instrument extension-definition, every incident/identity extension
  dict against its extension-definition's schema (JSON Schema 2020-12);
- the schemas use only the keywords the Accord Swift validator implements;
- every object except the TLP marking definition has external references;
- every *_ref / *_refs value resolves inside the bundle (except the OASIS TLP
  creator identity);
- the file on disk is what kb/build.py generates.
"""

import json
import os
import subprocess
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUNDLE = os.path.join(ROOT, "Sources", "KnowledgeBase", "Resources", "korean-peninsula.json")
ALLOWED = {"$schema", "$id", "title", "description", "type", "properties", "required", "additionalProperties",
           "enum", "const", "items", "minItems", "maxItems", "uniqueItems", "minimum", "maximum", "minLength",
           "maxLength", "pattern", "$defs", "$ref", "allOf", "anyOf", "oneOf"}
TLP_CREATOR = "identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01"


def keywords(schema, path="#"):
    """Yield (path, keyword) for every keyword of every (sub)schema."""
    if not isinstance(schema, dict):
        return
    for k, v in schema.items():
        yield path, k
        if k in ("properties", "$defs"):
            for name, sub in v.items():
                yield from keywords(sub, "%s/%s/%s" % (path, k, name))
        elif k in ("items", "additionalProperties") and isinstance(v, dict):
            yield from keywords(v, "%s/%s" % (path, k))
        elif k in ("allOf", "anyOf", "oneOf"):
            for i, sub in enumerate(v):
                yield from keywords(sub, "%s/%s/%d" % (path, k, i))
        elif k == "$ref" and not v.startswith("#/$defs/"):
            yield path, "$ref(non-local:%s)" % v


def refs(value):
    if isinstance(value, dict):
        for k, v in value.items():
            if k.endswith("_ref") and isinstance(v, str):
                yield v
            elif k.endswith("_refs") and isinstance(v, list):
                yield from v
            else:
                yield from refs(v)
    elif isinstance(value, list):
        for v in value:
            yield from refs(v)


def main():
    errors = []
    with open(BUNDLE, encoding="utf-8") as fh:
        bundle = json.load(fh)
    objects = bundle["objects"]
    by_id = {o["id"]: o for o in objects}
    if len(by_id) != len(objects):
        errors.append("duplicate ids")

    validators = {}
    for o in objects:
        if o["type"] == "extension-definition":
            schema = json.loads(o["schema"])
            jsonschema.Draft202012Validator.check_schema(schema)
            for path, k in keywords(schema):
                if k not in ALLOWED:
                    errors.append("%s: schema keyword %s at %s not allowed" % (o["id"], k, path))
            validators[o["id"]] = (o, jsonschema.Draft202012Validator(schema))

    checked = 0
    for o in objects:
        if o["type"] == "cyber-instrument":
            ext_ids = [e for e, d in o["extensions"].items() if d.get("extension_type") == "new-sdo"]
            for e in ext_ids:
                for err in validators[e][1].iter_errors(o):
                    errors.append("%s: %s at %s" % (o["id"], err.message, list(err.absolute_path)))
                checked += 1
        elif o["type"] != "marking-definition":
            for e, d in o.get("extensions", {}).items():
                if e in validators and d.get("extension_type") == "property-extension":
                    for err in validators[e][1].iter_errors(d):
                        errors.append("%s ext: %s at %s" % (o["id"], err.message, list(err.absolute_path)))
                    checked += 1
        if o["type"] in ("incident", "identity") and not any(e in validators for e in o.get("extensions", {})):
            errors.append("%s lacks its Accord extension" % o["id"])
        if o["type"] != "marking-definition" and not o.get("external_references"):
            errors.append("%s has no external_references" % o["id"])
        for r in refs(o):
            if r not in by_id and r != TLP_CREATOR:
                errors.append("%s: unresolved reference %s" % (o["id"], r))

    build = subprocess.run([sys.executable, os.path.join(HERE, "build.py"), "--check"],
                           capture_output=True, text=True)
    if build.returncode != 0:
        errors.append(build.stdout.strip() or build.stderr.strip())

    for e in errors:
        print("FAIL", e)
    counts = {}
    for o in objects:
        counts[o["type"]] = counts.get(o["type"], 0) + 1
    print("kb check: %d objects (%s); %d objects/extension dicts validated against embedded schemas; %d problems"
          % (len(objects), ", ".join("%s %d" % kv for kv in sorted(counts.items())), checked, len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
