"""Read bench/results/*.json (one run of scripts/bench) and print markdown: the detailed
tables (medians per contender, sellkit's ratio to each) and the targets of the performance issue with
MET / NOT MET. Usage: report.py RESULTS_DIR"""

from __future__ import annotations

import glob
import json
import os
import statistics
import sys
from collections import defaultdict
from typing import Any, Dict, List, Optional, Tuple

SELLKIT = {"sellkit", "sellkit-async"}


def load(d: str) -> List[Dict[str, Any]]:
    rows: List[Dict[str, Any]] = []
    prefix = {"python_patch": "py-", "node_patch": "node-", "rust_patch": "rust-"}
    for f in sorted(glob.glob(os.path.join(d, "*.json"))):
        name = os.path.splitext(os.path.basename(f))[0]
        for r in json.load(open(f)):
            # The patch benchmarks share section names; qualify them by language.
            if name in prefix and not r["section"].startswith(prefix[name]):
                r["section"] = prefix[name] + r["section"]
            rows.append(r)
    return rows


def tables(rows: List[Dict[str, Any]]) -> List[str]:
    out: List[str] = []
    by: Dict[str, Dict[str, Dict[str, Dict[str, Any]]]] = defaultdict(lambda: defaultdict(dict))
    for r in rows:
        if r["section"] in ("upload-rss", "startup") or r["section"].startswith("ceiling"):
            continue
        by[r["section"]][r["scenario"]][r["contender"]] = r
    for section, scen in by.items():
        names: List[str] = []
        for s in scen.values():
            for n in s:
                if n not in names:
                    names.append(n)
        sk = names[0]
        others = names[1:]
        out.append(f"\n**{section}** (median ops/s over rounds; ratio = {sk} ÷ contender)\n")
        out.append("| scenario | " + " | ".join(names) + " | " + " | ".join(f"{sk} ÷ {o}" for o in others) + " |")
        out.append("|---" * (1 + len(names) + len(others)) + "|")
        for scenario, s in scen.items():
            cells = []
            for n in names:
                r = s.get(n)
                if r is None:
                    cells.append("–")
                    continue
                ok = "" if "ok" not in r else (" ✓" if r["ok"] else " ✗ WRONG")
                cells.append(f"{r['median']:.1f}{ok}")
            ratios = [f"{s[sk]['median'] / s[o]['median']:.2f}×" if sk in s and o in s else "–" for o in others]
            out.append(f"| {scenario} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    return out


def ratios(rows: List[Dict[str, Any]], sections: List[str], sk: str, other: str, scenarios: Optional[set] = None) -> List[Tuple[str, float]]:
    by: Dict[Tuple[str, str], Dict[str, float]] = defaultdict(dict)
    for r in rows:
        if r["section"] in sections and (scenarios is None or r["scenario"] in scenarios):
            by[(r["section"], r["scenario"])][r["contender"]] = r["median"]
    return [(f"{k[1]}{_mode(k[0])}", v[sk] / v[other]) for k, v in by.items() if sk in v and other in v and v[other]]


def _mode(section: str) -> str:
    return " seq" if section.endswith("-seq") else " ×64" if section.endswith("-64") else ""


def cross(rows: List[Dict[str, Any]], sk_section: str, sk: str, rq_section: str) -> List[Tuple[str, float]]:
    """sellkit in a binding vs plain reqwest in the Rust process, per operation (same run)."""
    a = {r["scenario"]: r["median"] for r in rows if r["section"] == sk_section and r["contender"] == sk}
    b = {r["scenario"]: r["median"] for r in rows if r["section"] == rq_section and r["contender"] == "reqwest"}
    return [(k, a[k] / b[k]) for k in a if k in b and b[k]]


def target_rows(rows: List[Dict[str, Any]]) -> List[str]:
    """The targets of the performance issue. "Every scenario" targets are judged on the worst
    scenario (the minimum), and the median is shown beside it."""
    out = ["| measure | target | measured (worst; median; per scenario) | verdict |", "|---|---|---|---|"]

    def ratio_line(label: str, pairs: List[Tuple[str, float]], target: float) -> None:
        values = [v for _, v in pairs]
        if not values:
            out.append(f"| {label} | ≥ {target:g}× | not measured | – |")
            return
        worst, m = min(values), statistics.median(values)
        per = ", ".join(f"{k} {v:.2f}" for k, v in pairs)
        out.append(f"| {label} | ≥ {target:g}× | **{worst:.2f}×** (median {m:.2f}; {per}) | {'MET' if worst >= target else 'NOT MET'} |")

    ratio_line("Python sync (64 threads) vs plain reqwest (64), cross-process", cross(rows, "py-sync-64", "sellkit", "rust-64"), 0.8)
    ratio_line("Python async (64) vs plain reqwest (64), cross-process", cross(rows, "py-async-64", "sellkit-async", "rust-64"), 0.8)
    ratio_line("Node (64) vs plain reqwest (64), cross-process", cross(rows, "node-64", "sellkit", "rust-64"), 0.8)
    ratio_line("Rust core vs plain reqwest (same process, every scenario)", ratios(rows, ["rust-seq", "rust-64"], "sellkit", "reqwest"), 0.9)
    ratio_line("Python sync vs httpx (every scenario, seq + 64 threads)", ratios(rows, ["py-sync-seq", "py-sync-64"], "sellkit", "httpx"), 3)
    ratio_line("Python sync vs requests (every scenario, seq + 64 threads)", ratios(rows, ["py-sync-seq", "py-sync-64"], "sellkit", "requests"), 3)
    ratio_line("Python async at 64 vs aiohttp (every scenario)", ratios(rows, ["py-async-64"], "sellkit-async", "aiohttp"), 2)
    ratio_line("Node vs undici.request (every scenario, seq + 64)", ratios(rows, ["node-seq", "node-64"], "sellkit", "undici.request"), 1.2)
    ratio_line("JSON Patch diff vs jsonpatch (Python, every size incl. 1 MB)", ratios(rows, ["py-patch-diff"], "sellkit", "jsonpatch"), 20)
    ratio_line("JSON Patch diff vs fast-json-patch (Node, 1 KB)", ratios(rows, ["node-patch-diff"], "sellkit", "fast-json-patch", {"1KB"}), 1.0)
    ratio_line("JSON Patch apply vs fast-json-patch (Node, 1 KB)", ratios(rows, ["node-patch-apply"], "sellkit", "fast-json-patch", {"1KB"}), 1.0)
    info = [("(info) Python async at 64 vs httpx async", ["py-async-64"], "sellkit-async", "httpx-async"),
            ("(info) Node vs fetch (seq + 64)", ["node-seq", "node-64"], "sellkit", "fetch"),
            ("(info) JSON Patch diff vs fast-json-patch (Node, every size)", ["node-patch-diff"], "sellkit", "fast-json-patch"),
            ("(info) JSON Patch apply vs fast-json-patch (Node, every size)", ["node-patch-apply"], "sellkit", "fast-json-patch"),
            ("(info) JSON Patch apply vs jsonpatch (Python)", ["py-patch-apply"], "sellkit", "jsonpatch"),
            ("(info) JSON Patch diff vs json-patch crate (Rust)", ["rust-patch-diff"], "sellkit", "json-patch"),
            ("(info) JSON Patch apply vs json-patch crate (Rust)", ["rust-patch-apply"], "sellkit", "json-patch")]
    for label, sections, sk, other in info:
        pairs = ratios(rows, sections, sk, other)
        if pairs:
            values = [v for _, v in pairs]
            per = ", ".join(f"{k} {v:.2f}" for k, v in pairs)
            out.append(f"| {label} | – | {min(values):.2f}× (median {statistics.median(values):.2f}; {per}) | – |")
    for r in rows:
        if r["section"] == "startup":
            cpu = r.get("cpu_ms")
            wall = f"wall {r['wall_ms']:.1f} ms over bare" if r.get("wall_ms") is not None else ""
            if cpu is None:
                out.append(f"| `{r['scenario']}` over the bare interpreter, CPU ({r['contender']}) | ≤ 30 ms | not measured | – |")
                continue
            out.append(f"| `{r['scenario']}` over the bare interpreter, CPU ({r['contender']}) | ≤ 30 ms | **{cpu:.1f} ms** "
                       f"(CPU bare {r['bare_cpu_ms']:.1f}, with {r['with_cpu_ms']:.1f}; {wall}) | {'MET' if cpu <= 30 else 'NOT MET'} |")
    for r in rows:
        if r["section"] == "upload-rss":
            v = r["median"]
            out.append(f"| (info) upload 1 GiB, peak RSS growth ({r['contender']}) | ≤ 64 MiB | "
                       + ("failed" if v is None else f"**{v:.1f} MiB**") + f" | {'NOT MET' if v is None or v > 64 else 'MET'} |")
    out.append("")
    out += ceilings(rows)
    return out


def ceilings(rows: List[Dict[str, Any]]) -> List[str]:
    """The simulator's ceiling (wrk) of each language's run, beside that run's GET ×64."""
    out: List[str] = []
    runs = {"Python": ("py-sync-64", "sellkit"), "Python async": ("py-async-64", "sellkit-async"), "Node": ("node-64", "sellkit"),
            "Rust core": ("rust-64", "sellkit"), "plain reqwest": ("rust-64", "reqwest")}
    for r in rows:
        if not r["section"].startswith("ceiling"):
            continue
        suffix = r["section"][len("ceiling"):]
        w = r["median"]
        where = r.get("where", "in the benchmark's process")
        lang = r.get("language", "python")
        best = {n: max((x["median"] for x in rows if x["scenario"] == "get" and x["contender"] == c and x["section"] == s + suffix), default=0)
                for n, (s, c) in runs.items()}
        out.append(f"Simulator ceiling ({lang} run, simulator {where}; wrk, 64 connections, GET users): {w:.0f} req/s. "
                   "GET at 64 concurrent as a share of it: " + ", ".join(f"{n} {v / w:.2f}" for n, v in best.items() if v) + ".")
    return out


def main() -> None:
    rows = load(sys.argv[1])
    lines = ["### Targets", ""] + target_rows(rows) + ["", "### Detailed tables"] + tables(rows)
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(sys.argv[1], "summary.md"), "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main()
