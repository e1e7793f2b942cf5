#!/usr/bin/env python3
"""Several `accord serve` nodes on one PostgreSQL database.

Usage: .venv/bin/python Tests/interop/postgres_nodes.py --accord PATH --database-server postgres://USER@HOST:PORT/DB

The user of --database-server must be allowed to CREATE DATABASE: every part below runs on a
fresh database of that server (dropped at the end unless --keep). Checks:

1. Paging across nodes while a third process ingests: two nodes A and B; 5,000 indicators
   preloaded through A; a client pages with limit=100 alternately through A and B (the next
   token of one node used on the other) while `accord import` loads 20 bundles of 250 new
   indicators and 20 POSTs of 50 go through B. When `more` is false before the ingest is over
   the client asks again with added_after = the last X-TAXII-Date-Added-Last it saw; it stops
   after a page with more=false requested once the ingest had finished. Every object stored
   must arrive exactly once, and date_added (the page headers, and a manifest walk of the
   final collection) must never go backwards.
2. Versions posted through two nodes at once: five versions of each of three indicators, all
   POSTed concurrently through A and B; on both nodes versions/ lists all five, in ascending
   date_added order as TAXII 2.1 3.3 asks (the order of the manifest with match[version]=all,
   i.e. the order the concurrent POSTs committed; not necessarily the order of `modified`),
   identically on A and B; match[id] gives the latest `modified`, match[version]=first the
   earliest.
3. SIGKILL: node A killed in the middle of a synchronous POST of 10,000 objects (one
   transaction; "in the middle" means PostgreSQL shows Accord's write lock held and no answer
   has come) leaves all or none of that envelope, and every object a status reported as a
   success is stored; A takes writes again after the restart. A background (pending) ingest
   cut short by SIGKILL of node A (its write lock held) is reported pending by node B, which
   keeps serving, and completes with every object after A restarts (status read through B).
4. Web sessions are shared: signed in on A, the session cookie works on B; revoking the token
   through B's admin API sends A's next page to /signin.
5. The failed-authentication limit is shared (a database of its own): with
   --auth-failure-limit 6 on both nodes, three wrong tokens to A and three to B answer 401;
   then the right token sent to A, the 7th wrong token (to A) and the 8th (to B) get 429.

The last line is "N passed, N failed"; the exit status is nonzero when a check failed.
"""
import argparse
import datetime
import json
import os
import re
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
from taxii_interop import free_port, indicator, stop_server  # noqa: E402

TOKEN = "interop-" + "0123456789abcdef" * 3
TAXII = "application/taxii+json;version=2.1"
BEARER = {"Accept": TAXII, "Authorization": "Bearer " + TOKEN}
POST_HEADERS = dict(BEARER, **{"Content-Type": TAXII})
# PostgresStore.writeLock (0x4143434F52443031) as pg_locks shows a bigint advisory key.
WRITE_LOCK_CLASSID, WRITE_LOCK_OBJID = 0x4143434F, 0x52443031


raw = ic.http
as_json = ic.as_json


class Database(ic.PostgresDatabases):
    """Fresh databases on the PostgreSQL server of --database-server."""

    def __init__(self, server_url):
        super().__init__(server_url, "accord_nodes")

    def value(self, name, sql):
        """One value from psql (for evidence only: what the server is doing right now)."""
        ok, text = self.query(name, sql, timeout=20)
        return text if ok else None

    def write_lock_held(self, name):
        return self.value(name, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = %d AND objid = %d "
                                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                                % (WRITE_LOCK_CLASSID, WRITE_LOCK_OBJID)) not in (None, "0")


class Node:
    """One `accord serve` process on a database, restartable, logging to one file."""

    def __init__(self, accord, url, log_path, extra=(), auth_failure_limit=0):
        self.accord, self.url, self.log_path, self.extra = accord, url, log_path, list(extra)
        self.auth_failure_limit = auth_failure_limit
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.proc = None

    def start(self, extra=None):
        if extra is not None:
            self.extra = list(extra)
        env = dict(os.environ, ACCORD_ADMIN_TOKEN=TOKEN)
        env.pop("ACCORD_DATABASE_URL", None)
        log = open(self.log_path, "a")
        log.write("==== start %s\n" % time.strftime("%H:%M:%S"))
        log.flush()
        self.proc = subprocess.Popen([self.accord, "serve", "--database", self.url, "--port", str(self.port), "--no-knowledge-base",
                                      "--auth-failure-limit", str(self.auth_failure_limit), *self.extra],
                                     env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        for _ in range(600):
            if self.proc.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("node on port %d did not start (exit %s): %s" % (self.port, self.proc.poll(), self.log_tail()))

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        return stop_server(self.proc)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def log_tail(self, chars=1500):
        try:
            return open(self.log_path, errors="replace").read()[-chars:]
        except OSError:
            return ""

    def collection_url(self, cid):
        return self.base + "/api/collections/%s/" % cid


def default_collection(node):
    code, _, body = raw("GET", node.base + "/api/collections/", BEARER)
    return json.loads(body)["collections"][0]["id"]


def parse_date(text):
    if not text:
        return None
    for fmt in ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            pass
    return None


def all_ids(node, cid, extra=""):
    """Every object id of the collection (latest versions), paged with limit=1000."""
    ids, next_token = [], None
    for _ in range(1000):
        code, _, body = raw("GET", node.collection_url(cid) + "objects/?limit=1000" + extra + ("&next=" + next_token if next_token else ""), BEARER)
        if code != 200:
            raise RuntimeError("listing answered %d: %r" % (code, body[:300]))
        page = json.loads(body)
        ids += [o["id"] for o in page.get("objects", [])]
        if not page.get("more"):
            break
        next_token = page["next"]
    return ids


def post(node, cid, objects, timeout=120):
    code, headers, body = raw("POST", node.collection_url(cid) + "objects/", POST_HEADERS, json.dumps({"objects": objects}).encode(), timeout=timeout)
    return code, as_json(body)


# --- 1. paging through two nodes while a third process ingests ---------------------------------------

def paging(accord, db, work, check):
    name = db.create("paging")
    a = Node(accord, db.url(name), os.path.join(work, "paging-a.log")).start()
    b = Node(accord, db.url(name), os.path.join(work, "paging-b.log")).start()
    nodes = [a, b]
    try:
        cid = default_collection(a)
        preload = [indicator(n) for n in range(5000)]
        code, status = post(a, cid, preload)
        check(code == 202 and status.get("success_count") == 5000, "paging: 5,000 indicators preloaded through node A",
              {k: status.get(k) for k in ("status", "success_count", "failure_count")})
        expected = {o["id"] for o in preload}
        ingest_errors, ingested = [], []
        finished = threading.Event()

        def ingester():
            try:
                for i in range(20):
                    objects = [indicator(n) for n in range(100000 + i * 250, 100000 + (i + 1) * 250)]
                    bundle = os.path.join(work, "bundle-%02d.json" % i)
                    with open(bundle, "w") as f:
                        json.dump({"type": "bundle", "id": "bundle--%s" % uuid.uuid4(), "objects": objects}, f)
                    done = subprocess.run([accord, "import", "--database", db.url(name), "--collection", "default", "--quiet", bundle],
                                          capture_output=True, text=True, env={k: v for k, v in os.environ.items() if k != "ACCORD_DATABASE_URL"})
                    ingested.extend(o["id"] for o in objects)
                    if done.returncode != 0:
                        ingest_errors.append("import %d: exit %d: %s" % (i, done.returncode, (done.stdout + done.stderr)[-500:]))
                    more = [indicator(n) for n in range(200000 + i * 50, 200000 + (i + 1) * 50)]
                    code, status = post(b, cid, more)
                    ingested.extend(o["id"] for o in more)
                    if code != 202 or status.get("success_count") != 50:
                        ingest_errors.append("POST %d through B: %d %s" % (i, code, str(status)[:300]))
            except Exception as e:  # noqa: BLE001 - reported as a failed check
                ingest_errors.append("ingester: %r" % e)
            finally:
                finished.set()

        thread = threading.Thread(target=ingester, daemon=True)
        seen, pages, next_token, added_after = [], 0, None, None
        last_date, backwards, header_problems, errors = None, [], [], []
        cursor_pages = added_after_pages = pages_during_ingest = 0
        started = time.time()
        thread.start()
        while time.time() - started < 90:
            node = nodes[pages % 2]
            ingest_over = finished.is_set()  # read before the request: what was committed by now must be in the answer
            query = "?limit=100" + ("&added_after=" + urllib.parse.quote(added_after) if added_after else "") + \
                    ("&next=" + urllib.parse.quote(next_token) if next_token else "")
            code, headers, body = raw("GET", node.collection_url(cid) + "objects/" + query, BEARER)
            pages += 1
            pages_during_ingest += not finished.is_set()
            if code != 200:
                errors.append("page %d from %s%s answered %d: %r" % (pages, "AB"[(pages - 1) % 2], query, code, body[:300]))
                break
            envelope = json.loads(body)
            objects = envelope.get("objects", [])
            seen += [o["id"] for o in objects]
            first, last = headers.get("X-TAXII-Date-Added-First"), headers.get("X-TAXII-Date-Added-Last")
            if objects:
                f, l = parse_date(first), parse_date(last)
                if f is None or l is None:
                    header_problems.append((pages, first, last))
                else:
                    if l < f or (last_date is not None and f < last_date):
                        backwards.append((pages, str(last_date), first, last))
                    last_date = l
                cursor_pages += bool(next_token)
                added_after_pages += bool(added_after and not next_token)
            if envelope.get("more"):
                next_token = envelope.get("next")
                if not next_token:
                    errors.append("page %d: more=true without next" % pages)
                    break
                continue
            next_token = None
            if last:
                added_after = last
            if ingest_over:
                break
            time.sleep(0.05)
        finished.wait(60)
        check(not ingest_errors and len(ingested) == 6000, "paging: the concurrent ingest (20 imports of 250, 20 POSTs of 50 through B) succeeded",
              ingest_errors[:3])
        check(not errors, "paging: every page answered 200 on both nodes", errors[:3])
        expected |= set(ingested)
        missing = expected - set(seen)
        repeated = len(seen) - len(set(seen))
        check(not missing and repeated == 0 and set(seen) <= expected,
              "paging: %d objects over %d pages alternating A/B (%d continued by next token, %d by added_after; %d while the "
              "ingest ran), each exactly once" % (len(seen), pages, cursor_pages, added_after_pages, pages_during_ingest),
              "expected %d, missing %d (e.g. %s), repeated %d, unexpected %d" % (len(expected), len(missing), sorted(missing)[:3], repeated,
                                                                                 len(set(seen) - expected)))
        check(not header_problems and not backwards, "paging: X-TAXII-Date-Added-First/Last never go backwards along the walk",
              {"unparsable": header_problems[:3], "backwards": backwards[:3]})
        # Manifest of the final collection, alternately through both nodes: date_added never goes back.
        dates, next_token, manifest_pages, seen_manifest = [], None, 0, []
        while True:
            node = nodes[manifest_pages % 2]
            code, _, body = raw("GET", node.collection_url(cid) + "manifest/?limit=500" + ("&next=" + next_token if next_token else ""), BEARER)
            manifest_pages += 1
            if code != 200:
                break
            m = json.loads(body)
            dates += [parse_date(o.get("date_added")) for o in m.get("objects", [])]
            seen_manifest += [o["id"] for o in m.get("objects", [])]
            if not m.get("more"):
                break
            next_token = m["next"]
        in_order = all(d is not None for d in dates) and all(x <= y for x, y in zip(dates, dates[1:]))
        check(code == 200 and in_order and len(seen_manifest) == len(expected) and set(seen_manifest) == expected,
              "paging: the manifest walked alternately through A and B lists every object once with date_added in order (%d entries)"
              % len(seen_manifest), "code %d, in order %s, %d entries of %d" % (code, in_order, len(seen_manifest), len(expected)))
        versions(a, b, cid, check)
        check(a.proc.poll() is None and b.proc.poll() is None, "paging: both nodes still run", a.log_tail() + b.log_tail())
    finally:
        for node in nodes:
            node.stop()


# --- 2. versions through two nodes at once ------------------------------------------------------------

def versions(a, b, cid, check):
    stamps = ["2021-0%d-01T00:00:00.000Z" % k for k in range(1, 6)]
    ids = [indicator(n)["id"] for n in (300000, 300001, 300002)]
    jobs = []
    for i, n in enumerate((300000, 300001, 300002)):
        order = list(range(5)) if i % 2 == 0 else list(reversed(range(5)))
        for j, k in enumerate(order):
            jobs.append(((a, b)[(i + j) % 2], dict(indicator(n, modified=stamps[k]), name="Indicator %d v%d" % (n, k + 1))))
    gate = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def send(index, node, obj):
        gate.wait()
        results[index] = post(node, cid, [obj])

    threads = [threading.Thread(target=send, args=(i, node, obj)) for i, (node, obj) in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    ok = all(r is not None and r[0] == 202 and r[1].get("success_count") == 1 for r in results)
    check(ok, "versions: 15 POSTs (5 versions each of 3 indicators) at once through A and B all succeed",
          [r for r in results if not (r and r[0] == 202 and r[1].get("success_count") == 1)][:3])
    # TAXII 2.1 3.3: the object endpoints (versions/ included) answer in ascending date_added
    # order, so versions/ must list the five in the order of the manifest's date_added (the
    # order the concurrent POSTs committed), not necessarily in the order of `modified`.
    problems, listings = [], {}
    for node, label in ((a, "A"), (b, "B")):
        for sid in ids:
            code, _, body = raw("GET", node.collection_url(cid) + "objects/%s/versions/" % sid, BEARER)
            listed = as_json(body).get("versions")
            listings.setdefault(sid, []).append(listed)
            mcode, _, mbody = raw("GET", node.collection_url(cid) + "manifest/?match[id]=%s&match[version]=all" % sid, BEARER)
            manifest = as_json(mbody).get("objects") or []
            by_date = [m.get("version") for m in manifest]
            dates = [parse_date(m.get("date_added")) for m in manifest]
            ascending = all(d is not None for d in dates) and all(x <= y for x, y in zip(dates, dates[1:]))
            if code != 200 or not isinstance(listed, list) or sorted(listed) != stamps or mcode != 200 or listed != by_date or not ascending:
                problems.append("%s %s: versions/ %d %s; manifest %d %s" % (label, sid, code, listed, mcode,
                                                                           [(m.get("version"), m.get("date_added")) for m in manifest]))
            for version, want in (("last", stamps[-1]), ("first", stamps[0])):
                code, _, body = raw("GET", node.collection_url(cid) + "objects/?match[id]=%s&match[version]=%s" % (sid, version), BEARER)
                objects = as_json(body).get("objects") or []
                if code != 200 or [(o.get("modified"), o.get("name", "")[-2:]) for o in objects] != [(want, "v%d" % (stamps.index(want) + 1))]:
                    problems.append("%s match[id]=%s&match[version]=%s: %d %s" % (label, sid, version, code,
                                                                                 [(o.get("modified"), o.get("name")) for o in objects]))
            code, _, body = raw("GET", node.collection_url(cid) + "objects/?match[id]=%s" % sid, BEARER)
            objects = as_json(body).get("objects") or []
            if code != 200 or [o.get("modified") for o in objects] != [stamps[-1]]:
                problems.append("%s match[id]=%s (default: latest): %d %s" % (label, sid, code, [o.get("modified") for o in objects]))
    check(not problems, "versions: versions/ lists all five in date_added order (as the manifest), and match[id] answers the latest "
          "(match[version]=first the earliest), on both nodes", problems[:4])
    check(all(len(l) == 2 and l[0] == l[1] for l in listings.values()), "versions: nodes A and B list the versions identically", listings)


# --- 3. SIGKILL in the middle of ingests ---------------------------------------------------------------

def crash(accord, db, work, check):
    name = db.create("crash")
    a = Node(accord, db.url(name), os.path.join(work, "crash-a.log"), extra=("--background-above", "100000000")).start()
    b = Node(accord, db.url(name), os.path.join(work, "crash-b.log")).start()
    try:
        cid = default_collection(a)
        before = set(all_ids(b, cid))
        envelope = [indicator(n) for n in range(400000, 410000)]
        body = json.dumps({"objects": envelope}).encode()
        outcome = {}

        def send():
            t = time.time()
            try:
                outcome["response"] = raw("POST", a.collection_url(cid) + "objects/", POST_HEADERS, body, timeout=120)
            except Exception as e:  # noqa: BLE001 - the connection dies with the node
                outcome["error"] = repr(e)
            outcome["seconds"] = time.time() - t

        sender = threading.Thread(target=send)
        sender.start()
        locked_at = None
        deadline = time.time() + 20
        while time.time() < deadline and sender.is_alive():
            if db.write_lock_held(name):
                locked_at = time.time()
                break
            time.sleep(0.03)
        time.sleep(0.3)
        mid_ingest = locked_at is not None and sender.is_alive() and db.write_lock_held(name)
        a.kill()
        killed_at = time.time()
        sender.join(60)
        response = outcome.get("response")
        reported = as_json(response[2]) if response else {}
        check(mid_ingest and response is None,
              "crash: node A was SIGKILLed in the middle of a synchronous POST of 10,000 objects (write transaction open, no answer yet)",
              {"write lock seen": locked_at is not None, "answered": response and (response[0], str(reported)[:200]),
               "killed after": round(killed_at - (locked_at or killed_at), 2)})
        a.start(extra=("--background-above", "100000"))
        envelope_ids = {o["id"] for o in envelope}
        stored = (set(all_ids(b, cid)) - before) & envelope_ids
        succeeded = {s["id"] for s in reported.get("successes", [])} if response and response[0] == 202 else set()
        check(len(stored) in (0, len(envelope_ids)) and succeeded <= stored,
              "crash: after the restart that envelope is stored all or nothing (%d of %d), including every object whose status said success (%d)"
              % (len(stored), len(envelope_ids), len(succeeded)))
        code, status = post(a, cid, [indicator(n) for n in range(410000, 410100)])
        check(code == 202 and status.get("success_count") == 100, "crash: the restarted node A takes writes again (the write lock was released)",
              (code, str(status)[:300]))

        # Background ingest cut short: A answers 202 pending; SIGKILL; B serves the status meanwhile; A resumes it.
        pending = [indicator(n) for n in range(420000, 423000)]
        code, status = post(a, cid, pending)
        check(code == 202 and status.get("status") == "pending" and status.get("pending_count") == 3000,
              "crash: a POST over --background-above answers 202 pending", (code, {k: status.get(k) for k in ("status", "pending_count")}))
        sid = status.get("id")
        deadline = time.time() + 3
        while time.time() < deadline and not db.write_lock_held(name):
            time.sleep(0.02)
        time.sleep(0.2)
        lock_at_kill = db.write_lock_held(name)
        a.kill()
        status_url = b.base + "/api/status/%s/" % sid
        code, _, body = raw("GET", status_url, BEARER)
        interim = as_json(body)
        check(lock_at_kill and code == 200 and interim.get("status") == "pending" and interim.get("total_count") == 3000,
              "crash: node A was SIGKILLed during its background ingest (write transaction open); node B answers the status: "
              "%s, %s of 3000 done" % (interim.get("status"), interim.get("success_count")),
              (lock_at_kill, code, str(interim)[:300]))
        a.start()
        final = interim
        deadline = time.time() + 60
        while time.time() < deadline:
            code, _, body = raw("GET", status_url, BEARER)
            final = as_json(body)
            if final.get("status") == "complete":
                break
            time.sleep(0.1)
        check(final.get("status") == "complete" and final.get("success_count") == 3000 and final.get("failure_count") == 0
              and final.get("pending_count") == 0,
              "crash: the background ingest resumes after node A restarts and completes with all 3,000 (status read through B)",
              ({k: final.get(k) for k in ("status", "success_count", "failure_count", "pending_count")}, a.log_tail(800)))
        stored = set(all_ids(b, cid))
        check({o["id"] for o in pending} <= stored, "crash: all 3,000 objects of the resumed ingest are stored",
              "%d of 3000" % len({o["id"] for o in pending} & stored))
        listed = all_ids(a, cid)
        check(len(listed) == len(set(listed)), "crash: no object listed twice after the restarts")
    finally:
        a.stop()
        b.stop()


# --- 4 and 5. shared web sessions and failed-authentication limit ----------------------------------------

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def form_request(url, form=None, cookies=None):
    """A request without redirects; returns (status, headers, text, cookies set)."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    req = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    if cookies:
        req.add_header("Cookie", "; ".join("%s=%s" % kv for kv in cookies.items()))
    opener = urllib.request.build_opener(NoRedirect())
    try:
        with opener.open(req, timeout=30) as r:
            status, headers, text = r.status, r.headers, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        status, headers, text = e.code, e.headers, e.read().decode("utf-8", "replace")
    set_cookies = {}
    for value in headers.get_all("Set-Cookie") or []:
        k, _, rest = value.partition("=")
        set_cookies[k.strip()] = rest.split(";")[0]
    return status, headers, text, set_cookies


def admin(node, method, path, body=None):
    headers = {"Authorization": "Bearer " + TOKEN, "Accept": "application/json"}
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    code, _, text = raw(method, node.base + path, headers, data)
    return code, as_json(text) if text else {}


def sessions(accord, db, work, check):
    name = db.create("shared")
    a = Node(accord, db.url(name), os.path.join(work, "shared-a.log"), auth_failure_limit=6).start()
    b = Node(accord, db.url(name), os.path.join(work, "shared-b.log"), auth_failure_limit=6).start()
    try:
        code, token = admin(a, "POST", "/admin/tokens", {"role": "reader", "name": "web session test"})
        check(code == 201 and token.get("secret") and token.get("id"), "sessions: node A issues a reader token", (code, token))
        status, _, page, cookies = form_request(a.base + "/signin")
        m = re.search(r'name="csrf" value="([^"]*)"', page)
        signin = cookies.get("accord_signin")
        status, headers, page, cookies = form_request(a.base + "/signin", {"csrf": m.group(1) if m else "", "token": token.get("secret", "")},
                                                      {"accord_signin": signin} if signin else None)
        session = cookies.get("accord_session")
        check(status == 303 and session, "sessions: signing in on node A sets a session cookie", (status, dict(headers), page[:300]))
        status, headers, page, _ = form_request(b.base + "/", cookies={"accord_session": session or ""})
        check(status == 200, "sessions: the session cookie from node A opens a page on node B (200)", (status, headers.get("Location")))
        status, _, _, _ = form_request(a.base + "/", cookies={"accord_session": session or ""})
        check(status == 200, "sessions: ... and still on node A", status)
        code, body = admin(b, "DELETE", "/admin/tokens/%s" % token.get("id"))
        check(code == 204, "sessions: node B's admin API revokes the token (204)", (code, body))
        status, headers, _, _ = form_request(a.base + "/", cookies={"accord_session": session or ""})
        check(status == 303 and headers.get("Location") == "/signin",
              "sessions: after the revocation through node B, node A sends the session to /signin", (status, headers.get("Location")))
        code, _, _ = raw("GET", a.base + "/api/collections/", {"Accept": TAXII, "Authorization": "Bearer " + token.get("secret", "")})
        check(code == 401, "sessions: ... and node A refuses the revoked token over TAXII (401)", code)

    finally:
        a.stop()
        b.stop()


def auth_limit(accord, db, work, check):
    """The failed-authentication window is shared through the database (its own database, so
    that no earlier wrong token counts)."""
    name = db.create("limit")
    a = Node(accord, db.url(name), os.path.join(work, "limit-a.log"), auth_failure_limit=6).start()
    b = Node(accord, db.url(name), os.path.join(work, "limit-b.log"), auth_failure_limit=6).start()
    try:
        url = "/api/collections/"
        codes = []
        for i, node in enumerate((a, a, a, b, b, b)):
            codes.append(raw("GET", node.base + url, {"Accept": TAXII, "Authorization": "Bearer wrong-%d" % i})[0])
        right_on_a = raw("GET", a.base + url, BEARER)
        seventh = raw("GET", a.base + url, {"Accept": TAXII, "Authorization": "Bearer wrong-7"})
        eighth = raw("GET", b.base + url, {"Accept": TAXII, "Authorization": "Bearer wrong-8"})
        check(codes == [401] * 6, "limit: three wrong tokens to A and three to B each answer 401 (limit 6)", codes)
        check(right_on_a[0] == 429, "limit: after those six, the right token sent to node A (which saw only 3 of them) gets 429",
              (right_on_a[0], right_on_a[2][:200]))
        check(seventh[0] == 429 and int(seventh[1].get("Retry-After", "0") or 0) > 0,
              "limit: the 7th wrong token, sent to node A (which saw only 3), gets 429 with Retry-After",
              (seventh[0], seventh[1].get("Retry-After"), seventh[2][:200]))
        check(eighth[0] == 429, "limit: ... and the 8th, sent to node B, gets 429", (eighth[0], eighth[2][:200]))
        right = raw("GET", a.base + url, BEARER)[0], raw("GET", b.base + url, BEARER)[0]
        check(right == (429, 429), "limit: then even the right token gets 429 from both nodes", right)
    finally:
        a.stop()
        b.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accord", required=True)
    parser.add_argument("--database-server", required=True,
                        help="postgres:// URL of a server whose user may create databases (one fresh database per part)")
    parser.add_argument("--keep", action="store_true", help="keep the databases and the work directory")
    args = parser.parse_args()
    check = ic.Checks()
    db = Database(args.database_server)
    work = tempfile.mkdtemp(prefix="accord-pgnodes-")
    print("work directory: %s" % work)
    started = time.time()
    try:
        for part in (paging, crash, sessions, auth_limit):
            t = time.time()
            try:
                part(args.accord, db, work, check)
            except Exception as e:  # noqa: BLE001 - a crashed part is a failed check, the others still run
                import traceback
                check(False, "%s: the part ran to its end" % part.__name__, traceback.format_exc()[-1500:])
            print("  (%s took %.1f s)" % (part.__name__, time.time() - t))
    finally:
        if not args.keep:
            db.drop_all()
    print("total %.1f s" % (time.time() - started))
    return check.finish()


if __name__ == "__main__":
    sys.exit(main())
