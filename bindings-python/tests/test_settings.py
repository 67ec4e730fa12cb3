"""Settings are checked by core before anything is sent; the error names the setting."""

from __future__ import annotations

from typing import Any, Dict

import pytest

import sellkit
from sellkit import InvalidInputError
from sellkit.eqp import Client
from sellkit.testing import Simulator


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"base_url": "http://example.com"}, "base_url"),
        ({"base_url": "http://10.0.0.1:8080"}, "base_url"),
        ({"app_id": ""}, "app_id"),
        ({"app_id": "   "}, "app_id"),
        ({"app_secret": ""}, "app_secret"),
        ({"environment": "staging", "base_url": None}, "environment"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": -1.0}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"connect_timeout": 0}, "connect_timeout"),
        ({"upload_timeout": -5}, "upload_timeout"),
        ({"max_retries": 11}, "max_retries"),
        ({"max_retries": -1}, "max_retries"),
        ({"token_lifetime": 0}, "token_lifetime"),
        ({"token_lifetime": -10}, "token_lifetime"),
        ({"user_agent_suffix": "bot\r\nX-Evil: 1"}, "user_agent_suffix"),
    ],
)
def test_bad_settings_are_refused_before_sending(sim: Simulator, kwargs: Dict[str, Any], field: str) -> None:
    settings: Dict[str, Any] = {
        "app_id": sim.eqp_app_id,
        "app_secret": sim.eqp_app_secret,
        "base_url": sim.eqp_url,
        **kwargs,
    }
    with pytest.raises(sellkit.InvalidInputError) as info:
        Client(**settings)
    err = info.value
    assert err.field == field, err
    assert err.kind == "invalid_input" and err.code == "invalid-input" and err.status is None
    assert err.details and err.details[0]["field"] == field
    assert field in str(err)
    assert sim.request_counts() == {}


def test_https_and_loopback_urls_are_accepted(sim: Simulator) -> None:
    for url in ("https://eqp.example.com", "http://localhost:9", "http://[::1]:9", "http://127.0.0.2:9"):
        assert Client(app_id="id", app_secret="secret", base_url=url).base_url.startswith(url.rstrip("/"))


def test_wrong_types_are_invalid_input_naming_the_argument() -> None:
    # As for every other argument: refused before anything is sent, naming the argument.
    for kwargs, field in [
        ({"timeout": "5"}, "timeout"),
        ({"timeout": True}, "timeout"),
        ({"max_retries": 1.5}, "max_retries"),
        ({"base_url": b"https://example.com"}, "base_url"),
        ({"token_lifetime": "60"}, "token_lifetime"),
    ]:
        with pytest.raises(InvalidInputError) as e:
            Client(app_id="id", app_secret="secret", **kwargs)
        assert e.value.field == field, kwargs
    with pytest.raises(InvalidInputError) as e:
        Client(app_secret="secret")
    assert e.value.field == "app_id"


def test_the_user_agent_suffix_is_accepted(sim: Simulator) -> None:
    client = sim.eqp_client(user_agent_suffix="my-release-bot/1.2")
    assert client.authenticate() == sim.eqp_mage_id
