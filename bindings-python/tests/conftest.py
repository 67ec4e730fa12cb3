"""Fixtures: a fresh simulator per test (counters, faults and profile start clean) and clients
on it."""

from __future__ import annotations

from typing import Iterator

import pytest

from sellkit.eqp import Client
from sellkit.testing import Simulator

TOKEN_ROUTE = "POST /rest/v1/app/session/token"
PROFILE_ROUTE = "GET /rest/v1/users/{mage_id}"
UPDATE_ROUTE = "PUT /rest/v1/users/{mage_id}"


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator() as s:
        yield s


@pytest.fixture
def client(sim: Simulator) -> Iterator[Client]:
    with sim.eqp_client() as c:
        yield c
