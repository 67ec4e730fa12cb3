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
    "unexpected_status": sellkit.UnexpectedStatusError,
    "timeout": sellkit.APITimeoutError,
    "connection": sellkit.APIConnectionError,
    "decode": sellkit.DecodeError,
    "internal": sellkit.InternalError,
    "batch": sellkit.BatchError,
}

# The tree users know from other SDKs: each class and its parent.
PARENTS = {
    sellkit.APIConnectionError: sellkit.SellkitError,
    sellkit.APITimeoutError: sellkit.APIConnectionError,
    sellkit.APIStatusError: sellkit.SellkitError,
    sellkit.AuthenticationError: sellkit.APIStatusError,
    sellkit.PermissionDeniedError: sellkit.APIStatusError,
    sellkit.NotFoundError: sellkit.APIStatusError,
    sellkit.ConflictError: sellkit.APIStatusError,
    sellkit.ValidationError: sellkit.APIStatusError,
    sellkit.RateLimitError: sellkit.APIStatusError,
    sellkit.ServerError: sellkit.APIStatusError,
    sellkit.UnexpectedStatusError: sellkit.APIStatusError,
    sellkit.InvalidInputError: sellkit.SellkitError,
    sellkit.DecodeError: sellkit.SellkitError,
    sellkit.InternalError: sellkit.SellkitError,
    sellkit.BatchError: sellkit.SellkitError,
}


def test_one_class_per_kind_under_sellkit_error() -> None:
    for kind, cls in CLASSES.items():
        assert issubclass(cls, sellkit.SellkitError) and issubclass(cls, Exception)
        assert cls.kind == kind
        assert cls.__name__ in sellkit.__all__
    assert len(set(CLASSES.values())) == 14


def test_the_tree() -> None:
    for cls, parent in PARENTS.items():
        assert cls.__bases__[-1] is parent, cls
    exported = {getattr(sellkit, name) for name in sellkit.__all__ if name.endswith("Error")}
    assert exported == set(PARENTS) | {sellkit.SellkitError}
    assert not hasattr(sellkit, "APIError")


@pytest.mark.parametrize(
    ("status", "cls", "code"),
    [
        (400, sellkit.ValidationError, "validation-failed"),
        (403, sellkit.PermissionDeniedError, "permission-denied"),
        (404, sellkit.NotFoundError, "not-found"),
        (405, sellkit.UnexpectedStatusError, "unexpected-status"),
        (410, sellkit.UnexpectedStatusError, "unexpected-status"),
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
    assert type(err) is cls and isinstance(err, sellkit.APIStatusError)
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


def test_a_timeout_is_a_connection_error(sim: Simulator) -> None:
    client = sim.eqp_client(max_retries=0, timeout=0.3)
    client.authenticate()
    sim.inject_fault(PROFILE_ROUTE, "stall", stall=2.0)
    with pytest.raises(sellkit.APIConnectionError) as info:
        client.users.get()
    assert type(info.value) is sellkit.APITimeoutError and info.value.outcome_unknown
    assert not isinstance(info.value, sellkit.APIStatusError)
