#!/usr/bin/env python3
"""Writes a realistic STIX 2.1 bundle of N objects for benchmarks (stdlib only, deterministic).

The mix follows what CERT feeds carry: indicators with STIX patterns, the SCOs they describe,
relationships between indicators, malware and intrusion sets, sightings, reports and identities,
with TLP markings and external references.

Usage: make_bundle.py N OUTPUT.json [--seed S]
"""
import json
import random
import sys
import uuid

TLP = ["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
       "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]
NS = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
    rng = random.Random(seed)

    def uid():
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def ts(i):
        return "2024-%02d-%02dT%02d:%02d:%02d.%03dZ" % (1 + i % 12, 1 + i % 28, i % 24, i % 60, (i * 7) % 60, i % 1000)

    identity = "identity--" + uid()
    groups = ["intrusion-set--" + uid() for _ in range(50)]
    malware = ["malware--" + uid() for _ in range(200)]
    with open(out, "w") as f:
        f.write('{"type":"bundle","id":"bundle--%s","objects":[' % uid())
        first = True

        def emit(obj):
            nonlocal first
            f.write(("" if first else ",\n") + json.dumps(obj, separators=(",", ":")))
            first = False

        emit({"type": "identity", "spec_version": "2.1", "id": identity, "created": ts(0), "modified": ts(0),
              "name": "KrCERT/CC", "identity_class": "organization", "sectors": ["government"]})
        for i, g in enumerate(groups):
            emit({"type": "intrusion-set", "spec_version": "2.1", "id": g, "created": ts(i), "modified": ts(i),
                  "name": "Group %d" % i, "aliases": ["G%d" % i], "created_by_ref": identity,
                  "primary_motivation": "organizational-gain", "object_marking_refs": [TLP[1]]})
        for i, m in enumerate(malware):
            emit({"type": "malware", "spec_version": "2.1", "id": m, "created": ts(i), "modified": ts(i),
                  "name": "Family %d" % i, "is_family": True, "malware_types": ["backdoor"], "created_by_ref": identity})
        count = 1 + len(groups) + len(malware)
        i = 0
        while count < n:
            i += 1
            kind = i % 10
            if kind < 4:  # indicator + its SCO + a relationship
                ip = "%d.%d.%d.%d" % (10 + i % 200, (i >> 8) % 256, (i >> 16) % 256, i % 256)
                sco = {"type": "ipv4-addr", "spec_version": "2.1", "value": ip}
                sco["id"] = "ipv4-addr--" + str(uuid.uuid5(NS, json.dumps({"value": ip}, separators=(",", ":"))))
                ind = "indicator--" + uid()
                emit({"type": "indicator", "spec_version": "2.1", "id": ind, "created": ts(i), "modified": ts(i),
                      "name": "C2 address %s" % ip, "description": "Command and control server observed in campaign %d" % (i % 97),
                      "indicator_types": ["malicious-activity"], "pattern": "[ipv4-addr:value = '%s']" % ip,
                      "pattern_type": "stix", "valid_from": ts(i), "created_by_ref": identity,
                      "object_marking_refs": [TLP[i % 4]], "labels": ["c2"], "confidence": 70})
                emit(sco)
                emit({"type": "relationship", "spec_version": "2.1", "id": "relationship--" + uid(), "created": ts(i),
                      "modified": ts(i), "relationship_type": "indicates", "source_ref": ind,
                      "target_ref": malware[i % len(malware)], "created_by_ref": identity})
                count += 3
            elif kind < 7:  # file hash indicator
                h = "%064x" % rng.getrandbits(256)
                emit({"type": "indicator", "spec_version": "2.1", "id": "indicator--" + uid(), "created": ts(i), "modified": ts(i),
                      "name": "Dropper sample", "pattern": "[file:hashes.'SHA-256' = '%s']" % h, "pattern_type": "stix",
                      "valid_from": ts(i), "created_by_ref": identity, "object_marking_refs": [TLP[1]],
                      "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "execution"}],
                      "external_references": [{"source_name": "vendor-report", "url": "https://example.org/r/%d" % i}]})
                count += 1
            elif kind < 9:  # relationship group -> malware
                emit({"type": "relationship", "spec_version": "2.1", "id": "relationship--" + uid(), "created": ts(i),
                      "modified": ts(i), "relationship_type": "uses", "source_ref": groups[i % len(groups)],
                      "target_ref": malware[i % len(malware)], "created_by_ref": identity,
                      "object_marking_refs": [TLP[2]]})
                count += 1
            else:  # domain SCO + sighting
                d = "host%d.example-%d.net" % (i, i % 31)
                sco = {"type": "domain-name", "spec_version": "2.1", "value": d}
                sco["id"] = "domain-name--" + str(uuid.uuid5(NS, json.dumps({"value": d}, separators=(",", ":"))))
                emit(sco)
                emit({"type": "sighting", "spec_version": "2.1", "id": "sighting--" + uid(), "created": ts(i), "modified": ts(i),
                      "sighting_of_ref": malware[i % len(malware)], "count": 1 + i % 5, "where_sighted_refs": [identity],
                      "first_seen": ts(i), "last_seen": ts(i)})
                count += 2
        f.write("\n]}\n")


if __name__ == "__main__":
    main()
