"""How your own tests see sellkit's logs: the ``sellkit_simulator`` fixture of sellkit's pytest
plugin and pytest's ``caplog``.

    pytest examples/guides/networks-and-logging/test_caplog_example.py
"""

from __future__ import annotations

import logging

import pytest

from sellkit.testing import Simulator


def test_a_retry_is_logged(sellkit_simulator: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="sellkit")
    sellkit_simulator.fail_next("GET /rest/v1/users/{mage_id}", 1, 503, "0")
    with sellkit_simulator.eqp_client() as client:
        client.users.get()

    retries = [r for r in caplog.records if r.name == "sellkit.http" and r.getMessage().startswith("retrying")]
    assert len(retries) == 1
    assert retries[0].levelno == logging.INFO
    # Each field of the record is an attribute too: method, path (never its query), attempt, code.
    assert getattr(retries[0], "code") == "server-error"
    assert {getattr(r, "attempt") for r in caplog.records if r.name == "sellkit.http"} == {1, 2}
