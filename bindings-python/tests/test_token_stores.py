"""Token stores from Python: clients (sync and async) sharing one Marktplaats grant and one EQP
session through a real Redis and through a file, against the simulator with refresh-token
rotation and reuse detection on; Redis restarted mid-run; back-offs shared; bad settings."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Iterator, List

import pytest

import sellkit
from sellkit import eqp, marktplaats
from sellkit.testing import Simulator

from redis_server import RedisServer

REDIRECT = "https://app.example.com/callback"
EQP_TOKEN_ROUTE = "POST /rest/v1/app/session/token"
ME_ROUTE = "GET /v1/me"


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    with RedisServer() as r:
        yield r


@pytest.fixture
def rotating() -> Iterator[Simulator]:
    with Simulator() as s:
        s.set_mp_refresh_rotation(True)
        yield s


def mp(sim: Simulator, store: str) -> marktplaats.Client:
    return marktplaats.Client(
        base_url=sim.marktplaats_url(), client_id=sim.mp_client_id, client_secret=sim.mp_client_secret, token_store=store
    )


def login(sim: Simulator, store: str) -> None:
    """The code flow once: its tokens go into the store."""
    with mp(sim, store) as c:
        url, _state = c.authorization_url(REDIRECT)
        c.exchange_code(sim.mp_approve(url)[0], REDIRECT)


def share_one_grant(sim: Simulator, store: str) -> None:
    login(sim, store)
    sync_clients = [mp(sim, store) for _ in range(2)]

    async def async_round() -> List[marktplaats.types.User]:
        clients = [
            marktplaats.AsyncClient(
                base_url=sim.marktplaats_url(), client_id=sim.mp_client_id, client_secret=sim.mp_client_secret, token_store=store
            )
            for _ in range(2)
        ]
        try:
            return await asyncio.gather(*(c.users.me() for c in clients for _ in range(5)))
        finally:
            for c in clients:
                await c.close()

    for _ in range(3):
        sim.expire_all_tokens()
        threads = [threading.Thread(target=c.users.me) for c in sync_clients for _ in range(5)]
        for t in threads:
            t.start()
        results = asyncio.run(async_round())
        for t in threads:
            t.join()
        assert all(r["userId"] == sim.mp_user_id for r in results)
    stats = sim.mp_refresh_stats()
    assert stats["refreshes"] == 3, stats
    assert stats["reuse_detections"] == 0, stats
    assert stats["unused_refresh_tokens"] == 1, stats
    for c in sync_clients:
        c.close()


def test_sync_and_async_clients_share_one_grant_through_redis(rotating: Simulator, redis: RedisServer) -> None:
    share_one_grant(rotating, redis.url)


def test_sync_and_async_clients_share_one_grant_through_a_file(rotating: Simulator, tmp_path: Path) -> None:
    share_one_grant(rotating, (tmp_path / "tokens.json").as_uri())
    assert (tmp_path / "tokens.json").stat().st_mode & 0o777 == 0o600


def test_eqp_clients_share_one_session(redis: RedisServer) -> None:
    with Simulator() as sim:
        clients = [eqp.Client(app_id=sim.eqp_app_id, app_secret=sim.eqp_app_secret, base_url=sim.eqp_url, token_store=redis.url) for _ in range(3)]
        for c in clients:
            assert c.users.get()["mage_id"] == sim.eqp_mage_id
        assert sim.request_count(EQP_TOKEN_ROUTE) == 1
        sim.expire_all_tokens()
        for c in clients:
            c.users.get()
        assert sim.request_count(EQP_TOKEN_ROUTE) == 2


def test_the_environment_names_the_store(rotating: Simulator, redis: RedisServer, monkeypatch: pytest.MonkeyPatch) -> None:
    login(rotating, redis.url)
    monkeypatch.setenv("SELLKIT_TOKEN_STORE", redis.url)
    with marktplaats.Client(base_url=rotating.marktplaats_url(), client_id=rotating.mp_client_id, client_secret=rotating.mp_client_secret) as c:
        assert c.users.me()["userId"] == rotating.mp_user_id
        assert c.token_requests == 0


def test_redis_restarted_mid_run_loses_no_refresh_token(rotating: Simulator, redis: RedisServer) -> None:
    rotating.set_mp_token_lifetime(2)
    login(rotating, redis.url)
    clients = [mp(rotating, redis.url) for _ in range(3)]
    failures: List[str] = []
    stop = time.monotonic() + 5

    def work(c: marktplaats.Client) -> None:
        while time.monotonic() < stop:
            try:
                c.users.me()
            except sellkit.SellkitError as e:
                failures.append(str(e))
            time.sleep(0.02)

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    time.sleep(1.0)
    redis.stop()
    time.sleep(1.5)
    redis.restart()
    for t in threads:
        t.join()
    assert failures == []
    stats = rotating.mp_refresh_stats()
    assert stats["reuse_detections"] == 0, stats
    assert stats["unused_refresh_tokens"] == 1, stats
    assert "mp/marktplaats/" in redis.command("KEYS sellkit:tokens:*") or redis.command("DBSIZE") != ":0"
    for c in clients:
        c.close()


def test_a_retry_after_holds_back_the_other_clients(redis: RedisServer) -> None:
    with Simulator() as sim:
        login(sim, redis.url)
        a, b = mp(sim, redis.url), mp(sim, redis.url)
        a.users.me()
        b.users.me()
        sim.fail_next(ME_ROUTE, 1, 429, "1")
        started = time.monotonic()
        t = threading.Thread(target=a.users.me)
        t.start()
        time.sleep(0.2)
        b.users.me()  # b never saw the 429
        assert time.monotonic() - started >= 0.95
        t.join()
        assert sim.requests_during_backoff() == 0


def test_bad_store_settings_name_the_setting() -> None:
    with pytest.raises(sellkit.InvalidInputError) as info:
        eqp.Client(app_id="a", app_secret="s", token_store="ftp://nowhere")
    assert info.value.field == "token_store"
    with pytest.raises(sellkit.InvalidInputError) as info2:
        marktplaats.Client(token_store="file://relative.json")
    assert info2.value.field == "token_store"
    with pytest.raises(sellkit.InvalidInputError) as info3:
        marktplaats.Client(token_store_user=" ")
    assert info3.value.field == "token_store_user"


def test_malformed_store_data_is_a_clear_error(redis: RedisServer) -> None:
    with Simulator() as sim:
        key = f"sellkit:tokens:eqp/{sim.eqp_url.removeprefix('http://')}/{sim.eqp_app_id}"
        assert redis.command(f"SET {key} not-a-record").startswith("+OK")
        c = eqp.Client(app_id=sim.eqp_app_id, app_secret=sim.eqp_app_secret, base_url=sim.eqp_url, token_store=redis.url)
        with pytest.raises(sellkit.SellkitError) as info:
            c.users.get()
        assert info.value.code == "store-malformed"
        assert redis.url in str(info.value) and sim.eqp_app_id in str(info.value)
        assert "not-a-record" not in str(info.value)
