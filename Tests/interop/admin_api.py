#!/usr/bin/env python3
"""The admin REST API (docs/admin-api.yaml) and the match endpoint (docs/match-api.yaml) through
the real server, judged by the OpenAPI files themselves, by openapi-spec-validator and by
schemathesis.

What it proves:
- the OpenAPI file is valid (openapi-spec-validator);
- schemathesis with every check (no 5xx, documented status codes, content types, headers and
  bodies as the file says, malformed input refused, valid input accepted, 405 for other
  methods, credentials required) finds nothing, over an audited store that still verifies;
- who may do what: hub admins manage the directory; an organisation's admins manage only their
  own organisation (anything else looks absent); readers and sync tokens get 403; editors share;
- a hub admin may issue an organisation's first token only (no read bypass for the operator);
- a token created over the API works at once over TAXII; revoking it (or its user) makes the
  next request 401; no secret is ever listed or stored;
- a TLP:RED object shared with POST /admin/shares becomes readable by the recipient only;
- every change is in the audit log, and the command line sees what the API changed.

Usage: admin_api.py --accord PATH [--examples N]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_common as ic  # noqa: E402
from taxii_interop import TOKEN, free_port, start_server, stop_server  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC = os.path.join(ROOT, "docs", "admin-api.yaml")
MATCH_SPEC = os.path.join(ROOT, "docs", "match-api.yaml")
TAXII = "application/taxii+json;version=2.1"
RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
EXAMPLE_ID = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"


def call(base, method, path, token=None, body=None, content_type="application/json", raw=None):
    """One request; returns (status, headers, parsed JSON body or None)."""
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
    if data is not None and content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            status, h, text = r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        status, h, text = e.code, dict(e.headers), e.read()
    try:
        parsed = json.loads(text) if text else None
    except ValueError:
        parsed = text
    return status, h, parsed


def indicator(id_, red=True):
    o = {"type": "indicator", "spec_version": "2.1", "id": id_, "created": "2020-01-01T00:00:00.000Z",
         "modified": "2020-01-01T00:00:00.000Z", "name": "shared RED indicator", "pattern": "[ipv4-addr:value = '10.66.0.1']",
         "pattern_type": "stix", "valid_from": "2020-01-01T00:00:00Z"}
    if red:
        o["object_marking_refs"] = [RED]
    return o


def taxii(base, method, path, token, body=None):
    headers = {"Accept": TAXII, "Authorization": "Bearer " + token}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = TAXII
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def semantics(args, check, work):
    data = os.path.join(work, "semantics")
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    server = start_server(args.accord, data, port, os.path.join(work, "semantics.log"))
    try:
        def api(method, path, token=TOKEN, body=None, **kw):
            return call(base, method, path, token, body, **kw)

        s, _, me = api("GET", "/admin/whoami")
        check(s == 200 and me["hub_admin"] is True and me["role"] == "admin", "the first-start admin token is a hub admin", me)
        operator = me["organisation"]

        orgs = {}
        for name, country in (("KISA", "KR"), ("JPCERT", "jp"), ("Outsider", "US")):
            s, _, o = api("POST", "/admin/organisations", body={"name": name, "country": country, "sector": "government"})
            check(s == 201 and o["name"] == name and o["country"] == country.upper() and o["identity_id"].startswith("identity--"),
                  "POST /admin/organisations adds %s (country in capitals, a STIX identity)" % name, (s, o))
            orgs[name] = o["id"]
        for body, status, needle, what in (
                ({"name": "KISA", "country": "KR"}, 409, "already exists", "a taken name is 409"),
                ({"name": "X", "country": "KOR"}, 400, "$.country", "a three-letter country is 400 naming $.country"),
                ({"name": "X", "country": "KR", "colour": "red"}, 400, "$.colour", "an unknown field is 400 naming it"),
                ({"name": "   ", "country": "KR"}, 400, "$.name", "a blank name is 400"),
                ({"country": "KR"}, 400, "$.name: required", "a missing name is 400"),
                ({"name": 7, "country": "KR"}, 400, "$.name: must be a string", "a number for a name is 400")):
            s, _, e = api("POST", "/admin/organisations", body=body)
            check(s == status and needle in e.get("description", ""), what, (s, e))
        s, _, e = api("POST", "/admin/organisations", raw=b'{"name": "X", "country": "KR"}', content_type="text/plain")
        check(s == 415, "a body that is not application/json is 415", (s, e))
        s, _, e = api("POST", "/admin/organisations", raw=b'{"name": ', content_type="application/json")
        check(s == 400 and e["http_status"] == "400", "a body that is not JSON is 400", (s, e))
        s, h, e = api("PATCH", "/admin/organisations")
        check(s == 405 and "POST" in h.get("Allow", "") and "GET" in h.get("Allow", ""), "another method is 405 with Allow", (s, h))
        s, h, e = call(base, "GET", "/admin/organisations", None)
        check(s == 401 and "WWW-Authenticate" in h, "no token is 401 with WWW-Authenticate", (s, h))

        s, _, c = api("POST", "/admin/communities", body={"name": "KR-JP"})
        check(s == 201 and c["members"] == [], "POST /admin/communities creates a community", (s, c))
        for org in ("KISA", "JPCERT"):
            s, _, _ = api("PUT", "/admin/communities/KR-JP/members/%s" % org)
            check(s == 204, "PUT .../members/%s joins it" % org, s)
        s, _, _ = api("PUT", "/admin/communities/KR-JP/members/KISA")
        check(s == 204, "joining twice is no error", s)
        s, _, _ = api("PUT", "/admin/communities/Nowhere/members/KISA")
        check(s == 404, "an unknown community is 404", s)
        s, _, cs = api("GET", "/admin/communities")
        check(sorted(cs["communities"][0]["members"]) == sorted([orgs["KISA"], orgs["JPCERT"]]), "GET /admin/communities lists the members", cs)
        s, _, col = api("POST", "/admin/collections", body={"alias": "kr-jp", "visibility": "community", "community": "KR-JP",
                                                           "default_tlp": "amber", "title": "KR-JP exchange"})
        check(s == 201 and col["community"] == cs["communities"][0]["id"] and col["default_tlp"] == "amber",
              "POST /admin/collections creates a community collection", (s, col))
        for body, needle in (({"alias": "x", "visibility": "public", "community": "KR-JP"}, "$.community"),
                             ({"alias": "x", "visibility": "community"}, "$.community: required"),
                             ({"alias": "Bad Alias", "visibility": "public"}, "$.alias"),
                             ({"alias": "x", "visibility": "public", "default_tlp": "white"}, "$.default_tlp")):
            s, _, e = api("POST", "/admin/collections", body=body)
            check(s == 400 and needle in e["description"], "a collection %s is refused naming %s" % (json.dumps(body), needle), (s, e))
        s, _, e = api("POST", "/admin/collections", body={"alias": "kr-jp", "visibility": "public"})
        check(s == 409, "a taken alias is 409", (s, e))

        # Onboarding: the hub admin issues each organisation's first admin token, and no more.
        admin = {}
        for org in ("KISA", "JPCERT", "Outsider"):
            s, _, t = api("POST", "/admin/tokens", body={"role": "admin", "organisation": org, "name": org + " admin", "expires_in_days": 30})
            check(s == 201 and len(t["secret"]) >= 43 and t["organisation"] == orgs[org] and t["expires"].endswith("Z"),
                  "the hub admin issues %s's first admin token" % org, (s, t))
            admin[org] = t
        s, _, e = api("POST", "/admin/tokens", body={"role": "reader", "organisation": "KISA"})
        check(s == 403 and "live tokens" in e["description"], "the hub admin cannot issue more tokens of an organisation that has one", (s, e))
        s, _, e = api("POST", "/admin/tokens", body={"role": "reader", "user": "nobody"})
        check(s == 400 and "$.role" in e["description"], "role and user together are 400", (s, e))
        s, _, listed = api("GET", "/admin/tokens")
        check(s == 200 and all("secret" not in t for t in listed["tokens"]) and
              not any(admin[o]["secret"] in json.dumps(listed) for o in admin), "GET /admin/tokens never shows a secret", listed)

        kisa = admin["KISA"]["secret"]
        s, _, me = api("GET", "/admin/whoami", kisa)
        check(s == 200 and me["hub_admin"] is False and me["organisation"] == orgs["KISA"], "an organisation's admin is not a hub admin", me)
        s, _, ol = api("GET", "/admin/organisations", kisa)
        check([o["name"] for o in ol["organisations"]] == ["KISA"], "an organisation's admin lists only its organisation", ol)
        for method, path, body, what in (("GET", "/admin/organisations/JPCERT", None, "another organisation"),
                                         ("GET", "/admin/organisations/%s" % operator, None, "the operator's organisation"),
                                         ("POST", "/admin/users", {"name": "spy", "role": "admin", "organisation": "JPCERT"},
                                          "a user for another organisation"),
                                         ("POST", "/admin/tokens", {"role": "reader", "organisation": "JPCERT"}, "a token for another organisation"),
                                         ("DELETE", "/admin/tokens/%s" % admin["JPCERT"]["id"], None, "revoking another organisation's token")):
            s, _, e = api(method, path, kisa, body)
            check(s == 404, "KISA's admin: %s looks absent (404)" % what, (s, e))
        for method, path, body, what in (("POST", "/admin/organisations", {"name": "Y", "country": "KR"}, "add organisations"),
                                         ("POST", "/admin/communities", {"name": "Z"}, "add communities"),
                                         ("PUT", "/admin/communities/KR-JP/members/Outsider", None, "change communities"),
                                         ("POST", "/admin/collections", {"alias": "kisa-open", "visibility": "public"}, "create public collections"),
                                         ("GET", "/admin/audit", None, "read the whole audit log")):
            s, _, e = api(method, path, kisa, body)
            check(s == 403, "KISA's admin may not %s (403)" % what, (s, e))
        s, _, priv = api("POST", "/admin/collections", kisa, {"alias": "kisa-only", "visibility": "private", "default_tlp": "amber"})
        check(s == 201 and priv["organisation"] == orgs["KISA"], "an organisation's admin creates a collection private to it", (s, priv))
        s, _, user = api("POST", "/admin/users", kisa, {"name": "kim", "role": "editor", "email": "kim@example.kr"})
        check(s == 201 and user["organisation"] == orgs["KISA"], "an organisation's admin adds a user to it", (s, user))
        s, _, kt = api("POST", "/admin/tokens", kisa, {"user": "kim", "name": "kim laptop"})
        check(s == 201 and kt["role"] == "editor", "a user's token carries the user's role", (s, kt))
        kim = kt["secret"]
        s, _, r = api("POST", "/admin/tokens", admin["JPCERT"]["secret"], {"role": "reader", "name": "jp reader"})
        jp_reader = r["secret"]
        s, _, r = api("POST", "/admin/tokens", admin["Outsider"]["secret"], {"role": "sync"})
        out_sync = r["secret"]
        s, _, cl = api("GET", "/admin/collections", kisa)
        check(sorted(c["alias"] for c in cl["collections"]) == ["default", "kisa-only", "korean-peninsula", "kr-jp"],
              "an organisation's admin lists the collections it can see", cl)
        s, _, cl = api("GET", "/admin/collections", admin["Outsider"]["secret"])
        check(sorted(c["alias"] for c in cl["collections"]) == ["default", "korean-peninsula"], "an outsider's admin sees no community or private collection", cl)

        for token, what in ((kim, "an editor"), (jp_reader, "a reader"), (out_sync, "a sync token")):
            s, _, e = api("GET", "/admin/users", token)
            check(s == 403, "%s gets 403 from /admin/users" % what, (s, e))
            s, _, _ = api("GET", "/admin/whoami", token)
            check(s == 200, "%s may ask who it is" % what, s)

        # TLP:RED through the API: owner shares, the recipient reads, nobody else.
        red_id = "indicator--a1f3b0c2-5d6e-4f70-8a9b-0c1d2e3f4a5b"
        s = taxii(base, "POST", "/api/collections/kr-jp/objects/", kim, {"objects": [indicator(red_id)]})
        check(s == 202, "a token made over the API writes over TAXII at once", s)
        obj = "/api/collections/kr-jp/objects/%s/" % red_id
        check(taxii(base, "GET", obj, jp_reader) == 404, "before sharing, the partner cannot read the RED object", "")
        s, _, e = api("POST", "/admin/shares", jp_reader, {"object_id": red_id, "organisation": "KISA"})
        check(s == 403, "a reader may not share", (s, e))
        s, _, e = api("POST", "/admin/shares", admin["JPCERT"]["secret"], {"object_id": red_id, "organisation": "JPCERT"})
        check(s == 404, "a partner cannot share an object it does not own (404)", (s, e))
        s, _, e = api("POST", "/admin/shares", kim, {"object_id": "not-an-id", "organisation": "JPCERT"})
        check(s == 400 and "$.object_id" in e["description"], "a malformed object id is 400 naming $.object_id", (s, e))
        s, _, e = api("POST", "/admin/shares", kim, {"object_id": red_id, "organisation": "Nobody"})
        check(s == 404, "an unknown recipient is 404", (s, e))
        s, _, sh = api("POST", "/admin/shares", kim, {"object_id": red_id, "organisation": "JPCERT"})
        check(s == 201 and sh["owner"] == orgs["KISA"] and sh["recipient"] == orgs["JPCERT"], "the owner's editor shares the RED object", (s, sh))
        check(taxii(base, "GET", obj, jp_reader) == 200, "after sharing, the recipient reads it", "")
        check(taxii(base, "GET", obj, out_sync) == 404 and taxii(base, "GET", obj, TOKEN) == 404,
              "the outsider and the hub admin still cannot", "")

        # Revocation takes effect at once.
        s, _, _ = api("DELETE", "/admin/tokens/%s" % kt["id"], kisa)
        check(s == 204 and taxii(base, "GET", "/api/collections/kr-jp/objects/", kim) == 401, "a token revoked over the API gets 401 at once", s)
        s, _, kt2 = api("POST", "/admin/tokens", kisa, {"user": "kim"})
        s, _, ru = api("DELETE", "/admin/users/kim", kisa)
        check(s == 200 and ru["revoked"].endswith("Z") and taxii(base, "GET", "/api/collections/kr-jp/objects/", kt2["secret"]) == 401,
              "revoking a user revokes their tokens at once", (s, ru))
        s, _, e = api("POST", "/admin/tokens", kisa, {"user": "kim"})
        check(s == 409, "a revoked user gets no new token", (s, e))
        s, _, e = api("DELETE", "/admin/tokens/%s" % admin["KISA"]["id"], kisa)
        check(s == 409, "a token cannot revoke itself", (s, e))

        s, _, e = api("DELETE", "/admin/organisations/%s" % operator)
        check(s == 409, "the operator's organisation cannot be removed", (s, e))
        s, _, _ = api("DELETE", "/admin/organisations/Outsider")
        check(s == 204 and taxii(base, "GET", "/api/collections/default/objects/", out_sync) == 401,
              "removing an organisation removes its tokens", s)

        s, _, audit = api("GET", "/admin/audit?limit=1000")
        actions = {r["action"] for r in audit["records"]}
        wanted = {"org.add", "org.remove", "community.add", "community.join", "collection.add", "user.add", "user.revoke",
                  "token.create", "token.revoke", "object.share"}
        check(s == 200 and wanted <= actions, "every change made over the API is in the audit log", sorted(wanted - actions))
        check(not any(admin[o]["secret"] in json.dumps(audit) for o in admin) and kim not in json.dumps(audit),
              "no secret is in the audit log", "")
        s, _, e = api("GET", "/admin/audit?limit=0")
        check(s == 400, "limit=0 is 400", (s, e))
        cli = subprocess.run([args.accord, "org", "list", "--data", data], capture_output=True, text=True)
        check(cli.returncode == 0 and "KISA" in cli.stdout and "Outsider" not in cli.stdout, "the command line sees what the API changed", cli.stdout)
        with open(os.path.join(data, "accord.sqlite"), "rb") as f:
            stored = f.read()
        for suffix in ("-wal",):
            if os.path.exists(os.path.join(data, "accord.sqlite" + suffix)):
                with open(os.path.join(data, "accord.sqlite" + suffix), "rb") as f:
                    stored += f.read()
        check(not any(t.encode() in stored for t in (kim, jp_reader, out_sync, admin["KISA"]["secret"])),
              "no token secret is stored, only hashes", "")
    finally:
        stop_server(server)
    r = subprocess.run([args.accord, "audit", "verify", "--data", data], capture_output=True, text=True)
    check(r.returncode == 0, "accord audit verify passes after the API changes", r.stdout + r.stderr)


def conformance(args, check, work):
    """openapi-spec-validator on the file, then schemathesis against a live server."""
    from openapi_spec_validator import validate
    from openapi_spec_validator.readers import read_from_filename
    spec, _ = read_from_filename(SPEC)
    try:
        validate(spec)
        check(True, "docs/admin-api.yaml is a valid OpenAPI document (openapi-spec-validator)")
    except Exception as e:  # the validator's own error names the place
        check(False, "docs/admin-api.yaml is a valid OpenAPI document (openapi-spec-validator)", e)

    match_spec, _ = read_from_filename(MATCH_SPEC)
    try:
        validate(match_spec)
        check(True, "docs/match-api.yaml is a valid OpenAPI document (openapi-spec-validator)")
    except Exception as e:
        check(False, "docs/match-api.yaml is a valid OpenAPI document (openapi-spec-validator)", e)

    data = os.path.join(work, "fuzz")
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    log = os.path.join(work, "fuzz.log")
    server = start_server(args.accord, data, port, log)
    try:
        # Something to share: a TLP:RED object of the operator's organisation with the id the
        # OpenAPI file gives as example.
        s = taxii(base, "POST", "/api/collections/default/objects/", TOKEN, {"objects": [indicator(EXAMPLE_ID)]})
        check(s == 202, "the fuzzed hub holds an object to share", s)
        st = os.path.join(os.path.dirname(sys.executable), "schemathesis")
        run = subprocess.run([st, "run", SPEC, "--url", base, "-H", "Authorization: Bearer " + TOKEN, "--checks", "all",
                              "--max-examples", str(args.examples), "--no-color"],
                             capture_output=True, text=True, cwd=work, timeout=1800)
        summary = run.stdout[run.stdout.rfind("SUMMARY"):] if "SUMMARY" in run.stdout else run.stdout[-3000:]
        print("\n".join("    " + line for line in summary.splitlines() if line.strip()))
        check(run.returncode == 0, "schemathesis --checks all finds no 500 and no response that contradicts the OpenAPI file",
              run.stdout[-6000:] + run.stderr[-2000:])
        # The match endpoint, with an indicator the example observables hit.
        hit = {"type": "indicator", "spec_version": "2.1", "id": "indicator--6f0c5bd5-6a9e-4c83-9cb6-8a0e7f1d2c3b",
               "created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z", "name": "example",
               "pattern": "[ipv4-addr:value = '198.51.100.7']", "pattern_type": "stix", "valid_from": "2020-01-01T00:00:00Z"}
        taxii(base, "POST", "/api/collections/default/objects/", TOKEN, {"objects": [hit]})
        run = subprocess.run([st, "run", MATCH_SPEC, "--url", base, "-H", "Authorization: Bearer " + TOKEN, "--checks", "all",
                              "--max-examples", str(max(20, args.examples // 2)), "--no-color"],
                             capture_output=True, text=True, cwd=work, timeout=1800)
        summary = run.stdout[run.stdout.rfind("SUMMARY"):] if "SUMMARY" in run.stdout else run.stdout[-3000:]
        print("\n".join("    " + line for line in summary.splitlines() if line.strip()))
        check(run.returncode == 0, "schemathesis --checks all on POST /match finds no 500 and no answer that contradicts docs/match-api.yaml",
              run.stdout[-6000:] + run.stderr[-2000:])
        check(server.poll() is None, "the server is still running after the fuzzing", "")
        s, _, me = call(base, "GET", "/admin/whoami", TOKEN)
        check(s == 200, "the admin token still works after the fuzzing", s)
    finally:
        stop_server(server)
    with open(log) as f:
        text = f.read()
    check("Fatal error" not in text and "Internal error" not in text, "the server log shows no crash and no internal error", text[-2000:])
    r = subprocess.run([args.accord, "audit", "verify", "--data", data], capture_output=True, text=True)
    check(r.returncode == 0, "the audit chain written during the fuzzing verifies", r.stdout + r.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--accord", required=True)
    p.add_argument("--examples", type=int, default=100, help="schemathesis examples per operation and phase")
    args = p.parse_args()
    check = ic.Checks()
    work = tempfile.mkdtemp(prefix="accord-admin-")
    try:
        semantics(args, check, work)
        conformance(args, check, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return check.finish()


if __name__ == "__main__":
    sys.exit(main())
