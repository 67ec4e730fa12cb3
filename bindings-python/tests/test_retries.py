"""Retries as core decides them, seen through the Python client."""

from __future__ import annotations

import time

import pytest

import sellkit
from sellkit.eqp import Client
from sellkit.testing import Simulator

from conftest import PROFILE_ROUTE

PACKAGES_ROUTE = "POST /rest/v1/products/packages"


def test_503_with_short_retry_after_is_retried(sim: Simulator, client: Client) -> None:
    client.authenticate()
    sim.fail_next(PROFILE_ROUTE, 1, 503, "1")
    started = time.monotonic()
    assert client.users.get()["mage_id"] == sim.eqp_mage_id
    assert time.monotonic() - started >= 0.9  # Retry-After was honoured
    assert sim.request_count(PROFILE_ROUTE) == 2


def test_long_retry_after_fails_at_once_with_rate_limit_error(sim: Simulator, client: Client) -> None:
    client.authenticate()
    sim.fail_next(PROFILE_ROUTE, 1, 503, "120")
    started = time.monotonic()
    with pytest.raises(sellkit.RateLimitError) as info:
        client.users.get()
    assert time.monotonic() - started < 5
    err = info.value
    assert err.retry_after == 120
    assert err.code == "rate-limited" and err.kind == "rate_limited" and err.status == 503
    assert "retry after 120s" in str(err)
    assert sim.request_count(PROFILE_ROUTE) == 1


def test_429_is_a_rate_limit_error_after_retries(sim: Simulator) -> None:
    client = sim.eqp_client(max_retries=1)
    client.authenticate()
    sim.fail_next(PROFILE_ROUTE, 2, 429, "0")
    with pytest.raises(sellkit.RateLimitError) as info:
        client.users.get()
    assert info.value.status == 429 and info.value.retry_after == 0
    assert sim.request_count(PROFILE_ROUTE) == 2


def test_a_post_that_reached_the_server_is_not_retried(sim: Simulator, client: Client) -> None:
    client.authenticate()
    sim.fail_next(PACKAGES_ROUTE, 1, 503)
    with pytest.raises(sellkit.ServerError) as info:
        client.request("POST", "/rest/v1/products/packages", json=[{"sku": "acme/module", "version": "1.0.0"}])
    assert info.value.status == 503
    assert sim.request_count(PACKAGES_ROUTE) == 1


def test_connection_refused_is_a_connection_error(sim: Simulator) -> None:
    url = sim.eqp_url
    sim.close()
    client = Client(app_id=sim.eqp_app_id, app_secret=sim.eqp_app_secret, base_url=url, max_retries=0)
    with pytest.raises(sellkit.APIConnectionError) as info:
        client.authenticate()
    assert info.value.kind == "connection" and info.value.status is None


def test_a_slow_server_is_a_timeout_error(sim: Simulator) -> None:
    client = sim.eqp_client(timeout=0.2, max_retries=0)
    sim.set_latency(0.6)
    with pytest.raises(sellkit.APITimeoutError) as info:
        client.authenticate()
    assert info.value.kind == "timeout"


@pytest.mark.parametrize("fault", ["drop-before", "drop-after", "truncate"])
def test_a_post_whose_answer_is_lost_says_its_outcome_is_unknown(sim: Simulator, client: Client, fault: str) -> None:
    client.authenticate()
    sim.inject_fault(PACKAGES_ROUTE, fault)  # type: ignore[arg-type]
    with pytest.raises(sellkit.APIConnectionError) as info:
        client.request("POST", "/rest/v1/products/packages", json=[{"name": "lost answer", "item_id": f"lost-{fault}"}])
    assert info.value.outcome_unknown is True
    assert sim.request_count(PACKAGES_ROUTE) == 1, "never sent twice"
    stored = 1 if fault != "drop-before" else 0
    assert sim.eqp_package_count() == stored


def test_a_stalled_answer_is_a_timeout_of_unknown_outcome(sim: Simulator) -> None:
    client = sim.eqp_client(timeout=0.3)
    client.authenticate()
    sim.inject_fault(PACKAGES_ROUTE, "stall", stall=0.9)
    with pytest.raises(sellkit.APITimeoutError) as info:
        client.request("POST", "/rest/v1/products/packages", json=[{"name": "stalled", "item_id": "stalled-1"}])
    assert info.value.outcome_unknown is True
    assert sim.request_count(PACKAGES_ROUTE) == 1


def test_answered_and_refused_failures_changed_nothing(sim: Simulator, client: Client) -> None:
    client.authenticate()
    sim.fail_next(PACKAGES_ROUTE, 1, 503)
    with pytest.raises(sellkit.ServerError) as answered:
        client.request("POST", "/rest/v1/products/packages", json=[{"name": "x"}])
    assert answered.value.outcome_unknown is False
    url = sim.eqp_url
    sim.close()
    refused = Client(app_id=sim.eqp_app_id, app_secret=sim.eqp_app_secret, base_url=url, max_retries=0)
    with pytest.raises(sellkit.APIConnectionError) as info:
        refused.authenticate()
    assert info.value.outcome_unknown is False


def test_a_truncated_answer_to_a_get_is_retried(sim: Simulator, client: Client) -> None:
    client.authenticate()
    sim.inject_fault(PROFILE_ROUTE, "truncate")
    assert client.users.get()["mage_id"] == sim.eqp_mage_id
    assert sim.request_count(PROFILE_ROUTE) == 2
