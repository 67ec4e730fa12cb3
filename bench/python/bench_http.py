"""HTTP calls in Python against one in-process simulator: sellkit (sync and async) vs what a
user would write by hand with requests, httpx and aiohttp. Sequential and at 64 concurrent
(threads for sync contenders, tasks for async ones). Also runs wrk on the GET endpoint for
the simulator's ceiling when BENCH_WRK is set.

BENCH_SIM=process runs the simulator binary (BENCH_SIMULATOR_BIN) in its own process instead
of in this one, so that the client's CPU is what is measured; its sections are named
"... (sim process)"."""

from __future__ import annotations

import asyncio
import atexit
import base64
import itertools
import os
import re
import subprocess
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, List

import aiohttp
import httpx
import requests

from sellkit import eqp
from sellkit import marktplaats as mp
from sellkit.testing import MP_REDIRECT, Simulator
from common import QUICK, Results, interleave, interleave_async

CONC = 64
PAGE = 100
N_LIST = 2000
# Operations per timed burst at 64 concurrent (a list op is 20 page requests).
BURST = {"get": 256, "post50": 64, "list2000": 64, "patch": 256}



class ProcessSimulator:
    """The `sellkit-simulator` binary in a process of its own, with the attributes of
    `sellkit.testing.Simulator` this benchmark uses (read from what the binary prints)."""

    def __init__(self, binary: str) -> None:
        self.proc = subprocess.Popen([binary], stdout=subprocess.PIPE, text=True)
        self.fields: Dict[str, str] = {}
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("("):  # the last line of the banner
                break
            parts = line.split()
            if len(parts) >= 2:
                self.fields[parts[0]] = parts[1]
        atexit.register(self.proc.terminate)
        self.eqp_url = self.fields["eqp_url"]
        self.eqp_app_id, self.eqp_app_secret = self.fields["eqp_app_id"], self.fields["eqp_app_secret"]
        self.eqp_mage_id = self.fields["eqp_mage_id"]
        self.mp_client_id, self.mp_client_secret = self.fields["mp_client_id"], self.fields["mp_client_secret"]

    def marktplaats_url(self, platform: str) -> str:
        return self.fields[f"{platform}_url"]

    def eqp_client(self) -> eqp.Client:
        return eqp.Client(app_id=self.eqp_app_id, app_secret=self.eqp_app_secret, base_url=self.eqp_url)

    def eqp_async_client(self) -> eqp.AsyncClient:
        return eqp.AsyncClient(app_id=self.eqp_app_id, app_secret=self.eqp_app_secret, base_url=self.eqp_url)

    def eqp_package_count(self) -> int:
        return sum(1 for _ in self.eqp_client().packages.list(page_size=100))


SIM_PROCESS = os.environ.get("BENCH_SIM") == "process"
sim: Any = ProcessSimulator(os.environ["BENCH_SIMULATOR_BIN"]) if SIM_PROCESS else Simulator()
# Sections of the own-process run carry a suffix, so that both runs fit in one report.
SUFFIX = " (sim process)" if SIM_PROCESS else ""
EQP = sim.eqp_url
MAGE = sim.eqp_mage_id
MPURL = sim.marktplaats_url("marktplaats")
USER_URL = f"{EQP}/rest/v1/users/{MAGE}"
PKG_URL = f"{EQP}/rest/v1/products/packages"
res = Results("python_http_sim_process" if SIM_PROCESS else "python_http")


def packages(tag: str, n: int = 50) -> List[Dict[str, Any]]:
    return [{"name": f"Bench {tag} {i}", "type": "extension", "platform": "M2", "version": f"1.0.{i}",
             "sku": f"bench/{tag}", "prices": [{"edition": "CE", "currency_code": "USD", "price": "15.50"}]}
            for i in range(n)]


BATCH = packages("post")


def eqp_token() -> str:
    """What a user does once: POST the app credentials for a session token."""
    basic = base64.b64encode(f"{sim.eqp_app_id}:{sim.eqp_app_secret}".encode()).decode()
    r = requests.post(f"{EQP}/rest/v1/app/session/token", json={"grant_type": "session"},
                      headers={"Authorization": f"Basic {basic}"})
    r.raise_for_status()
    return r.json()["ust"]


# --- set-up: seed 2,000 packages with sellkit, one ad, tokens

setup = sim.eqp_client()
for k in range(N_LIST // 50):
    assert setup.packages.create(packages(f"seed{k}")).all_ok
assert sim.eqp_package_count() == N_LIST
mp_sync = mp.Client(platform="marktplaats", base_url=MPURL, client_id=sim.mp_client_id, client_secret=sim.mp_client_secret)
url, _state = mp_sync.authorization_url(MP_REDIRECT)


def authorize(url: str) -> str:
    """Approve like a browser: the simulator redirects at once; the code is in the Location."""
    r = requests.get(url, allow_redirects=False)
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(r.headers["Location"]).query))["code"]


MP_TOKEN = mp_sync.exchange_code(authorize(url), MP_REDIRECT)["access_token"]
AD = mp_sync.ads.create({"categoryId": 35, "title": "Bench cd player", "description": "This is an awesome cd-player",
                         "condition": "Nieuw", "brand": "Sony", "properties": "Draagbaar", "delivery": "Ophalen",
                         "priceModel": {"modelType": "fixed", "askingPrice": 3241}, "location": {"postcode": "1097DN"}})["itemId"]
AD_URL = f"{MPURL}/v1/advertisements/{AD}"
EQP_HDR = {"Authorization": f"Bearer {eqp_token()}"}
MP_HDR = {"Authorization": f"Bearer {MP_TOKEN}", "Accept": "application/hal+json, application/json",
          "Content-Type": "application/json-patch+json"}
_n = itertools.count()


def ops() -> List[Dict[str, Any]]:
    return [{"op": "replace", "path": "/title", "value": f"Bench cd player {next(_n) % 1000}"}]


# --- sync contenders: one function per operation, returning what a user would use


def sellkit_sync() -> Dict[str, Callable[[], Any]]:
    c = sim.eqp_client()
    m = mp.Client(platform="marktplaats", base_url=MPURL, client_id=sim.mp_client_id,
                  client_secret=sim.mp_client_secret, access_token=MP_TOKEN)

    def lst() -> int:
        n = sum(1 for _ in c.packages.list(page_size=PAGE))
        assert n == N_LIST, n
        return n

    return {"get": c.users.get, "post50": lambda: c.packages.create(BATCH).raise_for_failures(),
            "list2000": lst, "patch": lambda: m.ads.patch(AD, ops())}


def raw_sync(session_factory: Callable[[], Any]) -> Dict[str, Callable[[], Any]]:
    """requests or httpx, the way a user writes it. `session_factory` gives this thread's
    session (requests.Session is not thread-safe; httpx.Client is shared)."""

    def get() -> Any:
        r = session_factory().get(USER_URL, headers=EQP_HDR)
        r.raise_for_status()
        return r.json()

    def post() -> Any:
        r = session_factory().post(PKG_URL, json=BATCH, headers=EQP_HDR)
        r.raise_for_status()
        return r.json()

    def lst() -> int:
        s, items, offset = session_factory(), [], 0
        while True:
            r = s.get(PKG_URL, params={"offset": offset, "limit": PAGE}, headers=EQP_HDR)
            r.raise_for_status()
            page = r.json()
            items.extend(page)
            if len(page) < PAGE:
                break
            offset += PAGE
        assert len(items) == N_LIST, len(items)
        return len(items)

    return {"get": get, "post50": post, "list2000": lst}


def requests_factory() -> Callable[[], requests.Session]:
    local = threading.local()

    def session() -> requests.Session:
        s = getattr(local, "s", None)
        if s is None:
            s = local.s = requests.Session()
            s.headers["Authorization"] = EQP_HDR["Authorization"]
        return s
    return session


# The ad PATCH goes to the Marktplaats API with its own token and headers.
def _with_mp_headers(fns: Dict[str, Callable[[], Any]], factory: Callable[[], Any]) -> Dict[str, Callable[[], Any]]:
    import json as _json

    def patch() -> Any:
        s = factory()
        body = _json.dumps(ops())
        r = s.patch(AD_URL, content=body, headers=MP_HDR) if isinstance(s, httpx.Client) else s.patch(AD_URL, data=body, headers=MP_HDR)
        r.raise_for_status()
        return r.json()
    fns["patch"] = patch
    return fns


def sync_suite() -> Dict[str, Dict[str, Callable[[], Any]]]:
    rf = requests_factory()
    hc = httpx.Client(limits=httpx.Limits(max_connections=CONC, max_keepalive_connections=CONC))
    return {
        "sellkit": sellkit_sync(),
        "requests": _with_mp_headers(raw_sync(rf), rf),
        "httpx": _with_mp_headers(raw_sync(lambda: hc), lambda: hc),
    }


def threaded(fn: Callable[[], Any], burst: int, pool: ThreadPoolExecutor) -> Callable[[], int]:
    """`burst` calls of `fn` by 64 threads, each pulling the next call from a shared counter."""
    def run() -> int:
        counter = itertools.count()

        def worker() -> None:
            while next(counter) < burst:
                fn()
        for f in [pool.submit(worker) for _ in range(CONC)]:
            f.result()
        return burst
    return run


# --- async contenders


async def async_suite() -> Dict[str, Dict[str, Callable[[], Any]]]:
    import json as _json
    c = sim.eqp_async_client()
    m = mp.AsyncClient(platform="marktplaats", base_url=MPURL, client_id=sim.mp_client_id,
                       client_secret=sim.mp_client_secret, access_token=MP_TOKEN)

    async def sk_list() -> int:
        n = 0
        async for _ in c.packages.list(page_size=PAGE):
            n += 1
        assert n == N_LIST, n
        return n

    async def sk_post() -> Any:
        return (await c.packages.create(BATCH)).raise_for_failures()

    sk = {"get": c.users.get, "post50": sk_post, "list2000": sk_list, "patch": lambda: m.ads.patch(AD, ops())}

    hx = httpx.AsyncClient(limits=httpx.Limits(max_connections=CONC, max_keepalive_connections=CONC), headers=EQP_HDR)

    async def hx_get() -> Any:
        r = await hx.get(USER_URL)
        r.raise_for_status()
        return r.json()

    async def hx_post() -> Any:
        r = await hx.post(PKG_URL, json=BATCH)
        r.raise_for_status()
        return r.json()

    async def hx_list() -> int:
        items: List[Any] = []
        offset = 0
        while True:
            r = await hx.get(PKG_URL, params={"offset": offset, "limit": PAGE})
            r.raise_for_status()
            page = r.json()
            items.extend(page)
            if len(page) < PAGE:
                break
            offset += PAGE
        assert len(items) == N_LIST
        return len(items)

    async def hx_patch() -> Any:
        r = await hx.patch(AD_URL, content=_json.dumps(ops()), headers=MP_HDR)
        r.raise_for_status()
        return r.json()

    ah = aiohttp.ClientSession(headers=EQP_HDR, connector=aiohttp.TCPConnector(limit=CONC))

    async def ah_get() -> Any:
        async with ah.get(USER_URL) as r:
            r.raise_for_status()
            return await r.json()

    async def ah_post() -> Any:
        async with ah.post(PKG_URL, json=BATCH) as r:
            r.raise_for_status()
            return await r.json()

    async def ah_list() -> int:
        items: List[Any] = []
        offset = 0
        while True:
            async with ah.get(PKG_URL, params={"offset": offset, "limit": PAGE}) as r:
                r.raise_for_status()
                page = await r.json()
            items.extend(page)
            if len(page) < PAGE:
                break
            offset += PAGE
        assert len(items) == N_LIST
        return len(items)

    async def ah_patch() -> Any:
        async with ah.patch(AD_URL, data=_json.dumps(ops()), headers=MP_HDR) as r:
            r.raise_for_status()
            return await r.json(content_type=None)

    return {"sellkit-async": sk,
            "aiohttp": {"get": ah_get, "post50": ah_post, "list2000": ah_list, "patch": ah_patch},
            "httpx-async": {"get": hx_get, "post50": hx_post, "list2000": hx_list, "patch": hx_patch}}


def gathered(fn: Callable[[], Any], burst: int) -> Callable[[], Any]:
    async def run() -> int:
        counter = itertools.count()

        async def worker() -> None:
            while next(counter) < burst:
                await fn()
        await asyncio.gather(*(worker() for _ in range(CONC)))
        return burst
    return run


def once(fn: Callable[[], Any]) -> Callable[[], int]:
    def run() -> int:
        fn()
        return 1
    return run


def once_async(fn: Callable[[], Any]) -> Callable[[], Any]:
    async def run() -> int:
        await fn()
        return 1
    return run


# The batch POST grows the store, which the list endpoint scans on every page: it goes last.
OPS = ["get", "list2000", "patch", "post50"]
# BENCH_ONLY=post50 (comma-separated) runs only those operations, for profiling.
if os.environ.get("BENCH_ONLY"):
    OPS = [op for op in OPS if op in os.environ["BENCH_ONLY"].split(",")]
# A page of 100 packages (45 KB) takes the simulator about 1.7 ms to serve, so a list of 20
# pages is at least 35 ms of server time, and 64 concurrent lists would measure the simulator
# more than the clients: the list runs sequentially only (see docs/performance.md).
CONC_OPS = {"get", "patch", "post50"}


async def async_main() -> None:
    sync = sync_suite()
    pool = ThreadPoolExecutor(CONC)
    asyn = await async_suite()
    # Sync and async contenders take turns per operation, so that the store's growth by the
    # batch POSTs (last) affects both alike. The sync ones block this loop while they run.
    for op in OPS:
        res.add("py-sync-seq" + SUFFIX, op, interleave({n: once(f[op]) for n, f in sync.items()}))
        if op in CONC_OPS:
            res.add("py-sync-64" + SUFFIX, op, interleave({n: threaded(f[op], BURST[op], pool) for n, f in sync.items()}))
        res.add("py-async-seq" + SUFFIX, op, await interleave_async({n: once_async(f[op]) for n, f in asyn.items()}))
        if op in CONC_OPS:
            res.add("py-async-64" + SUFFIX, op, await interleave_async({n: gathered(f[op], BURST[op]) for n, f in asyn.items()}))


def main() -> None:
    asyncio.run(async_main())
    if os.environ.get("BENCH_WRK"):
        wrk()
    res.save()


def wrk() -> None:
    """The simulator's ceiling on GET users: wrk with 64 connections on 2 threads."""
    dur = "3s" if QUICK else "8s"
    out = subprocess.run(["wrk", "-t2", f"-c{CONC}", f"-d{dur}", "-H", f"Authorization: {EQP_HDR['Authorization']}", USER_URL],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    where = "in its own process" if SIM_PROCESS else "in the benchmark's process"
    res.add("ceiling" + SUFFIX, "get", {"wrk (64 conn)": {"median": rps, "samples": [rps]}},
            extra={"wrk (64 conn)": {"where": where, "language": "python"}})


if __name__ == "__main__":
    main()
