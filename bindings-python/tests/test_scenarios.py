"""The cross-language scenarios in tests/scenarios/eqp_foundation.json, through the sync and the
async client. The Rust and Node suites run the same file; all three must agree."""

from __future__ import annotations

import asyncio
import json
import pathlib
from typing import Any, Dict, Optional

import pytest

import sellkit
from sellkit.eqp import AsyncClient, Client
from sellkit.testing import Simulator

SCENARIOS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "scenarios" / "eqp_foundation.json"
CASES = json.loads(SCENARIOS.read_text())["cases"]


def contains(actual: Any, expected: Any) -> bool:
    """Every field of ``expected`` is in ``actual`` with the same value (objects recursively)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and contains(actual[k], v) for k, v in expected.items())
    return bool(actual == expected)


def error_fields(e: sellkit.SellkitError) -> Dict[str, Any]:
    return {
        "kind": e.kind,
        "code": e.code,
        "status": e.status,
        "field": e.field,
        "retry_after": None if e.retry_after is None else int(e.retry_after),
        "api_code": e.api_code,
    }


def settings(sim: Simulator, case: Dict[str, Any]) -> Dict[str, Any]:
    c = case.get("client", {})
    kw: Dict[str, Any] = {"app_id": c.get("app_id", sim.eqp_app_id), "app_secret": c.get("app_secret", sim.eqp_app_secret), "base_url": sim.eqp_url}
    if "max_retries" in c:
        kw["max_retries"] = c["max_retries"]
    return kw


def run_sync(client: Client, op: str, args: Optional[Dict[str, Any]]) -> Any:
    args = args or {}
    if op == "authenticate":
        return {"mage_id": client.authenticate()}
    if op == "users.get":
        return client.users.get(**args)
    if op == "users.update":
        return client.users.update(args["fields"])
    if op == "request":
        return client.request(args["method"], args["path"], json=args.get("json"))
    raise AssertionError(f"unknown op {op}")


async def run_async(client: AsyncClient, op: str, args: Optional[Dict[str, Any]]) -> Any:
    args = args or {}
    if op == "authenticate":
        return {"mage_id": await client.authenticate()}
    if op == "users.get":
        return await client.users.get(**args)
    if op == "users.update":
        return await client.users.update(args["fields"])
    if op == "request":
        return await client.request(args["method"], args["path"], json=args.get("json"))
    raise AssertionError(f"unknown op {op}")


def prepare(sim: Simulator, case: Dict[str, Any]) -> None:
    sim.reset_counters()
    for f in case.get("faults", []):
        sim.fail_next(f["route"], f["count"], f["status"], f.get("retry_after"))


def check(sim: Simulator, case: Dict[str, Any], result: Any, error: Optional[sellkit.SellkitError]) -> None:
    expect = case["expect"]
    if "error" in expect:
        assert error is not None, f"expected an error, got {result!r}"
        assert contains(error_fields(error), expect["error"]), error_fields(error)
    else:
        assert error is None, f"unexpected error {error!r}"
        assert contains(result, expect.get("result", {})), result
    for route, want in expect.get("counts", {}).items():
        assert sim.request_count(route) == want, (route, sim.request_counts())


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_scenario_sync(case: Dict[str, Any]) -> None:
    with Simulator() as sim, Client(**settings(sim, case)) as client:
        for step in case.get("setup", []):
            run_sync(client, step["op"], step.get("args"))
        prepare(sim, case)
        result, error = None, None
        try:
            result = run_sync(client, case["call"]["op"], case["call"].get("args"))
        except sellkit.SellkitError as e:
            error = e
        check(sim, case, result, error)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_scenario_async(case: Dict[str, Any]) -> None:
    async def scenario(sim: Simulator) -> None:
        async with AsyncClient(**settings(sim, case)) as client:
            for step in case.get("setup", []):
                await run_async(client, step["op"], step.get("args"))
            prepare(sim, case)
            result, error = None, None
            try:
                result = await run_async(client, case["call"]["op"], case["call"].get("args"))
            except sellkit.SellkitError as e:
                error = e
            check(sim, case, result, error)

    with Simulator() as sim:
        asyncio.run(scenario(sim))


def test_the_scenario_file_is_not_empty() -> None:
    assert len(CASES) >= 10
