"""How calls run: the GIL is released while waiting, Ctrl-C interrupts a blocking call, a
forked child gets a working runtime and connections of its own, threads share one client, and a
Rust panic arrives as an exception."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

import sellkit
from sellkit import _native
from sellkit.eqp import Client
from sellkit.testing import Simulator

from conftest import PROFILE_ROUTE, TOKEN_ROUTE


def test_a_blocking_call_releases_the_gil(sim: Simulator, client: Client) -> None:
    client.authenticate()
    counter = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal counter
        while not stop.is_set():
            counter += 1

    sim.set_latency(0.3)
    worker = threading.Thread(target=count)
    worker.start()
    try:
        time.sleep(0.05)
        before = counter
        client.users.get()
        advanced = counter - before
    finally:
        stop.set()
        worker.join()
    # Holding the GIL for the 0.3 s wait would leave the counter almost still.
    assert advanced > 10_000, advanced


INTERRUPTED = textwrap.dedent(
    """
    import sys, time
    from sellkit.testing import Simulator

    with Simulator() as sim:
        client = sim.eqp_client()
        client.authenticate()
        sim.set_latency(5.0)
        print("calling", flush=True)
        started = time.monotonic()
        try:
            client.users.get()
        except KeyboardInterrupt:
            print(f"interrupted after {time.monotonic() - started:.2f}s", flush=True)
            sim.set_latency(0)
            # The client still works after an interrupted call.
            print("then", client.users.get(style="summary")["mage_id"], flush=True)
            sys.exit(0)
        sys.exit("the call was not interrupted")
    """
)


def test_ctrl_c_interrupts_a_blocking_call() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "calling"
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    seconds = float(out.split("interrupted after ")[1].split("s")[0])
    assert seconds < 1.0, out
    assert "then MAG123456789" in out


def test_a_forked_child_can_use_a_client_made_in_the_parent(sim: Simulator, client: Client) -> None:
    client.authenticate()
    client.users.get()  # the parent's runtime and connection pool are in use
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            signal.alarm(10)  # a hang in the child must not hang the test run
            profile = client.users.get()
            code = 0 if profile["mage_id"] == sim.eqp_mage_id else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
    # The child re-authenticated on a fresh connection of its own ...
    assert sim.request_count(TOKEN_ROUTE) == 2
    assert sim.request_count(PROFILE_ROUTE) == 2
    # ... and the parent goes on with its own.
    client.users.get()
    assert sim.request_count(TOKEN_ROUTE) == 2
    assert sim.request_count(PROFILE_ROUTE) == 3


def test_threads_share_one_client(sim: Simulator, client: Client) -> None:
    client.authenticate()
    sim.reset_counters()

    def work(n: int) -> str:
        if n == 100:
            sim.expire_all_tokens()  # mid-run: one refresh serves every thread
        return str(client.users.get()["mage_id"])

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(work, range(400)))
    assert results == [sim.eqp_mage_id] * 400
    assert sim.request_count(TOKEN_ROUTE) == 1
    # Every 401 after the expiry was replayed once: 400 answers plus those replays.
    assert 400 <= sim.request_count(PROFILE_ROUTE) <= 400 + 16


def test_a_panic_in_a_call_is_an_internal_error_and_the_process_goes_on(client: Client) -> None:
    with pytest.raises(sellkit.InternalError) as info:
        _native._panic_in_call("boom in a call")
    assert "boom in a call" in str(info.value) and info.value.kind == "internal"

    async def awaited() -> None:
        await _native._panic_in_call("boom awaited", asynchronous=True)

    with pytest.raises(sellkit.InternalError, match="boom awaited"):
        asyncio.run(awaited())
    # A panic that escapes core's own guard ends its task; the caller still gets an exception.
    with pytest.raises(sellkit.InternalError):
        _native._panic_in_task("boom in the task")
    assert _native._panic_in_call("") is None
    assert client.users.get()["mage_id"] == "MAG123456789", "the runtime survived"
