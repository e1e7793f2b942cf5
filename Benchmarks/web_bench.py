#!/usr/bin/env python3
"""Web page latency on a large store: p50/p99 per page type, the first request (snapshot
build), and the first request after an ingest (incremental refresh).

Usage: scripts/bench-web [--objects N] [--requests R] [--keep DIR]

Builds a store of N objects (Benchmarks/make_bundle.py's realistic mix, plus the bundled
knowledge base), starts `accord serve` (release build), signs in through the form as the hub
admin (who reads the most) and times sequential requests with one keep-alive connection.
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
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TOKEN = "bench-" + "0123456789abcdef" * 3


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=h)
        r = self.conn.getresponse()
        data = r.read()
        elapsed = time.perf_counter() - started
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return r.status, data.decode("utf-8", "replace"), elapsed


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--accord", required=True)
    p.add_argument("--objects", type=int, default=1_000_000)
    p.add_argument("--requests", type=int, default=100)
    p.add_argument("--keep", help="reuse (or create) the store in this directory")
    args = p.parse_args()

    work = tempfile.mkdtemp(prefix="accord-web-bench-")
    data = args.keep or os.path.join(work, "data")
    try:
        if not os.path.exists(os.path.join(data, "accord.sqlite")):
            bundle = os.path.join(work, "bundle.json")
            t = time.time()
            subprocess.run([sys.executable, os.path.join(HERE, "make_bundle.py"), str(args.objects), bundle], check=True)
            print("generated %d objects in %.0f s" % (args.objects, time.time() - t))
            t = time.time()
            subprocess.run([args.accord, "import", "--quiet", "--partial", "--data", data, "--collection", "feed", bundle], check=True)
            subprocess.run([args.accord, "kb", "load", "--data", data], check=True, capture_output=True)
            print("imported in %.0f s" % (time.time() - t))
        port = free_port()
        env = dict(os.environ, ACCORD_ADMIN_TOKEN=TOKEN)
        log = open(os.path.join(work, "server.log"), "w")
        server = subprocess.Popen([args.accord, "serve", "--data", data, "--port", str(port), "--log-level", "notice"], env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(600):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            # The server builds every reader's view in the background after starting; wait for it.
            started = time.time()
            ready = None
            while time.time() - started < 600 and ready is None:
                with open(os.path.join(work, "server.log")) as f:
                    ready = next((line.strip() for line in f if "web pages ready" in line), None)
                time.sleep(0.2)
            print("background warm-up: %s" % (ready.split("] ")[-1] if ready else "not reported"))
            c = Client(port)
            _, page, _ = c.request("GET", "/signin")
            csrf = re.search(r'name="csrf" value="([^"]*)"', page).group(1)
            s, _, _ = c.request("POST", "/signin", urllib.parse.urlencode({"csrf": csrf, "token": TOKEN}),
                                {"Content-Type": "application/x-www-form-urlencoded"})
            assert s == 303, s
            s, page, first = c.request("GET", "/")
            total = re.search(r"([0-9]+) objects you may read", page)
            print("first page after the warm-up (%s readable objects): %.1f ms" % (total.group(1) if total else "?", first * 1000))
            _, actors, _ = c.request("GET", "/actors")
            actor = re.search(r'href="(/objects/intrusion-set--[^"]+)"', actors).group(1)
            _, found, _ = c.request("GET", "/search?q=c2+address")
            m = re.search(r'href="(/objects/indicator--[^"]+)"', found)
            _, found, _ = c.request("GET", "/search?q=family+7")
            busy = re.search(r'href="(/objects/malware--[^"]+)"', found)
            # A malware object that thousands of indicators indicate: 500 relationships shown.
            pages = ["/", "/actors", "/incidents", "/diplomacy", "/search?q=lazarus", actor] + ([m.group(1)] if m else []) + ([busy.group(1)] if busy else [])
            rows = []
            for path in pages:
                times = []
                for _ in range(args.requests):
                    s, _, e = c.request("GET", path)
                    assert s == 200, (path, s)
                    times.append(e * 1000)
                rows.append((path, statistics.median(times), percentile(times, 99)))
            print("%-60s %8s %8s" % ("page", "p50 ms", "p99 ms"))
            for path, p50, p99 in rows:
                print("%-60s %8.1f %8.1f" % (path[:60], p50, p99))
            # An ingest, then the first page: the snapshot reads only what was added.
            stamp = "2026-11-24T00:00:00.000Z"
            objects = [{"type": "indicator", "spec_version": "2.1", "id": "indicator--%s" % uuid.uuid4(), "created": stamp, "modified": stamp,
                        "name": "bench %d" % i, "pattern": "[ipv4-addr:value = '10.9.%d.%d']" % (i // 256, i % 256), "pattern_type": "stix",
                        "valid_from": stamp} for i in range(1000)]
            body = json.dumps({"objects": objects})
            s, _, _ = c.request("POST", "/api/collections/feed/objects/", body, {"Authorization": "Bearer " + TOKEN, "Accept": "application/taxii+json;version=2.1",
                                                                                "Content-Type": "application/taxii+json;version=2.1"})
            time.sleep(0.5)
            s, _, after = c.request("GET", "/")
            print("first page after adding 1,000 objects (incremental refresh): %.1f ms" % (after * 1000))
            taxii = {"Authorization": "Bearer " + TOKEN, "Accept": "application/taxii+json;version=2.1"}
            s, _, _ = c.request("DELETE", "/api/collections/feed/objects/%s/" % objects[0]["id"], None, taxii)
            s, _, after = c.request("GET", "/")
            print("first page after a deletion (ids whose access changed are re-read): %.1f ms" % (after * 1000))
            with open("/proc/%d/status" % server.pid) as f:
                rss = next(line for line in f if line.startswith("VmRSS")).split()[1]
            print("server resident memory: %d MB" % (int(rss) // 1024))
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
