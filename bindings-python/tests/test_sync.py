"""``mp.ads.sync`` through Python (sync and asyncio) against the simulator: the plan and its
counts, a price change as one patch, removal with ``delete_missing``, an invalid item refused
locally with its field, a dry run that only reads, a create whose answer is lost, state in a file
and in Redis."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any, Dict

from redis_server import RedisServer
from sellkit import marktplaats
from sellkit.testing import Simulator

CREATE = "POST /v1/advertisements"
PATCH = "PATCH /v1/advertisements/{itemId}"
DELETE = "DELETE /v1/advertisements/{itemId}"


def product(title: str, cents: int) -> Dict[str, Any]:
    return {
        "categoryId": 35, "title": title, "description": "Plays every cd", "condition": "Nieuw",
        "priceModel": {"modelType": "fixed", "askingPrice": cents}, "location": {"postcode": "1097DN"},
    }


def catalogue(n: int) -> Dict[str, Dict[str, Any]]:
    return {f"sku-{i}": product(f"Cd player {i}", 1000 + i) for i in range(1, n + 1)}


def titles(client: marktplaats.Client) -> Counter[str]:
    return Counter(ad["title"] for ad in client.users.ads())


def test_plan_price_change_and_removal(sim: Simulator, tmp_path: Path) -> None:
    client = sim.marktplaats_client()
    state = (tmp_path / "sync.json").as_uri()
    cat = catalogue(3)
    first = client.ads.sync(cat, state=state)
    assert [(i["key"], i["action"]) for i in first["items"]] == [("sku-1", "created"), ("sku-2", "created"), ("sku-3", "created")]
    assert first["counts"] == {"created": 3, "updated": 0, "unchanged": 0, "deleted": 0, "invalid": 0, "failed": 0}
    assert all(i["itemId"].startswith("m") for i in first["items"])

    cat["sku-1"]["priceModel"]["askingPrice"] = 1999
    sim.reset_counters()
    priced = client.ads.sync(cat, state=state)
    assert (priced["counts"]["updated"], priced["counts"]["unchanged"]) == (1, 2)
    assert sim.request_count(PATCH) == 1 and sim.request_count(CREATE) == 0
    assert client.ads.get(priced["items"][0]["itemId"])["priceModel"]["askingPrice"] == 1999

    del cat["sku-3"]
    removed = client.ads.sync(cat, state=state, delete_missing=True)
    assert removed["items"][-1]["key"] == "sku-3" and removed["items"][-1]["action"] == "deleted"
    assert removed["counts"]["deleted"] == 1
    assert sim.request_count(DELETE) == 1
    assert titles(client) == Counter({"Cd player 1": 1, "Cd player 2": 1})


def test_invalid_item_is_refused_with_its_field_and_dry_run_only_reads(sim: Simulator) -> None:
    client = sim.marktplaats_client()
    cat = catalogue(2)
    cat["sku-2"]["condition"] = "Kapot"
    sim.reset_counters()
    plan = client.ads.sync(cat, dry_run=True)
    assert [i["action"] for i in plan["items"]] == ["created", "invalid"]
    assert all(route.startswith("GET ") for route, n in sim.request_counts().items() if n), sim.request_counts()
    result = client.ads.sync(cat)
    error = result["items"][1]["error"]
    assert (result["items"][1]["action"], error["field"], error["kind"]) == ("invalid", "condition", "invalid_input")
    assert result["counts"]["created"] == 1 and sim.request_count(CREATE) == 1
    # memory: is the client's own: the next run knows the first.
    assert client.ads.sync(cat)["counts"]["unchanged"] == 1


def test_a_create_whose_answer_is_lost_is_not_sent_twice(sim: Simulator) -> None:
    client = sim.marktplaats_client()
    cat = catalogue(3)
    sim.inject_fault(CREATE, "drop-after")
    result = client.ads.sync(cat, concurrency=1)
    assert result["counts"]["created"] == 3, result
    assert sim.request_count(CREATE) == 3
    assert titles(client) == Counter({f"Cd player {i}": 1 for i in range(1, 4)})


def test_async_sync(sim: Simulator, tmp_path: Path) -> None:
    state = (tmp_path / "state.json").as_uri()

    async def main() -> None:
        client = await sim.marktplaats_async_client()
        cat = catalogue(2)
        first = await client.ads.sync(cat, state=state)
        assert first["counts"]["created"] == 2
        cat["sku-2"]["title"] = "Cd player two"
        second = await client.ads.sync(cat, state=state, delete_missing=True)
        assert [(i["key"], i["action"]) for i in second["items"]] == [("sku-1", "unchanged"), ("sku-2", "updated")]
        assert second["items"][1]["itemId"] == first["items"][1]["itemId"]
        await client.close()

    asyncio.run(main())


def test_state_in_redis_is_shared_by_two_clients(sim: Simulator) -> None:
    with RedisServer() as redis:
        cat = catalogue(2)
        first = sim.marktplaats_client().ads.sync(cat, state=redis.url)
        assert first["counts"]["created"] == 2
        # Another client (another process, as far as the store knows) sees the same state.
        second = sim.marktplaats_client().ads.sync(cat, state=redis.url)
        assert second["counts"]["unchanged"] == 2
        assert sim.request_count(CREATE) == 2
