"""One worker of the scale run (see scripts/scale): an EQP client and a Marktplaats client, both
configured from the environment (credentials, base URLs and SELLKIT_TOKEN_STORE), making calls
in several lanes until the deadline, then one JSON line of counts on stdout.

    python scale/worker.py sync|async SECONDS LANES PAUSE_MS
"""

from __future__ import annotations

import asyncio
import collections
import json
import sys
import threading
import time
from typing import Counter

import sellkit
from sellkit import eqp, marktplaats


def record(counts: Counter[str], lock: threading.Lock, code: str) -> None:
    with lock:
        counts[code] += 1


def run_sync(seconds: float, lanes: int, pause: float) -> Counter[str]:
    counts: Counter[str] = collections.Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    with eqp.Client() as e, marktplaats.Client() as m:

        def lane(n: int) -> None:
            i = n
            while time.monotonic() < deadline:
                try:
                    if i % 2:
                        e.users.get(style="summary")
                    else:
                        m.users.me()
                    record(counts, lock, "ok")
                except sellkit.SellkitError as err:
                    record(counts, lock, err.code)
                i += 1
                time.sleep(pause)

        threads = [threading.Thread(target=lane, args=(n,)) for n in range(lanes)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return counts


async def run_async(seconds: float, lanes: int, pause: float) -> Counter[str]:
    counts: Counter[str] = collections.Counter()
    deadline = time.monotonic() + seconds
    async with eqp.AsyncClient() as e, marktplaats.AsyncClient() as m:

        async def lane(n: int) -> None:
            i = n
            while time.monotonic() < deadline:
                try:
                    if i % 2:
                        await e.users.get(style="summary")
                    else:
                        await m.users.me()
                    counts["ok"] += 1
                except sellkit.SellkitError as err:
                    counts[err.code] += 1
                i += 1
                await asyncio.sleep(pause)

        await asyncio.gather(*(lane(n) for n in range(lanes)))
    return counts


def main() -> None:
    mode, seconds, lanes, pause_ms = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    pause = pause_ms / 1000
    counts = run_sync(seconds, lanes, pause) if mode == "sync" else asyncio.run(run_async(seconds, lanes, pause))
    calls = sum(counts.values())
    failed = {k: v for k, v in counts.items() if k != "ok"}
    print(json.dumps({"worker": f"python-{mode}", "calls": calls, "failed": sum(failed.values()), "failures": failed}))


if __name__ == "__main__":
    main()
