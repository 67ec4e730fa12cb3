"""The asyncio client: the same operations as real coroutines."""

from __future__ import annotations

import asyncio
import inspect

import pytest

import sellkit
from sellkit.eqp import AsyncClient
from sellkit.testing import Simulator

from conftest import PROFILE_ROUTE, TOKEN_ROUTE, UPDATE_ROUTE


def test_methods_are_coroutine_functions(sim: Simulator) -> None:
    client = sim.eqp_async_client()
    for method in (client.authenticate, client.request, client.users.get, client.users.update, client.close):
        assert inspect.iscoroutinefunction(method), method


def test_asyncio_run_of_a_method_works(sim: Simulator) -> None:
    client = sim.eqp_async_client()
    profile = asyncio.run(client.users.get())
    assert profile["mage_id"] == sim.eqp_mage_id


def test_every_operation(sim: Simulator) -> None:
    async def main() -> None:
        async with sim.eqp_async_client() as client:
            assert client.mage_id is None
            assert await client.authenticate() == sim.eqp_mage_id
            assert client.mage_id == sim.eqp_mage_id
            full = await client.users.get()
            assert full["vendor_name"] == "johnsmith"
            summary = await client.users.get(style="summary")
            assert "company_profile" not in summary and summary["email"] == full["email"]
            updated = await client.users.update({"personal_profile": {"bio": "async"}}, action="draft")
            assert updated["personal_profile"]["bio"] == "async"
            updated = await client.users.update({"screen_name": "Async Smith"}, action="submit")
            assert updated["screen_name"] == "Async Smith"
            raw = await client.request("GET", f"/rest/v1/users/{sim.eqp_mage_id}")
            assert raw["screen_name"] == "Async Smith"
        assert client.closed

    asyncio.run(main())
    assert sim.request_count(TOKEN_ROUTE) == 1
    assert sim.request_count(PROFILE_ROUTE) == 3
    assert sim.request_count(UPDATE_ROUTE) == 2


def test_errors_are_raised_from_the_coroutine(sim: Simulator) -> None:
    async def main() -> None:
        client = sim.eqp_async_client(max_retries=0)
        sim.fail_next(PROFILE_ROUTE, 1, 503)
        with pytest.raises(sellkit.ServerError) as info:
            await client.users.get()
        assert info.value.status == 503
        with pytest.raises(sellkit.InvalidInputError) as bad:
            await client.users.update({}, action="publish")
        assert bad.value.field == "action"
        with_options = client.with_options(max_retries=1)
        assert isinstance(with_options, AsyncClient)
        await client.close()
        with pytest.raises(sellkit.InvalidInputError):
            await client.authenticate()

    asyncio.run(main())


def test_cancelling_a_call_does_not_break_the_client(sim: Simulator) -> None:
    async def main() -> None:
        client = sim.eqp_async_client()
        await client.authenticate()
        sim.set_latency(0.5)
        task = asyncio.ensure_future(client.users.get())
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        sim.set_latency(0)
        assert (await client.users.get())["mage_id"] == sim.eqp_mage_id

    asyncio.run(main())
