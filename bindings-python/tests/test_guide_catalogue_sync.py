"""The Python program of docs/guides/catalogue-sync.md, run for real against the simulator: the
CSV goes live, then a price change, then a removal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

from sellkit.testing import Simulator

GUIDE = Path(__file__).resolve().parents[2] / "examples" / "guides" / "catalogue-sync"


def test_the_guide_program(sim: Simulator, tmp_path: Path) -> None:
    tokens: List[Dict[str, Any]] = []
    sim.marktplaats_client(on_token=tokens.append)
    env = {
        **os.environ,
        "SELLKIT_MP_BASE_URL": sim.marktplaats_url(),
        "SELLKIT_MP_CLIENT_ID": sim.mp_client_id,
        "SELLKIT_MP_CLIENT_SECRET": sim.mp_client_secret,
        "SELLKIT_MP_REFRESH_TOKEN": tokens[-1]["refresh_token"],
    }
    state = (tmp_path / "sync-state.json").as_uri()

    def run(csv: str, *flags: str) -> List[str]:
        proc = subprocess.run([sys.executable, str(GUIDE / "sync.py"), str(GUIDE / csv), state, *flags],
                              capture_output=True, text=True, timeout=60, env=env)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout.splitlines()

    assert run("products.csv", "--dry-run")[-1] == "created=3 updated=0 unchanged=0 deleted=0 invalid=0 failed=0"
    live = run("products.csv")
    assert live[-1] == "created=3 updated=0 unchanged=0 deleted=0 invalid=0 failed=0", live
    item_id = live[0].split()[2]
    client = sim.marktplaats_client()
    assert client.ads.get(item_id)["priceModel"]["askingPrice"] == 3250
    priced = run("products-price-change.csv")
    assert priced[-1] == "created=0 updated=1 unchanged=2 deleted=0 invalid=0 failed=0", priced
    assert client.ads.get(item_id)["priceModel"]["askingPrice"] == 2999
    removed = run("products-removal.csv", "--delete-missing")
    assert removed[-1] == "created=0 updated=0 unchanged=2 deleted=1 invalid=0 failed=0", removed
    assert removed[2].startswith("cd-200   deleted")
