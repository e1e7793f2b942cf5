#!/usr/bin/env python3
"""Access control through the real server: organisations, communities, collections, tokens
and TLP 2.0, set up with the accord command line and checked over HTTP.

What it proves (DESIGN.md, "Who may read what"):
- a community collection is invisible (404, absent from the list) to organisations outside it;
- inside it, every member reads CLEAR..AMBER+STRICT, and TLP:RED only when it owns the object
  or the owner shared it (`accord share`), by every endpoint: objects, object, versions, manifest;
- an admin token of another organisation gets no bypass;
- writes: readers get 403, a partner's object cannot get new versions, deletes are owner-only;
- revoked tokens get 401;
- with `--allow-anonymous`, clients without a token read only the TLP:CLEAR objects of public
  collections, and cannot write.

Usage: access_control.py --accord PATH
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
TLP = {"clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
       "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
       "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
       "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
       "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"}


def indicator(n, level=None, modified="2020-01-01T00:00:00.000Z"):
    o = {"type": "indicator", "spec_version": "2.1", "id": "indicator--%08x-3333-4333-8333-333333333333" % n,
         "created": "2020-01-01T00:00:00.000Z", "modified": modified, "name": "Indicator %d" % n,
         "pattern": "[ipv4-addr:value = '10.9.%d.%d']" % (n // 256, n % 256), "pattern_type": "stix",
         "valid_from": "2020-01-01T00:00:00Z"}
    if level:
        o["object_marking_refs"] = [TLP[level]]
    return o


class Client:
    def __init__(self, base, token):
        self.base, self.token = base, token

    def call(self, method, path, body=None):
        headers = {"Accept": TAXII}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = TAXII
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                text = r.read()
                return r.status, json.loads(text) if text else {}
        except urllib.error.HTTPError as e:
            text = e.read()
            return e.code, json.loads(text) if text else {}

    def ids(self, collection, path="objects/", **_):
        status, body = self.call("GET", "/api/collections/%s/%s?match[version]=all" % (collection, path))
        return status, sorted({o["id"] for o in body.get("objects", [])})


def main():
    args, work = suite_opening(__doc__, "accord-access-")
    check = ic.Checks()
    data = os.path.join(work, "data")
    cli = accord_ok(args.accord, data)

    for name, country in (("KrCERT", "KR"), ("JPCERT", "JP"), ("Outsider", "US")):
        cli("org", "add", name, "--country", country, "--sector", "government")
    cli("community", "add", "KR-JP")
    cli("community", "join", "KR-JP", "KrCERT")
    cli("community", "join", "KR-JP", "JPCERT")
    shared = cli("collection", "add", "kr-jp", "--community", "KR-JP").split("\t")[0]
    public = cli("collection", "add", "open").split("\t")[0]
    private = cli("collection", "add", "kr-only", "--private", "KrCERT", "--default-tlp", "amber").split("\t")[0]
    for argv, needle in ((["collection", "add", "Bad Alias"], "not a collection alias"),
                         (["org", "add", "X", "--country", "KOR"], "two-letter ISO 3166-1"),
                         (["org", "add", "KrCERT", "--country", "KR"], "already exists"),
                         (["token", "create", "--org", "Nobody", "--role", "reader"], "no organisation"),
                         (["token", "create", "--org", "KrCERT", "--role", "owner"], "--role must be")):
        r = subprocess.run([args.accord, *argv, *store_args(data)], capture_output=True, text=True)
        check(r.returncode != 0 and needle in r.stderr, "accord %s fails clearly" % " ".join(argv), r.stderr)
    tok = {}
    for key, org, role in (("kr_editor", "KrCERT", "editor"), ("jp_reader", "JPCERT", "reader"), ("jp_editor", "JPCERT", "editor"),
                           ("out_admin", "Outsider", "admin"), ("out_editor", "Outsider", "editor"), ("revoked", "JPCERT", "reader")):
        tok[key] = cli("token", "create", "--org", org, "--role", role, "--name", key)
    listing = cli("token", "list")
    check(all(t not in listing for t in tok.values()) and "revoked" in listing, "token list shows tokens, never their secrets")
    revoked_id = [line.split("\t")[0] for line in listing.splitlines() if "\trevoked\t" in line][0]
    cli("token", "revoke", revoked_id)

    port = free_port()
    server = start_server(args.accord, data, port, os.path.join(work, "server.log"))
    base = "http://127.0.0.1:%d" % port
    c = {k: Client(base, v) for k, v in tok.items()}
    try:
        # KrCERT shares one object of each level (and one unmarked) with the community.
        levels = ["clear", "green", "amber", "amber+strict", "red", None]
        objects = [indicator(i, level) for i, level in enumerate(levels)]
        status, body = c["kr_editor"].call("POST", "/api/collections/%s/objects/" % shared, {"objects": objects})
        check(status == 202 and body.get("success_count") == 6, "a community member posts one object per TLP level", body)
        red = objects[4]["id"]
        strict = objects[3]["id"]
        below_red = sorted(o["id"] for o in objects if o["id"] != red)

        check(c["kr_editor"].ids(shared) == (200, sorted(o["id"] for o in objects)), "the owner reads all its objects, RED included")
        check(c["jp_reader"].ids(shared) == (200, below_red), "a member organisation reads CLEAR..AMBER+STRICT, not another's RED")
        status, body = c["jp_reader"].call("GET", "/api/collections/%s/manifest/" % shared)
        check(sorted(o["id"] for o in body.get("objects", [])) == below_red, "the manifest does not reveal the RED object either")
        for what, path in (("object", "objects/%s/" % red), ("versions", "objects/%s/versions/" % red)):
            status, _ = c["jp_reader"].call("GET", "/api/collections/%s/%s" % (shared, path))
            check(status == 404, "a member gets 404 for another's RED %s" % what, status)

        # An admin of an organisation outside the community: no bypass, by any endpoint.
        status, body = c["out_admin"].call("GET", "/api/collections/")
        listed = [x["id"] for x in body.get("collections", [])]
        check(shared not in listed and private not in listed and public in listed,
              "collections list: an outsider sees only the public collection", listed)
        for what, path in (("collection", ""), ("objects", "objects/"), ("manifest", "manifest/"), ("RED object", "objects/%s/" % red),
                           ("RED versions", "objects/%s/versions/" % red), ("AMBER+STRICT object", "objects/%s/" % strict)):
            status, _ = c["out_admin"].call("GET", "/api/collections/%s/%s" % (shared, path))
            check(status == 404, "an admin of another organisation gets 404 for the community's %s" % what, status)
        status, _ = c["out_editor"].call("POST", "/api/collections/%s/objects/" % shared, {"objects": [indicator(90)]})
        check(status == 404, "an outsider cannot write to a collection it cannot see (404, as absent)", status)

        # Sharing RED with a named recipient.
        cli("share", red, "--as", "KrCERT", "--with", "JPCERT")
        check(c["jp_reader"].ids(shared) == (200, sorted(o["id"] for o in objects)), "after `accord share`, the recipient reads the RED object")
        status, _ = c["jp_reader"].call("GET", "/api/collections/%s/objects/%s/" % (shared, red))
        check(status == 200, "... by the object endpoint too", status)
        status, _ = c["out_admin"].call("GET", "/api/collections/%s/objects/%s/" % (shared, red))
        check(status == 404, "... and still nobody else", status)

        # Public collection: every organisation reads up to AMBER+STRICT, RED stays with its owner.
        c["kr_editor"].call("POST", "/api/collections/%s/objects/" % public, {"objects": [indicator(20, "amber"), indicator(21, "red")]})
        check(c["out_admin"].ids(public) == (200, [indicator(20)["id"]]), "public collection: another organisation reads AMBER, not RED")

        # Exports under the same policy: `accord export --as ORG`.
        exported = json.loads(cli("export", "--collection", "open", "--as", "Outsider"))
        check(sorted(o["id"] for o in exported["objects"]) == [indicator(20)["id"]],
              "accord export --as an organisation holds what it may read over TAXII (AMBER, not another's RED)", exported)
        r = subprocess.run([args.accord, "export", "--collection", "kr-jp", "--as", "Outsider", *store_args(data)], capture_output=True, text=True)
        check(r.returncode != 0 and "no collection" in r.stderr, "... and a collection hidden from it is absent", r.stderr)
        everything = json.loads(cli("export", "--as", "Outsider"))
        check(red not in {o["id"] for o in everything["objects"]}, "... also when exporting every collection")

        # Private collection: only its organisation.
        status, _ = c["jp_reader"].call("GET", "/api/collections/%s/objects/" % private)
        check(status == 404, "a private collection is absent for other organisations", status)
        status, body = c["kr_editor"].call("POST", "/api/collections/%s/objects/" % private, {"objects": [indicator(30)]})
        check(status == 202 and c["kr_editor"].ids(private) == (200, [indicator(30)["id"]]), "its organisation writes and reads it", body)

        # Writes.
        status, _ = c["jp_reader"].call("POST", "/api/collections/%s/objects/" % shared, {"objects": [indicator(40)]})
        check(status == 403, "a reader may not write (403)", status)
        status, body = c["jp_editor"].call("POST", "/api/collections/%s/objects/" % shared,
                                           {"objects": [indicator(1, "green", modified="2021-01-01T00:00:00.000Z")]})
        failures = body.get("failures", [])
        check(status == 202 and body.get("failure_count") == 1 and "another organisation" in failures[0].get("message", ""),
              "a new version of a partner's object is refused, naming why", body)
        status, _ = c["jp_editor"].call("DELETE", "/api/collections/%s/objects/%s/" % (shared, objects[0]["id"]))
        check(status == 404, "deleting a partner's object: 404, nothing removed", status)
        check(objects[0]["id"] in c["jp_reader"].ids(shared)[1], "... the object is still there")
        status, _ = c["kr_editor"].call("DELETE", "/api/collections/%s/objects/%s/" % (shared, objects[0]["id"]))
        check(status == 200 and objects[0]["id"] not in c["jp_reader"].ids(shared)[1], "the owner deletes its object")

        status, _ = c["revoked"].call("GET", "/api/collections/")
        check(status == 401, "a revoked token gets 401", status)

        # Users: a person's tokens carry their organisation and role; revoking the user
        # revokes every token of theirs at once.
        cli("user", "add", "kim", "--org", "JPCERT", "--role", "reader", "--email", "kim@example.jp")
        kim = [Client(base, cli("token", "create", "--user", "kim", "--name", "kim-%d" % i)) for i in range(2)]
        check(all(k.ids(shared) == c["jp_reader"].ids(shared) for k in kim), "a user's tokens read as their organisation")
        status, _ = kim[0].call("POST", "/api/collections/%s/objects/" % shared, {"objects": [indicator(60)]})
        check(status == 403, "... with their role (a reader may not write)", status)
        cli("user", "revoke", "kim")
        check(all(k.call("GET", "/api/collections/")[0] == 401 for k in kim), "revoking a user revokes all their tokens at once")
        check("\tkim\tJPCERT\treader\tkim@example.jp\trevoked" in cli("user", "list"), "user list shows the revoked user")
        status, _ = Client(base, None).call("GET", "/api/collections/")
        check(status == 401, "without --allow-anonymous, a request without a token gets 401", status)

        # Anonymous reads: a second server on the same store, with --allow-anonymous.
        c["kr_editor"].call("POST", "/api/collections/%s/objects/" % public, {"objects": [indicator(22, "clear"), indicator(23)]})
        aport = free_port()
        anonymous_server = start_server(args.accord, data, aport, os.path.join(work, "server2.log"), extra=("--allow-anonymous",))
        try:
            anon = Client("http://127.0.0.1:%d" % aport, None)
            status, body = anon.call("GET", "/api/collections/")
            listed = {x["id"]: x for x in body.get("collections", [])}
            check(status == 200 and public in listed and shared not in listed and private not in listed
                  and not any(x["can_write"] for x in listed.values()),
                  "anonymous: only public collections are listed, none writable", body)
            check(anon.ids(public) == (200, [indicator(22)["id"]]), "anonymous: only TLP:CLEAR objects (unmarked count as GREEN)")
            status, _ = anon.call("GET", "/api/collections/%s/objects/" % shared)
            check(status == 404, "anonymous: a community collection is absent", status)
            status, _ = anon.call("POST", "/api/collections/%s/objects/" % public, {"objects": [indicator(50)]})
            check(status == 401, "anonymous: writing needs a token (401)", status)
            status, _ = Client("http://127.0.0.1:%d" % aport, "not-a-token").call("GET", "/api/collections/")
            check(status == 401, "anonymous allowed, but a wrong token still gets 401", status)
            check(Client("http://127.0.0.1:%d" % aport, tok["jp_reader"]).ids(shared)[0] == 200, "tokens still work alongside")
        finally:
            stop_server(anonymous_server)
    finally:
        stop_server(server)
    try:
        audit_log(args.accord, data, check)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return check.finish()


def audit_log(accord, data, check):
    """The audit log holds the run's administrative changes, writes and failed logins, and
    `accord audit verify` notices an edited, a removed and a reordered record."""
    import sqlite3

    def run(*argv):
        return subprocess.run([accord, *argv, *store_args(data)], capture_output=True, text=True)

    verify = run("audit", "verify")
    check(verify.returncode == 0 and "intact" in verify.stdout, "accord audit verify passes on an untouched store", verify.stdout + verify.stderr)
    tail = run("audit", "tail", "-n", "1000").stdout
    actions = {line.split("\t")[4] for line in tail.splitlines() if line.count("\t") >= 6}
    wanted = {"org.add", "user.add", "user.revoke", "community.add", "community.join", "collection.add", "token.create", "token.revoke", "object.share",
              "objects.add", "objects.delete", "auth.failure", "token.use", "objects.read.amber", "objects.read.red"}
    check(wanted <= actions, "the log records administrative changes, writes, failed logins, token use and AMBER/RED reads",
          sorted(wanted - actions))
    red_reads = [line for line in tail.splitlines() if "\tobjects.read.red\t" in line]
    check(red_reads and all("indicator--" in line for line in red_reads), "each TLP:RED read is logged with the objects' ids", red_reads[:2])
    check(not any(tok in tail for tok in ("acc_",)), "no token secret appears in the audit log")
    tampering = (("edited", "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 3", "record 3"),
                 ("removed", "DELETE FROM audit_log WHERE seq = 4", "record 5"),
                 ("reordered", None, "record 5"))
    swap = ["UPDATE audit_log SET seq = -5 WHERE seq = 5", "UPDATE audit_log SET seq = 5 WHERE seq = 6", "UPDATE audit_log SET seq = 6 WHERE seq = -5"]
    store = store_args(data)
    if store[0] == "--database":
        # PostgreSQL: the same edits with psql, the log restored from a copy between them.
        def psql(statements):
            return subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", store[1]] + sum((["-c", x] for x in statements), []),
                                  capture_output=True, text=True)
        psql(["DROP TABLE IF EXISTS audit_pristine", "CREATE TABLE audit_pristine AS SELECT * FROM audit_log"])
        for what, sql, needle in tampering:
            done = psql(["DELETE FROM audit_log", "INSERT INTO audit_log SELECT * FROM audit_pristine"] + (swap if sql is None else [sql]))
            r = run("audit", "verify")
            check(done.returncode == 0 and r.returncode != 0 and needle in r.stderr,
                  "accord audit verify fails on a store with a record %s with psql" % what, done.stderr + r.stdout + r.stderr)
        return
    path = os.path.join(data, "accord.sqlite")
    pristine = open(path, "rb").read()
    for what, sql, needle in tampering:
        with open(path, "wb") as f:
            f.write(pristine)
        for suffix in ("-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        db = sqlite3.connect(path)
        if sql is None:  # swap records 5 and 6
            for statement in swap:
                db.execute(statement)
        else:
            db.execute(sql)
        db.commit()
        db.close()
        r = run("audit", "verify")
        check(r.returncode != 0 and needle in r.stderr, "accord audit verify fails on a store with a record %s by the sqlite3 shell" % what,
              r.stdout + r.stderr)

if __name__ == "__main__":
    sys.exit(main())
