"""The blocking client against the simulator: every operation, mage_id, raw requests."""

from __future__ import annotations

import pytest

import sellkit
from sellkit.eqp import Client
from sellkit.testing import Simulator

from conftest import PROFILE_ROUTE, TOKEN_ROUTE, UPDATE_ROUTE


def test_authenticate_returns_and_remembers_the_mage_id(sim: Simulator, client: Client) -> None:
    assert client.mage_id is None
    assert client.authenticate() == sim.eqp_mage_id
    assert client.mage_id == sim.eqp_mage_id
    assert sim.request_count(TOKEN_ROUTE) == 1


def test_users_get_full(sim: Simulator, client: Client) -> None:
    profile = client.users.get()
    assert profile["mage_id"] == sim.eqp_mage_id
    assert profile["screen_name"] == "Agent Smith"
    assert profile["personal_profile"]["addresses"][0]["is_primary"] is True
    assert profile["partner_level"] == 4
    assert "company_profile" in profile
    assert client.users.get(style="full") == profile
    # The first call authenticated on the way and learnt the account.
    assert client.mage_id == sim.eqp_mage_id


def test_users_get_summary(client: Client) -> None:
    summary = client.users.get(style="summary")
    assert set(summary) == {
        "mage_id", "adobe_user_id", "first_name", "last_name", "email", "screen_name",
        "has_completed_profile", "has_accepted_tos", "profile_image_artifact",
    }


def test_users_get_unknown_style_is_refused_before_sending(sim: Simulator, client: Client) -> None:
    with pytest.raises(sellkit.InvalidInputError) as info:
        client.users.get(style="short")  # type: ignore[arg-type]
    assert info.value.field == "style"
    assert sim.request_count(PROFILE_ROUTE) == 0


def test_users_update_draft_then_submit(sim: Simulator, client: Client) -> None:
    updated = client.users.update({"personal_profile": {"bio": "New bio"}}, action="draft")
    assert updated["personal_profile"]["bio"] == "New bio"
    # Partial update: the rest of the nested object is kept.
    assert updated["personal_profile"]["social_media_info"]["twitter"] == "@johnsmith"
    updated = client.users.update({"screen_name": "Agent J"}, action="submit")
    assert updated["screen_name"] == "Agent J"
    assert client.users.get()["screen_name"] == "Agent J"
    assert sim.request_count(UPDATE_ROUTE) == 2


def test_users_update_checks_its_input_in_core(sim: Simulator, client: Client) -> None:
    with pytest.raises(sellkit.InvalidInputError) as info:
        client.users.update({"screen_name": "x"}, action="publish")
    assert info.value.field == "action"
    with pytest.raises(TypeError):
        client.users.update()  # type: ignore[call-arg]
    with pytest.raises(sellkit.InvalidInputError) as info:
        client.users.update(None)  # type: ignore[arg-type]
    assert info.value.field == "fields"
    assert sim.request_count(UPDATE_ROUTE) == 0


def test_raw_request(sim: Simulator, client: Client) -> None:
    body = client.request("GET", f"/rest/v1/users/{sim.eqp_mage_id}?style=summary")
    assert body["mage_id"] == sim.eqp_mage_id and "company_profile" not in body
    body = client.request("put", f"/rest/v1/users/{sim.eqp_mage_id}", json={"screen_name": "Raw"})
    assert body["screen_name"] == "Raw"


def test_raw_request_errors_are_typed(sim: Simulator, client: Client) -> None:
    with pytest.raises(sellkit.NotFoundError) as info:
        client.request("GET", "/rest/v1/nothing/here")
    err = info.value
    assert err.status == 404 and err.api_code == 404 and err.code == "not-found" and err.kind == "not_found"
    assert err.body is not None and "no route" in err.body
    with pytest.raises(sellkit.InvalidInputError) as bad_method:
        client.request("FETCH", "/rest/v1/anything")
    assert bad_method.value.field == "method"


def test_one_token_serves_many_calls(sim: Simulator, client: Client) -> None:
    for _ in range(10):
        client.users.get(style="summary")
    assert sim.request_count(TOKEN_ROUTE) == 1
    assert sim.request_count(PROFILE_ROUTE) == 10


def test_with_options_shares_the_token_and_overrides_retries(sim: Simulator, client: Client) -> None:
    client.authenticate()
    strict = client.with_options(max_retries=0, timeout=5)
    assert isinstance(strict, Client) and strict.mage_id == sim.eqp_mage_id
    sim.fail_next(PROFILE_ROUTE, 1, 503, "0")
    with pytest.raises(sellkit.ServerError):
        strict.users.get()
    assert sim.request_count(PROFILE_ROUTE) == 1
    sim.fail_next(PROFILE_ROUTE, 1, 503, "0")
    client.users.get()  # the original still retries
    assert sim.request_count(PROFILE_ROUTE) == 3
    assert sim.request_count(TOKEN_ROUTE) == 1
    with pytest.raises(sellkit.InvalidInputError) as info:
        client.with_options(timeout=0)
    assert info.value.field == "timeout"


def test_a_closed_client_refuses_calls(sim: Simulator) -> None:
    with sim.eqp_client() as client:
        client.authenticate()
        derived = client.with_options(max_retries=1)
    assert client.closed
    with pytest.raises(sellkit.InvalidInputError) as info:
        client.users.get()
    assert info.value.code == "client-closed"
    assert "closed" in repr(client)
    # A client made with with_options keeps its own handle.
    assert derived.users.get()["mage_id"] == sim.eqp_mage_id


def test_properties(sim: Simulator) -> None:
    client = Client(app_id=sim.eqp_app_id, app_secret=sim.eqp_app_secret, base_url=sim.eqp_url, environment="sandbox")
    assert client.base_url == sim.eqp_url + "/"
    assert client.environment == "sandbox"
    default = Client(app_id="id", app_secret="secret")
    assert default.base_url == "https://commercedeveloper-api.adobe.com/"
    assert default.environment == "production"
    assert Client(app_id="id", app_secret="secret", environment="legacy-sandbox").base_url == "https://developer-stg-api.magento.com/"
