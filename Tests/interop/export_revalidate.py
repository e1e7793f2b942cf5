#!/usr/bin/env python3
"""`accord export` of an imported corpus re-validates clean with stix2-validator, and
re-importing the export changes nothing.

Usage:
    .venv/bin/python Tests/interop/export_revalidate.py --accord PATH [--attack FILE] [--seed N]

The corpus is MITRE ATT&CK for ICS (real data with custom objects and properties) plus objects
from stix2-generator that stix2-validator judges valid. Each check prints a line; the last line
is "N passed, N failed".
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_common as ic  # noqa: E402

import stix2generator  # noqa: E402
from stix2generator.generation.object_generator import Config  # noqa: E402
from stix2validator import ValidationOptions, validate_instance, validate_parsed_json  # noqa: E402

GENERATED_TYPES = [
    "attack-pattern", "campaign", "course-of-action", "grouping", "identity", "incident", "indicator",
    "infrastructure", "intrusion-set", "location", "malware", "malware-analysis", "note", "observed-data",
    "opinion", "report", "threat-actor", "tool", "vulnerability", "relationship", "sighting",
    "ipv4-addr", "domain-name", "url", "file", "email-addr", "network-traffic", "process", "software",
]


def generated_corpus(seed, per_type):
    """Generated objects that stix2-validator accepts (the generator is not always right)."""
    random.seed(seed)
    generator = stix2generator.create_object_generator(Config(optional_property_probability=0.5))
    options = ValidationOptions(version="2.1")
    out = []
    for t in GENERATED_TYPES:
        made = 0
        for _ in range(per_type * 5):
            obj = generator.generate(t)
            if validate_instance(obj, options).is_valid:
                out.append(obj)
                made += 1
                if made == per_type:
                    break
    return out


def run(accord, *args, stdin=None):
    return subprocess.run([accord, *args], capture_output=True, text=True, timeout=1800, stdin=stdin)


def main():
    ic.ensure_fixed_hash_seed()
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accord", required=True)
    parser.add_argument("--attack", default=os.path.normpath(os.path.join(here, "../../../shared/data/ics-attack-18.1.json")))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-type", type=int, default=10)
    args = parser.parse_args()

    check = ic.Checks()

    with tempfile.TemporaryDirectory(prefix="accord-export-") as work:
        data = os.path.join(work, "data")
        corpus = generated_corpus(args.seed, args.per_type)
        gen_path = os.path.join(work, "generated.json")
        with open(gen_path, "w") as f:
            json.dump({"type": "bundle", "id": "bundle--0b4b6b2c-3bb0-4e55-9e2b-6f3a7f4c5d6e", "objects": corpus}, f)
        inputs = [args.attack, gen_path]
        total = 0
        for path in inputs:
            r = run(args.accord, "import", "--data", data, path)
            check(r.returncode == 0, "import %s" % os.path.basename(path), r.stderr)
        with open(args.attack) as f:
            total = len(json.load(f)["objects"]) + len(corpus)

        r = run(args.accord, "export", "--data", data)
        check(r.returncode == 0, "export", r.stderr)
        exported = json.loads(r.stdout)
        objects = exported.get("objects", [])
        check(len(objects) == total, "export holds every imported object (%d of %d)" % (len(objects), total))
        export_path = os.path.join(work, "export.json")
        with open(export_path, "w") as f:
            f.write(r.stdout)

        bundle_result = validate_parsed_json(exported, ValidationOptions(version="2.1"))
        check(bundle_result.is_valid, "stix2-validator accepts the exported bundle")
        options = ValidationOptions(version="2.1")
        errors = []
        for obj in objects:
            res = validate_instance(obj, options)
            if not res.is_valid:
                errors.append((obj.get("id"), [str(e) for e in res.errors]))
        check(not errors, "stix2-validator finds no error in any exported object (%d objects)" % len(objects),
              json.dumps(errors[:5], indent=1))

        r = run(args.accord, "import", "--data", data, export_path)
        summary = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
        check(r.returncode == 0 and "added 0, unchanged %d, rejected 0" % total in summary,
              "re-importing the export changes nothing", r.stderr)

    return check.finish()


if __name__ == "__main__":
    sys.exit(main())
