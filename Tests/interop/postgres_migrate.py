#!/usr/bin/env python3
"""`accord migrate --from DIR --to URL`: moving a hub from SQLite to PostgreSQL.

Usage: .venv/bin/python Tests/interop/postgres_migrate.py --accord PATH --database-server postgres://USER@HOST:PORT/DB

The user of --database-server must be allowed to CREATE DATABASE: every migration below goes
into a fresh database of that server (all dropped at the end unless --keep). Checks:

1. A varied SQLite hub is built with the command line and a running SQLite server: the
   knowledge base, a few thousand indicators (some in three versions) and SCOs, two
   organisations with reader/editor tokens (one revoked) and a user with a token, a community
   with a community collection and a private collection, objects posted by organisations at
   every TLP level including TLP:RED ones shared with the other organisation (`accord share`),
   deleted versions and a deleted object (access_changes), the status of a TAXII POST and the
   audit records of all this. The server is stopped before migrating.
2. `accord migrate --from DIR --to URL` exits 0 and its table says "equal" for every table
   (and the varied tables really hold rows).
3. Clients see the same hub: a server on the SQLite directory and one on the PostgreSQL
   database answer, for the admin token, every organisation token, a user's token and
   anonymous (--allow-anonymous), the same collections list, the same pages (all of them,
   with their X-TAXII-Date-Added-First/Last headers) of objects (latest and every version) and
   of the manifest of every collection, the same versions/ and object answers for a few ids
   (RED ones, partly deleted ones), and the same status resource; TLP:RED visibility differs
   per token on both alike. The web search /search?q=Lazarus, signed in with each token and
   anonymously, lists the same ids on both.
4. `accord audit verify --database URL` passes with the chain head of the SQLite store; tokens
   made before the move authenticate on PostgreSQL (the revoked one does not); an object
   posted through the PostgreSQL server after the move comes after every migrated object (last
   on the last page, the only answer to added_after = the last migrated date_added) and the
   audit chain stays intact.
5. Resume: a copy of the hub with 60,000 more indicators is migrated with --chunk 2000 and the
   migration SIGKILLed after it printed progress (some chunks committed); rerunning prints
   "resuming after", exits 0 with every table equal; a third run on the finished target is
   harmless.
6. A target holding a hub of its own (`accord kb load --database URL`) is refused clearly,
   --from a missing directory fails clearly, --verify-only on a migrated pair exits 0, and after
   one more object is imported into the SQLite source --verify-only exits nonzero naming the
   DIFFERENT table.

The last line is "N passed, N failed"; the exit status is nonzero when a check failed.
"""
import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_common as ic  # noqa: E402
from taxii_interop import free_port, stop_server  # noqa: E402

TOKEN = "interop-" + "0123456789abcdef" * 3
TAXII = "application/taxii+json;version=2.1"
TLP = {"clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
       "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
       "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
       "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
       "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"}
TABLES = ["collections", "organisations", "communities", "community_members", "users", "tokens", "red_grants", "statuses",
          "pending_ingests", "audit_log", "objects", "object_refs", "observables", "access_changes"]
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("ACCORD_DATA", "ACCORD_DATABASE_URL", "ACCORD_ADMIN_TOKEN")}


def indicator(n, modified="2020-01-01T00:00:00.000Z", name=None, level=None, prefix="1111"):
    o = {"type": "indicator", "spec_version": "2.1", "id": "indicator--%08x-%s-4111-8111-111111111111" % (n, prefix),
         "created": "2020-01-01T00:00:00.000Z", "modified": modified, "name": name or "Indicator %d" % n,
         "pattern": "[ipv4-addr:value = '10.%d.%d.%d']" % (n // 65536 % 256, n // 256 % 256, n % 256), "pattern_type": "stix",
         "valid_from": "2020-01-01T00:00:00Z"}
    if level:
        o["object_marking_refs"] = [TLP[level]]
    return o


def scos(count):
    """SCOs with the deterministic ids STIX 2.1 asks for (computed by the stix2 library)."""
    import stix2
    out = []
    for n in range(count):
        out.append(json.loads(stix2.IPv4Address(value="192.0.%d.%d" % (n // 256, n % 256)).serialize()))
        out.append(json.loads(stix2.DomainName(value="host%d.example.kp" % n).serialize()))
    return out


def bundle(objects):
    return {"type": "bundle", "id": "bundle--" + str(uuid.uuid4()), "objects": objects}


raw = ic.http
as_json = ic.as_json


def headers_for(token, post=False):
    h = {"Accept": TAXII}
    if token:
        h["Authorization"] = "Bearer " + token
    if post:
        h["Content-Type"] = TAXII
    return h


class Databases(ic.PostgresDatabases):
    """Fresh databases on the PostgreSQL server of --database-server, named by URL."""

    def __init__(self, server_url):
        super().__init__(server_url, "accord_migrate")

    def create(self, label):
        return self.url(super().create(label))

    def query(self, url, sql, timeout=30):
        ok, text = super().query(url, sql, timeout)
        return text if ok else "psql failed: " + text


class Server:
    """One `accord serve` process (SQLite directory or PostgreSQL database)."""

    def __init__(self, accord, store_args, log_path, extra=()):
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.log_path = log_path
        env = dict(CLEAN_ENV, ACCORD_ADMIN_TOKEN=TOKEN)
        log = open(log_path, "a")
        self.proc = subprocess.Popen([accord, "serve", *store_args, "--port", str(self.port), "--auth-failure-limit", "0",
                                      "--log-level", "notice", *extra], env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        for _ in range(600):
            if self.proc.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server %s did not start (exit %s): %s" % (store_args, self.proc.poll(), self.log_tail()))

    def log_tail(self, chars=1500):
        try:
            return open(self.log_path, errors="replace").read()[-chars:]
        except OSError:
            return ""

    def stop(self):
        if self.proc.poll() is not None:
            return self.proc.returncode
        return stop_server(self.proc)

    def get(self, path, token):
        return raw("GET", self.base + path, headers_for(token))

    def post(self, path, token, envelope):
        return raw("POST", self.base + path, headers_for(token, post=True), json.dumps(envelope).encode())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def web_search_ids(base, token, query):
    """The object ids the web search lists, signed in with `token` (None: anonymous)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())

    def request(method, path, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with opener.open(req, timeout=60) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    if token:
        _, page = request("GET", "/signin")
        m = re.search(r'name="csrf" value="([^"]*)"', page)
        status, _ = request("POST", "/signin", {"csrf": m.group(1) if m else "", "token": token})
        if status not in (200, 303):
            return status, None
    status, page = request("GET", "/search?" + urllib.parse.urlencode({"q": query}))
    ids = sorted(set(urllib.parse.unquote(x) for x in re.findall(r'href="/objects/([^"?#]+)"', page)))
    return status, ids


def strip_next(body):
    j = as_json(body)
    if isinstance(j, dict):
        j.pop("next", None)
    return j


def walk(server, token, path, limit=700):
    """Every page of a paged TAXII endpoint: a list of (status, date-added headers, body without `next`)."""
    pages, nxt = [], None
    sep = "&" if "?" in path else "?"
    for _ in range(200):
        url = path + sep + "limit=%d" % limit + ("&next=" + urllib.parse.quote(nxt) if nxt else "")
        status, h, body = server.get(url, token)
        j = as_json(body)
        pages.append((status, h.get("X-TAXII-Date-Added-First"), h.get("X-TAXII-Date-Added-Last"), strip_next(body)))
        if status != 200 or not isinstance(j, dict) or not j.get("more") or not j.get("next"):
            break
        nxt = j["next"]
    return pages


def first_difference(a, b):
    if len(a) != len(b):
        return "%d pages vs %d pages" % (len(a), len(b))
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            if x[:3] != y[:3]:
                return "page %d: status/headers %r vs %r" % (i, x[:3], y[:3])
            ox, oy = x[3].get("objects", []) if isinstance(x[3], dict) else x[3], y[3].get("objects", []) if isinstance(y[3], dict) else y[3]
            if isinstance(ox, list) and isinstance(oy, list):
                for k, (p, q) in enumerate(zip(ox, oy)):
                    if p != q:
                        return "page %d item %d: %s vs %s" % (i, k, json.dumps(p)[:400], json.dumps(q)[:400])
                return "page %d: %d vs %d items; %s vs %s" % (i, len(ox), len(oy), json.dumps(x[3])[:300], json.dumps(y[3])[:300])
            return "page %d: %s vs %s" % (i, json.dumps(x[3])[:400], json.dumps(y[3])[:400])
    return None


def parse_table(stdout):
    """{table: (sqlite rows, postgres rows, verdict)} from migrate's comparison table."""
    out = {}
    for line in stdout.splitlines():
        m = re.match(r"^(\w+)\s+(\d+)\s+(\d+)\s+(equal [0-9a-f]+|DIFFERENT)\s*$", line)
        if m:
            out[m.group(1)] = (int(m.group(2)), int(m.group(3)), m.group(4))
    return out


def all_equal(table):
    return sorted(table) == sorted(TABLES) and all(v[2].startswith("equal") and v[0] == v[1] for v in table.values())


def audit_head(result):
    m = re.search(r"intact: (\d+) records, last hash ([0-9a-f]{64})", result.stdout)
    return (int(m.group(1)), m.group(2)) if m else None


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--accord", required=True)
    p.add_argument("--database-server", default=os.environ.get("ACCORD_TEST_DATABASE_URL"),
                   help="postgres:// URL of a server whose user may CREATE DATABASE")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory and databases")
    args = p.parse_args()
    if not args.database_server:
        p.error("--database-server is required")
    check = ic.Checks()
    work = tempfile.mkdtemp(prefix="accord-migrate-")
    dbs = Databases(args.database_server)
    servers = []
    started = time.time()

    def run(*argv, store=None):
        return subprocess.run([args.accord, *argv, *(store or [])], capture_output=True, text=True, env=CLEAN_ENV, timeout=600)

    def ok(*argv, store):
        r = run(*argv, store=store)
        if r.returncode != 0:
            raise RuntimeError("accord %s %s failed (%d): %s%s" % (" ".join(argv), " ".join(store), r.returncode, r.stdout[-800:], r.stderr[-1500:]))
        return r.stdout.strip()

    def write(name, objects):
        path = os.path.join(work, name)
        with open(path, "w") as f:
            json.dump(bundle(objects), f)
        return path

    try:
        data = os.path.join(work, "data")
        sq = ["--data", data]
        ctx = build_hub(args, check, work, data, sq, ok, run, write, servers)
        print("hub built in %.1f s" % (time.time() - started))
        sys.stdout.flush()

        # A copy of the untouched hub for the resume checks (5, 6), made before any server reads it again.
        data2 = os.path.join(work, "data2")
        shutil.copytree(data, data2)

        head_sqlite = audit_head(run("audit", "verify", store=sq))
        check(head_sqlite is not None, "accord audit verify passes on the SQLite hub", head_sqlite)

        # 2. Migrate.
        db1 = dbs.create("main")
        r = run("migrate", "--from", data, "--to", db1)
        table = parse_table(r.stdout)
        check(r.returncode == 0 and all_equal(table), "accord migrate --from DIR --to URL exits 0 and every table is equal",
              "exit %d\n%s\n%s" % (r.returncode, r.stdout, r.stderr[-1500:]))
        varied = {t: table.get(t, (0,))[0] for t in ("communities", "community_members", "users", "tokens", "red_grants", "statuses",
                                                      "audit_log", "objects", "object_refs", "observables", "access_changes")}
        check(all(v > 0 for v in varied.values()) and varied["objects"] > 3000,
              "the migrated hub is varied (rows in communities, users, tokens, grants, statuses, audit log, objects, refs, "
              "observables, access changes)", varied)
        print("migrated in %.1f s (total %.1f s)" % (time.time() - started, time.time() - started))
        sys.stdout.flush()

        # 4a. The audit chain (before any server appends to either log).
        r = run("audit", "verify", "--database", db1)
        check(r.returncode == 0 and audit_head(r) == head_sqlite, "accord audit verify --database passes with the SQLite chain head",
              "exit %d: %s %s vs %s" % (r.returncode, r.stdout, r.stderr, head_sqlite))

        # 3. Equivalence as clients see it.
        s = Server(args.accord, sq, os.path.join(work, "sqlite.log"), extra=("--allow-anonymous",))
        servers.append(s)
        g = Server(args.accord, ["--database", db1], os.path.join(work, "postgres.log"), extra=("--allow-anonymous",))
        servers.append(g)
        compare_servers(check, s, g, ctx)
        print("compared in %.1f s (total)" % (time.time() - started))
        sys.stdout.flush()

        # 4b. Tokens and new ingest.
        after_move(check, s, g, ctx, run, db1)
        s.stop()
        g.stop()
        print("after-move checks done at %.1f s" % (time.time() - started))
        sys.stdout.flush()

        # 5. Resume.
        db2, pend = resume(check, args, dbs, work, data2, run, write)
        print("resume checks done at %.1f s" % (time.time() - started))
        sys.stdout.flush()

        # 6. Refusals and --verify-only.
        refusals(check, args, dbs, work, data, data2, db2, run, write, ok)
        pending_after_move(check, args, work, db2, pend)
    finally:
        for srv in servers:
            srv.stop()
        if args.keep:
            print("kept %s and databases %s" % (work, dbs.created))
        else:
            dbs.drop_all()
            shutil.rmtree(work, ignore_errors=True)
    print("total %.1f s" % (time.time() - started))
    return check.finish()


def build_hub(args, check, work, data, sq, ok, run, write, servers):
    """1. A varied SQLite hub; returns what the later checks need to know about it."""
    ctx = {}
    ok("kb", "load", store=sq)
    first = [indicator(n) for n in range(3000)]
    second = [indicator(n, "2021-01-01T00:00:00.000Z", "Indicator %d, second version" % n) for n in range(0, 3000, 10)]
    third = [indicator(n, "2022-01-01T00:00:00.000Z", "Indicator %d, third version" % n) for n in range(0, 3000, 30)]
    for name, objs in (("first.json", first), ("second.json", second), ("third.json", third), ("scos.json", scos(150))):
        ok("import", "--quiet", write(name, objs), store=sq)
    ctx["multi_version"] = [first[0]["id"], first[30]["id"], first[10]["id"]]

    for org, country in (("KrCERT", "KR"), ("JPCERT", "JP")):
        ok("org", "add", org, "--country", country, "--sector", "government", store=sq)
    ok("community", "add", "KR-JP", store=sq)
    ok("community", "join", "KR-JP", "KrCERT", store=sq)
    ok("community", "join", "KR-JP", "JPCERT", store=sq)
    shared = ok("collection", "add", "kr-jp", "--community", "KR-JP", "--title", "KR-JP sharing", store=sq).split("\t")[0]
    private = ok("collection", "add", "kr-only", "--private", "KrCERT", "--default-tlp", "amber", store=sq).split("\t")[0]
    tokens = {}
    for key, org, role in (("kr_editor", "KrCERT", "editor"), ("kr_reader", "KrCERT", "reader"), ("jp_reader", "JPCERT", "reader"),
                           ("jp_editor", "JPCERT", "editor"), ("revoked", "JPCERT", "reader")):
        tokens[key] = ok("token", "create", "--org", org, "--role", role, "--name", key, store=sq).splitlines()[-1]
    ok("user", "add", "kim", "--org", "JPCERT", "--role", "reader", "--email", "kim@example.jp", store=sq)
    tokens["kim"] = ok("token", "create", "--user", "kim", "--name", "kim-laptop", store=sq).splitlines()[-1]
    listing = ok("token", "list", store=sq)
    revoked_id = [line.split("\t")[0] for line in listing.splitlines() if "\trevoked\t" in line][0]
    ok("token", "revoke", revoked_id, store=sq)
    ctx.update(tokens=tokens, shared=shared, private=private)

    srv = Server(args.accord, sq, os.path.join(work, "build.log"))
    servers.append(srv)
    try:
        path = "/api/collections/%s/objects/" % shared
        levels = ["clear", "green", "amber", "amber+strict", "red", None]
        kr = [indicator(100000 + i, name="Lazarus loader %d (%s)" % (i, levels[i % 6]), level=levels[i % 6], prefix="2222") for i in range(36)]
        status, _, body = srv.post(path, tokens["kr_editor"], {"objects": kr})
        j = as_json(body)
        check(status == 202 and j.get("success_count") == 36, "setup: KrCERT posts 36 objects of every TLP level to the community collection", j)
        ctx["status_id"] = j.get("id")
        jp = [indicator(200000 + i, name="Lazarus beacon %d (%s)" % (i, levels[i % 6]), level=levels[i % 6], prefix="3333") for i in range(12)]
        status, _, body = srv.post(path, tokens["jp_editor"], {"objects": jp})
        check(status == 202 and as_json(body).get("success_count") == 12, "setup: JPCERT posts 12 objects too", body[:300])
        ctx["jp_status_id"] = as_json(body).get("id")
        # New versions of some KrCERT objects (three versions of kr[0] and kr[4], a RED one).
        again = [dict(kr[i], modified=m, name=kr[i]["name"] + " " + m[:4]) for i in (0, 4, 6) for m in ("2021-06-01T00:00:00.000Z", "2022-06-01T00:00:00.000Z")]
        status, _, body = srv.post(path, tokens["kr_editor"], {"objects": again})
        check(status == 202 and as_json(body).get("success_count") == len(again), "setup: new versions of KrCERT objects", body[:300])
        red_kr = [o["id"] for o in kr if o.get("object_marking_refs") == [TLP["red"]]]
        red_jp = [o["id"] for o in jp if o.get("object_marking_refs") == [TLP["red"]]]
        # Share two of KrCERT's RED objects with JPCERT, one of JPCERT's with KrCERT.
        for oid, owner, recipient in ((red_kr[0], "KrCERT", "JPCERT"), (red_kr[1], "KrCERT", "JPCERT"), (red_jp[0], "JPCERT", "KrCERT")):
            ok("share", oid, "--as", owner, "--with", recipient, store=sq)
        # Private collection.
        status, _, body = srv.post("/api/collections/%s/objects/" % private, tokens["kr_editor"],
                                   {"objects": [indicator(300000 + i, name="Lazarus private %d" % i, prefix="4444") for i in range(5)]})
        check(status == 202, "setup: KrCERT posts to its private collection", body[:300])
        # Deletions: the middle version of kr[0], every version of kr[6], one unshared RED object.
        deletes = (("%s?match[version]=2021-06-01T00:00:00.000Z" % kr[0]["id"], "a version"),
                   (kr[6]["id"], "an object"), (red_kr[3], "a RED object"))
        for target, what in deletes:
            status, _, body = raw("DELETE", srv.base + path + target.replace("?", "/?", 1) if "?" in target else srv.base + path + target + "/",
                                  headers_for(tokens["kr_editor"]))
            check(status == 200, "setup: KrCERT deletes %s" % what, (status, body[:300]))
        # A few reads (audit records of token use and RED reads), and a failed login.
        for key in ("kr_editor", "jp_reader", "kim"):
            srv.get(path, tokens[key])
        srv.get("/api/collections/", "wrong-token")
        ctx["status_body"] = as_json(srv.get("/api/status/%s/" % ctx["status_id"], tokens["kr_editor"])[2])
    finally:
        srv.stop()
    ctx.update(kr=kr, jp=jp, red_kr=red_kr, red_jp=red_jp, deleted_id=kr[6]["id"], partly_deleted=kr[0]["id"])
    return ctx


def compare_servers(check, s, g, ctx):
    """3. The SQLite and the PostgreSQL server answer every client alike."""
    tokens = ctx["tokens"]
    who = [("admin", TOKEN), ("kr_editor", tokens["kr_editor"]), ("kr_reader", tokens["kr_reader"]), ("jp_reader", tokens["jp_reader"]),
           ("kim", tokens["kim"]), ("anonymous", None)]
    collections = []
    for _, token in who:
        for c in as_json(s.get("/api/collections/", token)[2]).get("collections", []):
            if c["id"] not in collections:
                collections.append(c["id"])
    check(len(collections) >= 4 and ctx["shared"] in collections and ctx["private"] in collections,
          "the SQLite server lists the hub's collections (union over the tokens)", collections)
    interesting = ctx["red_kr"][:3] + ctx["red_jp"][:2] + [ctx["partly_deleted"], ctx["deleted_id"], ctx["kr"][1]["id"]] + ctx["multi_version"]
    visible = {}
    for name, token in who:
        a, b = s.get("/api/collections/", token), g.get("/api/collections/", token)
        check(a[0] == b[0] == 200 and as_json(a[2]) == as_json(b[2]), "%s: the same collections list" % name,
              "%s vs %s" % (a[2][:300], b[2][:300]))
        mine = [c["id"] for c in as_json(a[2]).get("collections", [])]
        diffs, pages_seen = [], 0
        for cid in collections:
            base = "/api/collections/%s/" % cid
            for label, path, limit in (("objects", base + "objects/", 700), ("all versions", base + "objects/?match[version]=all", 500),
                                       ("manifest", base + "manifest/?match[version]=all", 1000)):
                if cid in (ctx["shared"], ctx["private"]):
                    limit = 20  # small collections: several pages all the same
                elif label == "manifest":
                    limit = 1000
                pa, pb = walk(s, token, path, limit), walk(g, token, path, limit)
                pages_seen += len(pa)
                d = first_difference(pa, pb)
                if d:
                    diffs.append("%s %s: %s" % (cid, label, d))
                if label == "all versions" and cid == ctx["shared"]:
                    visible[name] = sorted({o["id"] for page in pa if isinstance(page[3], dict) for o in page[3].get("objects", [])})
            for oid in interesting:
                for label, path in (("object", base + "objects/%s/" % oid), ("versions", base + "objects/%s/versions/" % oid),
                                    ("object all", base + "objects/%s/?match[version]=all" % oid)):
                    ra, rb = s.get(path, token), g.get(path, token)
                    if ra[0] != rb[0] or strip_next(ra[2]) != strip_next(rb[2]) or \
                            ra[1].get("X-TAXII-Date-Added-Last") != rb[1].get("X-TAXII-Date-Added-Last"):
                        diffs.append("%s %s %s: %s %s vs %s %s" % (cid, label, oid, ra[0], ra[2][:200], rb[0], rb[2][:200]))
        check(not diffs and pages_seen >= len(collections), "%s: every page of objects, versions and manifest of %d visible collections "
              "(and the 404s of %d hidden ones), and object/versions answers for %d ids, are identical on SQLite and PostgreSQL (%d pages)"
              % (name, len(mine), len(collections) - len(mine), len(interesting), pages_seen),
              "\n".join(diffs[:6]))
    # RED visibility differs per token, on both alike (compared above); make sure it really differs.
    red_kr, red_jp = set(ctx["red_kr"]), set(ctx["red_jp"])
    kr_sees, jp_sees = set(visible.get("kr_editor", [])), set(visible.get("jp_reader", []))
    check({ctx["red_kr"][0], ctx["red_kr"][1], ctx["red_jp"][0]} <= kr_sees & jp_sees and ctx["red_kr"][2] in kr_sees
          and ctx["red_kr"][2] not in jp_sees and ctx["red_jp"][1] in jp_sees and ctx["red_jp"][1] not in kr_sees
          and not (red_kr | red_jp) & set(visible.get("anonymous", [])),
          "TLP:RED on the PostgreSQL server as on SQLite: owners see theirs, recipients the shared ones, nobody else",
          {"kr": sorted(kr_sees & (red_kr | red_jp)), "jp": sorted(jp_sees & (red_kr | red_jp))})
    # The migrated status resource.
    for name, token in (("admin", TOKEN), ("kr_editor", tokens["kr_editor"]), ("jp_reader", tokens["jp_reader"])):
        for sid in (ctx["status_id"], ctx["jp_status_id"]):
            a, b = s.get("/api/status/%s/" % sid, token), g.get("/api/status/%s/" % sid, token)
            check(a[0] == b[0] and as_json(a[2]) == as_json(b[2]) and (name != "kr_editor" or sid != ctx["status_id"] or a[0] == 200),
                  "%s: GET status %s is the same on both (%d)" % (name, sid[:8], a[0]), "%s %s vs %s %s" % (a[0], a[2][:300], b[0], b[2][:300]))
    st = as_json(g.get("/api/status/%s/" % ctx["status_id"], tokens["kr_editor"])[2])
    check(st == ctx["status_body"] and st.get("status") == "complete" and st.get("success_count") == 36,
          "the status of the POST made on SQLite reads the same on PostgreSQL as before the move", st)
    # The web search.
    for name, token in who:
        a, b = web_search_ids(s.base, token, "Lazarus"), web_search_ids(g.base, token, "Lazarus")
        check(a[0] == b[0] == 200 and a[1] and a[1] == b[1], "%s: /search?q=Lazarus lists the same %d ids on both" % (name, len(a[1] or [])),
              "SQLite %s %s\nPostgreSQL %s %s\nonly SQLite: %s\nonly PostgreSQL: %s" % (
                  a[0], len(a[1] or []), b[0], len(b[1] or []), sorted(set(a[1] or []) - set(b[1] or []))[:8],
                  sorted(set(b[1] or []) - set(a[1] or []))[:8]))
        if name == "kr_editor":
            check(ctx["red_kr"][2] in (b[1] or []), "... KrCERT's own unshared RED object is among KrCERT's PostgreSQL search results")
        if name == "jp_reader":
            check(ctx["red_kr"][2] not in (b[1] or []), "... and not among JPCERT's")


def after_move(check, s, g, ctx, run, db1):
    """4. Tokens made before the move, and ingest after it."""
    tokens = ctx["tokens"]
    for key, token in tokens.items():
        status = g.get("/api/collections/", token)[0]
        if key == "revoked":
            check(status == 401, "the token revoked before the move gets 401 on PostgreSQL", status)
        else:
            check(status == 200, "token %s made before the move authenticates on PostgreSQL" % key, status)
    status = g.get("/api/collections/", "acc_" + "x" * 43)[0]
    check(status == 401, "an unknown token gets 401 on PostgreSQL", status)

    shared = ctx["shared"]
    path = "/api/collections/%s/objects/?match[version]=all" % shared
    before = walk(g, tokens["kr_editor"], path)
    migrated = [o for page in before for o in page[3].get("objects", [])]
    # The last date_added over every migrated object (all collections), from the manifests.
    last = None
    collections = [c["id"] for c in as_json(g.get("/api/collections/", TOKEN)[2]).get("collections", [])]
    for cid in collections:
        for page in walk(g, TOKEN, "/api/collections/%s/manifest/?match[version]=all" % cid, limit=1000):
            for entry in page[3].get("objects", []) if isinstance(page[3], dict) else []:
                if last is None or entry["date_added"] > last:
                    last = entry["date_added"]
    for page in walk(g, tokens["kr_editor"], "/api/collections/%s/manifest/?match[version]=all" % ctx["private"]):
        for entry in page[3].get("objects", []):
            last = max(last, entry["date_added"])
    new = indicator(400000, name="Posted after the move", prefix="5555", modified="2023-01-01T00:00:00.000Z")
    status, _, body = g.post("/api/collections/%s/objects/" % shared, tokens["kr_editor"], {"objects": [new]})
    check(status == 202 and as_json(body).get("success_count") == 1, "a POST through the PostgreSQL server after the move succeeds", body[:300])
    after = walk(g, tokens["kr_editor"], path, limit=10)
    objs = [o for page in after for o in page[3].get("objects", [])]
    check(after and after[-1][0] == 200 and objs and objs[-1]["id"] == new["id"] and objs[:-1] == migrated,
          "the new object comes last, on the last page, after every migrated object (%d pages of 10)" % len(after),
          [o["id"] for o in objs[-3:]])
    status, h, body = g.get(path + "&added_after=" + urllib.parse.quote(last), tokens["kr_editor"])
    got = [o["id"] for o in as_json(body).get("objects", [])]
    check(status == 200 and got == [new["id"]] and h.get("X-TAXII-Date-Added-First", "") > last,
          "added_after = the last migrated date_added (%s) returns only the new object" % last, (status, got[:5], h.get("X-TAXII-Date-Added-First")))
    status, h, body = g.get("/api/collections/%s/manifest/?match[id]=%s" % (shared, new["id"]), tokens["kr_editor"])
    entries = as_json(body).get("objects", [])
    check(status == 200 and entries and entries[0]["date_added"] > last, "its date_added is later than every migrated one", entries)
    r = run("audit", "verify", "--database", db1)
    head = audit_head(r)
    check(r.returncode == 0 and head is not None, "the audit chain stays intact after serving and writing on PostgreSQL", r.stdout + r.stderr)
    # Dump the tail for evidence that records after the move continue the chain.
    r = run("audit", "tail", "-n", "200", "--database", db1)
    check(r.returncode == 0 and "objects.add" in r.stdout, "the PostgreSQL audit log records the POST after the move", r.stdout[-800:] + r.stderr)


def resume(check, args, dbs, work, data2, run, write):
    """5. An interrupted migration resumes after the last committed chunk."""
    # A background ingest cut short (SIGKILL right after its 202): a pending_ingests row to move.
    srv = Server(args.accord, ["--data", data2], os.path.join(work, "pending.log"), extra=("--background-above", "1000", "--no-knowledge-base"))
    pend = {"ids": [indicator(2000000 + n, prefix="9999")["id"] for n in range(20000)]}
    try:
        cols = as_json(srv.get("/api/collections/", TOKEN)[2]).get("collections", [])
        pend["collection"] = next(c["id"] for c in cols if c.get("alias") == "default")
        status, _, body = srv.post("/api/collections/%s/objects/" % pend["collection"], TOKEN,
                                   {"objects": [indicator(2000000 + n, prefix="9999") for n in range(20000)]})
        srv.proc.send_signal(signal.SIGKILL)
        srv.proc.wait()
    finally:
        srv.stop()
    j = as_json(body)
    pend["status_id"] = j.get("id")
    import sqlite3
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(data2, "accord.sqlite"), uri=True)
    pending_rows = db.execute("SELECT count(*) FROM pending_ingests").fetchone()[0]
    db.close()
    check(status == 202 and j.get("status") == "pending" and pending_rows >= 1,
          "setup: a background ingest of 20,000 objects SIGKILLed right after its 202 leaves a pending ingest in the SQLite copy",
          (status, str(j)[:300], pending_rows))
    files = []
    for part in range(6):
        files.append(write("bulk%d.json" % part, [indicator(1000000 + part * 10000 + n, prefix="6666") for n in range(10000)]))
    r = run("import", "--quiet", "--collection", "bulk", *files, "--data", data2)
    check(r.returncode == 0, "setup: 60,000 more indicators imported into a copy of the hub", r.stdout[-500:] + r.stderr[-500:])
    db2 = dbs.create("resume")
    proc = subprocess.Popen([args.accord, "migrate", "--from", data2, "--to", db2, "--chunk", "2000"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=CLEAN_ENV)
    seen, progress = [], threading.Event()

    def reader():
        for line in proc.stderr:
            seen.append(line)
            if re.search(r"objects: \d+ copied \(up to", line):
                progress.set()
    t = threading.Thread(target=reader, daemon=True)
    t.start()
    progress.wait(timeout=120)
    killed = proc.poll() is None and progress.is_set()
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    t.join(timeout=5)
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(data2, "accord.sqlite"), uri=True)
    total = db.execute("SELECT count(*) FROM objects").fetchone()[0]
    db.close()
    count = dbs.query(db2, "SELECT count(*) FROM objects")
    check(killed and count.isdigit() and 0 < int(count) < total,
          "migrate --chunk 2000 SIGKILLed after printing progress, with %s of %d objects committed" % (count, total),
          "killed=%s exit=%s stderr=%s" % (killed, proc.returncode, "".join(seen)[-800:]))
    r = run("migrate", "--from", data2, "--to", db2, "--chunk", "2000")
    table = parse_table(r.stdout)
    m = re.search(r"objects: resuming after (\d+)", r.stderr)
    check(r.returncode == 0 and m is not None and all_equal(table) and table["objects"][0] > 60000 and table["pending_ingests"][0] >= 1,
          "rerunning resumes (\"%s\"), exits 0 and every table is equal" % (m.group(0) if m else "no 'resuming after'"),
          "exit %d\n%s\n%s" % (r.returncode, r.stdout[-1500:], r.stderr[-1000:]))
    if m and count.isdigit():
        check(int(m.group(1)) >= int(count), "... resuming after what the killed run had committed", (m.group(1), count))
    r = run("migrate", "--from", data2, "--to", db2, "--chunk", "2000")
    table = parse_table(r.stdout)
    check(r.returncode == 0 and all_equal(table) and "resuming" not in r.stderr,
          "migrating again onto the finished target is harmless (exit 0, every table equal)", "exit %d\n%s\n%s" % (r.returncode, r.stdout, r.stderr))
    after = dbs.query(db2, "SELECT count(*) FROM objects")
    check(after == str(table.get("objects", (None,))[0]), "... and copies no object twice (%s objects)" % after, (after, table.get("objects")))
    return db2, pend


def refusals(check, args, dbs, work, data, data2, db2, run, write, ok):
    """6. Refusals, and --verify-only."""
    db3 = dbs.create("own")
    ok("kb", "load", store=["--database", db3])
    r = run("migrate", "--from", data, "--to", db3)
    check(r.returncode != 0 and "already holds a hub" in r.stderr, "a target holding its own hub is refused clearly", "exit %d: %s %s" % (r.returncode, r.stdout[-300:], r.stderr[-500:]))
    count = dbs.query(db3, "SELECT count(*) FROM organisations")
    check(count == "0", "... and left untouched (no organisation copied into it)", count)
    db4 = dbs.create("served")
    srv = Server(args.accord, ["--database", db4], os.path.join(work, "own.log"), extra=("--no-knowledge-base",))
    try:
        srv.post("/api/collections/%s/objects/" % as_json(srv.get("/api/collections/", TOKEN)[2])["collections"][0]["id"], TOKEN,
                 {"objects": [indicator(7, prefix="7777")]})
    finally:
        srv.stop()
    r = run("migrate", "--from", data, "--to", db4)
    check(r.returncode != 0 and "already holds a hub" in r.stderr, "a target an `accord serve` has used is refused clearly",
          "exit %d: %s %s" % (r.returncode, r.stdout[-300:], r.stderr[-500:]))
    missing = os.path.join(work, "no-such-dir")
    r = run("migrate", "--from", missing, "--to", dbs.create("missing"))
    check(r.returncode != 0 and "no Accord store" in r.stderr and "Traceback" not in r.stderr and not os.path.exists(missing),
          "--from a missing directory fails clearly (and creates nothing)", "exit %d: %s" % (r.returncode, r.stderr[-500:]))
    r = run("migrate", "--from", data2, "--to", db2, "--verify-only")
    table = parse_table(r.stdout)
    check(r.returncode == 0 and all_equal(table), "--verify-only on the migrated pair exits 0, every table equal",
          "exit %d\n%s\n%s" % (r.returncode, r.stdout, r.stderr[-500:]))
    ok("import", "--quiet", write("one-more.json", [indicator(9, prefix="8888", name="Imported after the move")]), store=["--data", data2])
    r = run("migrate", "--from", data2, "--to", db2, "--verify-only")
    table = parse_table(r.stdout)
    different = sorted(t for t, v in table.items() if v[2] == "DIFFERENT")
    check(r.returncode != 0 and "objects" in different and "DIFFERENT" in r.stdout,
          "after one more object is imported into the SQLite source, --verify-only exits nonzero naming DIFFERENT (%s)" % ", ".join(different),
          "exit %d\n%s\n%s" % (r.returncode, r.stdout, r.stderr[-500:]))
    count = dbs.query(db2, "SELECT count(*) FROM objects WHERE stix_id = '%s'" % indicator(9, prefix="8888")["id"])
    check(count == "0", "... and copies nothing", count)


def pending_after_move(check, args, work, db2, pend):
    """The pending ingest moved with the hub completes on the PostgreSQL server."""
    if not pend.get("status_id"):
        check(False, "the moved pending ingest completes on PostgreSQL", "no status id from the setup")
        return
    srv = Server(args.accord, ["--database", db2], os.path.join(work, "pending-pg.log"))
    try:
        final, deadline = {}, time.time() + 90
        while time.time() < deadline:
            final = as_json(srv.get("/api/status/%s/" % pend["status_id"], TOKEN)[2])
            if final.get("status") == "complete":
                break
            time.sleep(0.2)
        check(final.get("status") == "complete" and final.get("success_count") == 20000 and final.get("failure_count") == 0,
              "the pending ingest moved with the hub completes on the PostgreSQL server (status made on SQLite)",
              ({k: final.get(k) for k in ("status", "success_count", "failure_count", "pending_count")}, srv.log_tail(600)))
        stored = set()
        for page in walk(srv, TOKEN, "/api/collections/%s/manifest/?match[version]=all" % pend["collection"], limit=10000):
            stored |= {e["id"] for e in page[3].get("objects", [])} if isinstance(page[3], dict) else set()
        check(set(pend["ids"]) <= stored, "... with all 20,000 of its objects stored", "%d of 20000" % len(set(pend["ids"]) & stored))
    finally:
        srv.stop()


if __name__ == "__main__":
    sys.exit(main())
