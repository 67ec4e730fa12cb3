"""Deterministic JSON Patch benchmark documents, shared by the Python, Node and Rust runs.

For each size (1 KB, 100 KB, 1 MB) writes ``<size>.json``: ``{"old", "new", "ops"}`` where
``new`` is ``old`` with ~3% of the leaf values changed, some keys added and removed and array
items appended and removed, and ``ops`` is the reference patch that made ``new`` from ``old``
(recorded while mutating). Usage: gen_docs.py OUT_DIR
"""

from __future__ import annotations

import copy
import json
import os
import random
import sys
from typing import Any, List

SIZES = {"1KB": 1_000, "100KB": 100_000, "1MB": 1_000_000}
WORDS = "bike cd-player sony fiets stoel tafel lamp kast boek vintage nieuw gebruikt rood blauw groot klein".split()


def ad(rng: random.Random, i: int) -> dict:
    return {
        "itemId": f"m{1000000 + i}",
        "title": " ".join(rng.choice(WORDS) for _ in range(3)),
        "description": " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))),
        "categoryId": rng.randint(1, 500),
        "active": rng.random() < 0.8,
        "priceModel": {"modelType": "fixed", "askingPrice": rng.randint(100, 99999), "minimalBid": None},
        "location": {"postcode": f"{rng.randint(1000, 9999)}AB", "cityName": rng.choice(WORDS).title()},
        "attributes": [{"key": rng.choice(WORDS), "value": rng.choice(WORDS)} for _ in range(rng.randint(1, 4))],
        "images": [f"https://img.example/{i}/{k}.jpg" for k in range(rng.randint(0, 3))],
        "package": {"sku": f"acme/p{i % 7}", "version": f"1.{i % 5}.{i % 11}",
                    "prices": [{"edition": "CE", "currency_code": "USD", "price": round(rng.uniform(1, 500), 2)}]},
        "stats": {"views": rng.randint(0, 5000), "favourites": rng.randint(0, 50)},
    }


def make_old(rng: random.Random, target: int) -> dict:
    doc = {"seller": {"userId": 42, "nickName": "acme", "verified": True}, "ads": []}
    i = 0
    while True:
        doc["ads"].append(ad(rng, i))
        i += 1
        if i % 4 == 0 and len(json.dumps(doc, separators=(",", ":"))) >= target:
            return doc
        if target < 2000 and len(json.dumps(doc, separators=(",", ":"))) >= target:
            return doc


def esc(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def leaves(v: Any, path: str, out: List[str]) -> None:
    if isinstance(v, dict):
        for k, x in v.items():
            leaves(x, f"{path}/{esc(k)}", out)
    elif isinstance(v, list):
        for k, x in enumerate(v):
            leaves(x, f"{path}/{k}", out)
    else:
        out.append(path)


def get(doc: Any, path: str) -> Any:
    for tok in path.split("/")[1:]:
        tok = tok.replace("~1", "/").replace("~0", "~")
        doc = doc[int(tok)] if isinstance(doc, list) else doc[tok]
    return doc


def parent(doc: Any, path: str) -> tuple:
    head, _, last = path.rpartition("/")
    return get(doc, head) if head else doc, last.replace("~1", "/").replace("~0", "~")


def changed(rng: random.Random, v: Any) -> Any:
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return v + rng.randint(1, 100)
    if isinstance(v, float):
        return round(v + rng.uniform(1, 10), 2)
    if isinstance(v, str):
        return v + " " + rng.choice(WORDS)
    return rng.randint(1, 9)  # None -> a number


def mutate(rng: random.Random, old: dict) -> tuple:
    new = copy.deepcopy(old)
    ops: List[dict] = []
    paths: List[str] = []
    leaves(old, "", paths)
    # ~3% of the leaf values change (at least one).
    for p in rng.sample(paths, max(1, len(paths) * 3 // 100)):
        value = changed(rng, get(new, p))
        obj, key = parent(new, p)
        obj[int(key) if isinstance(obj, list) else key] = value
        ops.append({"op": "replace", "path": p, "value": value})
    n_ads = len(new["ads"])
    # Keys added and removed on ~1% of the ads (at least one each).
    for i in rng.sample(range(n_ads), max(1, n_ads // 100)):
        new["ads"][i]["promoted"] = {"until": "2026-12-01", "level": rng.randint(1, 3)}
        ops.append({"op": "add", "path": f"/ads/{i}/promoted", "value": new["ads"][i]["promoted"]})
    for i in rng.sample(range(n_ads), max(1, n_ads // 100)):
        if "stats" in new["ads"][i]:
            del new["ads"][i]["stats"]
            ops.append({"op": "remove", "path": f"/ads/{i}/stats"})
    # Array items appended and removed: image lists, and whole ads at the end.
    for i in rng.sample(range(n_ads), max(1, n_ads // 50)):
        url = f"https://img.example/{i}/new.jpg"
        new["ads"][i]["images"].append(url)
        ops.append({"op": "add", "path": f"/ads/{i}/images/-", "value": url})
    for i in rng.sample(range(n_ads), max(1, n_ads // 50)):
        if new["ads"][i]["attributes"]:
            new["ads"][i]["attributes"].pop()
            ops.append({"op": "remove", "path": f"/ads/{i}/attributes/{len(new['ads'][i]['attributes'])}"})
    if n_ads > 2:
        new["ads"].pop()
        ops.append({"op": "remove", "path": f"/ads/{n_ads - 1}"})
    extra = ad(rng, 10**6)
    new["ads"].append(extra)
    ops.append({"op": "add", "path": "/ads/-", "value": extra})
    return new, ops


def main() -> None:
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, size in SIZES.items():
        rng = random.Random(f"sellkit-bench-{name}")
        old = make_old(rng, size)
        new, ops = mutate(rng, old)
        with open(os.path.join(out, f"{name}.json"), "w") as f:
            json.dump({"old": old, "new": new, "ops": ops}, f, separators=(",", ":"))
        print(f"  {name}: old {len(json.dumps(old, separators=(',', ':')))} bytes, {len(ops)} reference ops")


if __name__ == "__main__":
    main()
