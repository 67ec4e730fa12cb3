"""The exception hierarchy: one class per kind, every field set, and usable like any exception."""

from __future__ import annotations

import pickle

import pytest

import sellkit
from sellkit.eqp import Client
from sellkit.testing import Simulator

from conftest import PROFILE_ROUTE

CLASSES = {
    "invalid_input": sellkit.InvalidInputError,
    "authentication": sellkit.AuthenticationError,
    "permission_denied": sellkit.PermissionDeniedError,
    "not_found": sellkit.NotFoundError,
    "conflict": sellkit.ConflictError,
    "validation": sellkit.ValidationError,
    "rate_limited": sellkit.RateLimitError,
    "server": sellkit.ServerError,
    "api": sellkit.APIError,
    "timeout": sellkit.APITimeoutError,
    "connection": sellkit.APIConnectionError,
    "decode": sellkit.DecodeError,
    "internal": sellkit.InternalError,
}


def test_one_class_per_kind_under_sellkit_error() -> None:
    for kind, cls in CLASSES.items():
        assert issubclass(cls, sellkit.SellkitError) and issubclass(cls, Exception)
        assert cls.kind == kind
        assert cls.__name__ in sellkit.__all__
    assert len(set(CLASSES.values())) == 13


@pytest.mark.parametrize(
    ("status", "cls", "code"),
    [
        (400, sellkit.ValidationError, "validation-failed"),
        (403, sellkit.PermissionDeniedError, "permission-denied"),
        (404, sellkit.NotFoundError, "not-found"),
        (405, sellkit.APIError, "http-error"),
        (409, sellkit.ConflictError, "conflict"),
        (422, sellkit.ValidationError, "validation-failed"),
        (500, sellkit.ServerError, "server-error"),
    ],
)
def test_statuses_map_to_classes(sim: Simulator, status: int, cls: type, code: str) -> None:
    client = sim.eqp_client(max_retries=0)
    client.authenticate()
    sim.fail_next(PROFILE_ROUTE, 1, status)
    with pytest.raises(cls) as info:
        client.users.get()
    err = info.value
    assert type(err) is cls
    assert err.status == status and err.api_code == status and err.code == code
    assert err.message.startswith(f"HTTP {status}") and str(err).endswith(f"[{code}]")
    assert err.details == [] and err.request_id is None and err.retry_after is None and err.field is None
    assert err.body == f'{{"code":{status},"message":"injected fault on {PROFILE_ROUTE}"}}'


def test_errors_pickle_with_their_fields(sim: Simulator, client: Client) -> None:
    client.authenticate()
    sim.fail_next(PROFILE_ROUTE, 1, 503, "120")
    with pytest.raises(sellkit.RateLimitError) as info:
        client.users.get()
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is sellkit.RateLimitError
    assert str(copy) == str(info.value) and vars(copy) == vars(info.value)
    assert copy.retry_after == 120.0


def test_errors_can_be_made_by_hand() -> None:
    err = sellkit.NotFoundError("no such package", status=404)
    assert str(err) == "no such package" and err.message == "no such package"
    assert err.kind == "not_found" and err.code == "not_found" and err.status == 404 and err.details == []
