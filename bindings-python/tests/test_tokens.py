"""The session token: one refresh however many calls wait, and 401 → refresh once, replay once."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, List

import pytest

import sellkit
from sellkit.eqp import Client
from sellkit.testing import Simulator

from conftest import PROFILE_ROUTE, TOKEN_ROUTE


def test_fifty_async_calls_after_expiry_cause_one_token_request(sim: Simulator) -> None:
    async def main() -> List[Any]:
        async with sim.eqp_async_client() as client:
            await client.authenticate()
            sim.expire_all_tokens()
            return await asyncio.gather(*(client.users.get(style="summary") for _ in range(50)))

    results = asyncio.run(main())
    assert len(results) == 50 and all(r["mage_id"] == sim.eqp_mage_id for r in results)
    assert sim.request_count(TOKEN_ROUTE) == 2


def test_fifty_threads_after_expiry_cause_one_token_request(sim: Simulator, client: Client) -> None:
    client.authenticate()
    sim.expire_all_tokens()
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda _: client.users.get(style="summary"), range(50)))
    assert len(results) == 50 and all(r["mage_id"] == sim.eqp_mage_id for r in results)
    assert sim.request_count(TOKEN_ROUTE) == 2


def test_one_401_refreshes_and_replays_once(sim: Simulator, client: Client) -> None:
    client.authenticate()
    sim.fail_next(PROFILE_ROUTE, 1, 401)
    assert client.users.get()["mage_id"] == sim.eqp_mage_id
    assert sim.request_count(TOKEN_ROUTE) == 2
    assert sim.request_count(PROFILE_ROUTE) == 2


def test_two_401s_raise_authentication_error(sim: Simulator, client: Client) -> None:
    client.authenticate()
    sim.fail_next(PROFILE_ROUTE, 2, 401)
    with pytest.raises(sellkit.AuthenticationError) as info:
        client.users.get()
    assert info.value.status == 401 and info.value.kind == "authentication"
    assert sim.request_count(TOKEN_ROUTE) == 2
    assert sim.request_count(PROFILE_ROUTE) == 2


def test_a_refused_secret_is_an_authentication_error(sim: Simulator) -> None:
    client = Client(app_id=sim.eqp_app_id, app_secret="not-the-secret", base_url=sim.eqp_url)
    with pytest.raises(sellkit.AuthenticationError) as info:
        client.authenticate()
    assert info.value.status == 401
    assert "not-the-secret" not in str(info.value) and "not-the-secret" not in repr(info.value)


def test_requested_token_lifetime_is_respected(sim: Simulator) -> None:
    # A 1 s session is refreshed ahead of its expiry (at half its life) instead of failing with a 401.
    client = sim.eqp_client(token_lifetime=1)
    client.authenticate()
    time.sleep(0.6)
    client.users.get()
    assert sim.request_count(TOKEN_ROUTE) == 2
    assert sim.request_count(PROFILE_ROUTE) == 1
