"""The web interface: what each reader sees, and that nobody sees more than the policy allows.

Usage: .venv/bin/python Tests/interop/web_ui.py --accord PATH

A hub with the bundled knowledge base and three organisations (KISA and JPCERT in a community,
an outsider) where KISA shares a TLP:RED incident attributed to the Lazarus Group, an
AMBER+STRICT intrusion set and a community-only cooperation instrument with a new agency.
- Content: the Lazarus Group page lists the Sony Pictures and Bangladesh Bank incidents; the
  diplomacy graph has an edge between South Korea and the United States; its degree and
  betweenness equal networkx's on the instruments read over TAXII; filters and sorting work;
  the South Korea page shows the Budapest Convention as not-party and the 7.7 attacks as victim.
- Access: anonymous visitors, JPCERT's reader and the outsider's admin never see KISA's RED records;
  the outsider and anonymous visitors not its community (and AMBER+STRICT) records either, on any
  page, in search results, in graph nodes or in counts (the overview
  count equals what TAXII serves them); KISA sees them; hidden objects answer 404.
- Sessions: sign-in by form with a CSRF cookie; the session cookie is HttpOnly, SameSite=Strict;
  forms without their CSRF token are refused; a revoked token ends the session at once; every
  page carries a Content-Security-Policy without scripts.
The last line is "N passed, N failed".
"""
import copy
import html
import http.cookiejar
import json
import os
import re
import shutil
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_common as ic  # noqa: E402
from taxii_interop import TAXII, TOKEN, free_port, start_server, stop_server, suite_opening, accord_ok  # noqa: E402

import networkx  # noqa: E402
from taxii2client.v21 import Server, as_pages  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUNDLE = os.path.join(ROOT, "Sources", "KnowledgeBase", "Resources", "korean-peninsula.json")
RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
AMBER_STRICT = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
PARTICIPATING = {"party", "signatory", "observer", "member", "issuer", "host", "secretariat", "sponsor", "supporter"}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, method, path, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self.opener.open(req, timeout=60) as r:
                return r.status, r.headers, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode()

    def get(self, path):
        return self.request("GET", path)

    def sign_in(self, token):
        s, h, page = self.get("/signin")
        csrf = re.search(r'name="csrf" value="([^"]*)"', page).group(1)
        return self.request("POST", "/signin", {"csrf": csrf, "token": token}), h

    def csrf(self):
        s, _, page = self.get("/")
        m = re.search(r'name="csrf" value="([^"]*)"', page)
        return m.group(1) if m else ""


def text(page):
    """The visible text of a page (tags removed, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def section(page, key):
    """The HTML of the <section> whose heading id is h-KEY."""
    m = re.search(r'<section aria-labelledby="h-%s">(.*?)</section>' % re.escape(key), page, re.S)
    return m.group(1) if m else ""


def taxii_ids(base, token):
    """Every object id TAXII serves to `token` (None: anonymous), over all its collections."""
    server = Server(base + "/taxii2/") if token is None else Server(base + "/taxii2/", user="web", password=token)
    ids = set()
    for c in server.api_roots[0].collections:
        for envelope in as_pages(c.get_objects, per_request=200):
            ids |= {o["id"] for o in envelope.get("objects", [])}
    return ids


def incident_ext(bundle):
    return next(o["id"] for o in bundle["objects"] if o["type"] == "extension-definition" and o["name"] == "Accord incident context")


def main():
    args, work = suite_opening(__doc__, "accord-web-")
    check = ic.Checks()
    data = os.path.join(work, "data")
    ok = accord_ok(args.accord, data)

    with open(BUNDLE) as f:
        bundle = json.load(f)
    kb = {o["id"]: o for o in bundle["objects"]}
    by_name = {o.get("name"): o for o in bundle["objects"] if o.get("name")}
    ext = incident_ext(bundle)
    lazarus = by_name["Lazarus Group"]["id"]
    south_korea = next(o for o in bundle["objects"] if o["type"] == "identity" and o["name"] == "South Korea")
    japan = next(o for o in bundle["objects"] if o["type"] == "identity" and o["name"] == "Japan")

    servers = []
    try:
        for name, country in (("KISA", "KR"), ("JPCERT", "JP"), ("Outsider", "US")):
            ok("org", "add", name, "--country", country)
        ok("community", "add", "KR-JP")
        ok("community", "join", "KR-JP", "KISA")
        ok("community", "join", "KR-JP", "JPCERT")
        ok("collection", "add", "kr-jp", "--community", "KR-JP")
        tokens = {"KISA": ok("token", "create", "--org", "KISA", "--role", "editor"),
                  "JPCERT reader": ok("token", "create", "--org", "JPCERT", "--role", "reader"),
                  "Outsider admin": ok("token", "create", "--org", "Outsider", "--role", "admin"),
                  "JPCERT editor": ok("token", "create", "--org", "JPCERT", "--role", "editor")}

        port, aport = free_port(), free_port()
        servers.append(start_server(args.accord, data, port, os.path.join(work, "server.log")))
        servers.append(start_server(args.accord, data, aport, os.path.join(work, "anon.log"), extra=("--allow-anonymous",)))
        base, abase = "http://127.0.0.1:%d" % port, "http://127.0.0.1:%d" % aport

        # KISA's own records: a RED incident attributed to Lazarus, an AMBER+STRICT group, and a
        # community instrument with an agency only the community knows.
        stamp = "2026-11-20T00:00:00.000Z"
        secret_incident = copy.deepcopy(kb[next(i for i, o in kb.items() if o["type"] == "incident" and "Sony" in o["name"])])
        secret_incident.update(id="incident--%s" % uuid.uuid4(), name="Zephyr RED incident", created=stamp, modified=stamp,
                               description="Quasar marker only KISA may read", object_marking_refs=[RED])
        secret_incident["extensions"][ext]["attributions"] = [{"attributed_to_ref": lazarus, "basis": "government"}]
        secret_incident["extensions"][ext]["initiator_country"] = "KP"
        secret_group = {"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--%s" % uuid.uuid4(), "created": stamp, "modified": stamp,
                        "name": "Nimbus STRICT group", "aliases": ["Umbra Kitten"], "object_marking_refs": [AMBER_STRICT]}
        agency = {"type": "identity", "spec_version": "2.1", "id": "identity--%s" % uuid.uuid4(), "created": stamp, "modified": stamp,
                  "name": "Halcyon community agency", "identity_class": "organization"}
        instrument = copy.deepcopy(next(o for o in bundle["objects"] if o["type"] == "cyber-instrument"))
        instrument.update(id="cyber-instrument--%s" % uuid.uuid4(), name="Corvid community dialogue", created=stamp, modified=stamp,
                          instrument_type="dialogue", scope="bilateral",
                          parties=[{"party_ref": south_korea["id"], "status": "party"}, {"party_ref": agency["id"], "status": "member"}])
        for k in ("related_incident_refs", "membership", "vote", "signed", "in_force", "withdrawn", "ended", "aliases"):
            instrument.pop(k, None)
        secret_rel = {"type": "relationship", "spec_version": "2.1", "id": "relationship--%s" % uuid.uuid4(), "created": stamp, "modified": stamp,
                      "relationship_type": "attributed-to", "source_ref": secret_incident["id"], "target_ref": lazarus, "object_marking_refs": [RED]}
        req = urllib.request.Request(base + "/api/collections/kr-jp/objects/", method="POST",
                                     data=json.dumps({"objects": [secret_incident, secret_group, agency, instrument, secret_rel]}).encode(),
                                     headers={"Authorization": "Bearer " + tokens["KISA"], "Content-Type": TAXII, "Accept": TAXII})
        with urllib.request.urlopen(req, timeout=60) as r:
            status = json.load(r)
        check(status.get("success_count") == 5, "KISA shares its RED, AMBER+STRICT and community records", status)
        # DESIGN.md: AMBER+STRICT reads as AMBER on the hub (the community); it only may not leave by sync.
        # JPCERT publishes a group, then a RED newer version of it under another name: the search
        # index holds the newest text, but readers of the older version must not find it by that.
        group_id = "intrusion-set--%s" % uuid.uuid4()
        public_v = {"type": "intrusion-set", "spec_version": "2.1", "id": group_id, "created": stamp, "modified": stamp, "name": "Public heron group"}
        red_v = dict(public_v, modified="2026-11-21T00:00:00.000Z", name="Obsidian heron group", object_marking_refs=[RED])
        for collection, objects in (("default", [public_v]), ("kr-jp", [red_v])):
            req = urllib.request.Request(base + "/api/collections/%s/objects/" % collection, method="POST", data=json.dumps({"objects": objects}).encode(),
                                         headers={"Authorization": "Bearer " + tokens["JPCERT editor"], "Content-Type": TAXII, "Accept": TAXII})
            with urllib.request.urlopen(req, timeout=60) as r:
                check(json.load(r).get("success_count") == 1, "JPCERT shares a version of its group in %s" % collection)
        secrets = {"Zephyr RED incident", "Quasar marker", "Obsidian"}
        community_only = {"Halcyon community agency", "Corvid community dialogue", "Nimbus STRICT group", "Umbra Kitten"}
        hidden_ids = [secret_incident["id"], secret_rel["id"]]

        # --- sessions and security ----------------------------------------------------------------
        b = Browser(base)
        s, h, _ = b.get("/")
        check(s == 303 and h["Location"] == "/signin", "without anonymous readers, pages send visitors to sign in", (s, h.get("Location")))
        s, h, page = b.get("/signin")
        signin_cookie = h.get("Set-Cookie", "")
        check(s == 200 and "HttpOnly" in signin_cookie and "SameSite=Strict" in signin_cookie, "the sign-in form sets an HttpOnly, SameSite=Strict CSRF cookie", signin_cookie)
        s, h, _ = b.request("POST", "/signin", {"csrf": "forged", "token": tokens["KISA"]})
        check(s == 403 and "accord_session" not in (h.get("Set-Cookie") or ""), "a sign-in without the form's CSRF token is refused (403)", s)
        (s, h, page), _ = b.sign_in("not-a-token-" + "x" * 40)
        check(s == 401 and "not valid" in page, "a wrong token is refused with a clear message (401)", s)
        (s, h, _), _ = b.sign_in(tokens["KISA"])
        cookie = h.get("Set-Cookie", "")
        check(s == 303 and "accord_session=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie,
              "signing in sets an HttpOnly, SameSite=Strict session cookie", cookie)
        s, h, page = b.get("/")
        csp = h.get("Content-Security-Policy", "")
        check(s == 200 and "default-src 'none'" in csp and "script-src" not in csp and "frame-ancestors 'none'" in csp,
              "pages carry a Content-Security-Policy that allows no script", csp)
        check(h.get("X-Content-Type-Options") == "nosniff" and h.get("Cache-Control") == "no-store", "pages are not sniffed or cached")
        s, _, _ = b.request("POST", "/signout", {"csrf": "forged"})
        check(s == 403, "signing out without the CSRF token is refused", s)

        # --- what each reader sees ---------------------------------------------------------------------
        readers = {"KISA": b}
        for name in ("JPCERT reader", "Outsider admin"):
            r = Browser(base)
            r.sign_in(tokens[name])
            readers[name] = r
        readers["anonymous"] = Browser(abase)
        pages = ["/", "/actors", "/incidents", "/diplomacy", "/search?q=zephyr", "/search?q=nimbus", "/search?q=umbra", "/search?q=halcyon",
                 "/search?q=quasar", "/search?q=obsidian", "/search?q=heron", "/objects/" + lazarus, "/objects/" + south_korea["id"], "/objects/" + japan["id"],
                 "/incidents?actor=" + lazarus, "/diplomacy?sort=betweenness", "/actors?type=intrusion-set"]
        def audited(action):
            time.sleep(1.5)  # reads are appended every second
            return [line for line in ok("audit", "tail", "-n", "1000").splitlines() if action in line]

        for name, r in readers.items():
            amber_before = len(audited("objects.read.amber")) if name == "JPCERT reader" else 0
            seen = {}
            statuses = set()
            for path in pages:
                s, _, page = r.get(path)
                statuses.add(s)
                seen[path] = text(page)
            everything = "\n".join(seen.values())
            if name == "KISA":
                check(statuses == {200} and all(x in everything for x in (secrets - {"Obsidian"}) | community_only),
                      "KISA sees its RED, AMBER+STRICT and community records", statuses)
                check("Obsidian" not in everything and "Public heron group" in seen["/search?q=heron"] if "/search?q=heron" in seen else "Obsidian" not in everything,
                      "KISA does not find JPCERT's RED version by its words; it finds the version it may read")
                check("Zephyr RED incident" in text(section(r.get("/objects/" + lazarus)[2], "incidents")),
                      "KISA's Lazarus page lists its RED incident")
                # Before any TAXII read by KISA: these entries can only come from its page views.
                check(any(secret_incident["id"] in line for line in audited("objects.read.red")),
                      "KISA's page views of its RED incident are audited like TAXII reads, naming it")
            else:
                hidden_words = secrets - {"Obsidian"} if name == "JPCERT reader" else secrets  # JPCERT owns that RED version
                leaked = sorted(x for x in hidden_words if x in everything)
                check(statuses == {200} and not leaked, "%s: no RED record on any page, search or graph" % name, (statuses, leaked))
                community = name == "JPCERT reader"
                if community:
                    check(len(audited("objects.read.amber")) > amber_before, "JPCERT's page views of AMBER+STRICT content are audited")
                shown = sorted(x for x in community_only if x in everything)
                check(shown == (sorted(community_only) if community else []),
                      "%s: community records %s" % (name, "shown (a member)" if community else "hidden (not a member)"), shown)
                for i in hidden_ids if community else hidden_ids + [secret_group["id"]]:
                    s, _, page = r.get("/objects/" + i)
                    check(s == 404 and "Zephyr" not in page and "Nimbus" not in page, "%s: %s answers 404 like an absent object" % (name, i.split("--")[0]), s)
            # The overview count equals what TAXII serves this reader.
            if name == "anonymous":
                taxii = Server(abase + "/taxii2/")
            else:
                taxii = Server(base + "/taxii2/", user="web", password=tokens[name])
            ids = set()
            for c in taxii.api_roots[0].collections:
                for envelope in as_pages(c.get_objects, per_request=200):
                    ids |= {o["id"] for o in envelope.get("objects", [])}
            m = re.search(r"([0-9]+) objects you may read", seen["/"])
            check(m and int(m.group(1)) == len(ids), "%s: the overview count equals the objects TAXII serves (%d)" % (name, len(ids)),
                  m.group(0) if m else seen["/"][:300])

        # --- content ---------------------------------------------------------------------------------------
        anon = readers["anonymous"]
        s, _, page = anon.get("/objects/" + lazarus)
        incidents = text(section(page, "incidents"))
        check("Sony Pictures" in incidents and "Bangladesh Bank" in incidents, "the Lazarus Group page lists the Sony Pictures and Bangladesh Bank incidents",
              incidents[:500])
        check("<svg" in section(page, "graph") and "Reconnaissance General Bureau" in text(section(page, "sponsor")),
              "the Lazarus Group page has its relationship graph and sponsor")
        s, _, page = anon.get("/diplomacy")
        edges = {frozenset((html.unescape(a), html.unescape(b_))) for a, b_ in re.findall(r'class="edge"[^>]*data-a="([^"]*)" data-b="([^"]*)"', page)}
        check(frozenset(("South Korea", "United States")) in edges, "the diplomacy graph has an edge between South Korea and the United States", len(edges))
        graph = networkx.Graph()
        names = {o["id"]: o["name"] for o in bundle["objects"] if o.get("name")}
        for o in bundle["objects"]:
            if o["type"] == "cyber-instrument":
                members = sorted({p_["party_ref"] for p_ in o.get("parties", []) if p_["status"] in PARTICIPATING})
                graph.add_nodes_from(members)
                graph.add_edges_from((a, b_) for i, a in enumerate(members) for b_ in members[i + 1:])
        check(len(edges) == graph.number_of_edges(), "the graph draws every edge networkx finds (%d)" % graph.number_of_edges(), len(edges))
        rows = re.findall(r'<tr><th scope="row"><a href="/objects/([^"]+)">[^<]*</a></th><td>[^<]*</td><td class="n">([0-9]+)</td><td class="n">([0-9.]+)</td>',
                          section(page, "centrality"))
        expected_b = networkx.betweenness_centrality(graph, normalized=True)
        wrong = [(names.get(i, i), int(d), float(bc), graph.degree(i), round(expected_b[i], 3))
                 for i, d, bc in rows if i not in graph or int(d) != graph.degree(i) or abs(float(bc) - expected_b[i]) > 0.0006]
        check(len(rows) == graph.number_of_nodes() and not wrong, "degree and betweenness equal networkx's (%d nodes)" % graph.number_of_nodes(), wrong[:5])
        check([int(d) for _, d, _ in rows] == sorted((int(d) for _, d, _ in rows), reverse=True), "the centrality table sorts by degree")
        s, _, page = anon.get("/diplomacy?sort=betweenness")
        values = [float(bc) for _, _, bc in re.findall(r'<tr><th scope="row"><a href="/objects/([^"]+)">[^<]*</a></th><td>[^<]*</td><td class="n">([0-9]+)</td><td class="n">([0-9.]+)</td>',
                                                          section(page, "centrality"))]
        check(values and values == sorted(values, reverse=True), "... and by betweenness")
        s, _, page = anon.get("/objects/" + south_korea["id"])
        instruments = text(section(page, "instruments"))
        check(re.search(r"Budapest[^|]*?convention\s+not-party", re.sub(r"\s+", " ", instruments)) is not None,
              "the South Korea page shows the Budapest Convention as not-party", instruments[:400])
        check("7.7" in text(section(page, "victim")), "the South Korea page lists the 7.7 attacks among incidents as victim")
        for country in ("US", "KR"):
            s, _, page = anon.get("/incidents?country=" + country)
            shown = set(re.findall(r'<tr><th scope="row"><a href="/objects/(incident--[^"]+)"', page))
            expected = {o["id"] for o in bundle["objects"] if o["type"] == "incident" and country in o["extensions"][ext].get("target_countries", [])}
            check(shown == expected, "the incidents filter by target country %s shows exactly those incidents (%d)" % (country, len(expected)), (shown ^ expected))
        sony = next(o for o in bundle["objects"] if o["type"] == "incident" and "Sony" in o["name"])
        s, _, page = anon.get("/objects/" + sony["id"])
        attributions = text(section(page, "attributions"))
        check("Federal Bureau of Investigation" in attributions or "FBI" in attributions, "the Sony incident page shows the FBI's attribution", attributions[:300])
        check("government" in attributions and text(section(page, "responses")).count("sanctions") >= 1, "... its basis and the sanctions that answered it")
        s, _, page = anon.get("/search?q=velvet+chollima")
        check("Kimsuky" in text(page), "search finds a group by its alias (Velvet Chollima: Kimsuky)")

        # --- pages follow the store: an addition appears, a deletion disappears ---------------------------
        def overview_count(r):
            m = re.search(r"([0-9]+) objects you may read", text(r.get("/")[2]))
            return int(m.group(1)) if m else -1
        before = overview_count(anon)
        fresh = {"type": "intrusion-set", "spec_version": "2.1", "id": "intrusion-set--%s" % uuid.uuid4(), "created": stamp, "modified": stamp,
                 "name": "Kestrel public group", "object_marking_refs": ["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"]}
        for method, url, body in (("POST", "/api/collections/default/objects/", {"objects": [fresh]}),):
            req = urllib.request.Request(base + url, method=method, data=json.dumps(body).encode(),
                                         headers={"Authorization": "Bearer " + tokens["KISA"], "Content-Type": TAXII, "Accept": TAXII})
            urllib.request.urlopen(req, timeout=60).read()
        s, _, page = anon.get("/actors")
        check(overview_count(anon) == before + 1 and "Kestrel public group" in text(page), "a new public object appears on the pages at once", (before, overview_count(anon)))
        req = urllib.request.Request(base + "/api/collections/default/objects/%s/" % fresh["id"], method="DELETE",
                                     headers={"Authorization": "Bearer " + tokens["KISA"], "Accept": TAXII})
        urllib.request.urlopen(req, timeout=60).read()
        s, _, page = anon.get("/objects/" + fresh["id"])
        check(s == 404 and overview_count(anon) == before and "Kestrel" not in text(anon.get("/actors")[2]), "a deleted object disappears at once", (s, overview_count(anon)))

        # A TLP:RED grant reaches the recipient's pages at once (its snapshot exists already).
        jp = readers["JPCERT reader"]
        check("Zephyr" not in text(jp.get("/incidents")[2]), "before the grant, JPCERT's incidents page lacks KISA's RED incident")
        ok("share", secret_incident["id"], "--as", "KISA", "--with", "JPCERT")
        s, _, page = jp.get("/incidents")
        check("Zephyr RED incident" in text(page) and jp.get("/objects/" + secret_incident["id"])[0] == 200,
              "after `accord share`, JPCERT sees the RED incident on its pages at once")
        check("Zephyr" not in text(readers["Outsider admin"].get("/incidents")[2]), "... and the outsider still does not")
        m = re.search(r"([0-9]+) objects you may read", text(jp.get("/")[2]))
        expected_ids = taxii_ids(base, tokens["JPCERT reader"])
        check(m and int(m.group(1)) == len(expected_ids), "after the grant, JPCERT's overview count still equals what TAXII serves (%d)" % len(expected_ids),
              m.group(0) if m else "")

        # --- admin pages -----------------------------------------------------------------------------------
        hub = Browser(base)
        hub.sign_in(TOKEN)
        s, _, page = hub.get("/manage")
        check(s == 200 and "Outsider" in text(section(page, "organisations")) and "kr-jp" in text(section(page, "collections")),
              "a hub admin's Manage page lists organisations and collections", s)
        csrf = re.search(r'name="csrf" value="([^"]*)"', page).group(1)
        s, _, page = hub.request("POST", "/manage/organisations", {"csrf": csrf, "name": "CERT-EU", "country": "BE", "sector": "government"})
        check(s == 200 and "CERT-EU" in text(section(page, "organisations")), "the hub admin adds an organisation with the form", s)
        s, _, page = hub.request("POST", "/manage/organisations", {"csrf": csrf, "name": "Bad", "country": "Belgium", "sector": "x"})
        check(s == 400 and "$.country" in text(page), "a form mistake answers 400 with the admin API's message naming the field", (s, re.findall(r'role="alert">([^<]*)', page)))
        s, _, page = hub.request("POST", "/manage/tokens", {"csrf": csrf, "name": "eu onboarding", "role": "admin", "organisation": "CERT-EU"})
        secret = re.search(r'class="secret">([^<]+)<', page)
        check(s == 200 and secret is not None, "a new token is shown once on the page", s)
        if secret:
            s2, _, page2 = hub.get("/manage")
            check(secret.group(1) not in page2, "... and never again")
            eu = Browser(base)
            (s3, _, _), _ = eu.sign_in(secret.group(1))
            check(s3 == 303, "the new organisation's admin signs in with it", s3)
            s3, _, page3 = eu.get("/manage")
            check(s3 == 200 and "Outsider" not in text(section(page3, "tokens")) and "eu onboarding" in text(section(page3, "tokens")),
                  "an organisation's admin sees only its own tokens", text(section(page3, "tokens"))[:200])
        s, _, page = hub.request("POST", "/manage/tokens", {"csrf": "forged", "name": "x", "role": "reader"})
        check(s == 403, "an admin form without its CSRF token is refused (403)", s)
        s, _, _ = readers["JPCERT reader"].get("/manage")
        check(s == 403, "a reader may not open the Manage page (403)", s)
        audit = ok("audit", "tail", "-n", "60")
        check("org.add" in audit and "token.create" in audit, "changes made on the Manage page are in the audit log", audit[-500:])

        # --- revocation ends the session at once ------------------------------------------------------
        token_id = None
        for line in ok("token", "list").splitlines():
            if "KISA" in line:
                token_id = line.split()[0]
        if token_id:
            ok("token", "revoke", token_id)
            s, h, _ = b.get("/")
            check(s == 303 and h["Location"] == "/signin", "revoking the token ends the web session at once", s)
    finally:
        for server in servers:
            stop_server(server)
        shutil.rmtree(work, ignore_errors=True)
    return check.finish()


if __name__ == "__main__":
    sys.exit(main())
