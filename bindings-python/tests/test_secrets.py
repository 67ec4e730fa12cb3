"""The app secret and session tokens never show in repr/str of clients and errors, nor in logs
at the most verbose level."""

from __future__ import annotations

import base64
import logging
import os
import re
import subprocess
import sys
import textwrap

import pytest

import sellkit
from sellkit.testing import Simulator

from conftest import PROFILE_ROUTE

# The simulator's session tokens look like 32 + "." + 12 alphanumerics.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9]{32}\.[A-Za-z0-9]{12}")
BEARER = re.compile(r"Bearer\s+[A-Za-z0-9]")


def leaks(text: str, secret: str) -> list[str]:
    basic = base64.b64encode(f"AQ17NZ49WC:{secret}".encode()).decode()
    found = []
    if secret in text:
        found.append("app secret")
    if basic in text:
        found.append("Basic credentials")
    if BEARER.search(text):
        found.append("Bearer value")
    if TOKEN_SHAPE.search(text):
        found.append("session token")
    return found


def test_repr_and_str_of_clients_hide_the_secret(sim: Simulator) -> None:
    aclient = sim.eqp_async_client()
    with sim.eqp_client() as client:
        client.authenticate()
        for obj in (client, aclient, client.with_options(max_retries=0), client.users):
            for text in (repr(obj), str(obj)):
                assert leaks(text, sim.eqp_app_secret) == [], text
        assert "AQ17NZ49WC" in repr(client) and sim.eqp_mage_id in repr(client)
        assert sim.eqp_url in repr(client)


def test_errors_hide_the_secret(sim: Simulator) -> None:
    client = sellkit.eqp.Client(app_id=sim.eqp_app_id, app_secret="wrong-" + sim.eqp_app_secret, base_url=sim.eqp_url)
    with pytest.raises(sellkit.AuthenticationError) as refused:
        client.authenticate()
    good = sim.eqp_client()
    good.authenticate()
    sim.fail_next(PROFILE_ROUTE, 2, 401)
    with pytest.raises(sellkit.AuthenticationError) as expired:
        good.users.get()
    for err in (refused.value, expired.value):
        text = " ".join([str(err), repr(err), repr(vars(err))])
        assert leaks(text, sim.eqp_app_secret) == [], text


SCRIPT = textwrap.dedent(
    """
    import sellkit
    from sellkit.testing import Simulator

    with Simulator() as sim, sim.eqp_client() as client:
        print(repr(client))
        client.authenticate()
        client.users.get()
        client.users.update({"screen_name": "Logged"}, action="draft")
        sim.fail_next("GET /rest/v1/users/{mage_id}", 2, 401)
        try:
            client.users.get()
        except sellkit.AuthenticationError as err:
            print(repr(err), vars(err))
        sim.fail_next("GET /rest/v1/users/{mage_id}", 1, 503, "0")
        client.users.get()
        print(repr(client))
    """
)


def test_logs_at_trace_level_hide_secrets_and_tokens() -> None:
    env = dict(os.environ, SELLKIT_LOG="trace")
    proc = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    # The logs are really on (so this test can fail): every request is logged.
    assert "sellkit.http: response method=" in proc.stderr and "sellkit.http: retrying" in proc.stderr
    assert "sellkit.auth: token fetched" in proc.stderr
    assert proc.stderr.count("\n") > 10
    secret = "8820c99614d65f923df7660276f20e029d73e2ca"
    assert leaks(proc.stderr, secret) == []
    assert leaks(proc.stdout, secret) == []


def record_texts(records: list[logging.LogRecord]) -> str:
    """Everything a handler could write of the records: the message and every attribute."""
    return "\n".join(f"{r.getMessage()} {vars(r)!r}" for r in records)


def test_log_records_hold_no_secret_or_token(sim: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="sellkit")
    with sim.eqp_client() as client:
        client.authenticate()
        sim.expire_all_tokens()
        client.users.update({"screen_name": "Logged"}, action="draft")
        sim.fail_next(PROFILE_ROUTE, 2, 401)
        with pytest.raises(sellkit.AuthenticationError):
            client.users.get()
    wrong = sellkit.eqp.Client(app_id=sim.eqp_app_id, app_secret="wrong-secret-value-1234", base_url=sim.eqp_url)
    with pytest.raises(sellkit.AuthenticationError):
        wrong.authenticate()
    refresh_tokens: list[str] = []
    mp = sim.marktplaats_client("2dehands", on_token=lambda t: refresh_tokens.append(str(t.get("refresh_token", ""))))
    mp.users.me()
    sim.expire_all_tokens()
    mp.users.me()
    records = [r for r in caplog.records if r.name.startswith("sellkit")]
    text = record_texts(records)
    # Really logged, at every level of detail (so this test can fail).
    assert len(records) > 15 and {r.name for r in records} == {"sellkit.http", "sellkit.auth"}
    assert "token refused; fetching another once" in text and "grant=refresh_token" in text
    secrets = {
        "EQP app secret": sim.eqp_app_secret,
        "wrong app secret": "wrong-secret-value-1234",
        "Marktplaats client secret": sim.mp_client_secret,
        **{f"EQP session token {i}": t for i, t in enumerate(sim.issued_eqp_tokens())},
        **{f"Marktplaats token {i}": t for i, t in enumerate(sim.issued_mp_tokens())},
        **{f"refresh token {i}": t for i, t in enumerate(refresh_tokens) if t},
    }
    assert len(secrets) > 6
    assert [name for name, value in secrets.items() if value and value in text] == []
    assert leaks(text, sim.eqp_app_secret) == []
    assert "Basic " not in text and "Authorization" not in text


def test_logs_are_off_without_sellkit_log() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SELLKIT_LOG"}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stderr == ""
