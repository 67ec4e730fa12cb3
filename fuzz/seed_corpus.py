#!/usr/bin/env python3
"""Write the seed corpus of every fuzz target from the test fixtures (tests/fixtures).

usage: seed_corpus.py FIXTURES_DIR OUT_DIR

FIXTURES_DIR holds eqp/examples.json, marktplaats/examples.json and the JSON Patch test suite
(json-patch-tests/*.json). OUT_DIR/<target>/ receives one file per seed, named by its SHA-1 as
libFuzzer names corpus files, so running this again adds nothing twice. The hand-made seeds in
fuzz/seeds/<target>/ (regressions among them) are copied in as well.
"""

import base64
import hashlib
import hmac
import json
import shutil
import sys
from pathlib import Path

WEBHOOK_SECRET = "webhook-secret"
CALLBACK_USER, CALLBACK_PASSWORD = "eqp-callback", "s3cret:with:colons"


def dump(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def seeds(fixtures):
    eqp = json.loads((fixtures / "eqp/examples.json").read_text())
    mp = json.loads((fixtures / "marktplaats/examples.json").read_text())
    patch_tests = []
    for name in ("tests.json", "spec_tests.json"):
        patch_tests += json.loads((fixtures / "json-patch-tests" / name).read_text())

    out = {name: [] for name in (
        "json_pointer", "patch_apply", "patch_diff", "eqp_models", "marktplaats_models",
        "error_response", "marktplaats_webhook", "eqp_callback")}

    for test in patch_tests:
        if test.get("disabled"):
            continue
        for op in test.get("patch", []):
            for key in ("path", "from"):
                if isinstance(op, dict) and isinstance(op.get(key), str):
                    out["json_pointer"].append(op[key].encode())
        if "doc" in test and "patch" in test:
            out["patch_apply"].append(dump({"doc": test["doc"], "patch": test["patch"]}))
        if "doc" in test and "expected" in test:
            out["patch_diff"].append(dump({"doc": test["doc"], "expected": test["expected"]}))

    bodies = {"eqp": [e["body"] for e in eqp], "mp": [e["body"] for e in mp]}
    out["eqp_models"] = [dump(b) for b in bodies["eqp"]]
    out["marktplaats_models"] = [dump(b) for b in bodies["mp"]]
    # Documents of one API, each with the next: realistic pairs for diff and patch.
    for docs in bodies.values():
        out["patch_diff"] += [dump([a, b]) for a, b in zip(docs, docs[1:])]

    for e in eqp + mp:
        status = e.get("status")
        if isinstance(status, int) and status >= 400:
            out["error_response"].append(f"{status}\n\n\n".encode() + dump(e["body"]))
            out["error_response"].append(f"{status}\n120\nreq-1\n".encode() + dump(e["body"]))
    out["error_response"].append(b"503\nSun, 06 Nov 1994 08:49:37 GMT\n\n<html>unavailable</html>")
    out["error_response"].append(b"429\n1.5\n\n")

    for e in mp:
        if "webhook" in e["endpoint"].lower() or e["kind"] == "response":
            body = dump(e["body"])
            sig = hmac.new(WEBHOOK_SECRET.encode(), body, "sha256").hexdigest()
            out["marktplaats_webhook"].append(f"{WEBHOOK_SECRET}\n{sig}\n".encode() + body)
    credentials = base64.b64encode(f"{CALLBACK_USER}:{CALLBACK_PASSWORD}".encode()).decode()
    for e in eqp:
        if "callback" in e["endpoint"] or "callback_event" in json.dumps(e["body"]):
            head = f"{CALLBACK_USER}\n{CALLBACK_PASSWORD}\nBasic {credentials}\n"
            out["eqp_callback"].append(head.encode() + dump(e["body"]))
    return out


def main():
    fixtures, target_dir = Path(sys.argv[1]), Path(sys.argv[2])
    hand_made = Path(__file__).resolve().parent / "seeds"
    for target, items in seeds(fixtures).items():
        corpus = target_dir / target
        corpus.mkdir(parents=True, exist_ok=True)
        for data in items:
            (corpus / hashlib.sha1(data).hexdigest()).write_bytes(data)
        for f in sorted((hand_made / target).glob("*")) if (hand_made / target).is_dir() else []:
            shutil.copyfile(f, corpus / f.name)
        print(f"{target}: {len(list(corpus.iterdir()))} seeds")


if __name__ == "__main__":
    main()
