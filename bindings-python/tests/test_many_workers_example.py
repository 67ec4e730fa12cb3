"""The Celery example of docs/guides/many-workers.md, run for real: a Celery worker with a pool of
three processes, Redis as broker and token store, the simulator with refresh-token rotation on.
Every pool process makes its own clients; they refresh once for all."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from sellkit import marktplaats
from sellkit.testing import Simulator

from redis_server import RedisServer

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "guides" / "many-workers"
REDIRECT = "https://app.example.com/callback"


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    with RedisServer() as r:
        yield r


def test_celery_workers_share_one_grant(redis: RedisServer, monkeypatch: pytest.MonkeyPatch) -> None:
    with Simulator() as sim:
        sim.set_mp_refresh_rotation(True)
        store, broker = f"redis://127.0.0.1:{redis.port}/1", f"redis://127.0.0.1:{redis.port}/0"
        with marktplaats.Client(base_url=sim.marktplaats_url(), client_id=sim.mp_client_id, client_secret=sim.mp_client_secret, token_store=store) as c:
            url, _ = c.authorization_url(REDIRECT)
            c.exchange_code(sim.mp_approve(url)[0], REDIRECT)
        item_id = sim.mp_seed_own_ads("marktplaats", 1, "Lamp")[0]
        env = {
            "SELLKIT_TOKEN_STORE": store,
            "SELLKIT_MP_CLIENT_ID": sim.mp_client_id,
            "SELLKIT_MP_CLIENT_SECRET": sim.mp_client_secret,
            "SELLKIT_MP_BASE_URL": sim.marktplaats_url(),
            "SELLKIT_EQP_APP_ID": sim.eqp_app_id,
            "SELLKIT_EQP_APP_SECRET": sim.eqp_app_secret,
            "SELLKIT_EQP_BASE_URL": sim.eqp_url,
            "CELERY_BROKER_URL": broker,
        }
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        monkeypatch.syspath_prepend(str(EXAMPLE))
        celery_app = importlib.import_module("celery_app")
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "celery_app", "worker", "--pool", "prefork", "--concurrency", "3",
             "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
            cwd=EXAMPLE, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        try:
            sellers = [celery_app.seller_id.delay() for _ in range(12)]
            assert [r.get(timeout=60) for r in sellers] == [sim.mp_user_id] * 12
            assert celery_app.vendor_name.delay().get(timeout=60)
            sim.expire_all_tokens()
            prices = [celery_app.reprice.delay(item_id, 2900 + i) for i in range(6)]
            assert sorted(r.get(timeout=60) for r in prices) == [2900 + i for i in range(6)]
            stats = sim.mp_refresh_stats()
            # Three processes, one forced expiry: one refresh, never a spent refresh token.
            assert stats["refreshes"] == 1, stats
            assert stats["reuse_detections"] == 0, stats
            assert stats["unused_refresh_tokens"] == 1, stats
            assert sim.request_count("POST /rest/v1/app/session/token") == 1
        finally:
            worker.terminate()
            try:
                _, err = worker.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                _, err = worker.communicate()
            assert "Traceback" not in (err or ""), err
            sys.modules.pop("celery_app", None)
