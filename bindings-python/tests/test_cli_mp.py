"""``sellkit mp login`` and ``sellkit mp sync`` through ``python -m sellkit`` against the
simulator: a login driven by the simulator's approval (the tokens go to the default file store,
never to the output), then a catalogue synced from CSV, run again (all unchanged), with
``--json`` parsed, and bad input refused with exit 2 before anything is sent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

from sellkit.testing import Simulator

PROGRAM = [sys.executable, "-m", "sellkit"]
PRODUCTS = """key,title,description,category_id,price,price_model,postcode,attr.condition,attr.brand
cd-100,Sony CDP-XE270 cd player,Plays every cd; remote included.,35,32.50,fixed,1097DN,Gebruikt,Sony
cd-200,Philips CD 723 cd player,Serviced last month.,35,45,fixed,1097DN,Zo goed als nieuw,Philips
"""


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator() as s:
        yield s


def env_for(sim: Simulator, config: Path) -> Dict[str, str]:
    """The simulator's application and a config folder of the test's own (nothing of the
    developer's SELLKIT_* or config)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SELLKIT_")}
    env.update(
        XDG_CONFIG_HOME=str(config),
        SELLKIT_MP_BASE_URL=sim.marktplaats_url("marktplaats"),
        SELLKIT_MP_CLIENT_ID=sim.mp_client_id,
        SELLKIT_MP_CLIENT_SECRET=sim.mp_client_secret,
    )
    return env


def run(sim: Simulator, config: Path, args: List[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PROGRAM, *args], env=env_for(sim, config), capture_output=True, text=True, timeout=120)


def login(sim: Simulator, config: Path) -> str:
    """``mp login``, the browser's part played by the simulator's approval and a GET of the
    redirect URI; returns everything the command printed."""
    p = subprocess.Popen(
        [*PROGRAM, "mp", "login", "--port", "0", "--no-browser", "--json"],
        env=env_for(sim, config), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert p.stderr is not None
    seen: List[str] = []
    url = None
    while url is None:
        line = p.stderr.readline()
        assert line, f"no URL printed: {seen}"
        seen.append(line)
        if "/accounts/oauth/authorize" in line:
            url = line.strip()
    code, state = sim.mp_approve(url)
    redirect = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["redirect_uri"][0]
    with urllib.request.urlopen(f"{redirect}?{urllib.parse.urlencode({'code': code, 'state': state})}", timeout=30) as page:
        assert page.status == 200
    stdout, stderr = p.communicate(timeout=60)
    assert p.returncode == 0, stdout + stderr
    doc = json.loads(stdout)
    assert doc["user_id"] == sim.mp_user_id and doc["refresh_token_kept"] is True
    return "".join(seen) + stdout + stderr


def test_login_then_sync_through_python_m_sellkit(sim: Simulator, tmp_path: Path) -> None:
    config = tmp_path / "config"
    printed = login(sim, config)
    tokens = config / "sellkit" / "tokens.json"
    assert tokens.exists() and (tokens.stat().st_mode & 0o777) == 0o600

    who = run(sim, config, ["mp", "whoami", "--json"])
    assert who.returncode == 0, who.stderr
    assert json.loads(who.stdout)["userId"] == sim.mp_user_id

    products = tmp_path / "products.csv"
    products.write_text(PRODUCTS, encoding="utf-8")
    sim.reset_counters()
    bad = run(sim, config, ["mp", "sync", "--catalogue", str(products), "--state", "memory:"])
    assert bad.returncode == 2 and "--state" in bad.stderr, bad.stderr
    bad = run(sim, config, ["mp", "sync", "--catalogue", str(tmp_path / "missing.csv")])
    assert bad.returncode == 2 and "--catalogue" in bad.stderr, bad.stderr
    assert sum(sim.request_counts().values()) == 0, sim.request_counts()

    first = run(sim, config, ["mp", "sync", "--catalogue", str(products)])
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.startswith("KEY") and "created=2 updated=0 unchanged=0" in first.stdout, first.stdout
    again = run(sim, config, ["mp", "sync", "--catalogue", str(products), "--json"])
    assert again.returncode == 0, again.stderr
    doc = json.loads(again.stdout)
    assert doc["counts"]["unchanged"] == 2 and doc["counts"]["created"] == 0, doc
    assert [i["key"] for i in doc["items"]] == ["cd-100", "cd-200"]
    item = doc["items"][0]["itemId"]
    ad = sim.mp_ad("marktplaats", item)
    assert ad is not None and ad["priceModel"]["askingPrice"] == 3250
    assert (config / "sellkit" / "sync-state.json").exists()

    everything = printed + who.stdout + who.stderr + first.stdout + first.stderr + again.stdout + again.stderr
    for token in sim.issued_mp_tokens():
        assert token not in everything, "a token was printed"
