"""Python values ⇄ JSON, through a real round trip (the simulator stores and returns unknown
profile fields as sent)."""

from __future__ import annotations

import math
from typing import Any

import pytest

import sellkit
from sellkit.eqp import Client
from sellkit.testing import Simulator

from conftest import UPDATE_ROUTE


def roundtrip(client: Client, value: Any) -> Any:
    return client.users.update({"x_roundtrip": value})["x_roundtrip"]


@pytest.mark.parametrize(
    "value",
    [
        None, True, False, 0, -1, 2**63 - 1, -(2**63), 2**64 - 1, 1.5, -0.25, 1e300, "", "héllo ✓ 🚀",
        [], {}, [1, "two", None, [3.0, {"four": [5]}]], {"a": {"b": {"c": [True, None]}}},
    ],
)
def test_values_round_trip(client: Client, value: Any) -> None:
    result = roundtrip(client, value)
    assert result == value
    assert type(result) is type(value)


def test_tuples_become_lists_and_int_subclasses_are_ints(client: Client) -> None:
    import enum

    class Level(enum.IntEnum):
        GOLD = 4

    assert roundtrip(client, (1, (2, 3))) == [1, [2, 3]]
    result = roundtrip(client, Level.GOLD)
    assert result == 4 and type(result) is int


@pytest.mark.parametrize(
    ("value", "field", "words"),
    [
        (2**64, "fields.x_roundtrip", "64 bits"),
        (-(2**63) - 1, "fields.x_roundtrip", "64 bits"),
        (math.nan, "fields.x_roundtrip", "NaN"),
        (math.inf, "fields.x_roundtrip", "NaN and infinity"),
        ({"deep": [0, {"k": -math.inf}]}, "fields.x_roundtrip.deep[1].k", "infinity"),
        ({1: "int key"}, "fields.x_roundtrip", "keys must be strings"),
        ({"s"}, "fields.x_roundtrip", "set"),
        (b"bytes", "fields.x_roundtrip", "bytes"),
        ("\ud800", "fields.x_roundtrip", "Unicode"),
    ],
)
def test_unconvertible_values_name_the_argument(sim: Simulator, client: Client, value: Any, field: str, words: str) -> None:
    with pytest.raises(sellkit.InvalidInputError) as info:
        client.users.update({"x_roundtrip": value})
    assert info.value.field == field
    assert words in str(info.value)
    assert sim.request_count(UPDATE_ROUTE) == 0


def test_a_cycle_is_refused_not_a_crash(client: Client) -> None:
    cycle: list[Any] = []
    cycle.append(cycle)
    with pytest.raises(sellkit.InvalidInputError) as info:
        client.users.update({"x": cycle})
    assert "nested deeper" in str(info.value)


def test_raw_request_json_is_named_json(client: Client) -> None:
    with pytest.raises(sellkit.InvalidInputError) as info:
        client.request("POST", "/rest/v1/products/packages", json=[{"price": math.nan}])
    assert info.value.field == "json[0].price"


def test_the_native_call_wants_a_dict(client: Client) -> None:
    with pytest.raises(sellkit.InvalidInputError) as info:
        client._native.call("users.get", ["style"])  # type: ignore[arg-type]
    assert info.value.field == "args"
    with pytest.raises(sellkit.InvalidInputError) as unknown:
        client._native.call("users.delete", {})
    assert unknown.value.field == "op"
