"""Shared helpers for the Accord interoperability cross-checks.

Both cross-check scripts (validator_crosscheck.py and sco_id_crosscheck.py)
write STIX objects to files, run `accord validate --format jsonl` over them
and read back one JSON line per STIX object.  The code that does this lives
here so the two scripts parse Accord's output the same way.

Accord's output contract (one line per STIX object):

    {"file": "<path>", "index": <int>, "id": "<id or null>",
     "valid": true|false,
     "errors":   [{"path": "$.created", "reason": "..."}, ...],
     "warnings": [...],
     "deterministic_id": "<SCOs only; optional>"}

A file that fails to parse produces one line with "valid": false and no id.
Exit status: 0 if everything is valid, 1 otherwise; anything else is a crash.

Only the Python standard library is used here.
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

# Byte budget for the file arguments of one Accord run. Linux allows much
# more (ARG_MAX is usually 2 MiB, shared with the environment), so this
# leaves plenty of headroom and still uses very few batches.
DEFAULT_ARG_BUDGET = 100_000


def ensure_fixed_hash_seed():
    """Re-run the current script with PYTHONHASHSEED=0 unless it is already set.

    stix2-generator iterates over sets, whose order depends on Python's string
    hash randomisation, so the same --seed would otherwise give a different
    corpus in every process. Call this before doing any work.
    """
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0")
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, [sys.executable] + sys.argv, env)


def canonical_path(path):
    """Normalise a path so that Accord's "file" values can be matched to ours.

    Accord may echo the path as given, or make it absolute or resolved, so both
    sides are compared in their realpath form.
    """
    return os.path.realpath(os.path.abspath(path))


def batch_paths(paths, budget=DEFAULT_ARG_BUDGET):
    """Split `paths` into lists whose total argument size stays under `budget`."""
    batch, size = [], 0
    for p in paths:
        cost = len(os.fsencode(p)) + 1  # +1 for the NUL separator in argv
        if batch and size + cost > budget:
            yield batch
            batch, size = [], 0
        batch.append(p)
        size += cost
    if batch:
        yield batch


class AccordRunError(Exception):
    """Accord crashed, could not be started, or wrote output we cannot parse."""


def run_accord_validate(accord, paths, budget=DEFAULT_ARG_BUDGET, timeout=1800,
                        log=print, stderr_sink=None):
    """Run `accord validate --format jsonl` over `paths`, in as few batches as possible.

    Returns a dict mapping canonical file path to the list of parsed JSON
    records for that file, in output order. If `stderr_sink` is a list, the
    stderr text of every run is appended to it (useful when output lines are
    missing, e.g. because Accord crashed with status 1). Raises AccordRunError if Accord
    exits with a status other than 0 or 1, or prints a line that is not a
    JSON object.
    """
    by_file = {}
    batches = list(batch_paths(paths, budget))
    for n, batch in enumerate(batches, 1):
        cmd = [accord, "validate", "--format", "jsonl"] + batch
        if len(batches) > 1:
            log("running Accord batch %d/%d (%d files)" % (n, len(batches), len(batch)))
        try:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  timeout=timeout)
        except FileNotFoundError as e:
            raise AccordRunError("cannot start Accord binary %r: %s" % (accord, e))
        except subprocess.TimeoutExpired:
            raise AccordRunError("Accord did not finish within %ds" % timeout)
        if proc.returncode not in (0, 1):
            raise AccordRunError(
                "Accord exited with status %d (expected 0 or 1)\nstderr:\n%s"
                % (proc.returncode, proc.stderr.decode("utf-8", "replace")[-4000:]))
        if stderr_sink is not None:
            stderr_sink.append(proc.stderr.decode("utf-8", "replace"))
        text = proc.stdout.decode("utf-8", "replace")
        # Split on "\n" only: str.splitlines() would also split inside JSON
        # strings at U+2028, U+0085 and similar characters, which JSON allows raw.
        for lineno, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as e:
                raise AccordRunError("batch %d, output line %d is not JSON (%s): %r"
                                     % (n, lineno, e, line[:300]))
            if not isinstance(rec, dict) or "file" not in rec:
                raise AccordRunError("batch %d, output line %d lacks a \"file\" key: %r"
                                     % (n, lineno, line[:300]))
            by_file.setdefault(canonical_path(rec["file"]), []).append(rec)
    return by_file


def record_for(by_file, path, index=0):
    """Return Accord's record for STIX object number `index` of `path`, or None.

    Falls back to the only record of the file when no record has an explicit
    matching index (e.g. the single line printed for an unparseable file).
    """
    recs = by_file.get(canonical_path(path), [])
    for r in recs:
        if r.get("index") == index:
            return r
    if len(recs) == 1:
        return recs[0]
    return None


def format_messages(items, limit=4, width=220):
    """Turn Accord error/warning items, or validator strings, into short lines."""
    out = []
    for it in (items or [])[:limit]:
        if isinstance(it, dict):
            s = "%s: %s" % (it.get("path", "?"), it.get("reason", it))
        else:
            s = str(it)
        s = " ".join(s.split())
        out.append(s if len(s) <= width else s[:width - 3] + "...")
    if items and len(items) > limit:
        out.append("... (%d more)" % (len(items) - limit))
    return out


def is_excused(tag, table):
    """True if `tag` or one of its dotted parents (a.b.c -> a.b -> a) is a key of `table`."""
    parts = tag.split(".")
    for i in range(len(parts), 0, -1):
        if ".".join(parts[:i]) in table:
            return ".".join(parts[:i])
    return None


def final_line(passed, failed):
    """The required last output line."""
    print("%d passed, %d failed" % (passed, failed))
    sys.stdout.flush()


class Checks:
    """Counts PASS/FAIL lines of a check script and ends with the required closing line."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def __call__(self, ok, what, detail=""):
        print(("PASS " if ok else "FAIL ") + what + ("" if ok or not detail else "\n    " + str(detail)[:1500]))
        if ok:
            self.passed += 1
        else:
            self.failed += 1

    def finish(self):
        """Prints "N passed, N failed"; returns the exit status."""
        final_line(self.passed, self.failed)
        return 1 if self.failed else 0


class PostgresDatabases:
    """Fresh databases on a PostgreSQL server (a postgres:// URL whose user may create
    databases), made with the server's own client programs and dropped by `drop_all`."""

    def __init__(self, server_url, prefix):
        self.server = urllib.parse.urlsplit(server_url)
        self.prefix = prefix
        self.created = []
        self.bin = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")

    def conn(self):
        return ["-h", self.server.hostname, "-p", str(self.server.port or 5432), "-U", self.server.username or "postgres"]

    def create(self, label):
        """A new empty database; its name."""
        name = "%s_%s_%d_%s" % (self.prefix, label, os.getpid(), uuid.uuid4().hex[:8])
        done = subprocess.run([self.bin + "/createdb", *self.conn(), name], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError("createdb %s failed: %s" % (name, done.stderr))
        self.created.append(name)
        return name

    def url(self, name):
        return urllib.parse.urlunsplit(self.server._replace(path="/" + name))

    def query(self, name, sql, timeout=30):
        """psql's answer to one statement in database `name` (a name or a URL): (ok, text)."""
        if "://" in name:
            name = urllib.parse.urlsplit(name).path.lstrip("/")
        done = subprocess.run([self.bin + "/psql", *self.conn(), "-d", name, "-Atc", sql], capture_output=True, text=True, timeout=timeout)
        return done.returncode == 0, (done.stdout if done.returncode == 0 else done.stderr).strip()

    def drop_all(self):
        for name in self.created:
            subprocess.run([self.bin + "/dropdb", *self.conn(), "--if-exists", name], capture_output=True)


def http(method, url, headers=None, body=None, timeout=60):
    """One HTTP request: (status, headers, body bytes), error statuses included."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def as_json(body):
    """A response body as JSON, or what it was when it is not."""
    try:
        return json.loads(body)
    except (ValueError, TypeError):
        return {"unparsed": body[:500] if isinstance(body, (bytes, str)) else body}
