"""The simulator's controls from Python: its route list, refused control calls (typed errors,
nothing queued) and seeding ads of the demo user and of another seller."""

from __future__ import annotations

from typing import Any, Dict

import pytest

import sellkit
from sellkit.testing import Simulator

from conftest import PROFILE_ROUTE, TOKEN_ROUTE

SEARCH = "GET /v1/search"
USER_ADS = "GET /v1/users/{userId}/advertisements"


def own_ad(title: str) -> Dict[str, Any]:
    return {"categoryId": 35, "title": title, "description": "A seeded advertisement of the demo user",
            "priceModel": {"modelType": "fixed", "askingPrice": 1250}, "location": {"postcode": "1097DN"}}


def test_routes_name_every_counted_route(sim: Simulator) -> None:
    routes = sim.routes()
    assert len(routes) == len(set(routes)) > 50
    assert {TOKEN_ROUTE, PROFILE_ROUTE, SEARCH, USER_ADS} <= set(routes)
    assert all(r.split(" ", 1)[0] in {"GET", "POST", "PUT", "PATCH", "DELETE"} and " /" in r for r in routes)
    with sim.eqp_client() as client, sim.marktplaats_client() as mp:
        client.users.get()
        list(mp.users.ads())
    assert set(sim.request_counts()) <= set(routes)


def test_a_fault_on_an_unknown_route_is_refused_and_nothing_is_queued(sim: Simulator) -> None:
    with pytest.raises(sellkit.InvalidInputError) as info:
        sim.fail_next("GET /rest/v1/user/{mage_id}", 1, 503)
    assert info.value.field == "route" and PROFILE_ROUTE in str(info.value), "the closest routes are named"
    with pytest.raises(sellkit.InvalidInputError) as fault:
        sim.inject_fault(PROFILE_ROUTE, "explode")  # type: ignore[arg-type]
    assert fault.value.field == "fault"
    with pytest.raises(sellkit.InvalidInputError) as route:
        sim.inject_fault("GET /nowhere", "drop-before")
    assert route.value.field == "route"
    sim.fail_next("*", 1, 503)  # any route is a route
    sim.clear_faults()
    with sim.eqp_client(max_retries=0) as client:
        assert client.users.get()["mage_id"] == sim.eqp_mage_id


def test_platforms_by_name_and_unknown_ones(sim: Simulator) -> None:
    assert sim.marktplaats_url("api.2dehands.be") == sim.marktplaats_url("2dehands") != sim.marktplaats_url()
    with pytest.raises(sellkit.InvalidInputError) as info:
        sim.marktplaats_url("ebay")
    assert info.value.field == "platform"
    with pytest.raises(sellkit.InvalidInputError) as seed:
        sim.mp_seed_ads("ebay", 1)
    assert seed.value.field == "platform"
    with pytest.raises(sellkit.InvalidInputError) as approve:
        sim.mp_approve("https://example.com/not-an-authorize-url")
    assert approve.value.field == "url"


def test_seeded_ads_of_the_demo_user_and_of_another_seller(sim: Simulator) -> None:
    with sim.marktplaats_client("2dehands") as mp:
        mine = sim.mp_seed_own_ads("2dehands", 3, "Own lamp")
        theirs = sim.mp_seed_ads("2dehands", 2, "Their lamp")
        assert len(mine) == 3 and len(theirs) == 2 and not set(mine) & set(theirs)
        one = sim.mp_seed_own_ad("2dehands", own_ad("Own chair"))
        listed = {a["itemId"]: a["title"] for a in mp.users.ads()}
        assert set(listed) == {*mine, one}, "only the demo user's ads are under users.ads"
        assert listed[one] == "Own chair" and sorted(listed[i] for i in mine) == ["Own lamp 1", "Own lamp 2", "Own lamp 3"]
        assert mp.ads.get(mine[0])["title"] == "Own lamp 1"
        mp.ads.delete(mine[0])
        assert sim.mp_ad("2dehands", mine[0]) is None
        found = {a["itemId"] for a in mp.search(query="lamp")}
        assert set(theirs) <= found
    with pytest.raises(sellkit.InvalidInputError) as info:
        sim.mp_seed_own_ad("2dehands", {**own_ad("ab"), "categoryId": None})
    fields = {d["field"] for d in info.value.details}
    assert {"title", "categoryId"} <= fields and info.value.field in fields
    assert sim.mp_ad("2dehands", "m9999") is None
