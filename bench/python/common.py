"""Shared by the Python benchmarks: interleaved measurement, medians, result files."""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
from typing import Any, Awaitable, Callable, Dict, List

RESULTS = os.environ.get("BENCH_RESULTS", os.path.join(os.path.dirname(__file__), "..", "results"))
QUICK = os.environ.get("BENCH_QUICK") == "1"
# Rounds per scenario and minimum time per sample: every round runs every contender once, in
# alternating order, so drift on this shared machine hits all contenders alike.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3" if QUICK else "7"))
MIN_TIME = float(os.environ.get("BENCH_MIN_TIME", "0.08" if QUICK else "0.25"))


def _order(names: List[str], r: int) -> List[str]:
    # Rotate and reverse, so no contender always runs first or right after the same one.
    k = r % len(names)
    rot = names[k:] + names[:k]
    return rot if r % 2 == 0 else rot[::-1]


def interleave(contenders: Dict[str, Callable[[], int]], rounds: int = ROUNDS, min_time: float = MIN_TIME) -> Dict[str, Dict[str, Any]]:
    """Each contender returns the number of operations it ran; result: ops/s medians."""
    for fn in contenders.values():  # warm-up: connections, tokens, caches
        fn()
    samples: Dict[str, List[float]] = {n: [] for n in contenders}
    names = list(contenders)
    for r in range(rounds):
        for n in _order(names, r):
            fn = contenders[n]
            ops = 0
            t0 = time.perf_counter()
            while True:
                ops += fn()
                el = time.perf_counter() - t0
                if el >= min_time:
                    break
            samples[n].append(ops / el)
    return {n: {"median": statistics.median(s), "samples": s} for n, s in samples.items()}


async def interleave_async(contenders: Dict[str, Callable[[], Awaitable[int]]], rounds: int = ROUNDS, min_time: float = MIN_TIME) -> Dict[str, Dict[str, Any]]:
    for fn in contenders.values():
        await fn()
    samples: Dict[str, List[float]] = {n: [] for n in contenders}
    names = list(contenders)
    for r in range(rounds):
        for n in _order(names, r):
            fn = contenders[n]
            ops = 0
            t0 = time.perf_counter()
            while True:
                ops += await fn()
                el = time.perf_counter() - t0
                if el >= min_time:
                    break
            samples[n].append(ops / el)
    return {n: {"median": statistics.median(s), "samples": s} for n, s in samples.items()}


class Results:
    """Rows of one benchmark file: {section, scenario, contender, median, unit, extra}."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: List[Dict[str, Any]] = []

    def add(self, section: str, scenario: str, measured: Dict[str, Dict[str, Any]], unit: str = "ops/s", extra: Dict[str, Dict[str, Any]] | None = None) -> None:
        for contender, m in measured.items():
            row = {"section": section, "scenario": scenario, "contender": contender, "median": m["median"], "unit": unit,
                   "samples": [round(x, 3) for x in m.get("samples", [])]}
            if extra and contender in extra:
                row.update(extra[contender])
            self.rows.append(row)
        self.print_scenario(section, scenario, measured, unit, extra)

    @staticmethod
    def print_scenario(section: str, scenario: str, measured: Dict[str, Dict[str, Any]], unit: str, extra: Dict[str, Dict[str, Any]] | None) -> None:
        base = next(iter(measured.values()))["median"]
        first = next(iter(measured))
        cells = []
        for n, m in measured.items():
            note = ""
            if extra and n in extra and "ok" in extra[n]:
                note = " ok" if extra[n]["ok"] else " WRONG"
            ratio = base / m["median"] if m["median"] else float("nan")
            cells.append(f"{n} {m['median']:.1f}{note}" + ("" if n == first else f" ({first} {ratio:.2f}x)"))
        print(f"  [{section}] {scenario}: " + " | ".join(cells), flush=True)

    def save(self) -> None:
        os.makedirs(RESULTS, exist_ok=True)
        with open(os.path.join(RESULTS, f"{self.name}.json"), "w") as f:
            json.dump(self.rows, f, indent=1)


def run(coro: Awaitable[Any]) -> Any:
    return asyncio.run(coro)  # type: ignore[arg-type]
