"""The ``sellkit`` command as the Python package ships it (``python -m sellkit`` and the console
script), and ``client.release`` from Python, against the simulator: a release and its re-run
(one submission), a failed scan (exit 7), bad input (exit 2, nothing sent), ``--json``, the JUnit
file, progress bars in a real pseudo-terminal, and a release killed at each step then run again.
"""

from __future__ import annotations

import asyncio
import json
import os
import pty
import select
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

from sellkit.eqp.types import ReleaseEvent
from sellkit.testing import Simulator

SKU = "acme/one-click"
PACKAGE = {
    "release_notes": "Faster checkout.",
    "version_compatibility": [{"edition": "CE", "versions": ["2.4"]}],
    "name": "One Click Checkout",
    "long_description": "Checkout in one click.",
    "categories": ["//Extensions//Payments & Security//Checkout Enhancements"],
    "license_type": "mit",
    "launch_on_approval": True,
}
# The console script pip installs next to this interpreter.
CONSOLE_SCRIPT = str(Path(sys.executable).parent / "sellkit")


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator() as s:
        s.set_eqp_scan_delay(0.05)
        s.set_eqp_review_delay(0.3)
        yield s


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "ext.zip").write_bytes(b"PK\x03\x04" + os.urandom(40_000))
    (tmp_path / "guide.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(3_000))
    (tmp_path / "icon.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(500))
    (tmp_path / "package.json").write_text(json.dumps(PACKAGE))
    return tmp_path


def env_for(sim: Simulator) -> Dict[str, str]:
    """Only what points sellkit at the simulator (nothing of the developer's own SELLKIT_*)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SELLKIT_")}
    env.update(SELLKIT_EQP_BASE_URL=sim.eqp_url, SELLKIT_EQP_APP_ID=sim.eqp_app_id, SELLKIT_EQP_APP_SECRET=sim.eqp_app_secret)
    return env


def release_args(files: Path, version: str, *more: str) -> List[str]:
    return [
        "eqp", "release", "--sku", SKU, "--version", version,
        "--artifact", str(files / "ext.zip"), "--docs", str(files / "guide.pdf"),
        "--media", str(files / "icon.png"), "--package", str(files / "package.json"),
        "--poll-interval", "0.05", *more,
    ]


def run(program: List[str], sim: Simulator, args: List[str]) -> subprocess.CompletedProcess[str]:
    r = subprocess.run([*program, *args], env=env_for(sim), capture_output=True, text=True, timeout=120)
    assert sim.eqp_app_secret not in r.stdout + r.stderr, "the secret was printed"
    return r


PROGRAMS = {"python -m sellkit": [sys.executable, "-m", "sellkit"], "console script": [CONSOLE_SCRIPT]}


@pytest.mark.parametrize("program", PROGRAMS.values(), ids=list(PROGRAMS))
def test_release_rerun_json_and_junit(program: List[str], sim: Simulator, files: Path) -> None:
    junit = files / "results.xml"
    r = run(program, sim, release_args(files, "1.2.0", "--wait", "--junit", str(junit)))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("Done:") and "review: passed" in r.stdout, r.stdout
    assert "uploading ext.zip" in r.stderr and "\x1b" not in r.stderr, r.stderr
    assert sim.eqp_package_count() == 1

    root = ET.parse(junit).getroot()
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert cases and int(suite.get("tests", "-1")) == len(cases)
    assert all(c.get("classname", "").startswith("eqp.") for c in cases)

    again = run(program, sim, release_args(files, "1.2.0", "--json"))
    assert again.returncode == 0, again.stderr
    doc = json.loads(again.stdout)
    assert doc["created"] is False and doc["sku"] == SKU
    assert all(f["reused"] for f in doc["files"])
    assert sim.eqp_package_count() == 1
    assert sim.request_count("POST /rest/v1/products/packages") == 1


@pytest.mark.parametrize("program", PROGRAMS.values(), ids=list(PROGRAMS))
def test_failed_scan_and_bad_input_exit_codes(program: List[str], sim: Simulator, files: Path) -> None:
    r = run(program, sim, ["eqp", "release", "--sku", "Not A Sku", "--version", "1.0.0", "--artifact", str(files / "ext.zip")])
    assert r.returncode == 2 and "sku" in r.stderr, r.stderr
    r = run(program, sim, ["eqp", "release", "--sku", SKU, "--version", "1.0.0"])
    assert r.returncode == 2 and "--artifact" in r.stderr, r.stderr
    assert sum(sim.request_counts().values()) == 0, sim.request_counts()

    sim.set_eqp_scan_verdict("fail")
    r = run(program, sim, release_args(files, "1.0.0", "--json"))
    assert r.returncode == 7, r.stdout + r.stderr
    assert json.loads(r.stdout)["error"]["exit_code"] == 7
    assert sim.eqp_package_count() == 0


def test_help_and_version() -> None:
    r = subprocess.run([sys.executable, "-m", "sellkit", "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "Usage: sellkit" in r.stdout and "8  waited past --timeout" in r.stdout, r.stdout
    r = subprocess.run([CONSOLE_SCRIPT, "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.startswith("sellkit "), r.stdout


def run_in_terminal(argv: List[str], env: Dict[str, str]) -> Tuple[int, str]:
    """Run ``argv`` with a pseudo-terminal as its stdin, stdout and stderr; its exit code and
    everything it drew."""
    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.execve(argv[0], argv, {**env, "TERM": "xterm-256color"})
    out = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child's side is closed
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


def test_progress_bars_on_a_terminal(sim: Simulator, files: Path) -> None:
    sim.set_eqp_scan_delay(0.6)
    (files / "ext.zip").write_bytes(b"PK\x03\x04" + os.urandom(3_000_000))
    code, screen = run_in_terminal([sys.executable, "-m", "sellkit", *release_args(files, "1.5.0")], env_for(sim))
    assert code == 0, screen
    assert "\x1b" in screen and "MiB" in screen, screen
    assert "Done:" in screen


# --- client.release from Python ----------------------------------------------------------------


def release_kwargs(files: Path) -> Dict[str, Any]:
    return dict(docs=[str(files / "guide.pdf")], media=[str(files / "icon.png")], package=PACKAGE, poll_interval=0.05, timeout=30)


def test_client_release_sync_with_events(sim: Simulator, files: Path) -> None:
    events: List[ReleaseEvent] = []
    with sim.eqp_client() as client:
        out = client.release(SKU, "1.3.0", str(files / "ext.zip"), wait=True, on_event=events.append, **release_kwargs(files))
        assert out["passed"] is True and out["created"] is True and out["submission_id"]
        steps = [e["step"] for e in events]
        for step in ["checking", "uploading", "uploaded", "scanning", "creating", "submitting", "waiting_for_review", "done"]:
            assert step in steps, steps
        again = client.release(SKU, "1.3.0", str(files / "ext.zip"), **release_kwargs(files))
        assert again["submission_id"] == out["submission_id"] and again["created"] is False
    assert sim.eqp_package_count() == 1


def test_client_release_async_under_faults(sim: Simulator, files: Path) -> None:
    # The create reaches the server, then the connection drops before the answer: the retry
    # must find that submission rather than make a second one.
    sim.inject_fault("POST /rest/v1/products/packages", "drop-after")
    sim.fail_next("POST /rest/v1/files/uploads", count=2, status=503, retry_after="0")

    async def go() -> Any:
        async with sim.eqp_async_client() as client:
            return await client.release(SKU, "1.4.0", str(files / "ext.zip"), **release_kwargs(files))

    # An upload is not repeated on its own (a POST); each failed run is run again, as CI would.
    failures: List[Exception] = []
    for _ in range(4):
        try:
            out = asyncio.run(go())
            break
        except Exception as e:
            failures.append(e)
    else:
        raise AssertionError(f"no run succeeded: {failures}")
    assert len(failures) >= 1  # the 503s were seen
    assert out["submission_id"]
    assert sim.eqp_package_count() == 1


KILLER = """
import os, sys, json, signal
from sellkit.eqp import Client
step = sys.argv[1]
def on_event(e):
    if e["step"] == step:
        os.kill(os.getpid(), signal.SIGKILL)
client = Client()
out = client.release(sys.argv[2], sys.argv[3], sys.argv[4], docs=[sys.argv[5]], media=[sys.argv[6]],
                     package=json.loads(sys.argv[7]), wait=True, poll_interval=0.05, timeout=30, on_event=on_event)
print(json.dumps({"submission_id": out["submission_id"]}))
"""


@pytest.mark.parametrize("step", ["uploaded", "scanning", "creating", "submitting", "waiting_for_review"])
def test_a_release_killed_at_each_step_then_run_again_makes_one_submission(step: str, sim: Simulator, files: Path) -> None:
    version = "1.6.0"
    args = [SKU, version, str(files / "ext.zip"), str(files / "guide.pdf"), str(files / "icon.png"), json.dumps(PACKAGE)]
    killed = subprocess.run([sys.executable, "-c", KILLER, step, *args], env=env_for(sim), capture_output=True, text=True, timeout=120)
    assert killed.returncode == -9, killed.stdout + killed.stderr
    # Run again to the end (no step kills it now).
    done = subprocess.run([sys.executable, "-c", KILLER, "never", *args], env=env_for(sim), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["submission_id"]
    assert sim.eqp_package_count() == 1
    assert sim.request_count("POST /rest/v1/products/packages") <= 1
