#!/usr/bin/env python3
"""Matching telemetry against shared indicators, through the real command line and server.

What it proves:
- `accord match` finds the indicators plain observables (IPs, CIDR members, domains, URLs,
  hashes), JSON lines (SCOs, observed-data bundles) and CSV columns match, in jsonl, csv and
  stix (sightings, valid per stix2-validator) output; revoked and expired indicators never match;
- `--as ORG` uses only the indicators that organisation may read: a partner's TLP:RED indicator
  matches only after the owner shares it, a community's indicators not for outsiders;
- `--sightings-to` stores sightings the organisation's partners then read over TAXII;
- `POST /match` answers with the same access rules as TAXII for each token, picks up new and
  revoked indicators without a restart, and refuses malformed requests with 400 naming the path.

Usage: match_access.py --accord PATH
"""
import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_common as ic  # noqa: E402
from taxii_interop import free_port, start_server, stop_server, store_args, suite_opening, accord_ok  # noqa: E402

TAXII = "application/taxii+json;version=2.1"
RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"


def indicator(n, pattern, name, red=False, **extra):
    o = {"type": "indicator", "spec_version": "2.1", "id": "indicator--%08x-7777-4777-8777-777777777777" % n,
         "created": "2020-01-01T00:00:00.000Z", "modified": extra.pop("modified", "2020-01-01T00:00:00.000Z"), "name": name,
         "pattern": pattern, "pattern_type": "stix", "valid_from": "2020-01-01T00:00:00Z"}
    if red:
        o["object_marking_refs"] = [RED]
    o.update(extra)
    return o


def http(method, url, token=None, body=None, content_type="application/json", accept="application/json"):
    headers = {"Accept": accept}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            text = r.read()
            return r.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        text = e.read()
        return e.code, json.loads(text) if text else None


def main():
    args, work = suite_opening(__doc__, "accord-match-")
    check = ic.Checks()
    data = os.path.join(work, "data")
    ok = accord_ok(args.accord, data)

    def cli(*argv, stdin=None):
        return subprocess.run([args.accord, *argv, *store_args(data)], capture_output=True, text=True, input=stdin)

    try:
        for name, country in (("KISA", "KR"), ("JPCERT", "JP"), ("Outsider", "US")):
            ok("org", "add", name, "--country", country)
        ok("community", "add", "KR-JP")
        ok("community", "join", "KR-JP", "KISA")
        ok("community", "join", "KR-JP", "JPCERT")
        ok("collection", "add", "kr-jp", "--community", "KR-JP")
        ok("collection", "add", "open")
        ok("collection", "add", "sightings", "--community", "KR-JP")
        kisa = ok("token", "create", "--org", "KISA", "--role", "editor")
        jp = ok("token", "create", "--org", "JPCERT", "--role", "editor")
        out = ok("token", "create", "--org", "Outsider", "--role", "reader")

        port = free_port()
        base = "http://127.0.0.1:%d" % port
        server = start_server(args.accord, data, port, os.path.join(work, "server.log"))
        try:
            sha = "aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"
            shared = [indicator(1, "[ipv4-addr:value = '198.51.100.7']", "C2 address"),
                      indicator(2, "[ipv4-addr:value ISSUBSET '203.0.113.0/24']", "C2 range"),
                      indicator(3, "[domain-name:value = 'evil.example'] OR [url:value LIKE 'http://evil.example/%']", "Lazarus domain"),
                      indicator(4, "[file:hashes.'SHA-256' = '%s']" % sha, "Dropper"),
                      indicator(5, "[ipv4-addr:value = '198.51.100.8']", "Revoked", revoked=True),
                      indicator(6, "[ipv4-addr:value = '198.51.100.9']", "Expired", valid_until="2021-01-01T00:00:00Z"),
                      indicator(7, "[ipv4-addr:value = '192.0.2.66']", "KISA only", red=True),
                      indicator(8, "[file:size > 1000000 AND file:name LIKE '%.exe']", "Big executable")]
            s, _ = http("POST", base + "/api/collections/kr-jp/objects/", kisa, {"objects": shared}, content_type=TAXII, accept=TAXII)
            check(s == 202, "KISA shares eight indicators with KR-JP", s)
            s, _ = http("POST", base + "/api/collections/open/objects/", jp,
                        {"objects": [indicator(9, "[email-addr:value = 'phish@evil.example']", "Phisher")]}, content_type=TAXII, accept=TAXII)
            check(s == 202, "JPCERT publishes one indicator in a public collection", s)

            plain = "\n".join(["198.51.100.7", "203.0.113.99", "evil.example", "http://evil.example/gate.php", sha,
                               "198.51.100.8", "198.51.100.9", "192.0.2.66", "phish@evil.example", "10.1.1.1", "not an observable", ""])
            path = os.path.join(work, "telemetry.txt")
            with open(path, "w") as f:
                f.write(plain)

            def names(r):
                return sorted({json.loads(line)["indicator"]["name"] for line in r.stdout.splitlines() if line})

            r = cli("match", path)
            everything = ["C2 address", "C2 range", "Dropper", "KISA only", "Lazarus domain", "Phisher"]
            check(r.returncode == 0 and names(r) == everything, "accord match (as the operator) finds every active indicator", (names(r), r.stderr))
            check("skipped: not an observable" in r.stderr and "11 records" in r.stderr, "unrecognised lines are named and counted", r.stderr)
            r = cli("match", "--as", "KISA", path)
            check(names(r) == everything, "--as KISA: its own RED indicator matches too", names(r))
            r = cli("match", "--as", "JPCERT", path)
            check(names(r) == ["C2 address", "C2 range", "Dropper", "Lazarus domain", "Phisher"], "--as JPCERT: not KISA's RED indicator", names(r))
            r = cli("match", "--as", "Outsider", path)
            check(names(r) == ["Phisher"], "--as Outsider: only the public collection", names(r))
            r = cli("match", "--as", "JPCERT", "--collection", "open", path)
            check(names(r) == ["Phisher"], "--collection limits the indicators", names(r))

            ok("share", shared[6]["id"], "--as", "KISA", "--with", "JPCERT")
            r = cli("match", "--as", "JPCERT", path)
            check("KISA only" in names(r), "after `accord share`, JPCERT's matches include KISA's RED indicator", names(r))

            r = cli("match", "--format", "csv", path)
            rows = r.stdout.splitlines()
            check(rows[0] == "source,line,indicator_id,indicator_name,observable_type,observable_value" and
                  any(row.endswith(",ipv4-addr,203.0.113.99") and ",C2 range," in row for row in rows),
                  "--format csv names the indicator and the observable", rows[:3])

            jsonl = os.path.join(work, "records.jsonl")
            with open(jsonl, "w") as f:
                f.write(json.dumps({"type": "file", "id": "file--1", "name": "setup.exe", "size": 5000000}) + "\n")
                f.write(json.dumps({"type": "file", "id": "file--2", "name": "setup.txt", "size": 5000000}) + "\n")
                f.write(json.dumps({"type": "bundle", "id": "bundle--1", "objects": [
                    {"type": "observed-data", "id": "observed-data--1", "first_observed": "2026-01-01T00:00:00Z",
                     "last_observed": "2026-01-01T00:00:00Z", "number_observed": 3, "object_refs": ["ipv4-addr--1"]},
                    {"type": "ipv4-addr", "id": "ipv4-addr--1", "value": "203.0.113.4"}]}) + "\n")
                f.write("{broken\n")
                f.write("{}\n")
                f.write(json.dumps({"type": "bundle", "id": "bundle--2", "objects": []}) + "\n")
            r = cli("match", jsonl)
            check(names(r) == ["Big executable", "C2 range"], "JSON lines: an SCO and an observed-data bundle are matched, AND inside brackets on one file",
                  (names(r), r.stderr))
            check("records.jsonl:4: skipped" in r.stderr, "a line that is not JSON is skipped and named", r.stderr)
            check("records.jsonl:5: skipped" in r.stderr and "no type" in r.stderr and "records.jsonl:6: skipped" in r.stderr,
                  "JSON lines that hold no observation ({} and an empty bundle) are skipped and named", r.stderr)

            csv_path = os.path.join(work, "dns.csv")
            with open(csv_path, "w") as f:
                f.write('time,client,query,md5\n1,10.0.0.5,evil.example,\n2,"198.51.100.7",good.example,\n3,10.0.0.6,x.example,0123456789abcdef0123456789abcdef\n')
            r = cli("match", csv_path, "--map", "client=ipv4-addr:value", "--map", "query=domain-name:value", "--format", "csv")
            rows = r.stdout.splitlines()[1:]
            check(len(rows) == 2 and rows[0].startswith(csv_path + ",2,") and rows[0].endswith(",Lazarus domain,domain-name,evil.example")
                  and rows[1].startswith(csv_path + ",3,") and rows[1].endswith(",C2 address,ipv4-addr,198.51.100.7"),
                  "CSV columns mapped with --map are matched, with their line numbers", (rows, r.stderr))
            r = cli("match", csv_path, "--map", "nosuch=ipv4-addr:value")
            check(r.returncode != 0 and "no column 'nosuch'" in r.stderr, "an unknown CSV column is a clear error", r.stderr)
            r = cli("match", path, "--map", "bad")
            check(r.returncode != 0 and "COLUMN=type:property" in r.stderr, "a malformed --map is a clear error", r.stderr)

            r = cli("match", "--format", "stix", path)
            bundle = json.loads(r.stdout)
            sightings = {s["sighting_of_ref"]: s for s in bundle["objects"]}
            check(len(sightings) == 6 and all(s["type"] == "sighting" and s["count"] >= 1 for s in sightings.values()),
                  "--format stix writes one sighting per matched indicator", bundle)
            bundle_path = os.path.join(work, "sightings.json")
            with open(bundle_path, "w") as f:
                json.dump(bundle, f)
            v = subprocess.run([os.path.join(os.path.dirname(sys.executable), "stix2_validator"), "--version", "2.1", bundle_path],
                               capture_output=True, text=True)
            check(v.returncode == 0, "the sightings validate with stix2-validator", v.stdout[-1500:])

            r = cli("match", "--as", "JPCERT", "--sightings-to", "sightings", path)
            check(r.returncode == 0 and "stored 6 sightings in 'sightings'" in r.stderr, "--sightings-to stores the sightings", r.stderr)
            s, env = http("GET", base + "/api/collections/sightings/objects/?match[type]=sighting", kisa, accept=TAXII)
            seen = {o["sighting_of_ref"] for o in (env or {}).get("objects", [])}
            check(s == 200 and shared[0]["id"] in seen and len(seen) == 6, "KISA reads over TAXII where JPCERT saw its indicators", (s, seen))

            # The HTTP endpoint, per token.
            batch = {"observables": ["198.51.100.7", "192.0.2.66", "phish@evil.example", "zz"],
                     "objects": [{"type": "file", "name": "a.exe", "size": 2000000}]}

            def endpoint(token):
                s, body = http("POST", base + "/match", token, batch)
                return s, body, sorted({m["indicator"]["name"] for m in (body or {}).get("matches", [])})

            s, body, got = endpoint(kisa)
            check(s == 200 and got == ["Big executable", "C2 address", "KISA only", "Phisher"], "POST /match as KISA", (s, body))
            check(body["skipped"] == [{"item": 3, "reason": "not an IP address, domain, URL, email address, MAC address or file hash"}],
                  "POST /match names the items it could not read", body)
            s, body, got = endpoint(out)
            check(got == ["Phisher"], "POST /match as the outsider: only the public indicator", got)
            s, body, got = endpoint(jp)
            check("KISA only" in got, "POST /match as JPCERT: the RED indicator KISA shared", got)

            new = indicator(10, "[ipv4-addr:value = '10.1.1.1']", "New today")
            http("POST", base + "/api/collections/open/objects/", jp, {"objects": [new]}, content_type=TAXII, accept=TAXII)
            s, body = http("POST", base + "/match", out, {"observables": ["10.1.1.1"]})
            check([m["indicator"]["name"] for m in body["matches"]] == ["New today"], "a new indicator matches at once (the index updates)", body)
            revoked = dict(new, modified="2021-01-01T00:00:00.000Z", revoked=True)
            http("POST", base + "/api/collections/open/objects/", jp, {"objects": [revoked]}, content_type=TAXII, accept=TAXII)
            s, body = http("POST", base + "/match", out, {"observables": ["10.1.1.1"]})
            check(s == 200 and body["matches"] == [], "a revoked indicator stops matching at once", body)
            s, _ = http("DELETE", base + "/api/collections/open/objects/indicator--00000009-7777-4777-8777-777777777777/", jp, accept=TAXII)
            s, body = http("POST", base + "/match", out, {"observables": ["phish@evil.example"]})
            check(body["matches"] == [], "a deleted indicator stops matching at once", body)

            for body, needle in (({"observables": "1.2.3.4"}, "$.observables"), ({"observables": [1]}, "$.observables[0]"),
                                 ({"objects": [1]}, "$.objects[0]"), ({"nope": []}, "$.nope"), ([1], "$:")):
                s, e = http("POST", base + "/match", kisa, body)
                check(s == 400 and needle in e["description"], "POST /match refuses %s naming %s" % (json.dumps(body), needle), (s, e))
            # docs/match-api.yaml says maxItems 5000 for each list: 5000 pass, 5001 are refused.
            s, body = http("POST", base + "/match", kisa, {"observables": ["198.51.100.7"] * 5000, "objects": [{}] * 5000})
            check(s == 200 and {m["item"] for m in body["matches"]} == set(range(5000))
                  and [k["item"] for k in body["skipped"]] == list(range(5000, 10000)), "POST /match takes 5000 observables and 5000 objects",
                  (s, sorted({m["item"] for m in body["matches"]})[:5], body["skipped"][:3]))
            for field, item in (("observables", "zz"), ("objects", {})):
                s, e = http("POST", base + "/match", kisa, {field: [item] * 5001})
                check(s == 400 and ("$.%s: 5001 items" % field) in e["description"], "POST /match refuses 5001 %s, naming the list" % field, (s, e))
            s, e = http("POST", base + "/match", None, {"observables": []})
            check(s == 401, "POST /match needs a token", s)
        finally:
            stop_server(server)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return check.finish()


if __name__ == "__main__":
    sys.exit(main())
