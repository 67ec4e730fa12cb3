"""The Python code of docs/guides/networks-and-logging.md, as it is in
examples/guides/networks-and-logging, run against the simulator: the JSON logging script with the
credentials in the environment, and the caplog test through sellkit's pytest plugin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sellkit.testing import Simulator

GUIDE = Path(__file__).resolve().parents[2] / "examples" / "guides" / "networks-and-logging"

pytest_plugins = ["pytester"]


def test_the_json_logging_script(sim: Simulator) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SELLKIT_", "COMPANY_"))}
    env.update(SELLKIT_EQP_APP_ID=sim.eqp_app_id, SELLKIT_EQP_APP_SECRET=sim.eqp_app_secret, SELLKIT_EQP_BASE_URL=sim.eqp_url)
    sim.fail_next("GET /rest/v1/products/packages", 1, 503, "0")
    proc = subprocess.run([sys.executable, str(GUIDE / "logging_to_json.py")], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert lines[-1] == {"summary": {"mage_id": sim.eqp_mage_id, "packages": 0}}
    records = lines[:-1]
    profile = f"/rest/v1/users/{sim.eqp_mage_id}"
    assert {"logger": "sellkit.http", "level": "DEBUG", "method": "GET", "path": profile, "attempt": 1, "status": 200}.items() <= next(
        r for r in records if r.get("path") == profile and r.get("status") == 200
    ).items()
    retry = next(r for r in records if r["message"].startswith("retrying"))
    assert (retry["logger"], retry["level"], retry["path"], retry["code"]) == ("sellkit.http", "INFO", "/rest/v1/products/packages", "server-error")
    # sellkit.auth is at the sellkit logger's INFO: its DEBUG token events are not made.
    assert all(r["logger"] == "sellkit.http" for r in records), records
    assert sim.eqp_app_secret not in proc.stdout
    tokens = sim.issued_eqp_tokens()
    assert tokens and not any(t in proc.stdout for t in tokens)


def test_the_caplog_example(pytester: pytest.Pytester) -> None:
    pytester.copy_example(str(GUIDE / "test_caplog_example.py"))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=1)
