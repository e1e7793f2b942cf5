#!/usr/bin/env python3
"""PostgreSQL backend benchmarks, in one run:

- Bulk ingest: `accord import` of N generated objects into a fresh PostgreSQL database, and the
  same file into a fresh SQLite store (the peer: the default backend), objects/s.
- PostgreSQL's floor: the rows that ingest wrote, copied back by the server itself into fresh
  tables with the same indexes; the least time any client could store them in.
- Deep paging: the PostgreSQL store grown to S objects (more generated bundles imported the same
  way); GET objects limit=100 latency (p50/p99 over many requests) of the first page and of the
  page at depth D, through `accord serve --database`.
- GET throughput with one node and with two nodes on the same database (wrk rotating over the
  first pages, the same total connections), alternating rounds, medians; and the CPU each kind
  of process used during the rounds, which says where the limit lies.

Usage (from scripts/bench-postgres): pg_bench.py --accord PATH --database-server URL
       [--objects N] [--store S] [--depth D] [--seconds T] [--rounds R]
"""
import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

TOKEN = "bench-" + "0123456789abcdef" * 3
TAXII = "application/taxii+json;version=2.1"
HERE = os.path.dirname(os.path.abspath(__file__))
PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")

ROTATE_LUA = """
local paths = {}
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Accept"] = "application/taxii+json;version=2.1", ["Authorization"] = os.getenv("AUTH") })
end
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port):
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("port %d never opened" % port)


def new_database(server, name):
    u = urllib.parse.urlsplit(server)
    subprocess.run([PG_BIN + "/dropdb", "--if-exists", "-h", u.hostname, "-p", str(u.port), "-U", u.username, name], check=True)
    subprocess.run([PG_BIN + "/createdb", "-h", u.hostname, "-p", str(u.port), "-U", u.username, name], check=True)
    return urllib.parse.urlunsplit(u._replace(path="/" + name))


def psql(url, query):
    return subprocess.run(["psql", "-At", url, "-c", query], capture_output=True, text=True, check=True).stdout.strip()


def bundle(n, seed):
    path = "/tmp/accord-bench-%d-seed%d.json" % (n, seed)
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(HERE, "make_bundle.py"), str(n), path, "--seed", str(seed)], check=True,
                       stdout=subprocess.DEVNULL)
    return path


def timed_import(accord, store_args, path):
    start = time.time()
    out = subprocess.run([accord, "import", "-q", *store_args, path], capture_output=True, text=True)
    elapsed = time.time() - start
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    added = int(re.search(r"added (\d+)", out.stderr + out.stdout).group(1)) if re.search(r"added (\d+)", out.stderr + out.stdout) else None
    return elapsed, added


def latency(port, path, n):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Accept": TAXII, "Authorization": "Bearer " + TOKEN}
    times = []
    for i in range(n + 5):
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise RuntimeError("GET %s: %d %s" % (path, r.status, body[:300]))
        if i >= 5:
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def cpu_seconds(pids=None, user=None):
    """CPU time (user + system) of the given processes, or of every process of a user."""
    if user is not None:
        # Clock ticks from /proc rather than ps's whole seconds, which rounded each backend's
        # share of a short round down to nothing.
        pids = [int(x) for x in subprocess.run(["ps", "-u", user, "-o", "pid="], capture_output=True, text=True).stdout.split()]
    total = 0
    for pid in pids:
        try:
            fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


def wrk(ports, paths_file, seconds, lua):
    """wrk against each port at once (2 connections each, 1 thread each); total requests/s."""
    procs = [subprocess.Popen(["wrk", "-t1", "-c%d" % (4 // len(ports)), "-d%ds" % seconds, "-s", lua, "http://127.0.0.1:%d" % port],
                              env=dict(os.environ, PATHS=paths_file, AUTH="Bearer " + TOKEN), stdout=subprocess.PIPE, text=True)
             for port in ports]
    total, errors = 0.0, 0
    for p in procs:
        out = p.communicate()[0]
        total += float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        errors += int(m.group(1)) if m else 0
    return total, errors


def serve(accord, url, port, log):
    return subprocess.Popen([accord, "serve", "--database", url, "--port", str(port), "--no-knowledge-base", "--page-cache-mb", "0"],
                            env=dict(os.environ, ACCORD_ADMIN_TOKEN=TOKEN), stdout=log, stderr=subprocess.STDOUT)


def floor(url, added):
    tables = ["objects", "object_refs", "observables", "search_docs"]
    spool = tempfile.mkdtemp(prefix="accord-pg-floor-")
    os.chmod(spool, 0o777)
    timings = {}
    try:
        for t in tables:
            psql(url, "COPY %s TO '%s/%s.copy'" % (t, spool, t))
        for t in tables + ["objects:bare"]:
            name, bare = t.split(":")[0], t.endswith(":bare")
            copy = "floor_" + name + ("_bare" if bare else "")
            psql(url, "DROP TABLE IF EXISTS %s; CREATE TABLE %s (LIKE %s INCLUDING %s); CHECKPOINT"
                 % (copy, copy, name, "DEFAULTS" if bare else "ALL"))
            started = time.perf_counter()
            psql(url, "COPY %s FROM '%s/%s.copy'" % (copy, spool, name))
            timings[t] = time.perf_counter() - started
            psql(url, "DROP TABLE %s" % copy)
    finally:
        shutil.rmtree(spool, ignore_errors=True)
    total = sum(timings[t] for t in tables)
    print("PostgreSQL alone storing the same rows with their indexes (server-side COPY from files): %.1f s = %.0f objects/s "
          "(objects %.1f s, object_refs %.1f s, observables %.1f s, search_docs %.1f s; objects without any index %.1f s)"
          % (total, added / total, timings["objects"], timings["object_refs"], timings["observables"], timings["search_docs"],
             timings["objects:bare"]), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--accord", required=True)
    p.add_argument("--database-server", required=True, help="postgres:// URL of a server whose user may create databases")
    p.add_argument("--objects", type=int, default=1_000_000, help="objects of the ingest benchmark (and of each bundle that grows the store)")
    p.add_argument("--store", type=int, default=5_000_000, help="objects in the store of the deep paging test")
    p.add_argument("--depth", type=int, default=4_000_000, help="position of the deep page")
    p.add_argument("--seconds", type=int, default=10)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--skip-ingest-peer", action="store_true", help="leave out the SQLite ingest of the same file")
    p.add_argument("--skip-floor", action="store_true", help="leave out PostgreSQL's own time for the same rows")
    args = p.parse_args()
    work = tempfile.mkdtemp(prefix="accord-pg-bench-")
    url = new_database(args.database_server, "accord_bench")
    results = {}

    # 1. Bulk ingest, and SQLite with the same file in the same run.
    first = bundle(args.objects, 1)
    elapsed, added = timed_import(args.accord, ["--database", url], first)
    results["ingest_pg"] = (added, elapsed)
    print("ingest PostgreSQL: %d objects in %.1f s = %.0f objects/s" % (added, elapsed, added / elapsed), flush=True)
    if not args.skip_ingest_peer:
        elapsed_s, added_s = timed_import(args.accord, ["--data", os.path.join(work, "sqlite")], first)
        results["ingest_sqlite"] = (added_s, elapsed_s)
        print("ingest SQLite:     %d objects in %.1f s = %.0f objects/s" % (added_s, elapsed_s, added_s / elapsed_s), flush=True)

    # 1b. PostgreSQL's own floor for the same rows: what Accord wrote, copied out to files on the
    # server and copied back into fresh tables with the same indexes, nothing else running (no
    # client, no version lookups, search documents already made): the least time any client could
    # take to store these rows with the indexes TAXII paging, filters, matching and search use.
    if not args.skip_floor:
        floor(url, added)

    # 2. Grow the store with more generated bundles (other seeds: other ids), imported the same way.
    seed, stored = 2, added
    while stored < args.store:
        n = min(args.objects, args.store - stored)
        path = bundle(n, seed)
        e, a = timed_import(args.accord, ["--database", url], path)
        stored += a
        print("grown to %d objects (+%d in %.1f s, %.0f objects/s)" % (stored, a, e, a / e), flush=True)
        seed += 1
        os.remove(path)
    psql(url, "VACUUM ANALYZE objects")
    collection = psql(url, "SELECT id FROM collections WHERE alias = 'default'")
    num = psql(url, "SELECT num FROM collections WHERE alias = 'default'")
    depth = min(args.depth, stored - 200)
    seq, date_added = psql(url, "SELECT seq, date_added_us FROM objects WHERE collection = %s ORDER BY seq OFFSET %d LIMIT 1" % (num, depth - 1)).split("|")

    def base36(n):
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"
        out = ""
        n = int(n)
        while True:
            n, r = divmod(n, 36)
            out = digits[r] + out
            if n == 0:
                return out

    token = "1-%s-%s" % (base36(date_added), base36(seq))
    log = open(os.path.join(work, "servers.log"), "a")
    port_a, port_b = free_port(), free_port()
    a = serve(args.accord, url, port_a, log)
    b = None
    try:
        wait_port(port_a)
        path = "/api/collections/%s/objects/?limit=100" % collection
        first_p50, first_p99 = latency(port_a, path, 300)
        deep_p50, deep_p99 = latency(port_a, path + "&next=" + token, 300)
        print("page latency, %d objects: first page p50 %.2f ms p99 %.2f ms; page at depth %d p50 %.2f ms p99 %.2f ms (p50 ratio %.2f)"
              % (stored, first_p50, first_p99, depth, deep_p50, deep_p99, deep_p50 / first_p50), flush=True)
        results["paging"] = (stored, depth, first_p50, first_p99, deep_p50, deep_p99)

        # 3. Throughput: the first 500 pages, one node against two.
        conn = http.client.HTTPConnection("127.0.0.1", port_a)
        paths, nxt = [], None
        for _ in range(500):
            q = path + ("&next=" + nxt if nxt else "")
            conn.request("GET", q, headers={"Accept": TAXII, "Authorization": "Bearer " + TOKEN})
            envelope = json.loads(conn.getresponse().read())
            paths.append(q)
            if not envelope.get("more"):
                break
            nxt = envelope["next"]
        paths_file = os.path.join(work, "paths")
        with open(paths_file, "w") as f:
            f.write("\n".join(paths) + "\n")
        lua = os.path.join(work, "rotate.lua")
        with open(lua, "w") as f:
            f.write(ROTATE_LUA)
        port_b_ready = False
        one, two, cpu = [], [], {"one": [], "two": []}
        for r in range(args.rounds):
            for kind in ("one", "two"):
                if kind == "two" and not port_b_ready:
                    b = serve(args.accord, url, port_b, log)
                    wait_port(port_b)
                    latency(port_b, path, 20)  # warm its pool
                    port_b_ready = True
                pids = [a.pid] + ([b.pid] if b else [])
                before = (cpu_seconds(pids), cpu_seconds(user="postgres") if os.geteuid() == 0 else 0)
                rps, errors = wrk([port_a] if kind == "one" else [port_a, port_b], paths_file, args.seconds, lua)
                after = (cpu_seconds(pids), cpu_seconds(user="postgres") if os.geteuid() == 0 else 0)
                (one if kind == "one" else two).append(rps)
                cpu[kind].append(((after[0] - before[0]) / args.seconds, (after[1] - before[1]) / args.seconds))
                print("round %d, %s node%s: %.0f requests/s (errors %d); CPU cores busy: accord %.2f, PostgreSQL %.2f"
                      % (r + 1, kind, "" if kind == "one" else "s", rps, errors, cpu[kind][-1][0], cpu[kind][-1][1]), flush=True)
        m1, m2 = statistics.median(one), statistics.median(two)
        print("GET objects limit=100, 4 connections in all: one node %.0f requests/s, two nodes %.0f requests/s (ratio %.2f)" % (m1, m2, m2 / m1))
        results["throughput"] = (m1, m2)
    finally:
        for proc in (a, b):
            if proc is not None:
                proc.terminate()
                proc.wait()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
