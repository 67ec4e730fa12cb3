"""Peak RSS growth while uploading a 1 GiB sparse file through sellkit (Python and Node, each in
a child process, to a simulator in this process), and `import sellkit` / `require('sellkit')`
CPU time over the bare interpreter (medians of alternating runs). Usage: mem_start.py"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Tuple

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


def _run_once(cmd: List[str]) -> Tuple[float, float]:
    """Wall and CPU (user + system, from the child's rusage) seconds of one run of `cmd`."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} exited with {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def startup() -> None:
    """CPU time (the target: wall time on a shared machine measures the load), medians of runs
    that alternate bare / with sellkit; wall time beside it."""
    runs = 10 if QUICK else 30
    py, node = sys.executable, shutil.which("node") or "node"
    cases = {
        "python": ([py, "-c", "pass"], [py, "-c", "import sellkit"]),
        "node": ([node, "-e", "0"], [node, "-e", f"require({json.dumps(ROOT)})"]),
    }
    for name, (bare, with_sk) in cases.items():
        for _ in range(3):  # warm-up: page cache
            _run_once(bare), _run_once(with_sk)
        samples: Dict[str, List[Tuple[float, float]]] = {"bare": [], "with": []}
        for i in range(runs):
            order = [("bare", bare), ("with", with_sk)] if i % 2 == 0 else [("with", with_sk), ("bare", bare)]
            for key, cmd in order:
                samples[key].append(_run_once(cmd))
        med = {k: (statistics.median(w for w, _ in v) * 1000, statistics.median(c for _, c in v) * 1000) for k, v in samples.items()}
        (bw, bc), (sw, sc) = med["bare"], med["with"]
        res.rows.append({"section": "startup", "scenario": "import" if name == "python" else "require", "contender": f"sellkit-{name}",
                         "median": sc - bc, "unit": "ms", "cpu_ms": sc - bc, "bare_cpu_ms": bc, "with_cpu_ms": sc,
                         "wall_ms": sw - bw, "bare_ms": bw, "with_ms": sw})
        print(f"  [startup] {name}: CPU bare {bc:.1f} ms, with sellkit {sc:.1f} ms, over bare {sc - bc:.1f} ms; "
              f"wall over bare {sw - bw:.1f} ms (medians of {runs})", flush=True)


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
