"""``with_options`` on every client alike (EQP and Marktplaats, sync and async): a derived client
with other call settings (the catalogue's ``CALL_OPTIONS``) that shares the connections and the
tokens of the one it came from. Real calls to the simulator."""

from __future__ import annotations

import asyncio
import inspect

import pytest

import sellkit
from sellkit import eqp, marktplaats
from sellkit.testing import Simulator

AD_ROUTE = "GET /v1/advertisements/{itemId}"
AD = {
    "categoryId": 35, "title": "Options lamp", "description": "An ad to read with other call settings.",
    "priceModel": {"modelType": "fixed", "askingPrice": 1000}, "location": {"postcode": "1097DN"},
}


@pytest.mark.parametrize("cls", [eqp.Client, eqp.AsyncClient, marktplaats.Client, marktplaats.AsyncClient])
def test_every_client_has_the_same_with_options(cls: type) -> None:
    params = inspect.signature(cls.with_options).parameters
    assert list(params) == ["self", "timeout", "max_retries"]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for name, p in params.items() if name != "self")


def test_marktplaats_with_options_overrides_retries_and_shares_the_token(sim: Simulator) -> None:
    client = sim.marktplaats_client("marktplaats")
    item = client.ads.create(AD)["itemId"]
    before = client.token_requests
    strict = client.with_options(max_retries=0, timeout=5)
    assert isinstance(strict, marktplaats.Client) and strict.platform == "marktplaats"
    sim.reset_counters()
    sim.fail_next(AD_ROUTE, 1, 503, "0")
    with pytest.raises(sellkit.ServerError):
        strict.ads.get(item)
    assert sim.request_count(AD_ROUTE) == 1
    sim.fail_next(AD_ROUTE, 1, 503, "0")
    assert client.ads.get(item)["itemId"] == item  # the original still retries
    assert sim.request_count(AD_ROUTE) == 3
    assert strict.ads.get(item)["title"] == "Options lamp"
    assert client.token_requests == before and strict.token_requests == before, "the token is shared"
    with pytest.raises(sellkit.InvalidInputError) as refused:
        client.with_options(max_retries=11)
    assert refused.value.field == "max_retries"


def test_marktplaats_async_with_options(sim: Simulator) -> None:
    async def run() -> None:
        client = await sim.marktplaats_async_client("2ememain")
        async with client:
            item = (await client.ads.create(AD))["itemId"]
            strict = client.with_options(max_retries=0)
            assert isinstance(strict, marktplaats.AsyncClient)
            sim.fail_next(AD_ROUTE, 1, 503, "0")
            with pytest.raises(sellkit.ServerError):
                await strict.ads.get(item)
            sim.set_latency(0.5)
            with pytest.raises(sellkit.APITimeoutError):
                await client.with_options(timeout=0.1, max_retries=0).ads.get(item)
            sim.set_latency(0)
            assert (await strict.ads.get(item))["itemId"] == item

    asyncio.run(run())
