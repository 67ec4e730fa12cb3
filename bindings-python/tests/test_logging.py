"""sellkit's logs in Python's ``logging``: records of the loggers ``sellkit.http``,
``sellkit.auth`` and ``sellkit`` for real calls to the simulator, levels read from ``logging``
(``setLevel``, ``logging.disable``, a disabled logger), fields as record attributes for structured
handlers, and ``SELLKIT_LOG`` configuring a stderr handler. No record holds a secret or a token
(test_secrets.py checks every record at DEBUG too)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import subprocess
import sys
import textwrap
from typing import Any, Dict, Iterator, List

import pytest

import sellkit
from sellkit.testing import Simulator

from conftest import PROFILE_ROUTE

SELLKIT_LOGGERS = ("sellkit", "sellkit.http", "sellkit.auth")


@pytest.fixture(autouse=True)
def restore_levels() -> Iterator[None]:
    """Each test changes sellkit's loggers as it likes; they are put back after it."""
    loggers = [logging.getLogger(n) for n in SELLKIT_LOGGERS]
    saved = [(lg.level, lg.disabled) for lg in loggers]
    yield
    for lg, (level, disabled) in zip(loggers, saved):
        lg.setLevel(level)
        lg.disabled = disabled
    logging.disable(logging.NOTSET)


def sellkit_records(caplog: pytest.LogCaptureFixture) -> List[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("sellkit")]


def test_requests_retries_and_tokens_reach_their_loggers(sim: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="sellkit")
    with sim.eqp_client() as client:
        client.users.get()
        sim.fail_next(PROFILE_ROUTE, 1, 503, "0")
        client.users.get()
    records = sellkit_records(caplog)
    by_message = {(r.name, r.levelname, r.msg.split(" ")[0]) for r in records}
    assert ("sellkit.auth", "DEBUG", "token") in by_message
    assert ("sellkit.http", "DEBUG", "response") in by_message
    assert ("sellkit.http", "DEBUG", "attempt") in by_message
    assert ("sellkit.http", "INFO", "retrying") in by_message
    # The request span's fields and the event's own are attributes of the record, and in its text.
    profile = f"/rest/v1/users/{sim.eqp_mage_id}"
    retried = [r for r in records if r.name == "sellkit.http" and r.getMessage().startswith("response") and getattr(r, "attempt", 0) == 2]
    assert len(retried) == 1
    r: Any = retried[0]
    assert (r.method, r.path, r.status, r.attempt) == ("GET", profile, 200, 2)
    assert isinstance(r.elapsed_ms, int)
    assert r.getMessage().startswith(f"response method=GET path={profile} attempt=2 status=200 elapsed_ms=")
    failed: Any = next(x for x in records if x.getMessage().startswith("attempt failed"))
    assert (failed.status, failed.code, failed.levelno) == (503, "server-error", logging.DEBUG)
    fetched: Any = next(x for x in records if x.name == "sellkit.auth")
    assert fetched.getMessage().startswith("token fetched ttl_s=") and fetched.ttl_s > 0
    # Each record comes from sellkit's Rust source, not from the caller's frame.
    assert all(x.pathname.endswith(".rs") and x.lineno > 0 for x in records)


def test_levels_are_read_from_logging_at_each_call(sim: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    # caplog's handler takes every level; the loggers' own levels decide.
    caplog.set_level(logging.DEBUG)
    with sim.eqp_client() as client:
        logging.getLogger("sellkit").setLevel(logging.INFO)
        client.users.get()
        sim.fail_next(PROFILE_ROUTE, 1, 503, "0")
        client.users.get()
        # INFO: the retry, not the DEBUG records of each response or of the token.
        assert [(r.name, r.levelname) for r in sellkit_records(caplog)] == [("sellkit.http", "INFO")]
        caplog.clear()

        # A child logger's own level counts for its records only.
        logging.getLogger("sellkit.auth").setLevel(logging.DEBUG)
        sim.expire_all_tokens()
        client.users.get()
        assert {r.name for r in sellkit_records(caplog)} == {"sellkit.auth"}
        caplog.clear()

        logging.getLogger("sellkit.auth").setLevel(logging.NOTSET)
        logging.getLogger("sellkit").setLevel(logging.DEBUG)
        logging.disable(logging.CRITICAL)
        sim.fail_next(PROFILE_ROUTE, 1, 503, "0")
        client.users.get()
        assert sellkit_records(caplog) == []
        logging.disable(logging.NOTSET)

        logging.getLogger("sellkit.http").disabled = True
        client.users.get()
        assert sellkit_records(caplog) == []
        logging.getLogger("sellkit.http").disabled = False
        client.users.get()
        assert [r.name for r in sellkit_records(caplog)] == ["sellkit.http"]


def test_warning_is_the_default_level(sim: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    """Without any configuration the loggers follow the root's WARNING: a call that goes well,
    retries included, logs nothing."""
    for name in SELLKIT_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)
    caplog.set_level(logging.WARNING)
    with sim.eqp_client() as client:
        sim.fail_next(PROFILE_ROUTE, 1, 503, "0")
        client.users.get()
    assert sellkit_records(caplog) == []


def test_async_calls_log_too(sim: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="sellkit.http")

    async def run() -> None:
        async with sim.eqp_async_client() as client:
            sim.fail_next(PROFILE_ROUTE, 1, 503, "0")
            await asyncio.gather(*(client.users.get() for _ in range(3)))

    asyncio.run(run())
    http = [r for r in caplog.records if r.name == "sellkit.http"]
    assert sum(1 for r in http if r.getMessage().startswith("retrying")) == 1
    assert sum(1 for r in http if r.getMessage().startswith("response") and r.__dict__["path"].startswith("/rest/v1/users/")) == 3


def test_marktplaats_token_grants_are_auth_records(sim: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="sellkit")
    client = sim.marktplaats_client("2dehands")
    client.users.me()
    auth = [r for r in caplog.records if r.name == "sellkit.auth"]
    messages = [r.getMessage() for r in auth]
    assert any(m.startswith("requesting a token grant=") for m in messages), messages
    granted: Any = next(r for r in auth if r.getMessage().startswith("token granted"))
    assert granted.grant in ("authorization_code", "refresh_token", "client_credentials")
    assert isinstance(granted.new_refresh_token, bool)
    # Paths are logged without their query (a list's offset and limit, or anything else in it).
    client.users.ads_page(sim.mp_user_id, offset=0, limit=10)
    paths = [r.__dict__["path"] for r in caplog.records if r.name == "sellkit.http"]
    assert paths and all("?" not in p for p in paths)


class JsonFormatter(logging.Formatter):
    """What a JSON log pipeline does with a record: its fields as members."""

    FIELDS = ("method", "path", "attempt", "status", "code", "elapsed_ms", "wait_ms", "ttl_s", "grant")

    def format(self, record: logging.LogRecord) -> str:
        out: Dict[str, Any] = {"logger": record.name, "level": record.levelname, "message": record.getMessage()}
        out.update({k: record.__dict__[k] for k in self.FIELDS if k in record.__dict__})
        return json.dumps(out)


def test_a_json_handler_gets_the_fields(sim: Simulator) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("sellkit")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        with sim.eqp_client() as client:
            client.users.get()
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    response = next(x for x in lines if x["message"].startswith("response") and x["path"].startswith("/rest/v1/users/"))
    assert response["logger"] == "sellkit.http" and response["method"] == "GET" and response["status"] == 200
    assert any(x["logger"] == "sellkit.auth" and x["ttl_s"] > 0 for x in lines)


def test_a_failing_handler_does_not_fail_the_call(sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """A handler that raises (not one of logging's, which report their own errors) is reported
    as an unraisable exception; the call goes on."""

    class Broken(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            raise RuntimeError("the handler broke")

    reported: List[BaseException] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: reported.append(u.exc_value) if u.exc_value is not None else None)
    broken = Broken()
    logger = logging.getLogger("sellkit.http")
    logger.addHandler(broken)
    logger.setLevel(logging.DEBUG)
    try:
        with sim.eqp_client() as client:
            assert client.users.get()["mage_id"] == sim.eqp_mage_id
    finally:
        logger.removeHandler(broken)
    assert reported and all(isinstance(e, RuntimeError) for e in reported)


SCRIPT = textwrap.dedent(
    """
    from sellkit.testing import Simulator
    with Simulator() as sim, sim.eqp_client() as client:
        client.users.get()
        sim.fail_next("GET /rest/v1/users/{mage_id}", 1, 503, "0")
        client.users.get()
    """
)


def run_script(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != "SELLKIT_LOG"}
    return subprocess.run([sys.executable, "-c", SCRIPT], env={**clean, **env}, capture_output=True, text=True, timeout=60)


def test_sellkit_log_configures_a_stderr_handler() -> None:
    proc = run_script(SELLKIT_LOG="debug")
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stderr.splitlines()
    assert any(" DEBUG sellkit.http: response method=GET path=/rest/v1/users/" in line for line in lines), proc.stderr
    assert any(" INFO sellkit.http: retrying " in line for line in lines), proc.stderr
    assert any(" DEBUG sellkit.auth: token fetched ttl_s=" in line for line in lines), proc.stderr
    # A filter in tracing's syntax: sellkit's directive counts.
    proc = run_script(SELLKIT_LOG="reqwest=trace,sellkit=info")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "INFO sellkit.http: retrying" in proc.stderr and "DEBUG" not in proc.stderr
    proc = run_script()
    assert proc.returncode == 0 and proc.stderr == ""
