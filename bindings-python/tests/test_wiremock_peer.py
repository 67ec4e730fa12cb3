"""tests/wiremock/scenarios.json and malformed.json against WireMock, an HTTP server that shares
no code with sellkit; its request journal tells what was sent. The Rust and Node suites run the
same files. Needs ``java`` and the jar ``npm install`` puts in node_modules/wiremock/build/:
without them these tests fail."""

from __future__ import annotations

import asyncio
import json
import pathlib
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

import pytest

import sellkit
from sellkit.eqp import AsyncClient as AsyncEqpClient
from sellkit.eqp import Client as EqpClient
from sellkit.marktplaats import AsyncClient as AsyncMarktplaatsClient
from sellkit.marktplaats import Client as MarktplaatsClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
FILES = {name: json.loads((ROOT / "tests" / "wiremock" / name).read_text()) for name in ("scenarios.json", "malformed.json")}
CASES = [(name, case) for name, f in FILES.items() for case in f["cases"]]


class WireMock:
    """One WireMock process on a free loopback port."""

    def __init__(self) -> None:
        jars = sorted((ROOT / "node_modules" / "wiremock" / "build").glob("wiremock-standalone-*.jar"))
        assert jars, "no wiremock-standalone jar in node_modules/wiremock/build; run `npm install`"
        java = shutil.which("java")
        assert java, "java is needed to run WireMock"
        self._root = tempfile.mkdtemp(prefix="sellkit-wiremock-")
        self._proc = subprocess.Popen(
            [java, "-jar", str(jars[-1]), "--port", "0", "--bind-address", "127.0.0.1", "--disable-banner", "--root-dir", self._root],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._proc.stdout is not None
        port = None
        for line in self._proc.stdout:
            if line.strip().startswith("port:"):
                port = int(line.split(":", 1)[1])
                break
        assert port, "WireMock exited before printing its port"
        out = self._proc.stdout
        threading.Thread(target=lambda: [None for _ in out], daemon=True).start()
        self.url = f"http://127.0.0.1:{port}"
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + 60
        while True:
            try:
                self.admin("GET", "/health")
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "WireMock did not answer /__admin/health within 60 s"
                time.sleep(0.1)

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"{self.url}/__admin{path}", data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with self._opener.open(req, timeout=30) as resp:
            text = resp.read()
        return json.loads(text) if text.strip() else None

    def stop(self) -> None:
        self._proc.kill()
        self._proc.wait()
        shutil.rmtree(self._root, ignore_errors=True)


@pytest.fixture(scope="module")
def wiremock() -> Iterator[WireMock]:
    wm = WireMock()
    try:
        yield wm
    finally:
        wm.stop()


def expand(stub: Dict[str, Any]) -> Dict[str, Any]:
    """``{"repeat": s, "times": n}`` bodies become ``s`` repeated ``n`` times."""
    body = stub.get("response", {}).get("body")
    if isinstance(body, dict):
        stub = json.loads(json.dumps(stub))
        stub["response"]["body"] = body["repeat"] * body["times"]
    return stub


def contains(actual: Any, expected: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and contains(actual[k], v) for k, v in expected.items())
    return bool(actual == expected)


Client = Union[EqpClient, MarktplaatsClient]
AsyncClient = Union[AsyncEqpClient, AsyncMarktplaatsClient]


def client_settings(case: Dict[str, Any], url: str) -> Dict[str, Any]:
    settings = case.get("client", {})
    kw: Dict[str, Any] = {"base_url": url}
    if "timeout_ms" in settings:
        kw["timeout"] = settings["timeout_ms"] / 1000
    if "max_retries" in settings:
        kw["max_retries"] = settings["max_retries"]
    if "max_response_bytes" in settings:
        kw["max_response_bytes"] = settings["max_response_bytes"]
    return kw


def make_client(file: Dict[str, Any], case: Dict[str, Any], url: str) -> Client:
    kw = client_settings(case, url)
    if case["api"] == "eqp":
        c = file["clients"]["eqp"]
        return EqpClient(app_id=c["app_id"], app_secret=c["app_secret"], **kw)
    return MarktplaatsClient(access_token=file["clients"]["marktplaats"]["access_token"], **kw)


def make_async_client(file: Dict[str, Any], case: Dict[str, Any], url: str) -> AsyncClient:
    kw = client_settings(case, url)
    if case["api"] == "eqp":
        c = file["clients"]["eqp"]
        return AsyncEqpClient(app_id=c["app_id"], app_secret=c["app_secret"], **kw)
    return AsyncMarktplaatsClient(access_token=file["clients"]["marktplaats"]["access_token"], **kw)


def run(client: Client, op: str, args: Dict[str, Any]) -> Any:
    if isinstance(client, EqpClient):
        if op == "users.get":
            return client.users.get(**args)
        if op == "request":
            return client.request(args["method"], args["path"], json=args.get("json"))
    else:
        if op == "ads.get":
            return client.ads.get(args["item_id"])
        if op == "ads.patch":
            return client.ads.patch(args["item_id"], args["ops"])
        if op == "users.get":
            return client.users.get(args["user_id"])
        if op == "users.brands":
            return client.users.brands(args["user_id"])
    raise AssertionError(f"unknown op {op}")


async def run_async(client: AsyncClient, op: str, args: Dict[str, Any]) -> Any:
    if isinstance(client, AsyncEqpClient):
        if op == "users.get":
            return await client.users.get(**args)
        if op == "request":
            return await client.request(args["method"], args["path"], json=args.get("json"))
    else:
        if op == "ads.get":
            return await client.ads.get(args["item_id"])
        if op == "ads.patch":
            return await client.ads.patch(args["item_id"], args["ops"])
        if op == "users.get":
            return await client.users.get(args["user_id"])
        if op == "users.brands":
            return await client.users.brands(args["user_id"])
    raise AssertionError(f"unknown op {op}")


Outcome = Tuple[Any, Optional[sellkit.SellkitError], float]


def outcome_sync(file: Dict[str, Any], case: Dict[str, Any], url: str) -> Outcome:
    result: Any = None
    error: Optional[sellkit.SellkitError] = None
    with make_client(file, case, url) as client:
        started = time.monotonic()
        try:
            result = run(client, case["call"]["op"], case["call"].get("args", {}))
        except sellkit.SellkitError as e:
            error = e
        return result, error, time.monotonic() - started


def outcome_async(file: Dict[str, Any], case: Dict[str, Any], url: str) -> Outcome:
    async def scenario() -> Outcome:
        result: Any = None
        error: Optional[sellkit.SellkitError] = None
        async with make_async_client(file, case, url) as client:
            started = time.monotonic()
            try:
                result = await run_async(client, case["call"]["op"], case["call"].get("args", {}))
            except sellkit.SellkitError as e:
                error = e
            return result, error, time.monotonic() - started

    return asyncio.run(scenario())


def header(req: Dict[str, Any], name: str) -> Optional[str]:
    for k, v in req.get("headers", {}).items():
        if k.lower() == name.lower():
            return str(v)
    return None


def test_both_files_have_cases() -> None:
    assert all(len(f["cases"]) >= 10 for f in FILES.values())


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("file_name,case", CASES, ids=[f"{n}:{c['name']}" for n, c in CASES])
def test_wiremock_peer(wiremock: WireMock, file_name: str, case: Dict[str, Any], mode: str) -> None:
    file = FILES[file_name]
    wiremock.admin("POST", "/reset")
    for stub in file["common_stubs"][case["api"]] + case["stubs"]:
        wiremock.admin("POST", "/mappings", expand(stub))
    expect = case["expect"]
    result, error, elapsed = (outcome_sync if mode == "sync" else outcome_async)(file, case, wiremock.url)

    if "error" in expect:
        assert error is not None, f"expected an error, got {result!r}"
        fields = {
            "kind": error.kind,
            "code": error.code,
            "status": error.status,
            "retry_after": None if error.retry_after is None else int(error.retry_after),
            "outcome_unknown": error.outcome_unknown,
        }
        assert contains(fields, expect["error"]), (fields, str(error))
        message = str(error)
        for s in expect.get("message_contains", []):
            assert s in message, message
        for s in expect.get("message_lacks", []):
            assert s not in message, message
        printed = f"{message} {error!r} {error.body}"
        for s in expect.get("nowhere", []):
            assert s not in printed, printed
        if "message_max_chars" in expect:
            assert len(message) <= expect["message_max_chars"], message
    else:
        assert error is None, f"unexpected error {error!r}"
        assert contains(result, expect["result"]), result
    assert elapsed >= expect.get("min_seconds", 0), elapsed

    requests: List[Dict[str, Any]] = [e["request"] for e in reversed(wiremock.admin("GET", "/requests")["requests"])]
    assert [f"{r['method']} {r['url']}" for r in requests] == case["journal"]
    for check in case.get("sent", []):
        req = requests[check["at"]]
        for h, v in check.get("headers", {}).items():
            assert header(req, h) == v, (check["at"], h, header(req, h))
        for h, v in check.get("header_prefix", {}).items():
            assert (header(req, h) or "").startswith(v), (check["at"], h, header(req, h))
        for h in check.get("header_present", []):
            assert header(req, h) is not None, (check["at"], h)
        if "json_body" in check:
            assert contains(json.loads(req.get("body") or "null"), check["json_body"]), req.get("body")


@pytest.mark.parametrize("bad", [0, -1])
def test_max_response_bytes_is_checked(bad: int) -> None:
    with pytest.raises(sellkit.InvalidInputError) as e:
        EqpClient(app_id="app", app_secret="secret", base_url="http://127.0.0.1:9", max_response_bytes=bad)
    assert e.value.field == "max_response_bytes"
    with pytest.raises(sellkit.InvalidInputError) as e:
        MarktplaatsClient(access_token="t", base_url="http://127.0.0.1:9", max_response_bytes=bad)
    assert e.value.field == "max_response_bytes"
