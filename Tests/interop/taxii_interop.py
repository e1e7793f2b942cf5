#!/usr/bin/env python3
"""Drives `accord serve` with the OASIS taxii2-client, and raw HTTP for the error cases.

Usage: .venv/bin/python Tests/interop/taxii_interop.py --accord PATH [--database-server postgres://...]

Starts the real server on 127.0.0.1 (a free port, a temporary data directory, a known admin
token) and checks discovery, API root, collections, add_objects with status polling,
get_objects with filters and paging (as_pages), manifest, versions, get_object, delete_object,
and the TAXII error statuses (401, 400, 404, 406, 413, 415). The last line is "N passed, N failed".
"""
import argparse
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_common as ic  # noqa: E402

from taxii2client.v21 import Collection, Server, as_pages  # noqa: E402

TOKEN = "interop-" + "0123456789abcdef" * 3
TAXII = "application/taxii+json;version=2.1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def indicator(n, modified="2020-01-01T00:00:00.000Z"):
    return {"type": "indicator", "spec_version": "2.1", "id": "indicator--%08x-1111-4111-8111-111111111111" % n,
            "created": "2020-01-01T00:00:00.000Z", "modified": modified, "name": "Indicator %d" % n,
            "pattern": "[ipv4-addr:value = '10.0.%d.%d']" % (n // 256 % 256, n % 256), "pattern_type": "stix",
            "valid_from": "2020-01-01T00:00:00Z"}


DATABASE_SERVER = None


def store_args(data):
    """The store a server uses for `data`: that directory, or with --database-server a database
    of that PostgreSQL server named after the directory (created on first use), so that
    restarts and second servers on the same `data` share one store as they do on SQLite."""
    if DATABASE_SERVER is None:
        return ["--data", data]
    name = "accord_" + hashlib.sha256(os.path.abspath(data).encode()).hexdigest()[:20]
    server = urllib.parse.urlsplit(DATABASE_SERVER)
    created = subprocess.run([os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin") + "/createdb", "-h", server.hostname,
                              "-p", str(server.port or 5432), "-U", server.username or "postgres", name],
                             capture_output=True, text=True)
    if created.returncode != 0 and "already exists" not in created.stderr:
        raise RuntimeError("createdb %s failed: %s" % (name, created.stderr))
    return ["--database", urllib.parse.urlunsplit(server._replace(path="/" + name))]


def use_database_server(parser):
    """Adds --database-server to a script's options; call `database_server_from(args)` after parsing."""
    parser.add_argument("--database-server", help="run every server and command on PostgreSQL: a postgres:// URL of a server "
                        "whose user may create databases (each data directory becomes a database of its own)")


def database_server_from(args):
    """Makes `store_args` (and so `start_server`) use the PostgreSQL server the options named."""
    global DATABASE_SERVER
    DATABASE_SERVER = args.database_server


def suite_opening(doc, prefix):
    """What a suite above the store starts with: --accord and --database-server parsed (the
    latter put to use), and a fresh work folder."""
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--accord", required=True)
    use_database_server(p)
    args = p.parse_args()
    database_server_from(args)
    return args, tempfile.mkdtemp(prefix=prefix)


def accord_ok(accord, data):
    """A runner of `accord ARGS` on `data`'s store that answers its standard output and raises
    with its standard error when it fails."""
    def ok(*argv):
        r = subprocess.run([accord, *argv, *store_args(data)], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("accord %s: %s" % (" ".join(argv), r.stderr))
        return r.stdout.strip()
    return ok


def start_server(accord, data, port, log_path, max_content=8 << 20, extra=(), auth_failure_limit=0):
    """Starts `accord serve`; test servers have no failed-authentication limit unless asked
    (the checks send wrong tokens on purpose, all from 127.0.0.1)."""
    env = dict(os.environ, ACCORD_ADMIN_TOKEN=TOKEN)
    env.pop("ACCORD_DATABASE_URL", None)
    log = open(log_path, "a")
    proc = subprocess.Popen([accord, "serve", *store_args(data), "--port", str(port), "--max-content-length", str(max_content),
                             "--auth-failure-limit", str(auth_failure_limit), *extra],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(400):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    return proc


def stop_server(proc):
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return proc.returncode


def raw(method, url, headers=None, body=None):
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accord", required=True)
    use_database_server(parser)
    args = parser.parse_args()
    database_server_from(args)
    check = ic.Checks()

    work = tempfile.mkdtemp(prefix="accord-taxii-")
    port = free_port()
    log_path = os.path.join(work, "server.log")
    server = start_server(args.accord, os.path.join(work, "data"), port, log_path, max_content=2 << 20)
    base = "http://127.0.0.1:%d" % port
    try:
        auth = {"user": "partner", "password": TOKEN}

        srv = Server(base + "/taxii2/", **auth)
        check(srv.title == "Accord" and len(srv.api_roots) == 1, "discovery lists one API root")
        root = srv.api_roots[0]
        check(TAXII in root.versions and root.max_content_length == 2 << 20, "API root: versions and max_content_length")
        collection = root.collections[0]
        check(collection.can_read and collection.can_write, "collections: the default collection is readable and writable")
        col = Collection(collection.url, **auth)

        objects = [indicator(n) for n in range(250)]
        status = col.add_objects(json.dumps({"objects": objects}))
        check(status.status == "complete" and status.success_count == 250 and status.failure_count == 0,
              "add_objects: 250 objects complete", vars(status))
        status.refresh()
        check(status.success_count == 250, "status resource can be polled")
        again = col.add_objects(json.dumps({"objects": objects[:10] + [dict(indicator(999), pattern="[broken")]}))
        check(again.success_count == 10 and again.failure_count == 1 and "pattern" in again.failures[0]["message"],
              "re-posted objects count as successes; an invalid one fails with its reason", vars(again))

        seen = []
        for page in as_pages(col.get_objects, per_request=40):
            seen += [o["id"] for o in page.get("objects", [])]
        check(len(seen) == 250 and len(set(seen)) == 250, "as_pages returns every object exactly once (%d)" % len(seen))

        got = col.get_objects(type="indicator", id=objects[3]["id"])
        check([o["id"] for o in got["objects"]] == [objects[3]["id"]], "match[type] and match[id] filter")
        later = dict(indicator(3), modified="2021-01-01T00:00:00.000Z")
        col.add_objects(json.dumps({"objects": [later]}))
        versions = col.object_versions(objects[3]["id"])
        check(len(versions["versions"]) == 2, "versions lists both versions", versions)
        latest = col.get_object(objects[3]["id"])
        check(latest["objects"][0]["modified"] == "2021-01-01T00:00:00.000Z", "get_object returns the latest version")
        first = col.get_object(objects[3]["id"], version="first")
        check(first["objects"][0]["modified"] == "2020-01-01T00:00:00.000Z", "match[version]=first")
        manifest = col.get_manifest(limit=5)
        check(len(manifest["objects"]) == 5 and manifest["more"] is True and "version" in manifest["objects"][0],
              "manifest pages with more/next")
        col.delete_object(objects[0]["id"])
        status_code, _, _ = raw("GET", collection.url + "objects/%s/" % objects[0]["id"],
                                {"Accept": TAXII, "Authorization": "Bearer " + TOKEN})
        check(status_code == 404, "delete_object removes it (then 404)")

        bearer = {"Accept": TAXII, "Authorization": "Bearer " + TOKEN}
        token = {"Accept": TAXII, "Authorization": "Token " + TOKEN}
        code, headers, _ = raw("GET", base + "/api/collections/", token)
        check(code == 200, "Authorization: Token is accepted")
        code, headers, body = raw("GET", base + "/api/collections/", {"Accept": TAXII})
        check(code == 401 and "WWW-Authenticate" in headers and json.loads(body)["http_status"] == "401", "no credentials: 401 with WWW-Authenticate")
        code, _, _ = raw("GET", base + "/api/collections/", {"Accept": TAXII, "Authorization": "Bearer wrong"})
        check(code == 401, "a wrong token: 401")
        code, _, body = raw("GET", base + "/api/collections/", dict(bearer, Accept="application/json"))
        check(code == 406 and json.loads(body)["title"], "wrong Accept: 406 with an error body")
        code, _, _ = raw("POST", collection.url + "objects/", dict(bearer, **{"Content-Type": "application/json"}), b"{}")
        check(code == 415, "wrong Content-Type: 415")
        code, _, body = raw("GET", collection.url + "objects/?limit=zero", bearer)
        check(code == 400 and "limit" in json.loads(body).get("description", ""), "bad filter: 400 naming the parameter")
        code, _, _ = raw("GET", base + "/api/collections/%s/objects/" % uuid.uuid4(), bearer)
        check(code == 404, "unknown collection: 404")
        big = json.dumps({"objects": [indicator(n) for n in range(10000)]}).encode()
        code, _, _ = raw("POST", collection.url + "objects/", dict(bearer, **{"Content-Type": TAXII}), big)
        check(code == 413, "a body over max_content_length: 413 (%d bytes)" % len(big))
        code, _, body = raw("POST", collection.url + "objects/", dict(bearer, **{"Content-Type": TAXII}), b'{"objects": [')
        check(code == 400, "a truncated envelope: 400", body)
        code, headers, body = raw("GET", base + "/metrics", {"Authorization": "Bearer " + TOKEN})
        text = body.decode()
        check(code == 200 and "accord_ingested_objects_total 251" in text and "hb_requests" in text,
              "/metrics serves request and ingest counters in the Prometheus format", text[:800])
        code, _, _ = raw("GET", base + "/metrics", {})
        check(code == 401, "/metrics needs a token")
        fast_and_routes(collection.url, check)
        check(server.poll() is None, "the server is still running")
        fuzz(base, collection.url, check)
        check(server.poll() is None, "the server is still running after the fuzzing")
    finally:
        code = stop_server(server)
    check(code == 0, "SIGTERM stops the server cleanly (exit %s)" % code, open(log_path).read()[-1500:])
    paging(args.accord, os.path.join(work, "paging"), check)
    background(args.accord, os.path.join(work, "background"), check)
    tls(args.accord, os.path.join(work, "tls"), check)
    auth_limit(args.accord, os.path.join(work, "limit", "data"), check)
    return check.finish()


def fast_and_routes(collection_url, check):
    """The event-loop fast path (exact Accept, Bearer) and the routes (any other Accept) give the
    same bytes and TAXII headers; a kept page never outlives a POST or a DELETE."""
    fast = {"Accept": TAXII, "Authorization": "Bearer " + TOKEN}
    routes = {"Accept": "application/taxii+json;version=2.1, */*;q=0.1", "Authorization": "Bearer " + TOKEN}
    taxii_headers = ("Content-Type", "X-TAXII-Date-Added-First", "X-TAXII-Date-Added-Last")
    same = True
    for query in ("?limit=7", "?limit=7&match[type]=indicator", "?match[version]=all&limit=3", ""):
        for _ in range(3):  # a page is kept on its second read, so the third comes from the page cache
            a, ha, ba = raw("GET", collection_url + "objects/" + query, fast)
            b, hb, bb = raw("GET", collection_url + "objects/" + query, routes)
            same = same and a == b == 200 and ba == bb and all(ha.get(h) == hb.get(h) for h in taxii_headers)
    check(same, "GET objects: the fast path and the routes answer the same bytes and TAXII headers")
    everything = collection_url + "objects/?match[version]=all&limit=1000"
    for _ in range(3):  # kept on the second read, served from the cache on the third
        _, _, before = raw("GET", everything, fast)
    new = indicator(777)
    code, _, _ = raw("POST", collection_url + "objects/", dict(fast, **{"Content-Type": TAXII}), json.dumps({"objects": [new]}).encode())
    _, _, after = raw("GET", everything, fast)
    ids_after = [o["id"] for o in json.loads(after)["objects"]]
    check(code == 202 and new["id"] in ids_after and new["id"] not in [o["id"] for o in json.loads(before)["objects"]],
          "a page read again after a POST shows the new object (no stale kept page)")
    raw("DELETE", collection_url + "objects/%s/" % new["id"], fast)
    _, _, gone = raw("GET", everything, fast)
    check(new["id"] not in [o["id"] for o in json.loads(gone).get("objects", [])], "... and after a DELETE, not the deleted one")


def auth_limit(accord, data, check):
    """Failed authentications are limited per address: the 6th wrong token within a minute
    gets 429 with Retry-After, and so does a right one from that address; requests without a
    token are not failures."""
    port = free_port()
    work = os.path.dirname(data)
    os.makedirs(work, exist_ok=True)
    server = start_server(accord, data, port, os.path.join(work, "limit.log"), auth_failure_limit=5)
    base = "http://127.0.0.1:%d/api/collections/" % port
    try:
        for _ in range(8):
            raw("GET", base, {"Accept": TAXII})
        codes = [raw("GET", base, {"Accept": TAXII, "Authorization": "Bearer wrong-%d" % i})[0] for i in range(6)]
        check(codes == [401] * 5 + [429], "5 wrong tokens: 401 each (requests without a token do not count); the 6th: 429", codes)
        code, headers, body = raw("GET", base, {"Accept": TAXII, "Authorization": "Bearer " + TOKEN})
        check(code == 429 and int(headers.get("Retry-After", "0")) > 0 and json.loads(body)["http_status"] == "429",
              "then even a right token from that address gets 429 with Retry-After", (code, headers))
        code, _, _ = raw("GET", base + "00000000-0000-4000-8000-000000000000/objects/", {"Accept": TAXII, "Authorization": "Bearer " + TOKEN})
        check(code == 429, "... on the objects fast path too", code)
    finally:
        stop_server(server)


def tls(accord, data, check):
    """HTTPS with --tls-cert/--tls-key: TLS 1.2 and 1.3 are served, older versions refused."""
    import ssl
    import urllib.request as ur
    os.makedirs(data, exist_ok=True)
    cert, key = os.path.join(data, "cert.pem"), os.path.join(data, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:TRUE",
                    "-keyout", key, "-out", cert, "-days", "1"], check=True, capture_output=True)
    port = free_port()
    proc = start_server(accord, os.path.join(data, "store"), port, data + "-server.log", extra=("--tls-cert", cert, "--tls-key", key))
    try:
        url = "https://127.0.0.1:%d/taxii2/" % port
        for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            context = ssl.create_default_context(cafile=cert)
            context.check_hostname = False
            context.minimum_version = context.maximum_version = version
            request = ur.Request(url, headers={"Accept": TAXII, "Authorization": "Bearer " + TOKEN})
            with ur.urlopen(request, context=context, timeout=10) as r:
                check(r.status == 200, "HTTPS discovery over %s" % version.name)
        old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        old.check_hostname = False
        old.verify_mode = ssl.CERT_NONE
        try:
            # Python warns that TLS 1.1 is deprecated: that is the point of this check.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                old.minimum_version = old.maximum_version = ssl.TLSVersion.TLSv1_1
            ur.urlopen(ur.Request(url), context=old, timeout=10)
            check(False, "a TLS 1.1 client cannot connect")
        except (ssl.SSLError, OSError, ValueError):
            check(True, "a TLS 1.1 client cannot connect")
        # requests lets REQUESTS_CA_BUNDLE override a session's own verify setting.
        for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
            os.environ.pop(name, None)
        srv = Server(url, user="x", password=TOKEN, verify=cert)
        check(len(srv.api_roots) == 1, "taxii2-client over HTTPS")
    finally:
        stop_server(proc)


def background(accord, data, check):
    """Large POSTs answer 202 `pending` at once and complete in the background; an ingest cut
    short by SIGKILL resumes when the server starts again."""
    log_path = data + "-server.log"
    port = free_port()
    proc = start_server(accord, data, port, log_path, extra=("--background-above", "100000"))
    bearer = {"Accept": TAXII, "Authorization": "Bearer " + TOKEN}
    try:
        code, _, body = raw("GET", "http://127.0.0.1:%d/api/collections/" % port, bearer)
        cid = json.loads(body)["collections"][0]["id"]
        url = "http://127.0.0.1:%d/api/collections/%s/objects/" % (port, cid)
        objects = [indicator(n) for n in range(30000, 33000)]
        code, _, body = raw("POST", url, dict(bearer, **{"Content-Type": TAXII}), json.dumps({"objects": objects}).encode())
        status = json.loads(body)
        check(code == 202 and status["status"] == "pending" and status["pending_count"] == 3000,
              "a large POST answers 202 pending with the object count", status)
        status_url = "http://127.0.0.1:%d/api/status/%s/" % (port, status["id"])
        for _ in range(600):
            status = json.loads(raw("GET", status_url, bearer)[2])
            if status["status"] == "complete":
                break
            time.sleep(0.05)
        check(status["status"] == "complete" and status["success_count"] == 3000 and status["pending_count"] == 0,
              "the pending status completes with every object", {k: status.get(k) for k in ("status", "success_count", "failure_count")})
        more = [indicator(n) for n in range(40000, 43000)]
        code, _, body = raw("POST", url, dict(bearer, **{"Content-Type": TAXII}), json.dumps({"objects": more}).encode())
        pending_id = json.loads(body)["id"]
        proc.kill()  # SIGKILL, probably in the middle of the background ingest
        proc.wait()
        proc = start_server(accord, data, port, log_path, extra=("--background-above", "100000"))
        status_url = "http://127.0.0.1:%d/api/status/%s/" % (port, pending_id)
        for _ in range(600):
            status = json.loads(raw("GET", status_url, bearer)[2])
            if status.get("status") == "complete":
                break
            time.sleep(0.05)
        check(status.get("status") == "complete" and status.get("success_count") == 3000,
              "an ingest cut short by SIGKILL resumes after a restart", status)
        seen, next_token = set(), None
        while True:
            page = json.loads(raw("GET", url + "?limit=1000" + ("&next=" + next_token if next_token else ""), bearer)[2])
            seen |= {o["id"] for o in page.get("objects", [])}
            if not page.get("more"):
                break
            next_token = page["next"]
        check(len(seen) == 6000, "both large POSTs are stored, each object once (%d)" % len(seen))
    finally:
        stop_server(proc)


def paging(accord, data, check):
    """10,000 objects in one POST (one date_added), 50 more added while a client pages, a
    restart in the middle and two server processes answering alternately: every object once."""
    log_path = data + "-server.log"
    port_a, port_b = free_port(), free_port()
    a = start_server(accord, data, port_a, log_path)
    b = None
    try:
        bearer = {"Accept": TAXII, "Authorization": "Bearer " + TOKEN}
        code, _, body = raw("GET", "http://127.0.0.1:%d/api/collections/" % port_a, bearer)
        cid = json.loads(body)["collections"][0]["id"]
        path = "/api/collections/%s/objects/" % cid
        posted = [indicator(n) for n in range(10000)]
        code, _, body = raw("POST", "http://127.0.0.1:%d%s" % (port_a, path), dict(bearer, **{"Content-Type": TAXII}),
                            json.dumps({"objects": posted}).encode())
        check(code == 202 and json.loads(body)["success_count"] == 10000, "paging: 10,000 objects accepted in one POST")
        seen, next_token, pages = [], None, 0
        while True:
            port = port_a if (b is None or pages % 2 == 0) else port_b
            url = "http://127.0.0.1:%d%s?limit=100" % (port, path) + ("&next=" + next_token if next_token else "")
            code, headers, body = raw("GET", url, bearer)
            if code != 200:
                check(False, "paging: page %d answered %d" % (pages, code), body)
                break
            envelope = json.loads(body)
            seen += [o["id"] for o in envelope.get("objects", [])]
            pages += 1
            if pages == 10:
                more = [indicator(n) for n in range(20000, 20050)]
                raw("POST", "http://127.0.0.1:%d%s" % (port_a, path), dict(bearer, **{"Content-Type": TAXII}),
                    json.dumps({"objects": more}).encode())
                posted += more
            if pages == 40:  # restart: the cursor must survive it
                stop_server(a)
                a = start_server(accord, data, port_a, log_path)
            if pages == 60:
                b = start_server(accord, data, port_b, log_path)
            if not envelope.get("more"):
                break
            next_token = envelope["next"]
        want = {o["id"] for o in posted}
        check(len(seen) == len(want) and set(seen) == want,
              "paging: %d objects over %d pages through a restart and two servers, each exactly once" % (len(seen), pages),
              "missing %d, repeated %d" % (len(want - set(seen)), len(seen) - len(set(seen))))
    finally:
        stop_server(a)
        if b is not None:
            stop_server(b)


def fuzz(base, collection_url, check, rounds=1500, seed=11):
    """Hostile and random query strings, headers and bodies: never a 500, never a dead server."""
    import random
    rng = random.Random(seed)
    bearer = {"Accept": TAXII, "Authorization": "Bearer " + TOKEN}
    paths = ["/taxii2/", "/api/", "/api/collections/", collection_url[len(base):], collection_url[len(base):] + "objects/",
             collection_url[len(base):] + "manifest/", collection_url[len(base):] + "objects/indicator--00000003-1111-4111-8111-111111111111/",
             collection_url[len(base):] + "objects/indicator--00000003-1111-4111-8111-111111111111/versions/", "/api/status/x/"]
    names = ["limit", "next", "added_after", "match[id]", "match[type]", "match[version]", "match[spec_version]", "match[foo]", "x"]
    junk = ["", "-1", "0", "99999999999999999999", "%00", "%ZZ", "'", "\"", "<script>", "a" * 5000, "2020-13-45T99:99:99Z",
            "first,last", "all,all", ",", "indicator--", "1-zz-zz", "\u2028", "%F0%9F%98%80", "NaN", "null"]
    bodies = [b"", b"{", b"[]", b"null", b'{"objects": {}}', b'{"objects": [1, "x", null]}', b"\xff\xfe\x00",
              b"[" * 100000, b'{"objects": [' + b'{"a":' * 5000 + b"1" + b"}" * 5000 + b"]}", b'{"objects": [], "more": "x"}',
              b'{"type":"bundle","id":"bundle--1","objects":[{"type":"indicator"}]}', bytes(rng.getrandbits(8) for _ in range(3000))]
    errors = []
    for i in range(rounds):
        path = rng.choice(paths)
        # Printable ASCII goes as it is (hostile on purpose); anything else is percent-encoded,
        # since an HTTP client cannot put it on the request line at all.
        printable = "".join(chr(c) for c in range(33, 127))
        query = "&".join("%s=%s" % (urllib.request.quote(rng.choice(names), safe="[]%"),
                                    urllib.request.quote(rng.choice(junk), safe=printable))
                         for _ in range(rng.randint(0, 4)))
        url = base + path + ("?" + query if query else "")
        headers = dict(bearer)
        if rng.random() < 0.3:
            headers["Accept"] = rng.choice(["", "*/*", "application/taxii+json;version=9", "text/plain;q=0", "x" * 3000, "application/taxii+json;;;;"])
        if rng.random() < 0.2:
            headers["Authorization"] = rng.choice(["", "Basic", "Basic %%%", "Bearer " + "x" * 5000, "Token", "Negotiate abc"])
        method = rng.choice(["GET", "GET", "POST", "DELETE", "PUT", "PATCH", "HEAD"])
        body = None
        if method in ("POST", "PUT", "PATCH"):
            body = rng.choice(bodies)
            headers["Content-Type"] = rng.choice([TAXII, TAXII, "application/json", "", "application/taxii+json;version=2.1;x=\"y\""])
        try:
            code, _, _ = raw(method, url, headers, body)
        except Exception as e:  # a dropped connection is a failure too
            errors.append((method, url[:200], repr(e)[:200]))
            continue
        if code >= 500:
            errors.append((method, url[:200], code))
    check(not errors, "fuzzing: %d hostile requests, no 5xx and no dropped connection" % rounds, errors[:5])


if __name__ == "__main__":
    sys.exit(main())
