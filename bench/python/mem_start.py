"""Peak RSS growth while uploading a 1 GiB sparse file through sellkit (Python and Node, each in
a child process, to a simulator in this process), and `import sellkit` / `require('sellkit')`
time over the bare interpreter (hyperfine, medians). Usage: mem_start.py"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile

from sellkit.testing import Simulator
from common import QUICK, Results

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
GIB = 1 << 30
res = Results("mem_start")


def upload_rss(sim: Simulator, path: str) -> None:
    args = [sim.eqp_url, sim.eqp_app_id, sim.eqp_app_secret, path]
    for name, cmd in [("python", [sys.executable, os.path.join(HERE, "upload_child.py")]),
                      ("node", ["node", os.path.join(ROOT, "bench", "node", "upload_child.mjs")])]:
        out = subprocess.run(cmd + args, capture_output=True, text=True, timeout=600)
        if out.returncode != 0:
            print(f"  [upload-rss] {name}: FAILED\n{out.stderr[-2000:]}", flush=True)
            res.rows.append({"section": "upload-rss", "scenario": "1GiB", "contender": f"sellkit-{name}", "median": None, "unit": "MiB", "error": out.stderr[-500:]})
            continue
        d = json.loads(out.stdout.strip().splitlines()[-1])
        growth = (d["after_kib"] - d["before_kib"]) / 1024
        size = d["result"].get("size") if isinstance(d["result"], dict) else None
        ok = size in (None, GIB)
        res.rows.append({"section": "upload-rss", "scenario": "1GiB", "contender": f"sellkit-{name}", "median": growth, "unit": "MiB",
                         "before_mib": d["before_kib"] / 1024, "after_mib": d["after_kib"] / 1024, "ok": ok, "result": d["result"]})
        print(f"  [upload-rss] 1GiB sellkit-{name}: peak RSS {d['before_kib'] / 1024:.1f} -> {d['after_kib'] / 1024:.1f} MiB, growth {growth:.1f} MiB", flush=True)


def startup() -> None:
    if not shutil.which("hyperfine"):
        print("  [startup] hyperfine not found (apt-get install hyperfine): skipped", flush=True)
        return
    runs = "10" if QUICK else "30"
    py, node = sys.executable, shutil.which("node") or "node"
    cases = {
        "python": ([py, "-c", "pass"], [py, "-c", "import sellkit"]),
        "node": ([node, "-e", "0"], [node, "-e", f"require({json.dumps(ROOT)})"]),
    }
    for name, (bare, with_sk) in cases.items():
        with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
            # -N: no shell in between; the two commands alternate within each hyperfine run.
            subprocess.run(["hyperfine", "-N", "--warmup", "3", "--runs", runs, "--export-json", tmp.name, "--style", "none",
                            " ".join(_q(a) for a in bare), " ".join(_q(a) for a in with_sk)], check=True, capture_output=True)
            data = json.load(open(tmp.name))["results"]
        b, s = data[0]["median"] * 1000, data[1]["median"] * 1000
        res.rows.append({"section": "startup", "scenario": "import" if name == "python" else "require", "contender": f"sellkit-{name}",
                         "median": s - b, "unit": "ms", "bare_ms": b, "with_ms": s})
        print(f"  [startup] {name}: bare {b:.1f} ms, with sellkit {s:.1f} ms, over bare {s - b:.1f} ms (medians)", flush=True)


def _q(a: str) -> str:
    import shlex
    return shlex.quote(a)


def main() -> None:
    startup()
    with Simulator() as sim, tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "big.bin")
        with open(path, "wb") as f:
            f.truncate(GIB)  # sparse: no disk, no page cache to speak of
        upload_rss(sim, path)
    res.save()


if __name__ == "__main__":
    main()
