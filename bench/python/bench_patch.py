"""JSON Patch in Python: sellkit.patch (Rust core, conversion included) vs jsonpatch.
Usage: bench_patch.py DOCS_DIR"""

from __future__ import annotations

import copy
import json
import os
import sys

import jsonpatch

from sellkit import patch as sk_patch
from common import Results, interleave

SIZES = ["1KB", "100KB", "1MB"]


def main() -> None:
    docs = sys.argv[1]
    res = Results("python_patch")
    for size in SIZES:
        with open(os.path.join(docs, f"{size}.json")) as f:
            d = json.load(f)
        old, new, ref = d["old"], d["new"], d["ops"]
        snapshot = copy.deepcopy(old)
        # Correctness beside the time: apply(old, own diff) == new, apply(old, reference) == new.
        sk_ops = sk_patch.diff(old, new)
        jp_ops = jsonpatch.make_patch(old, new)
        ok_diff = {
            "sellkit": sk_patch.apply(old, sk_ops) == new,
            "jsonpatch": jsonpatch.apply_patch(old, jp_ops) == new,
        }
        ok_apply = {
            "sellkit": sk_patch.apply(old, ref) == new,
            "jsonpatch": jsonpatch.apply_patch(old, ref) == new,
        }
        assert old == snapshot, "a contender changed its input"
        n_ops = {"sellkit": len(sk_ops), "jsonpatch": len(list(jp_ops))}
        diff = interleave({
            "sellkit": lambda: (sk_patch.diff(old, new), 1)[1],
            "jsonpatch": lambda: (jsonpatch.make_patch(old, new), 1)[1],
        })
        res.add("patch-diff", size, diff, extra={k: {"ok": ok_diff[k], "ops": n_ops[k]} for k in diff})
        apply = interleave({
            "sellkit": lambda: (sk_patch.apply(old, ref), 1)[1],
            "jsonpatch": lambda: (jsonpatch.apply_patch(old, ref), 1)[1],
        })
        res.add("patch-apply", size, apply, extra={k: {"ok": ok_apply[k]} for k in apply})
    res.save()


if __name__ == "__main__":
    main()
