"""Marktplaats ads checked against their category through Python (sync and asyncio) against the
simulator: refused locally with the attribute's field and nothing sent, the category cache and
its time to live, the validate switch (then the simulator refuses the same), api_version v2."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Dict, List, Tuple

import pytest

import sellkit
from sellkit.testing import Simulator

CREATE = "POST /v1/advertisements"
ATTRIBUTES = "GET /v1/categories/{l1}/{l2}/attributes"


def car(title: str, **changes: Any) -> Dict[str, Any]:
    ad: Dict[str, Any] = {
        "categoryId": 92, "title": title, "description": "Netjes onderhouden",
        "priceModel": {"modelType": "fixed", "askingPrice": 1_450_000}, "location": {"postcode": "1097DN"},
        "constructionYear": 2019, "mileage": 64000, "fuel": "Benzine",
    }
    for k, v in changes.items():
        if v is None:
            ad.pop(k, None)
        else:
            ad[k] = v
    return ad


def problems(e: sellkit.SellkitError) -> List[Tuple[str, str]]:
    return [(d["field"] or "", d["code"] or "") for d in e.details]


def test_refused_locally_with_the_field_and_nothing_sent(sim: Simulator) -> None:
    mp = sim.marktplaats_client()
    sim.reset_counters()
    bad = car("Alfa Romeo Giulia", fuel=None, transmission="automaat")
    with pytest.raises(sellkit.InvalidInputError) as info:
        mp.ads.create(bad)
    assert problems(info.value) == [("transmission", "input-invalid"), ("fuel", "missing-required-field")]
    assert info.value.field == "transmission"
    assert sim.request_count(CREATE) == 0
    # An attributes array: the problem is named by its index.
    array = car("Alfa Romeo Giulia", fuel=None, attributes=[{"key": "fuel", "value": "Benzine"}, {"key": "transmission", "value": "Tiptronic"}])
    with pytest.raises(sellkit.InvalidInputError) as info:
        mp.ads.validate(array)
    assert info.value.field == "attributes[1].value"
    assert sim.request_count(CREATE) == 0
    mp.ads.validate(car("Alfa Romeo Giulia"))
    assert sim.request_count(ATTRIBUTES) == 1, "read once, then kept"

    # Switched off: the simulator judges, as the server would, and refuses the same.
    with pytest.raises(sellkit.ValidationError) as server:
        mp.ads.create(bad, validate=False)
    assert server.value.status == 400 and "fuel" in [d["field"] for d in server.value.details]
    assert sim.request_count(CREATE) == 1
    unchecked = sim.marktplaats_client(validate=False)
    assert unchecked.validate is False
    with pytest.raises(sellkit.ValidationError):
        unchecked.ads.create(bad)
    assert mp.ads.create(car("Alfa Romeo Giulia"))["itemId"].startswith("m")


def test_category_cache_ttl(sim: Simulator) -> None:
    mp = sim.marktplaats_client(category_cache_ttl=0.2)
    sim.reset_counters()
    mp.ads.validate(car("Auto"))
    mp.ads.validate(car("Auto"))
    assert sim.request_count(ATTRIBUTES) == 1
    time.sleep(0.3)
    mp.ads.validate(car("Auto"))
    assert sim.request_count(ATTRIBUTES) == 2
    attrs = mp.categories.attributes(91, 92)
    assert any(a.get("key") == "constructionYear" and a.get("mandatory") for a in attrs)
    assert sim.request_count(ATTRIBUTES) == 2


def test_update_from_leaves_server_members_out(sim: Simulator) -> None:
    mp = sim.marktplaats_client()
    ad = mp.ads.create(car("Alfa Romeo Giulia"))
    sim.reset_counters()
    result = mp.ads.update_from(ad["itemId"], ad, {**ad, "itemId": "x"})
    assert result["itemId"] == ad["itemId"]
    assert sim.request_count("PATCH /v1/advertisements/{itemId}") == 0
    with pytest.raises(sellkit.InvalidInputError) as info:
        mp.ads.update_from(ad["itemId"], ad, {**ad, "constructionYear": 2020})
    assert info.value.field == "constructionYear"
    assert sim.request_count("PATCH /v1/advertisements/{itemId}") == 0


def test_async_validation_and_v2(sim: Simulator) -> None:
    async def main() -> None:
        mp = await sim.marktplaats_async_client(api_version="v2")
        assert mp.api_version == "v2"
        sim.reset_counters()
        with pytest.raises(sellkit.InvalidInputError) as info:
            await mp.ads.create(car("Alfa Romeo Giulia", constructionYear=1850))
        assert info.value.field == "constructionYear"
        assert sim.request_count("POST /v2/advertisements") == 0
        placed = await mp.ads.create(car("Alfa Romeo Giulia"))
        got = await mp.ads.get(placed["itemId"])
        assert got["title"] == "Alfa Romeo Giulia"
        assert sim.request_count("GET /v2/categories/{l1}/{l2}/attributes") == 1
        assert sim.request_count("POST /v2/advertisements") == 1
        assert not [k for k in sim.request_counts() if k.split(" ")[1].startswith("/v1/")], sim.request_counts()

    asyncio.run(main())


def test_sync_v1_is_the_default_and_v2_is_checked(sim: Simulator) -> None:
    mp = sim.marktplaats_client()
    assert mp.api_version == "v1"
    sim.reset_counters()
    mp.ads.create(car("Alfa Romeo Giulia"))
    assert sim.request_count(CREATE) == 1 and sim.request_count("POST /v2/advertisements") == 0
    v2 = sim.marktplaats_client(api_version="v2")
    v2.ads.create(car("Alfa Romeo Giulia"))
    assert sim.request_count("POST /v2/advertisements") == 1
    unknown: Any = "v3"  # what an untyped caller could pass: refused at run time
    with pytest.raises(sellkit.InvalidInputError) as info:
        sim.marktplaats_client(login=False, api_version=unknown)
    assert info.value.field == "api_version"
