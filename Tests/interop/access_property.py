#!/usr/bin/env python3
"""Property-based check of the access table: random worlds, random TAXII requests, one model.

Each run builds a random "world" with the real `accord` command line (organisations,
communities, collections of every visibility and default TLP level, tokens of every role, a
revoked and an expired token), starts two real servers on the same data directory (one with
`--allow-anonymous`, one without), posts random objects through TAXII, names random TLP:RED
recipients with `accord share`, and then sends random requests: every viewer (anonymous,
each role of each organisation, revoked, expired and unknown tokens) against every read
endpoint (collections list, collection, objects with random filters and paging, object,
versions, manifest), plus POSTs (new objects, new versions, re-posts, a partner's object)
and DELETEs. Every answer is compared with a small reference model of DESIGN.md "Who may read
what", written here independently of the server:

- a collection is visible to every organisation and to anonymous clients when public, to
  the member organisations of its community, or to its one organisation; hidden ones are
  absent (404, omitted from the list);
- a version is readable when its level (the strictest TLP 2.0 / 1.0 marking, else the
  collection's default) is at most CLEAR for anonymous clients, AMBER+STRICT for any
  organisation that sees the collection; or when the viewer's organisation owns it; or when
  it is TLP:RED and its owner shared the object with the viewer's organisation;
- `match[version]=first|last` pick among the versions the viewer may read (a version it may
  not read is absent for it, so it cannot decide what is "first" or "last");
- writes need a writing role in an organisation that sees the collection (reader 403, hidden
  404, anonymous and bad tokens 401); a new version of another organisation's object is a
  failure naming "another organisation"; DELETE removes only the caller's own versions.

While requests run, `accord share`, `accord community join|leave` and `accord token revoke`
change the directory under the servers; the model follows.

Ids and versions are compared as exact multisets, statuses exactly. A difference prints the
seed, the request and both answers (with every stored version of the objects concerned), and
makes the run fail; replay it with --seed. The last lines are one PASS/FAIL per endpoint, a
check that the run reached every case (reads allowed by level, by ownership and by a grant,
partly readable objects, refusals...), and "N passed, N failed".

Usage: access_property.py --accord PATH [--seed N] [--requests N] [--show N]
"""
import argparse
import base64
import calendar
import http.client
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_common as ic  # noqa: E402
from access_control import TLP  # noqa: E402
from taxii_interop import TAXII, TOKEN as ADMIN_TOKEN, free_port, start_server, stop_server  # noqa: E402

LEVELS = ["clear", "green", "amber", "amber+strict", "red"]
CLEAR, GREEN, AMBER, STRICT, RED = range(5)
TLP1 = {"white": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
        "green": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        "amber": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
        "red": "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"}
# The model's own table of marking ids and levels (not the server's).
LEVEL_OF = {TLP[name]: i for i, name in enumerate(LEVELS)}
LEVEL_OF.update({TLP1["white"]: CLEAR, TLP1["green"]: GREEN, TLP1["amber"]: AMBER, TLP1["red"]: RED})
# A marking that is not TLP: it does not change the level.
STATEMENT = "marking-definition--0b9e3c5a-6f3d-4f4e-9c1a-2d8e7f6a5b4c"
ROLES = ["admin", "editor", "reader", "sync"]
WRITING_ROLES = {"admin", "editor", "sync"}
TYPES = ["indicator", "attack-pattern", "malware"]
ANON, STRICT_SERVER = "anonymous-allowed", "tokens-only"
FIRST_LAST = "first/last chosen among all versions before the access filter"
CATEGORIES = ["collections list", "collection", "objects", "object", "versions", "manifest", "POST", "DELETE"]


# ---------------------------------------------------------------- the reference model

class Collection:
    def __init__(self, cid, alias, kind, owner, default):
        self.id, self.alias, self.kind, self.owner, self.default = cid, alias, kind, owner, default

    def __repr__(self):
        who = "public" if self.kind == "public" else "%s %s" % (self.kind, self.owner)
        return "%s (%s, default %s)" % (self.alias, who, LEVELS[self.default])


class Token:
    """A viewer: org None and secret None is anonymous; state active, revoked, expired, unknown."""

    def __init__(self, secret, org, role, state="active", tid=None):
        self.secret, self.org, self.role, self.state, self.id = secret, org, role, state, tid

    @property
    def anonymous(self):
        return self.secret is None

    def __repr__(self):
        if self.anonymous:
            return "anonymous (no token)"
        if self.state == "unknown":
            return "an unknown token"
        return "%s token of %s%s" % (self.role, self.org, "" if self.state == "active" else " (%s)" % self.state)


class Version:
    __slots__ = ("id", "modified", "level", "owner", "refs", "obj")

    def __init__(self, obj, owner):
        self.obj, self.owner = obj, owner
        self.id, self.modified = obj["id"], obj["modified"]
        self.refs = obj.get("object_marking_refs", [])
        levels = [LEVEL_OF[r] for r in self.refs if r in LEVEL_OF]
        self.level = max(levels) if levels else None

    def key(self):
        return (self.id, self.modified)


class Model:
    def __init__(self):
        self.orgs = []
        self.members = {}                         # community -> set of organisations
        self.collections = []
        self.store = {}                           # collection id -> object id -> [Version]
        self.grants = set()                       # (object id, owner, recipient)

    def sees(self, c, org):
        """Whether an organisation (None: anonymous) sees a collection at all."""
        if c.kind == "public":
            return True
        if org is None:
            return False
        if c.kind == "community":
            return org in self.members[c.owner]
        return c.owner == org

    def can_write(self, c, token):
        return not token.anonymous and token.role in WRITING_ROLES and self.sees(c, token.org)

    def level(self, c, v):
        return c.default if v.level is None else v.level

    def why_readable(self, c, v, org):
        """Why a version is readable by org (None: anonymous): 'level', 'owner', 'grant', or None."""
        level = self.level(c, v)
        if level <= (CLEAR if org is None else STRICT):
            return "level"
        if org is not None and v.owner == org:
            return "owner"
        if org is not None and level == RED and (v.id, v.owner, org) in self.grants:
            return "grant"
        return None

    def select(self, c, org, types=(), ids=(), version="last", filter_after=False):
        """The versions a read returns, as sorted (id, version) pairs, and why each is readable.

        The contract: first/last choose among the readable versions. filter_after=True instead
        picks first/last among all versions and then drops the unreadable ones; it is used only
        to name the cause of a difference, never as the expected answer."""
        out, why = [], Counter()
        for oid, versions in self.store[c.id].items():
            if ids and oid not in ids:
                continue
            if types and oid.split("--")[0] not in types:
                continue
            readable = [v for v in versions if self.why_readable(c, v, org)]
            pool = versions if filter_after else readable
            if version == "all":
                chosen = pool
            elif version in ("first", "last") and pool:
                chosen = [(min if version == "first" else max)(pool, key=lambda v: v.modified)]
            elif isinstance(version, list):
                chosen = [v for v in pool if v.modified in version]
            else:
                chosen = []
            if filter_after:
                chosen = [v for v in chosen if self.why_readable(c, v, org)]
            for v in chosen:
                out.append(v.key())
                why[self.why_readable(c, v, org)] += 1
            if len(readable) < len(versions):
                why["hidden"] += 1
                if readable:
                    why["partly readable"] += 1
        return sorted(out), why

    def find(self, oid):
        """(collection, version) of every stored version of an id."""
        return [(c, v) for c in self.collections for v in self.store[c.id].get(oid, [])]

    def describe(self, oid, collection=None):
        """What the model knows of an object's versions, to make a difference readable."""
        parts = []
        for c, v in self.find(oid):
            if collection is None or c is collection:
                grants = sorted(r for (i, o, r) in self.grants if i == oid and o == v.owner)
                parts.append("%s in %s: %s -> %s, owner %s%s" % (
                    v.modified, c.alias, "+".join(short_marking(r) for r in v.refs) or "unmarked",
                    LEVELS[self.level(c, v)].upper(), v.owner, ", RED shared with %s" % ", ".join(grants) if grants else ""))
        return "; ".join(parts) or "not stored"


def short_marking(ref):
    for name, mid in TLP.items():
        if mid == ref:
            return "TLP2:" + name
    for name, mid in TLP1.items():
        if mid == ref:
            return "TLP1:" + name
    return "statement" if ref == STATEMENT else ref


# ---------------------------------------------------------------- HTTP

class Server:
    """One keep-alive connection to one server; every call is one counted HTTP request."""

    def __init__(self, name, port, counter):
        self.name, self.port, self.counter = name, port, counter
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method, path, token, body=None, style=None):
        style = style or {}
        headers = {}
        accept = style.get("accept", TAXII)
        if accept is not None:
            headers["Accept"] = accept
        if style.get("close"):
            headers["Connection"] = "close"
        if token.secret is not None:
            scheme = style.get("auth", "Bearer")
            if scheme == "Basic":
                headers["Authorization"] = "Basic " + base64.b64encode(("client:" + token.secret).encode()).decode()
            else:
                headers["Authorization"] = "%s %s" % (scheme, token.secret)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = TAXII
        self.counter[0] += 1
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                text = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                if attempt:
                    raise
        try:
            return r.status, json.loads(text) if text else {}
        except ValueError:
            return r.status, {"unparsed body": text[:300].decode("utf-8", "replace")}

    def close(self):
        self.conn.close()


def query_string(params, encode_brackets):
    parts = []
    for name, value in params:
        if encode_brackets:
            name = name.replace("[", "%5B").replace("]", "%5D")
        parts.append("%s=%s" % (name, urllib.parse.quote(str(value), safe=",:-")))
    return ("?" + "&".join(parts)) if parts else ""


# ---------------------------------------------------------------- the property test

class Run:
    def __init__(self, args):
        self.args = args
        self.seed = args.seed
        self.rng = random.Random(args.seed)
        self.model = Model()
        self.count = [0]
        self.stats = {c: Counter() for c in CATEGORIES}
        self.diffs = Counter()
        self.causes = defaultdict(Counter)
        self.shares, self.share_failures = 0, []
        self.shown = 0
        self.coverage = Counter()
        self.serial = 0
        self.all_ids = []

    # ---- world building with the command line

    def cli(self, *argv):
        r = subprocess.run([self.args.accord, *argv, "--data", self.data], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("accord %s: %s" % (" ".join(argv), r.stderr.strip()))
        return r.stdout.strip()

    def build_directory(self):
        rng, m = self.rng, self.model
        m.orgs = ["Org%d" % i for i in range(rng.randint(4, 6))]
        for org in m.orgs:
            self.cli("org", "add", org, "--country", rng.choice(["KR", "JP", "US", "DE", "AU", "SG"]),
                     "--sector", rng.choice(["government", "finance", "energy", "telecom"]))
        for i in range(rng.randint(1, 3)):
            name = "Community %d" % i
            self.cli("community", "add", name)
            m.members[name] = set(rng.sample(m.orgs, rng.randint(1, len(m.orgs) - 1)))
            for org in sorted(m.members[name]):
                self.cli("community", "join", name, org)
        kinds = ["public", "community", "private"]
        kinds += [rng.choice(kinds) for _ in range(rng.randint(1, 3))]
        rng.shuffle(kinds)
        for i, kind in enumerate(kinds):
            alias = "c%d-%s" % (i, kind)
            default = rng.choice([CLEAR, GREEN, GREEN, GREEN, AMBER, STRICT, RED])
            argv = ["collection", "add", alias, "--default-tlp", LEVELS[default]]
            owner = None
            if kind == "community":
                owner = rng.choice(sorted(m.members))
                argv += ["--community", owner]
            elif kind == "private":
                owner = rng.choice(m.orgs)
                argv += ["--private", owner]
            if default == GREEN and rng.random() < 0.5:
                del argv[3:5]                     # GREEN is the default of --default-tlp
            cid = self.cli(*argv).split("\t")[0]
            c = Collection(cid, alias, kind, owner, default)
            m.collections.append(c)
            m.store[cid] = {}
        self.tokens = []
        for org in m.orgs:
            for role in ROLES:
                secret = self.cli("token", "create", "--org", org, "--role", role, "--name", "%s-%s" % (org, role))
                self.tokens.append(Token(secret, org, role))
        revoked = Token(self.cli("token", "create", "--org", rng.choice(m.orgs), "--role", rng.choice(ROLES), "--name", "revoked"),
                        None, None, "revoked")
        expired = Token(self.cli("token", "create", "--org", rng.choice(m.orgs), "--role", rng.choice(ROLES), "--name", "expired",
                                 "--expires-in-days", "30"), None, None, "expired")
        ids = {line.split("\t")[1]: line.split("\t")[0] for line in self.cli("token", "list").splitlines()}
        for t in self.tokens:
            t.id = ids["%s-%s" % (t.org, t.role)]
        self.cli("token", "revoke", ids["revoked"])
        # The command line cannot make a token that has already expired: move its expiry into the past.
        db = sqlite3.connect(os.path.join(self.data, "accord.sqlite"))
        with db:
            changed = db.execute("UPDATE tokens SET expires_us = ? WHERE id = ?", (int((time.time() - 60) * 1e6), ids["expired"])).rowcount
        db.close()
        states = {line.split("\t")[1]: line.split("\t")[4] for line in self.cli("token", "list").splitlines()}
        self.check(changed == 1 and states.get("revoked") == "revoked" and states.get("expired") == "expired",
                   "token list shows one revoked and one expired token", states)
        for t, line in ((revoked, "revoked"), (expired, "expired")):
            role, org = [x for x in self.cli("token", "list").splitlines() if x.split("\t")[1] == line][0].split("\t")[2:4]
            t.role, t.org = role, org
        self.bad_tokens = [revoked, expired, Token("acc_" + "x" * 43, None, None, "unknown")]
        # The store made a public "default" collection on first use; the model takes it from the list.
        listed = {line.split("\t")[0]: line.split("\t")[1:] for line in self.cli("collection", "list").splitlines()}
        for c in m.collections:
            who = {"public": "public", "community": "community %s" % c.owner, "private": "private to %s" % c.owner}[c.kind]
            self.check(listed.pop(c.id, None) == [c.alias, who, "TLP:" + LEVELS[c.default].upper()],
                       "collection list shows %s as created" % c)
        self.check(len(listed) == 1 and list(listed.values())[0][:2] == ["default", "public"], "one more collection: the default one", listed)
        for cid, (alias, who, level) in listed.items():
            c = Collection(cid, alias, "public", None, ["TLP:" + x.upper() for x in LEVELS].index(level))
            m.collections.append(c)
            m.store[cid] = {}
        self.anonymous = Token(None, None, None)

    # ---- objects

    def new_uuid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def random_marking(self):
        rng = self.rng
        r = rng.random()
        if r < 0.25:
            return []
        if r < 0.65:
            return [TLP[rng.choice(LEVELS)]]
        if r < 0.78:
            return [TLP1[rng.choice(list(TLP1))]]
        if r < 0.90:
            return rng.sample(sorted(LEVEL_OF), 2)
        if r < 0.95:
            return [STATEMENT]
        return [STATEMENT, rng.choice(sorted(LEVEL_OF))]

    def stix_object(self, oid, modified, refs):
        self.serial += 1
        n = self.serial
        kind = oid.split("--")[0]
        o = {"type": kind, "spec_version": "2.1", "id": oid, "created": "2020-01-01T00:00:00.000Z", "modified": modified,
             "name": "%s %d" % (kind, n)}
        if kind == "indicator":
            o.update(pattern="[ipv4-addr:value = '10.%d.%d.%d']" % (n >> 16 & 255, n >> 8 & 255, n & 255),
                     pattern_type="stix", valid_from="2020-01-01T00:00:00Z")
        elif kind == "malware":
            o["is_family"] = False
        if refs:
            o["object_marking_refs"] = list(refs)
        return o

    def later(self, modified=None):
        """A `modified` later than the given one (or a first one), with milliseconds."""
        base = 1_600_000_000_000 if modified is None else stamp_ms(modified)
        return ms_stamp(base + self.rng.randint(1, 90 * 86_400_000))

    def writers_of(self, c):
        return [t for t in self.tokens if self.model.can_write(c, t)]

    def envelope(self, c, token):
        """1-5 objects for token to post into c: new objects, own new versions, identical re-posts,
        and now and then a new version of another organisation's object."""
        rng, m = self.rng, self.model
        stored = m.store[c.id]
        own = [oid for oid, vs in stored.items() if token.org is not None and vs[0].owner == token.org]
        others = [oid for oid, vs in stored.items() if vs and vs[0].owner != token.org]
        objects, used = [], set()
        for _ in range(rng.randint(1, 5)):
            r = rng.random()
            if r < 0.45 or not (own or others):
                oid = "%s--%s" % (rng.choice(TYPES), self.new_uuid())
                objects.append(self.stix_object(oid, self.later(), self.random_marking()))
                self.all_ids.append(oid)
            elif r < 0.75 and own:
                oid = rng.choice(own)
                last = max(stored[oid], key=lambda v: v.modified)
                refs = last.refs if rng.random() < 0.6 else self.random_marking()
                objects.append(self.stix_object(oid, self.later(last.modified), refs))
            elif r < 0.85 and own:
                objects.append(json.loads(json.dumps(rng.choice(stored[rng.choice(own)]).obj)))
            elif others:
                oid = rng.choice(others)
                last = max(stored[oid], key=lambda v: v.modified)
                objects.append(self.stix_object(oid, self.later(last.modified), self.random_marking()))
            else:
                continue
            if objects[-1]["id"] in used:
                objects.pop()
            else:
                used.add(objects[-1]["id"])
        return objects

    # ---- comparing

    def check(self, ok, what, detail=""):
        self.checks(ok, what, detail)

    def differ(self, category, request, expected, got, note="", cause="other"):
        self.diffs[category] += 1
        self.causes[category][cause] += 1
        if self.shown < self.args.show:
            self.shown += 1
            print("DIFF seed %d, request %d (%s)\n    request:  %s\n    expected: %s\n    got:      %s%s" % (
                self.seed, self.count[0], category, request, shorten(expected), shorten(got), ("\n    " + note) if note else ""))
        elif self.shown == self.args.show:
            self.shown += 1
            print("DIFF ... (further differences counted, not shown; --show N shows more)")

    def list_difference(self, c, expected, got):
        """The versions one side has and the other lacks, with every stored version of their objects."""
        e, g = Counter(expected), Counter(got)
        missing, extra = sorted((e - g).elements()), sorted((g - e).elements())
        lines = []
        for label, items in (("missing", missing), ("unexpected", extra)):
            for oid, version in items[:4]:
                lines.append("%s %s@%s; stored: %s" % (label, oid, version, self.model.describe(oid, collection=c)))
            if len(items) > 4:
                lines.append("... %d more %s" % (len(items) - 4, label))
        return "\n    ".join(lines)

    # ---- requests

    def pick_viewer(self, c=None, writing=False):
        rng = self.rng
        r = rng.random()
        if r < 0.13:
            return self.anonymous
        if r < 0.18:
            return rng.choice(self.bad_tokens)
        if writing and c is not None and rng.random() < 0.7:
            writers = self.writers_of(c)
            if writers:
                return rng.choice(writers)
        return rng.choice(self.tokens)

    def pick_server(self, token):
        if token.anonymous:
            return self.servers[ANON] if self.rng.random() < 0.75 else self.servers[STRICT_SERVER]
        return self.servers[self.rng.choice([ANON, STRICT_SERVER])]

    def pick_collection(self, token=None):
        """A collection (mostly one the viewer sees, when given) and the key naming it: id, alias,
        or now and then a collection that does not exist (None)."""
        rng = self.rng
        if rng.random() < 0.04:
            return None, rng.choice([self.new_uuid(), "no-such-collection"])
        visible = [c for c in self.model.collections if token is not None and self.model.sees(c, token.org)]
        c = rng.choice(visible if visible and rng.random() < 0.5 else self.model.collections)
        return c, (c.alias if rng.random() < 0.25 else c.id)

    def style(self):
        rng = self.rng
        return {"accept": rng.choices([TAXII, "application/taxii+json", "*/*", None], [85, 6, 4, 5])[0],
                "auth": rng.choices(["Bearer", "Token", "Basic"], [80, 10, 10])[0],
                "close": rng.random() < 0.03}

    def authenticated(self, server, token):
        """Whether the request gets past authentication: a live token, or none where anonymous reads are allowed."""
        return server.name == ANON if token.anonymous else token.state == "active"

    def gate(self, server, token, c):
        """The status every request gets before its own logic: 401, 404 or None (go on)."""
        if not self.authenticated(server, token):
            return 401
        if c is None or not self.model.sees(c, token.org):
            return 404
        return None

    def describe_request(self, method, path, token, server):
        return "%s %s as %s, on the %s server" % (method, path, token, server.name)

    def fetch(self, server, token, base, params, key, limit, style, encode):
        """GET base with params, following `next` to the end. Returns (status, items, protocol problem)."""
        items, pages = [], 0
        params = list(params)
        while True:
            status, body = server.call("GET", base + query_string(params, encode), token, style=style)
            if status != 200:
                return status, items, body if pages == 0 else "status %d on page %d: %s" % (status, pages + 1, body)
            page = body.get(key, [])
            pages += 1
            if limit is not None and len(page) > limit:
                return status, items, "page %d holds %d items, over limit=%d" % (pages, len(page), limit)
            items += page
            if not body.get("more"):
                return status, items, None
            if "next" not in body or pages > 3000:
                return status, items, "more=true without a usable next (page %d)" % pages
            params = [(n, v) for n, v in params if n != "next"] + [("next", body["next"])]

    def read_request(self, category):
        rng, m = self.rng, self.model
        token = self.pick_viewer()
        server = self.pick_server(token)
        style = self.style()
        encode = rng.random() < 0.3
        if category == "collections list":
            path = "/api/collections/"
            status, body = server.call("GET", path, token, style=style)
            expected_status = 200 if self.authenticated(server, token) else 401
            expected = sorted((c.id, m.can_write(c, token)) for c in m.collections if m.sees(c, token.org)) \
                if expected_status == 200 else None
            got = sorted((x.get("id"), x.get("can_write")) for x in body.get("collections", [])) if status == 200 else None
            self.compare(category, (expected_status, expected), (status, got), self.describe_request("GET", path, token, server))
            return
        c, key = self.pick_collection(token)
        base = "/api/collections/%s/" % key
        gate = self.gate(server, token, c)
        if category == "collection":
            status, body = server.call("GET", base, token, style=style)
            expected = (gate or 200, (c.id, m.can_write(c, token)) if gate is None else None)
            got = (status, (body.get("id"), body.get("can_write")) if status == 200 else None)
            self.compare(category, expected, got, self.describe_request("GET", base, token, server))
            return

        params, filters = [], {}
        limit = None
        if rng.random() < 0.55:
            limit = rng.choice([1, 2, 3, 5, 10, 10, 25, 50, 1000])
            params.append(("limit", limit))
        version = "last"
        if category != "versions" and rng.random() < 0.7:
            r = rng.random()
            if r < 0.8:
                version = rng.choice(["all", "first", "last"])
                params.append(("match[version]", version))
            else:
                stamps = sorted({v.modified for vs in (m.store[c.id].values() if c else []) for v in vs})
                if stamps:
                    version = rng.sample(stamps, min(len(stamps), rng.randint(1, 3)))
                    params.append(("match[version]", ",".join(version)))
        if category in ("objects", "manifest"):
            if rng.random() < 0.3:
                filters["types"] = rng.sample(TYPES + ["tool"], rng.randint(1, 2))
                params.append(("match[type]", ",".join(filters["types"])))
            if rng.random() < 0.12 and self.all_ids:
                filters["ids"] = rng.sample(self.all_ids, min(len(self.all_ids), rng.randint(1, 3)))
                params.append(("match[id]", ",".join(filters["ids"])))
        rng.shuffle(params)
        oid = None
        if category in ("object", "versions"):
            oid = self.pick_object_id(c)
            filters["ids"] = [oid]
            base += "objects/%s/" % oid + ("versions/" if category == "versions" else "")
        elif category == "objects":
            base += "objects/"
        else:
            base += "manifest/"
        key = "versions" if category == "versions" else "objects"
        status, items, problem = self.fetch(server, token, base, params, key, limit, style, encode)
        request = self.describe_request("GET", base + query_string(params, encode), token, server) + \
            (", following next" if limit else "")

        if category == "versions":
            got = sorted((oid, v) for v in items)
        elif category == "manifest":
            got = sorted((x.get("id"), x.get("version")) for x in items)
        else:
            got = sorted((x.get("id"), x.get("modified")) for x in items)
        if gate is not None:
            return self.compare(category, (gate, []), (status, got if status == 200 else []), request)
        selection, why = m.select(c, token.org, filters.get("types", ()), filters.get("ids", ()),
                                  "all" if category == "versions" else version)
        expected_status = 404 if category in ("object", "versions") and not selection else 200
        expected = (expected_status, selection if expected_status == 200 else [])
        answer = (status, got if status == 200 else [])
        if problem and status == 200:
            answer = (status, got, problem)
        note, cause = "", "other"
        if expected != answer:
            note = self.list_difference(c, selection, got)
            alternative, _ = m.select(c, token.org, filters.get("types", ()), filters.get("ids", ()), version, filter_after=True)
            if version in ("first", "last") and alternative != selection and \
                    answer == (404 if category == "object" and not alternative else 200, alternative if alternative or category != "object" else []):
                cause = FIRST_LAST
                note += "\n    (matches picking first/last among ALL versions, readable or not, and then dropping the unreadable ones)"
        if self.compare(category, expected, answer, request, note, cause):
            for reason, n in why.items():
                self.coverage[reason] += n
            if token.anonymous and selection:
                self.coverage["anonymous read"] += 1

    def pick_object_id(self, c):
        rng, m = self.rng, self.model
        r = rng.random()
        if c is not None and m.store[c.id] and r < 0.75:
            return rng.choice(sorted(m.store[c.id]))
        if self.all_ids and r < 0.93:
            return rng.choice(self.all_ids)
        return "indicator--" + self.new_uuid()

    def compare(self, category, expected, got, request, note="", cause="other"):
        self.stats[category][got[0]] += 1
        if expected == got:
            return True
        self.differ(category, request, expected, got, note, cause)
        return False

    def post(self, c=None, key=None, token=None):
        rng, m = self.rng, self.model
        if c is None and key is None:
            c, key = self.pick_collection()
        token = token or self.pick_viewer(c, writing=True)
        server = self.pick_server(token)
        path = "/api/collections/%s/objects/" % key
        if c is not None and token.org is not None:
            objects = self.envelope(c, token)
        else:
            objects = [self.stix_object("indicator--" + self.new_uuid(), self.later(), [])]
        status, body = server.call("POST", path, token, {"objects": objects}, style=dict(self.style(), close=False))
        request = self.describe_request("POST", path, token, server) + " with %s" % [
            (o["id"], o["modified"], "+".join(short_marking(r) for r in o.get("object_marking_refs", [])) or "unmarked") for o in objects]
        gate = 401 if token.anonymous else self.gate(server, token, c)
        if gate is None and not m.can_write(c, token):
            gate = 403
        if gate is not None:
            return self.compare("POST", (gate,), (status,), request)
        successes, failures, added = [], [], []
        for o in objects:
            versions = m.store[c.id].get(o["id"], [])
            if versions and versions[0].owner != token.org:
                failures.append(o["id"])
                continue
            successes.append((o["id"], o["modified"]))
            if not any(v.modified == o["modified"] for v in versions):
                added.append(Version(o, token.org))
        for v in added:
            m.store[c.id].setdefault(v.id, []).append(v)
        self.coverage["partner version refused"] += len(failures)
        got_failures = body.get("failures", [])
        got = (status, body.get("success_count"), body.get("failure_count"),
               sorted((s.get("id"), s.get("version")) for s in body.get("successes", [])),
               sorted((f.get("id"), "another organisation" in f.get("message", "")) for f in got_failures))
        expected = (202, len(successes), len(failures), sorted(successes), sorted((i, True) for i in failures))
        self.compare("POST", expected, got, request)

    def delete(self):
        rng, m = self.rng, self.model
        c, key = self.pick_collection()
        token = self.pick_viewer(c, writing=True)
        server = self.pick_server(token)
        oid = self.pick_object_id(c)
        own = [oid for oid, vs in (m.store[c.id].items() if c else []) if vs and vs[0].owner == token.org]
        if own and rng.random() < 0.6:
            oid = rng.choice(own)
        versions = m.store[c.id].get(oid, []) if c else []
        params = []
        r = rng.random()
        selector = "all"
        if r < 0.25:
            selector = rng.choice(["first", "last", "all"])
            params.append(("match[version]", selector))
        elif r < 0.4 and versions:
            selector = [rng.choice(versions).modified]
            params.append(("match[version]", selector[0]))
        path = "/api/collections/%s/objects/%s/%s" % (key, oid, query_string(params, rng.random() < 0.3))
        status, _ = server.call("DELETE", path, token, style=dict(self.style(), close=False))
        request = self.describe_request("DELETE", path, token, server)
        gate = 401 if token.anonymous else self.gate(server, token, c)
        if gate is None and not m.can_write(c, token):
            gate = 403
        if gate is not None:
            return self.compare("DELETE", (gate,), (status,), request)
        mine = [v for v in versions if v.owner == token.org]
        if selector == "first" and mine:
            mine = [min(mine, key=lambda v: v.modified)]
        elif selector == "last" and mine:
            mine = [max(mine, key=lambda v: v.modified)]
        elif isinstance(selector, list):
            mine = [v for v in mine if v.modified in selector]
        if mine:
            m.store[c.id][oid] = [v for v in versions if v not in mine]
            if not m.store[c.id][oid]:
                del m.store[c.id][oid]
        self.coverage["delete own" if mine else "delete nothing own"] += 1
        self.compare("DELETE", (200 if mine else 404,), (status,), request)

    def share(self):
        """`accord share` of a random stored object (RED ones mostly) with a random organisation."""
        rng, m = self.rng, self.model
        held = [(c, v) for c in m.collections for vs in m.store[c.id].values() for v in vs]
        red = [(c, v) for c, v in held if m.level(c, v) == RED]
        if not held:
            return
        c, v = rng.choice(red if red and rng.random() < 0.8 else held)
        oid, owner = v.id, v.owner
        # Mostly an organisation that sees the collection (else the grant changes nothing there).
        seeing = [o for o in m.orgs if o != owner and m.sees(c, o)]
        recipient = rng.choice(seeing if seeing and rng.random() < 0.8 else [o for o in m.orgs if o != owner])
        self.shares += 1
        try:
            self.cli("share", oid, "--as", owner, "--with", recipient)
        except RuntimeError as e:
            # The model holds the object, the store does not: the two have drifted apart.
            self.share_failures.append(str(e))
            print("DIFF seed %d, after request %d: %s" % (self.seed, self.count[0], e))
            return
        m.grants.add((oid, owner, recipient))

    def membership(self):
        """`accord community join|leave` while the servers run: visibility follows at once."""
        rng, m = self.rng, self.model
        community = rng.choice(sorted(m.members))
        org = rng.choice(m.orgs)
        if org in m.members[community]:
            self.cli("community", "leave", community, org)
            m.members[community].discard(org)
        else:
            self.cli("community", "join", community, org)
            m.members[community].add(org)
        self.coverage["membership change"] += 1

    def revoke(self):
        """`accord token revoke` of a token in use: from the next request on, it gets 401."""
        token = self.rng.choice([t for t in self.tokens if t.id is not None])
        self.cli("token", "revoke", token.id)
        self.tokens.remove(token)
        token.state = "revoked"
        self.bad_tokens.append(token)
        self.coverage["revoked while in use"] += 1

    # ---- the run

    def main(self):
        self.checks = ic.Checks()
        started = time.time()
        work = tempfile.mkdtemp(prefix="accord-access-property-")
        self.data = os.path.join(work, "data")
        print("seed %d (replay with --seed %d), %d requests" % (self.seed, self.seed, self.args.requests))
        servers = []
        try:
            self.build_directory()
            self.servers = {}
            # The model generates its own worlds; the bundled knowledge base (one more public
            # collection of TLP:CLEAR objects) is checked by knowledge_base.py.
            for name, extra in ((ANON, ("--allow-anonymous", "--no-knowledge-base")), (STRICT_SERVER, ("--no-knowledge-base",))):
                port = free_port()
                servers.append(start_server(self.args.accord, self.data, port, os.path.join(work, name + ".log"), extra=extra))
                self.servers[name] = Server(name, port, self.count)
            m = self.model
            # The admin token ACCORD_ADMIN_TOKEN of start_server belongs to the hub operator's organisation.
            m.orgs.append("Hub operator")
            self.tokens.append(Token(ADMIN_TOKEN, "Hub operator", "admin"))
            # Seed objects: every collection gets objects from the organisations that may write it.
            for c in m.collections:
                writers = self.writers_of(c)
                for _ in range(self.rng.randint(5, 10)):
                    self.post(c, c.id, self.rng.choice(writers))
            for _ in range(self.rng.randint(8, 16)):
                self.share()
            built = time.time()
            print("world: %d organisations, %d communities, %d collections %s, %d tokens, %d object versions, %d RED grants (%.1fs)" % (
                len(m.orgs), len(m.members), len(m.collections), m.collections, len(self.tokens) + 2,
                sum(len(vs) for c in m.collections for vs in m.store[c.id].values()), len(m.grants), built - started))
            sys.stdout.flush()
            weights = [("collections list", 5), ("collection", 6), ("objects", 22), ("object", 18), ("versions", 13),
                       ("manifest", 14), ("POST", 9), ("DELETE", 3), ("share", 0.4), ("membership", 0.2)]
            names, w = zip(*weights)
            actions = {"POST": self.post, "DELETE": self.delete, "share": self.share, "membership": self.membership,
                       "revoke": self.revoke}
            midway = [(self.args.requests // 3, self.membership), (self.args.requests // 2, self.revoke)]
            while self.count[0] < self.args.requests:
                while midway and self.count[0] >= midway[0][0]:
                    midway.pop(0)[1]()
                what = self.rng.choices(names, w)[0]
                if what in actions:
                    actions[what]()
                else:
                    self.read_request(what)
            elapsed = time.time() - built
            print("requests: %d in %.1fs (%.0f/s), world building %.1fs" % (self.count[0], elapsed, self.count[0] / elapsed, built - started))
        finally:
            for s in getattr(self, "servers", {}).values():
                s.close()
            for s in servers:
                stop_server(s)
            shutil.rmtree(work, ignore_errors=True)

        for category in CATEGORIES:
            n = sum(self.stats[category].values())
            statuses = ", ".join("%d: %d" % kv for kv in sorted(self.stats[category].items()))
            if self.diffs[category]:
                causes = ", ".join("%d %s" % (k, why) for why, k in sorted(self.causes[category].items()))
                self.check(False, "%s: %d of %d requests differ from the model (%s); causes: %s" % (
                    category, self.diffs[category], n, statuses, causes))
            else:
                self.check(n > 0, "%s: %s requests agree with the model (%s)" % (category, format(n, ","), statuses))
        self.check(not self.share_failures, "accord share: %d of %d grants of objects the model holds were accepted" % (
            self.shares - len(self.share_failures), self.shares), self.share_failures[:3])
        self.check(self.count[0] >= self.args.requests, "%s HTTP requests compared (seed %d)" % (format(self.count[0], ","), self.seed))
        wanted = ["level", "owner", "grant", "hidden", "partly readable", "anonymous read", "partner version refused",
                  "delete own", "delete nothing own", "membership change", "revoked while in use"]
        self.check(all(self.coverage[k] > 0 for k in wanted), "the run reached every case: " +
                   ", ".join("%s %d" % (k, self.coverage[k]) for k in wanted), dict(self.coverage))
        return self.checks.finish()


def shorten(answer):
    """An answer for a DIFF line: long lists are summarised (the missing/unexpected lines say what differs)."""
    return tuple("%d items" % len(x) if isinstance(x, list) and len(x) > 4 else x for x in answer)


def stamp_ms(text):
    """Milliseconds since the epoch of a timestamp written by ms_stamp."""
    return calendar.timegm(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S")) * 1000 + int(text[20:23])


def ms_stamp(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".%03dZ" % (ms % 1000)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--accord", required=True)
    p.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock; printed for replay)")
    p.add_argument("--requests", type=int, default=10000, help="HTTP requests to compare (default 10000)")
    p.add_argument("--show", type=int, default=8, help="differences to print in full (default 8)")
    args = p.parse_args()
    if args.seed is None:
        args.seed = int(time.time() * 1000) % 1_000_000_007
    return Run(args).main()


if __name__ == "__main__":
    sys.exit(main())
