#!/usr/bin/env python3
"""Differential test of Accord's STIX 2.1 patterning engine against the OASIS reference tools.

Usage:
    PYTHON Tests/interop/pattern_differential.py --accord PATH [--count N] [--seed N] [--workdir DIR]
           [--max-details N]

PYTHON is an interpreter with stix2-matcher 3.0.0 and stix2-patterns 2.1.2 installed (for example the
project's .venv once scripts/requirements.txt lists them).

What it proves:
 1. Matching. pattern_corpus.py builds --count (default 6000) (pattern, observed) pairs from --seed
    (default 1), plus the STIX 2.1 specification's patterning examples, each with observations made to
    match and not to match. The pairs cover every comparison operator with and without NOT, AND/OR
    inside observation expressions, AND/OR/FOLLOWEDBY between them (precedence and parentheses),
    WITHIN/REPEATS/START-STOP and their combinations, every literal kind, nested/indexed/[*]/quoted
    object paths, *_ref and *_refs traversal, _hex/_bin properties, IPv4 and IPv6 CIDR, several
    observed-data with different times and number_observed > 1, several bundles, 2.0-style embedded
    objects, and unusable inputs. The reference verdict is stix2matcher.matcher.match(pattern,
    observed, stix_version="2.1"): a non-empty result is "true", an empty one "false", an exception
    "error". All pairs go through ONE `accord pattern match` process as JSON Lines; Accord's verdict
    ({"match": true|false} or {"error": "..."}) must be the same. true==true, false==false,
    error==error.
 2. Parsing. Every distinct generated pattern, a list of unusual patterns, and ~900 mutations (dropped
    or doubled brackets and quotes, misspelt operators, bad qualifier numbers, bad t'' timestamps, odd
    h'' lengths, invalid b'' base64, bad object paths, empty sets, trailing garbage, ...) go through ONE
    `accord pattern parse` process. Reference: stix2patterns.validator.run_validator(pattern,
    stix_version="2.1") -- valid iff it returns an empty list of messages. When the validator itself
    raises (it does on '' and on negative list indexes), stix2-patterns' grammar-only parser
    (stix2patterns.v21.pattern.Pattern) decides instead, and the pattern is tagged quirk.validator-crash.
 3. The corpus is what it claims: at least 6000 pairs and 1500 patterns (with the default --count),
    at least 500 mutations that the reference calls invalid, both verdicts well represented, and every
    feature of pattern_corpus.REQUIRED_FEATURES covered (with a true and a false verdict where that
    makes sense).

The "observed" value of each pair is exactly what stix2-matcher 3.0.0 accepts in 2.1 mode: a list of
bundle-like containers {"type": "bundle", "id": ..., "objects": [...]} holding observed-data SDOs (with
object_refs) and SCOs. The matcher merges all containers, so an object_refs entry may name an SCO of
another container. A few pairs instead carry 2.0-style observed-data with an embedded "objects"
dictionary (as list items or inside a bundle); stix2-matcher cannot read those in 2.1 mode, so their
reference verdict is computed on pattern_corpus.to_reference_form(observed), the same observation with
the embedded objects rewritten as SCOs with ids and object_refs. An empty list, an observed-data without
number_observed/first_observed/last_observed/object_refs, number_observed < 1, an unparsable timestamp
or an SCO without an id make stix2-matcher raise, so those pairs expect {"error": ...}.

A disagreement is a FAIL unless the STIX 2.1 specification decides it the other way: then add an entry
to INTENTIONAL_MATCH or INTENTIONAL_PARSE below (see the comment there). Every pair carries dotted
feature tags; "quirk.*" tags mark the constructs where the reference tools are known to misbehave
(pattern_corpus.QUIRK_TAGS, printed at the end when they are involved in a disagreement).

Output: per-verdict counts, a per-feature table (coverage), up to --max-details (default 30)
disagreements per part (pattern, observed JSON, reference verdict, Accord's verdict), the full list in
--workdir, and the final line "N passed, N failed" (agreeing pairs and patterns count as passed; each
disagreement, pair without an answer, or failed corpus check counts as failed). Exit status 1 on any
failure.

Only the standard library, stix2-matcher and stix2-patterns are used.
"""

import argparse
import collections
import copy
import json
import os
import re as _re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_common as ic  # noqa: E402
import pattern_corpus as pc  # noqa: E402

# ---------------------------------------------------------------------------------------------
# Intentional differences.
#
# Each table maps a KEY to the STIX 2.1 clause that decides the case the other way from the reference
# tool. A KEY is either
#   * a tag string: the entry covers every case carrying that tag or a dotted child of it
#     ("quirk.exists-not-ignored", "op.exists" also covers "op.exists.not"); the tags of a case are
#     printed with each disagreement and listed in pattern_corpus.py (QUIRK_TAGS explains the quirk.* ones),
#   * or a predicate: a function taking the case (attributes .pattern, .tags, .ref, .got; match cases also
#     .observed) and returning True when the entry applies.
# The value is a short text naming the clause, e.g.
#   "quirk.ipv6-cidr": "STIX 2.1 9.5 (ISSUBSET/ISSUPERSET apply to IPv4 and IPv6 CIDR); stix2-matcher "
#                      "only parses IPv4",
#   (lambda case: "NOT EXISTS" in case.pattern): "STIX 2.1 9.5: NOT negates EXISTS",
# Keep entries narrow: an entry excuses every disagreement it covers.
def _ref_raised(*tags):
    """Excuses a case where the reference raised (verdict "error") on one of these quirks."""
    return lambda case: case.ref == "error" and any(t in case.tags for t in tags)


INTENTIONAL_MATCH = {
    _ref_raised("quirk.ipv6-cidr"):
        "STIX 2.1 9.6.1 ISSUBSET/ISSUPERSET: 'a MUST be an Object Path referring to the value property of an Object of "
        "type ipv4-addr or ipv6-addr'; Accord compares IPv6 ranges, stix2-matcher raises on any IPv6 value",
    _ref_raised("quirk.issuperset-plain-ip"):
        "STIX 2.1 9.6.1 ISSUBSET/ISSUPERSET: 'In the case that both a and b evaluate to an identical single IP address "
        "the Comparison Expression evaluates to true'; stix2-matcher raises when a side is a plain address",
    _ref_raised("quirk.subset-non-ip"):
        "STIX 2.1 9.6.1: 'If the arguments of a comparison are of incompatible types ... the results are false'; "
        "a value that is no IP address is not within a range, stix2-matcher raises",
    "quirk.exists-not-ignored":
        "STIX 2.1 9.6.1: with NOT 'the resultant Comparison Expression is logically negated': NOT EXISTS holds for an "
        "object that lacks the property; stix2-matcher ignores the NOT",
    "quirk.exists-in-boolean":
        "STIX 2.1 9.6: EXISTS is a comparison like the others and may be joined with AND/OR; stix2-matcher has no "
        "EXISTS handler there and raises or answers from the wrong operand",
    "quirk.in-bool-int":
        "STIX 2.1 9.6.1 IN: true when a is equal to any of the elements, with '=' semantics, and booleans and integers "
        "are incompatible types (false); stix2-matcher uses Python set membership, where True == 1",
    (lambda case: case.got == "error" and "quirk.duplicate-qualifier" in case.tags):
        "STIX 2.1 9.5.1: 'An Observation Expression MUST NOT have more than one Qualifier of a particular type' "
        "(stix2-patterns rejects it too); stix2-matcher evaluates it",
    _ref_raised("quirk.like-binary"):
        "STIX 2.1 9.6.1/9.6.4: a binary value that is not UTF-8 text does not match a LIKE pattern (false); "
        "stix2-matcher raises UnicodeDecodeError",
    _ref_raised("quirk.empty-observed", "observed.invalid.empty-list"):
        "STIX 2.1 9.4: a pattern matches observations that satisfy it; with no observed data nothing matches (false); "
        "stix2-matcher raises on an empty list",
    _ref_raised("observed.invalid.sco-without-id"):
        "STIX 2.1 4.14 object_refs: only SCOs named by object_refs take part in an observation; an SCO without an id "
        "names nothing and is ignored; stix2-matcher raises KeyError",
}

INTENTIONAL_PARSE = {
    (lambda case: case.ref == "invalid" and case.got == "valid" and "quirk.validator-hash-format" in case.tags):
        "STIX 2.1 9.6.1: LIKE and MATCHES take a pattern and IN a set of values, not a digest; Accord checks each IN "
        "element and =/!=/order literals on hashes.<ALGO> as digests, stix2-patterns checks the LIKE/MATCHES text "
        "and the whole IN set as one digest",
    (lambda case: case.ref == "valid" and case.got == "invalid" and "quirk.duplicate-qualifier" in case.tags):
        "STIX 2.1 9.5.1: 'An Observation Expression MUST NOT have more than one Qualifier of a particular type'; "
        "stix2-patterns only checks this on bracketed observations, not on parenthesised groups",
    (lambda case: case.ref == "invalid" and case.got == "valid" and case.pattern.lstrip().startswith(("/*", "//"))):
        "STIX 2.1 9.2 grammar (STIXPattern.g4 COMMENT/LINE_COMMENT rules are skipped): a comment may precede the "
        "pattern; stix2-patterns' textual pre-check wants the first character to be '['",
}

HASH_MESSAGE = _re.compile(r"^FAIL: '.*' is not a valid .* hash$", _re.S)
MATCH_TIMEOUT = 10      # seconds stix2-matcher may spend on one pair before it is left out
ACCORD_TIMEOUT = 600    # seconds for one accord process


def excuse_for(case, table):
    for key, clause in table.items():
        if callable(key):
            try:
                if key(case):
                    return clause
            except Exception:  # a predicate that fails does not excuse anything
                continue
        else:
            for t in case.tags:
                if ic.is_excused(t, {key: clause}):
                    return clause
    return None


# ---------------------------------------------------------------------------------------------
# Reference verdicts

class _RefTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise _RefTimeout()


def reference_match(cases, log):
    from stix2matcher.matcher import match
    old = signal.signal(signal.SIGALRM, _alarm)
    try:
        for n, c in enumerate(cases):
            signal.setitimer(signal.ITIMER_REAL, MATCH_TIMEOUT)
            try:
                c.ref = "true" if match(c.pattern, copy.deepcopy(c.reference), stix_version="2.1") else "false"
            except _RefTimeout:
                c.ref = "timeout"
                c.ref_detail = "stix2-matcher took more than %ds" % MATCH_TIMEOUT
            except Exception as e:  # any exception of the reference is the verdict "error"
                c.ref = "error"
                c.ref_detail = "%s: %s" % (type(e).__name__, " ".join(str(e).split())[:300])
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if n and n % 2000 == 0:
                log("  stix2-matcher: %d/%d" % (n, len(cases)))
    finally:
        signal.signal(signal.SIGALRM, old)


def add_tag(case, tag):
    if tag not in case.tags:
        case.tags = case.tags + [tag]


def reference_parse(cases):
    from stix2patterns.validator import run_validator
    from stix2patterns.v21.pattern import Pattern
    for c in cases:
        try:
            errs = run_validator(c.pattern, stix_version="2.1")
            c.ref = "invalid" if errs else "valid"
            c.ref_detail = "; ".join(str(e) for e in errs)[:300]
            # the validator's own reason, where it is one of its semantic (non-grammar) checks
            if errs and all(HASH_MESSAGE.search(str(e)) for e in errs):
                add_tag(c, "quirk.validator-hash-format")
            elif errs and all("Duplicate qualifier type" in str(e) for e in errs):
                add_tag(c, "quirk.duplicate-qualifier")
        except Exception as e:
            add_tag(c, "quirk.validator-crash")
            try:
                Pattern(c.pattern)
                c.ref = "valid"
            except Exception as e2:
                c.ref = "invalid"
                c.ref_detail = "grammar: %s" % (" ".join(str(e2).split())[:200])
            c.ref_detail = ("validator raised %s: %s; " % (type(e).__name__, str(e)[:120])) + c.ref_detail


# ---------------------------------------------------------------------------------------------
# Running Accord

class AccordRun:
    def __init__(self):
        self.status = None
        self.lines = []
        self.stderr = ""
        self.problem = None
        self.seconds = 0.0


def run_accord(accord, sub, payload_lines, flags=()):
    """Runs `accord pattern <sub>` once with all lines on stdin."""
    run = AccordRun()
    data = ("\n".join(payload_lines) + "\n").encode("utf-8")
    t = time.time()
    try:
        proc = subprocess.run([accord, "pattern", sub, *flags], input=data, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=ACCORD_TIMEOUT)
        out, err, run.status = proc.stdout, proc.stderr, proc.returncode
    except OSError as e:
        run.problem = "cannot start %r: %s" % (accord, e)
        return run
    except subprocess.TimeoutExpired as e:
        out, err = e.stdout or b"", e.stderr or b""
        run.problem = "did not finish within %ds (killed)" % ACCORD_TIMEOUT
    run.seconds = time.time() - t
    run.stderr = err.decode("utf-8", "replace")
    text = out.decode("utf-8", "replace")
    # Split on "\n" only: JSON strings may legally contain raw U+2028 and similar characters.
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    run.lines = lines
    return run


def check_run(check, run, what, expected):
    """One PASS/FAIL line about the process itself."""
    if run.problem:
        check(False, "accord pattern %s: %s" % (what, run.problem), "stderr tail: " + run.stderr[-1500:])
        return
    ok = run.status == 0 and len(run.lines) == expected
    detail = []
    if run.status is not None and run.status < 0:
        detail.append("killed by signal %d" % -run.status)
    elif run.status != 0:
        detail.append("exit status %s (expected 0)" % run.status)
    if len(run.lines) != expected:
        detail.append("%d output lines for %d input lines" % (len(run.lines), expected))
    if not ok:
        detail.append("stderr tail: " + (run.stderr[-1500:] or "(empty)"))
    check(ok, "accord pattern %s: exit status 0 and one output line per input line (%d lines, %.1fs)"
          % (what, expected, run.seconds), "; ".join(detail))


def decode_match_line(line):
    try:
        rec = json.loads(line)
    except ValueError:
        return "bad-output", "not JSON: %r" % line[:200]
    if isinstance(rec, dict):
        if set(rec) == {"match"} and isinstance(rec["match"], bool):
            return ("true" if rec["match"] else "false"), ""
        if "error" in rec and "match" not in rec and isinstance(rec["error"], str):
            return "error", rec["error"]
    return "bad-output", "unexpected line: %r" % line[:200]


def decode_parse_line(line):
    try:
        rec = json.loads(line)
    except ValueError:
        return "bad-output", "not JSON: %r" % line[:200]
    if isinstance(rec, dict) and isinstance(rec.get("valid"), bool):
        if rec["valid"]:
            return "valid", ""
        err = rec.get("error")
        return "invalid", err if isinstance(err, str) else None
    return "bad-output", "unexpected line: %r" % line[:200]


# ---------------------------------------------------------------------------------------------
# Reporting

def short(s, n):
    return s if len(s) <= n else s[:n - 3] + "..."


def tag_table(cases, verdicts, title, known_by_case, fail_by_case, prefixes=None):
    stats = collections.OrderedDict()
    for c in cases:
        for t in c.tags:
            if prefixes and not t.startswith(prefixes):
                continue
            st = stats.setdefault(t, collections.Counter())
            st["n"] += 1
            st["ref:" + c.ref] += 1
            if id(c) in fail_by_case:
                st["fail"] += 1
            elif id(c) in known_by_case:
                st["known"] += 1
            elif c.got is not None:
                st["agree"] += 1
    print("\n== %s ==" % title)
    header = "%-44s %6s " % ("tag", "n") + " ".join("%7s" % v for v in verdicts) + " %6s %6s %6s" % (
        "agree", "known", "FAIL")
    print(header)
    for t in sorted(stats):
        s = stats[t]
        print("%-44s %6d " % (short(t, 44), s["n"]) + " ".join("%7d" % s["ref:" + v] for v in verdicts)
              + " %6d %6d %6d%s" % (s["agree"], s["known"], s["fail"], "  <--" if s["fail"] else ""))


def compare(cases, run, decode, table, kind):
    """Fills case.got; returns (agree, known[(case, clause)], failures[case], missing)."""
    agree, known, failures, missing = [], [], [], []
    for i, c in enumerate(cases):
        if i >= len(run.lines):
            c.got, c.got_detail = None, "no output line"
            missing.append(c)
            continue
        c.got, c.got_detail = decode(run.lines[i])
        if c.ref == "timeout":
            continue
        if c.got == c.ref:
            agree.append(c)
            continue
        clause = excuse_for(c, table)
        if clause:
            known.append((c, clause))
        else:
            failures.append(c)
    return agree, known, failures, missing


def print_disagreements(check, kind, failures, max_details, workdir):
    for n, c in enumerate(failures):
        if n < max_details:
            lines = ["pattern:   %s" % c.pattern]
            if kind == "match":
                obs = pc.dumps(c.observed)
                lines.append("observed:  %s" % short(obs, 4000))
                if c.reference != c.observed:
                    lines.append("reference input (2.0-style objects rewritten): %s"
                                 % short(pc.dumps(c.reference), 1500))
            lines.append("reference: %s%s" % (c.ref, (" (%s)" % c.ref_detail) if c.ref_detail else ""))
            lines.append("accord:    %s%s" % (c.got, (" (%s)" % short(c.got_detail, 300)) if c.got_detail else ""))
            lines.append("tags:      %s" % " ".join(c.tags))
            if getattr(c, "note", ""):
                lines.append("note:      %s" % c.note)
            check(False, "%s disagreement %d: reference %s, accord %s" % (kind, n + 1, c.ref, c.got),
                  "\n    ".join(lines))
        else:
            check.failed += 1
    if len(failures) > max_details:
        print("FAIL ... %d more %s disagreements not shown (all in %s)"
              % (len(failures) - max_details, kind, os.path.join(workdir, "%s_disagreements.jsonl" % kind)))


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(pc.dumps(r) + "\n")


def versions():
    out = {}
    try:
        from importlib.metadata import version
        for name in ("stix2-matcher", "stix2-patterns"):
            try:
                out[name] = version(name)
            except Exception:
                out[name] = "?"
    except ImportError:
        pass
    return out


# ---------------------------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--accord", required=True, help="path to the accord binary")
    ap.add_argument("--count", type=int, default=6000, help="generated (pattern, observed) pairs (default 6000)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--workdir", help="where inputs, outputs and disagreements are written (default: a new temp dir)")
    ap.add_argument("--max-details", type=int, default=30, help="disagreements printed in full per part (default 30)")
    args = ap.parse_args(argv)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    check = ic.Checks()
    t_start = time.time()
    workdir = args.workdir or tempfile.mkdtemp(prefix="accord-pattern-diff-")
    os.makedirs(workdir, exist_ok=True)

    vers = versions()
    expected_versions = {"stix2-matcher": "3.0.0", "stix2-patterns": "2.1.2"}
    for name, want in expected_versions.items():
        if vers.get(name) != want:
            print("WARNING: %s %s installed; this harness was calibrated with %s" % (name, vers.get(name), want))

    t = time.time()
    cases, parse_cases = pc.build_corpus(args.seed, args.count)
    n_spec = sum(1 for c in cases if "spec.example" in c.tags)
    log("corpus: %d pairs (%d generated, %d from the specification's examples), %d patterns to parse (%.1fs)"
        % (len(cases), len(cases) - n_spec, n_spec, len(parse_cases), time.time() - t))

    t = time.time()
    reference_match(cases, log)
    t_ref_match = time.time() - t
    t = time.time()
    reference_parse(parse_cases)
    t_ref_parse = time.time() - t
    log("reference verdicts: stix2-matcher %.1fs, stix2-patterns %.1fs" % (t_ref_match, t_ref_parse))

    write_jsonl(os.path.join(workdir, "match_input.jsonl"),
                [{"pattern": c.pattern, "observed": c.observed} for c in cases])
    write_jsonl(os.path.join(workdir, "parse_input.jsonl"), [{"pattern": c.pattern} for c in parse_cases])

    # ---- matching
    log("running accord pattern match on %d pairs..." % len(cases))
    match_lines = [pc.dumps({"pattern": c.pattern, "observed": c.observed}) for c in cases]
    mrun = run_accord(args.accord, "match", match_lines)
    with open(os.path.join(workdir, "match_output.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(mrun.lines) + ("\n" if mrun.lines else ""))
    m_agree, m_known, m_fail, m_missing = compare(cases, mrun, decode_match_line, INTENTIONAL_MATCH, "match")

    ref_counts = collections.Counter(c.ref for c in cases)
    got_counts = collections.Counter(c.got if c.got is not None else "missing" for c in cases)
    print("== matching: %d pairs (seed %d, --count %d, %d specification pairs); stix2-matcher %s, "
          "stix2-patterns %s ==" % (len(cases), args.seed, args.count, n_spec, vers.get("stix2-matcher"),
                                    vers.get("stix2-patterns")))
    print("reference verdicts: " + ", ".join("%s %d (%.1f%%)" % (v, ref_counts[v], 100.0 * ref_counts[v] / len(cases))
                                             for v in ("true", "false", "error", "timeout") if ref_counts[v]))
    print("accord verdicts:    " + ", ".join("%s %d" % (v, got_counts[v]) for v in
                                             ("true", "false", "error", "bad-output", "missing") if got_counts[v]))
    cross = collections.Counter((c.ref, c.got) for c in cases if c.got is not None and c.got != c.ref)
    if cross:
        print("disagreements by (reference -> accord): " + ", ".join(
            "%s->%s %d" % (a, b, n) for (a, b), n in sorted(cross.items())))
    known_ids = {id(c) for c, _ in m_known}
    fail_ids = {id(c) for c in m_fail} | {id(c) for c in m_missing}
    tag_table(cases, ("true", "false", "error"), "matching: per-feature results (reference verdicts; coverage)",
              known_ids, fail_ids)

    print()
    check_run(check, mrun, "match", len(cases))
    check.passed += len(m_agree)
    if m_missing:
        check.failed += len(m_missing)
        print("FAIL %d pairs got no verdict from accord (counted as failures)" % len(m_missing))
    timeouts = [c for c in cases if c.ref == "timeout"]
    if timeouts:
        print("INFO %d pairs left out: stix2-matcher did not finish within %ds, e.g. %s"
              % (len(timeouts), MATCH_TIMEOUT, timeouts[0].pattern))
    if mrun.lines:
        bad = [c for c in cases if c.got == "error" and not (c.got_detail or "").strip()]
        check(not bad, "accord's {\"error\": ...} lines carry a message", "%d without one, e.g. %s"
              % (len(bad), bad[0].pattern if bad else ""))
    # The benchmark's run (--timing --warm-up --passes reads every line, evaluates all once
    # untimed, then times several passes and answers once): the same answers, in order, and the
    # time of exactly the pairs given.
    wrun = run_accord(args.accord, "match", match_lines, flags=("--timing", "--warm-up", "--passes", "2"))
    check(not wrun.problem and wrun.status == 0 and wrun.lines == mrun.lines,
          "accord pattern match --timing --warm-up --passes 2 answers as the plain run does, line for line",
          wrun.problem or "%d of %d lines differ" % (sum(a != b for a, b in zip(wrun.lines, mrun.lines))
                                                     + abs(len(wrun.lines) - len(mrun.lines)), len(mrun.lines)))
    timed = _re.search(r"evaluated (\d+) pairs in [0-9.]+ ms \(a pass, the mean of 2\)", wrun.stderr)
    check(timed is not None and int(timed.group(1)) == len(cases),
          "--timing reports the %d pairs evaluated, a pass's time the mean of two" % len(cases), wrun.stderr[-500:])
    # Lines that are no pair (not JSON, no pattern, blank) get the same answers with passes, and
    # are not counted as pairs evaluated.
    odd = [match_lines[0], "not json", "   ", '{"pattern": "[x:y = 1]"}', match_lines[1]]
    plain, passed = run_accord(args.accord, "match", odd), run_accord(args.accord, "match", odd, flags=("--timing", "--passes", "3"))
    counted = _re.search(r"evaluated (\d+) pairs in", passed.stderr)
    check(not plain.problem and not passed.problem and len(plain.lines) == 4 and passed.lines == plain.lines
          and counted is not None and counted.group(1) == "2",
          "with --passes, lines that are no pair get the plain run's answers, blank lines none, and only pairs are counted",
          "plain %r; with passes %r; %s" % (plain.lines, passed.lines, passed.stderr[-300:]))
    if m_known:
        print("\n== known (intentional) match differences: %d ==" % len(m_known))
        by_clause = collections.Counter(clause for _, clause in m_known)
        for clause, n in by_clause.most_common():
            print("- %d x %s" % (n, clause))
    write_jsonl(os.path.join(workdir, "match_disagreements.jsonl"),
                [{"pattern": c.pattern, "observed": c.observed, "reference": c.ref, "reference_detail": c.ref_detail,
                  "accord": c.got, "accord_detail": c.got_detail, "tags": c.tags} for c in m_fail])
    if m_fail:
        print("\n== match disagreements: %d ==" % len(m_fail))
        print_disagreements(check, "match", m_fail, args.max_details, workdir)

    # ---- parsing
    log("running accord pattern parse on %d patterns..." % len(parse_cases))
    prun = run_accord(args.accord, "parse", [pc.dumps({"pattern": c.pattern}) for c in parse_cases])
    with open(os.path.join(workdir, "parse_output.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(prun.lines) + ("\n" if prun.lines else ""))
    p_agree, p_known, p_fail, p_missing = compare(parse_cases, prun, decode_parse_line, INTENTIONAL_PARSE, "parse")
    pref = collections.Counter(c.ref for c in parse_cases)
    pgot = collections.Counter(c.got if c.got is not None else "missing" for c in parse_cases)
    n_mut = sum(1 for c in parse_cases if "mutation" in c.tags)
    n_mut_invalid = sum(1 for c in parse_cases if "mutation" in c.tags and c.ref == "invalid")
    print("\n== parsing: %d patterns (%d from the match corpus, %d hand-written, %d mutations of which %d are "
          "invalid per stix2-patterns) ==" % (len(parse_cases), sum(1 for c in parse_cases if "gen" in c.tags),
                                               sum(1 for c in parse_cases if "extra" in c.tags), n_mut, n_mut_invalid))
    print("reference: valid %d, invalid %d (%d decided by the grammar-only parser after a validator crash)"
          % (pref["valid"], pref["invalid"], sum(1 for c in parse_cases if "quirk.validator-crash" in c.tags)))
    print("accord:    " + ", ".join("%s %d" % (v, pgot[v]) for v in ("valid", "invalid", "bad-output", "missing")
                                    if pgot[v]))
    known_ids = {id(c) for c, _ in p_known}
    fail_ids = {id(c) for c in p_fail} | {id(c) for c in p_missing}
    tag_table(parse_cases, ("valid", "invalid"), "parsing: per-tag results (mutations, hand-written patterns, quirks)",
              known_ids, fail_ids, prefixes=("mut.", "odd.", "quirk.", "gen", "extra", "mutation", "error.", "spec."))
    print()
    check_run(check, prun, "parse", len(parse_cases))
    check.passed += len(p_agree)
    if p_missing:
        check.failed += len(p_missing)
        print("FAIL %d patterns got no verdict from accord (counted as failures)" % len(p_missing))
    no_pos = [c for c in parse_cases if c.got == "invalid" and not (c.got_detail and _re.search(r"\d", c.got_detail))]
    if prun.lines:
        check(not no_pos, "accord's {\"valid\": false} lines carry an error message naming a position",
              "%d without, e.g. %r -> %r" % (len(no_pos), no_pos[0].pattern, no_pos[0].got_detail) if no_pos else "")
    if p_known:
        print("\n== known (intentional) parse differences: %d ==" % len(p_known))
        for clause, n in collections.Counter(clause for _, clause in p_known).most_common():
            print("- %d x %s" % (n, clause))
    write_jsonl(os.path.join(workdir, "parse_disagreements.jsonl"),
                [{"pattern": c.pattern, "reference": c.ref, "reference_detail": c.ref_detail, "accord": c.got,
                  "accord_detail": c.got_detail, "tags": c.tags} for c in p_fail])
    if p_fail:
        print("\n== parse disagreements: %d ==" % len(p_fail))
        print_disagreements(check, "parse", p_fail, args.max_details, workdir)

    # ---- the corpus itself
    print("\n== corpus checks ==")
    full = args.count >= 6000
    if full:
        check(len(cases) >= 6000, "at least 6000 (pattern, observed) pairs (%d)" % len(cases))
        check(len(parse_cases) >= 1500, "at least 1500 patterns to parse (%d)" % len(parse_cases))
        check(n_mut_invalid >= 500, "at least 500 mutated patterns that stix2-patterns calls invalid (%d)"
              % n_mut_invalid)
    n = float(len(cases))
    balanced = ref_counts["true"] >= 0.3 * n and ref_counts["false"] >= 0.3 * n and ref_counts["error"] <= 0.2 * n
    msg = "verdicts balanced (true %.1f%%, false %.1f%%, error %.1f%%; want >= 30%%, >= 30%%, <= 20%%)" % (
        100 * ref_counts["true"] / n, 100 * ref_counts["false"] / n, 100 * ref_counts["error"] / n)
    if args.count >= 2000:
        check(balanced, msg)
    else:
        print("INFO (not checked below --count 2000) " + msg)
    by_tag = collections.defaultdict(collections.Counter)
    for c in cases:
        for tg in c.tags:
            by_tag[tg][c.ref] += 1
    missing_cov = []
    for tag, both in pc.REQUIRED_FEATURES:
        st = by_tag.get(tag, collections.Counter())
        if sum(st.values()) == 0 or (both and (st["true"] == 0 or st["false"] == 0)):
            missing_cov.append("%s (true %d, false %d, error %d)" % (tag, st["true"], st["false"], st["error"]))
    cov_msg = "every required feature is covered (%d features; those marked need a true and a false verdict)" \
        % len(pc.REQUIRED_FEATURES)
    if full:
        check(not missing_cov, cov_msg, "missing: " + "; ".join(missing_cov))
    else:
        print("INFO (not checked below --count 6000) %s%s" % (cov_msg, (": missing " + "; ".join(missing_cov))
                                                                if missing_cov else ""))

    involved = sorted({t for c in m_fail + p_fail for t in c.tags if t in pc.QUIRK_TAGS})
    if involved:
        print("\n== reference quirks involved in the disagreements above (pattern_corpus.QUIRK_TAGS) ==")
        for t in involved:
            print("- %s: %s" % (t, pc.QUIRK_TAGS[t]))
    print("\nworkdir: %s" % workdir)
    print("time: %.1fs total (stix2-matcher %.1fs, stix2-patterns %.1fs, accord match %.1fs, accord parse %.1fs)"
          % (time.time() - t_start, t_ref_match, t_ref_parse, mrun.seconds, prun.seconds))
    return check.finish()


if __name__ == "__main__":
    sys.exit(main())
