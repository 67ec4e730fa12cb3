"""The guides' programs, run as a reader runs them: as separate processes configured by the
environment, against the simulator, over real HTTP. The web apps are driven like a browser
would drive them (redirects followed, the session cookie kept).

    pytest examples/guides        # needs the packages in requirements-dev.txt and, for the Node
                                  # programs, `npm install` in examples/guides
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Literal, Optional

import pytest

from sellkit.testing import Simulator

HERE = Path(__file__).resolve().parent
PLATFORM: Literal["2dehands"] = "2dehands"


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


def mp_env(sim: Simulator, **extra: str) -> Dict[str, str]:
    """The reader's configuration: the SELLKIT_MP_* variables, here naming the simulator."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SELLKIT_")}
    env.update(SELLKIT_MP_PLATFORM=PLATFORM, SELLKIT_MP_BASE_URL=sim.marktplaats_url(PLATFORM),
               SELLKIT_MP_CLIENT_ID=sim.mp_client_id, SELLKIT_MP_CLIENT_SECRET=sim.mp_client_secret)
    env.update(extra)
    return env


def run(argv: List[str], env: Dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, cwd=HERE, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout}\n{done.stderr}"
    return done


def refresh_token_of_a_login(sim: Simulator) -> str:
    """What the OAuth guide leaves in its database: a refresh token of the demo seller."""
    tokens: List[Dict[str, Any]] = []
    with sim.marktplaats_client(PLATFORM, on_token=tokens.append):
        pass
    return str(tokens[-1]["refresh_token"])


# --- OAuth web apps --------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(kind: str, env: Dict[str, str], port: int) -> subprocess.Popen[str]:
    if kind == "fastapi":
        argv = [sys.executable, "-m", "uvicorn", "--factory", "oauth_fastapi:app_from_env",
                "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    else:
        argv = ["node", "oauth-express.mjs"]
        env = {**env, "PORT": str(port)}
    proc = subprocess.Popen(argv, cwd=HERE, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{kind} app exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"{kind} app did not listen on {port}")


class Browser:
    """Follows redirects and keeps cookies, as a browser does."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, url: str) -> "tuple[int, Any]":
        try:
            with self.opener.open(url, timeout=30) as r:
                return r.status, json.load(r)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)


def stored_tokens(db: Path) -> List[Any]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT account, refresh_token, access_token FROM marktplaats_tokens").fetchall()


@pytest.mark.parametrize("kind", ["fastapi", "express"])
def test_oauth_web_app(kind: str, sim: Simulator, tmp_path: Path) -> None:
    sim.set_mp_refresh_rotation(True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    db = tmp_path / "tokens.sqlite3"
    env = mp_env(sim, APP_REDIRECT_URI=f"{base}/marktplaats/callback",
                 APP_SESSION_SECRET="a-long-random-session-secret", APP_DB=str(db))
    app = start_app(kind, env, port)
    try:
        seller = Browser()
        status, body = seller.get(f"{base}/marktplaats/ads")
        assert status == 409, body  # nothing connected yet

        # The app sends the browser to the consent page, which (in the simulator) approves and
        # sends it back to the callback with the code and the state.
        status, body = seller.get(f"{base}/marktplaats/connect")
        assert status == 200, body
        assert body["connected"] is True
        assert body.get("marktplaats_user", body.get("marktplaatsUser")) == sim.mp_user_id
        [(account, first_refresh, _access)] = stored_tokens(db)
        assert first_refresh

        sim.mp_seed_own_ads(PLATFORM, 2, "Guide ad")
        sim.expire_all_tokens()  # the next call refreshes, and the refresh token rotates
        status, body = seller.get(f"{base}/marktplaats/ads")
        assert status == 200, body
        assert [t for t in body["ads"] if t.startswith("Guide ad")] == ["Guide ad 1", "Guide ad 2"]
        [(same_account, rotated, _access)] = stored_tokens(db)
        assert same_account == account and rotated != first_refresh  # on_token saved the new one

        # A callback whose state the session did not issue is refused, and so is a replay.
        status, body = seller.get(f"{base}/marktplaats/callback?code=forged&state=forged")
        assert status == 400, body
        status, body = Browser().get(f"{base}/marktplaats/callback?code=forged&state=forged")
        assert status == 400, body
        assert len(stored_tokens(db)) == 1
    finally:
        app.terminate()
        app.wait(timeout=10)


# --- command-line programs ---------------------------------------------------------------------

@pytest.mark.parametrize("argv", [[sys.executable, "ad_with_images.py"], ["node", "ad-with-images.mjs"]],
                         ids=["python", "node"])
def test_ad_with_images(argv: List[str], sim: Simulator, tmp_path: Path) -> None:
    sim.set_mp_image_delay(0.2)
    token_file = tmp_path / "refresh-token"
    env = mp_env(sim, SELLKIT_MP_REFRESH_TOKEN=refresh_token_of_a_login(sim), TOKEN_FILE=str(token_file),
                 IMAGE_TIMEOUT="10")
    out = run(argv, env).stdout
    assert "with 2 images" in out, out
    item_id = out.split()[1]
    ad: Optional[Dict[str, Any]] = sim.mp_ad(PLATFORM, item_id)
    assert ad is not None and ad["priceModel"]["askingPrice"] == 2500
    assert token_file.read_text()  # the refresh token of this run, kept for the next


@pytest.mark.parametrize("argv", [[sys.executable, "errors_retries.py"], ["node", "errors-retries.mjs"]],
                         ids=["python", "node"])
def test_errors_retries(argv: List[str]) -> None:
    out = run(argv, {k: v for k, v in os.environ.items() if not k.startswith("SELLKIT_")}).stdout
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "(3 requests)" in lines["retried"], out
    assert "server-error" in lines["gave"] and "nothing changed" in lines["gave"], out
    assert "120" in lines["rate"], out
    assert "askingPrice" in lines["invalid"], out
    assert "1 such ad on the server" in lines["unknown"], out
    assert "options" in lines, out
