#!/usr/bin/env python3
"""TAXII server benchmarks, each against its peer in the same run.

- GET objects (limit=100) with wrk, 2 connections, rotating over every page of the collection,
  against nginx serving the very same page bytes as static files (the practical limit).
- POST: envelopes of 1,000 new objects, sequentially, objects/s acknowledged complete.
- Latency of a page of 1,000 at the start and at 90% depth (p50/p99).
- Peak resident memory of the server after all of it.

Usage (from scripts/bench-taxii): taxii_bench.py --accord PATH [--objects N] [--seconds S] [--rounds R]
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

TOKEN = "bench-" + "0123456789abcdef" * 3
TAXII = "application/taxii+json;version=2.1"
HERE = os.path.dirname(os.path.abspath(__file__))

ROTATE_LUA = """
local paths = {}
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local auth = os.getenv("AUTH")
local i = 0
request = function()
  i = i % #paths + 1
  local headers = { ["Accept"] = "application/taxii+json;version=2.1" }
  if auth ~= "" then headers["Authorization"] = auth end
  return wrk.format("GET", paths[i], headers)
end
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port):
    for _ in range(400):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("port %d never opened" % port)


def get(conn, path, headers):
    conn.request("GET", path, headers=headers)
    r = conn.getresponse()
    return r.status, r.read()


def wrk(port, paths_file, auth, seconds, lua):
    env = dict(os.environ, PATHS=paths_file, AUTH=auth)
    out = subprocess.run(["wrk", "-t2", "-c2", "-d%ds" % seconds, "-s", lua, "http://127.0.0.1:%d" % port],
                         env=env, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, int(errors.group(1)) if errors else 0, out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--accord", required=True)
    p.add_argument("--objects", type=int, default=100000)
    p.add_argument("--seconds", type=int, default=10)
    p.add_argument("--rounds", type=int, default=3, help="alternating nginx/accord wrk rounds (medians are compared)")
    args = p.parse_args()
    work = tempfile.mkdtemp(prefix="accord-taxii-bench-")
    os.chmod(work, 0o755)  # nginx workers run as another user
    bundle = "/tmp/accord-bench-%d.json" % args.objects
    if not os.path.exists(bundle):
        subprocess.run([sys.executable, os.path.join(HERE, "make_bundle.py"), str(args.objects), bundle], check=True)
    data = os.path.join(work, "data")
    subprocess.run([args.accord, "import", "-q", "--data", data, bundle], check=True)
    port = free_port()
    server = subprocess.Popen([args.accord, "serve", "--data", data, "--port", str(port)],
                              env=dict(os.environ, ACCORD_ADMIN_TOKEN=TOKEN), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    nginx = None
    try:
        wait_port(port)
        headers = {"Accept": TAXII, "Authorization": "Bearer " + TOKEN}
        conn = http.client.HTTPConnection("127.0.0.1", port)
        _, body = get(conn, "/api/collections/", headers)
        cid = json.loads(body)["collections"][0]["id"]
        base = "/api/collections/%s/objects/?limit=100" % cid
        # Walk every page once: the page URLs for wrk, and their bytes for nginx.
        www = os.path.join(work, "www")
        os.makedirs(www)
        accord_paths, nginx_paths, token, i = [], [], None, 0
        while True:
            path = base + ("&next=" + token if token else "")
            status, body = get(conn, path, headers)
            assert status == 200, (status, body[:300])
            accord_paths.append(path)
            with open(os.path.join(www, "p%d.json" % i), "wb") as f:
                f.write(body)
            nginx_paths.append("/p%d.json" % i)
            envelope = json.loads(body)
            i += 1
            if not envelope.get("more"):
                break
            token = envelope["next"]
        for name, paths in (("accord-paths", accord_paths), ("nginx-paths", nginx_paths)):
            with open(os.path.join(work, name), "w") as f:
                f.write("\n".join(paths) + "\n")
        lua = os.path.join(work, "rotate.lua")
        with open(lua, "w") as f:
            f.write(ROTATE_LUA)
        nport = free_port()
        conf = os.path.join(work, "nginx.conf")
        with open(conf, "w") as f:
            f.write("""worker_processes 2; daemon off; pid %s/nginx.pid; error_log %s/nginx-error.log;
events { worker_connections 64; }
http { access_log off; default_type application/taxii+json; sendfile on; keepalive_requests 1000000;
  server { listen 127.0.0.1:%d; root %s; } }
""" % (work, work, nport, www))
        nginx = subprocess.Popen(["nginx", "-c", conf, "-p", work], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(nport)

        # This VM's speed drifts by tens of percent over minutes: alternate the two servers over
        # several rounds and compare medians, so both see the same conditions.
        # A second server on the same store without the page cache: every request reads its page.
        port2 = free_port()
        uncached = subprocess.Popen([args.accord, "serve", "--data", data, "--port", str(port2), "--page-cache-mb", "0"],
                                    env=dict(os.environ, ACCORD_ADMIN_TOKEN=TOKEN), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(port2)
        nginx_runs, accord_runs, uncached_runs, nginx_err, accord_err = [], [], [], 0, 0
        for _ in range(args.rounds):
            rps, err, _ = wrk(nport, os.path.join(work, "nginx-paths"), "", args.seconds, lua)
            nginx_runs.append(rps)
            nginx_err += err
            rps, err, _ = wrk(port, os.path.join(work, "accord-paths"), "Bearer " + TOKEN, args.seconds, lua)
            accord_runs.append(rps)
            accord_err += err
            rps, err, _ = wrk(port2, os.path.join(work, "accord-paths"), "Bearer " + TOKEN, args.seconds, lua)
            uncached_runs.append(rps)
            accord_err += err
        nginx_rps, accord_rps = statistics.median(nginx_runs), statistics.median(accord_runs)
        # The ceiling of the HTTP stack itself: an authenticated request with no page to read.
        with open(os.path.join(work, "discovery-path"), "w") as f:
            f.write("/taxii2/\n")
        ceiling_rps, _, _ = wrk(port, os.path.join(work, "discovery-path"), "Bearer " + TOKEN, args.seconds, lua)

        # Page latency at the start and at 90% depth, limit=1000.
        deep_token, t = None, None
        for _ in range(int(args.objects * 0.9) // 1000):
            _, body = get(conn, "/api/collections/%s/objects/?limit=1000" % cid + ("&next=" + deep_token if deep_token else ""), headers)
            deep_token = json.loads(body)["next"]

        # Latency is measured on the server without the page cache: every request reads its page,
        # so depth shows (a kept page would answer in the same time anywhere).
        uncached_conn = http.client.HTTPConnection("127.0.0.1", port2)

        def latency(path):
            samples = []
            for _ in range(100):
                t = time.perf_counter()
                status, _ = get(uncached_conn, path, headers)
                samples.append((time.perf_counter() - t) * 1000)
                assert status == 200
            samples.sort()
            return statistics.median(samples), samples[98]
        first = latency("/api/collections/%s/objects/?limit=1000" % cid)
        deep = latency("/api/collections/%s/objects/?limit=1000&next=%s" % (cid, deep_token))

        # POST throughput: envelopes of 1,000 new objects, 30 per round, 3 rounds (median), each
        # round with new ids; the first round also warms the path.
        post_headers = dict(headers, **{"Content-Type": TAXII})
        post_runs = []
        for round_ in range(3):
            envelopes = []
            for k in range(30):
                base_n = (round_ * 30 + k) * 1000
                objs = [{"type": "indicator", "spec_version": "2.1", "id": "indicator--%08x-2222-4222-8222-222222222222" % (base_n + n),
                         "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", "name": "bench",
                         "pattern": "[ipv4-addr:value = '10.%d.%d.%d']" % (round_ * 30 + k, n // 256, n % 256), "pattern_type": "stix",
                         "valid_from": "2024-01-01T00:00:00Z"} for n in range(1000)]
                envelopes.append(json.dumps({"objects": objs}).encode())
            t = time.perf_counter()
            for e in envelopes:
                conn.request("POST", "/api/collections/%s/objects/" % cid, body=e, headers=post_headers)
                r = conn.getresponse()
                status = json.loads(r.read())
                assert r.status == 202 and status["status"] == "complete" and status["success_count"] == 1000, status
            post_runs.append(30000 / (time.perf_counter() - t))
        post_rate = statistics.median(post_runs)

        uncached.terminate()
        uncached.wait()
        with open("/proc/%d/status" % server.pid) as f:
            hwm = int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))

        print("objects in the collection: %d (%d pages of 100)" % (args.objects, len(accord_paths)))
        print("GET limit=100, wrk 2 threads 2 connections, %d alternating rounds of %ds, rotating over every page:" % (args.rounds, args.seconds))
        print("  nginx (same bytes, static files): median %.0f pages/s (rounds: %s; %d non-2xx)"
              % (nginx_rps, ", ".join("%.0f" % r for r in nginx_runs), nginx_err))
        print("  accord serve:                     median %.0f pages/s (rounds: %s; %d non-2xx)"
              % (accord_rps, ", ".join("%.0f" % r for r in accord_runs), accord_err))
        print("  accord serve --page-cache-mb 0:   median %.0f pages/s (rounds: %s)"
              % (statistics.median(uncached_runs), ", ".join("%.0f" % r for r in uncached_runs)))
        print("  ratio accord/nginx: %.2f (goal: at least 0.33); per round: %s" % (
            accord_rps / nginx_rps, ", ".join("%.2f" % (a / n) for a, n in zip(accord_runs, nginx_runs))))
        print("  accord discovery (authenticated, no page): %.0f requests/s (the HTTP stack's own ceiling)" % ceiling_rps)
        print("page of 1,000 (server without page cache): first p50 %.1f ms p99 %.1f ms; at 90%% depth p50 %.1f ms p99 %.1f ms; ratio p50 %.2f p99 %.2f"
              % (first[0], first[1], deep[0], deep[1], deep[0] / first[0], deep[1] / first[1]))
        print("POST envelopes of 1,000 objects, sequential: median %.0f objects/s acknowledged complete (rounds of 30: %s)"
              % (post_rate, ", ".join("%.0f" % r for r in post_runs)))
        print("server peak resident memory: %d MB" % (hwm // 1024))
    finally:
        server.terminate()
        server.wait()
        if nginx:
            nginx.terminate()
            nginx.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
