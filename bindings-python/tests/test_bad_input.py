"""The bad-input matrix (tests/bad_input/cases.json) through the Python API, one test per case.

Each case is called through the public methods (the sync client for every case, the async client
for a sample) and must: raise the expected exception (``InvalidInputError`` unless the case names
another kind), name the expected field, send nothing to the simulator, and not be an
``InternalError`` (a caught panic). Markers in the file become Python values: ``float('nan')``,
lone surrogates, ``bytes``, ints beyond 64 bits, 10 MB strings.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import math
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest

import sellkit
from sellkit import InternalError, SellkitError, locale, marktplaats, patch
from sellkit.testing import Simulator

CASES_FILE = Path(__file__).resolve().parents[2] / "tests" / "bad_input" / "cases.json"
ALL_CASES: List[Dict[str, Any]] = json.loads(CASES_FILE.read_text())["cases"]
CASES = [c for c in ALL_CASES if "python" in c.get("languages", ["python"])]
# Every fifth call case again through the async client.
ASYNC_CASES = [c for c in CASES if c["target"] in ("eqp", "marktplaats")][::5]

# The functions of the Marktplaats module and of sellkit.locale, by the matrix's op names.
MP_FUNCTIONS: Dict[str, Callable[..., Any]] = {
    "authorization_url": marktplaats.authorization_url,
    "locale.resolve": locale.resolve,
}


def test_the_matrix_is_big_enough() -> None:
    assert len(CASES) >= 100, len(CASES)
    assert len(ASYNC_CASES) >= 20, len(ASYNC_CASES)


class World:
    """One simulator and logged-in clients shared by every case (set up before any counting)."""

    def __init__(self, tmp: Path) -> None:
        self.sim = Simulator()
        self.tmp = tmp
        self.eqp = self.sim.eqp_client()
        self.eqp.authenticate()
        self.mp: Dict[str, marktplaats.Client] = {}
        self.loop = asyncio.new_event_loop()
        self.eqp_async = self.loop.run_until_complete(self._eqp_async())
        self.mp_async: Dict[str, marktplaats.AsyncClient] = {}

    async def _eqp_async(self) -> sellkit.eqp.AsyncClient:
        c = self.sim.eqp_async_client()
        await c.authenticate()
        return c

    def marktplaats(self, platform: str) -> marktplaats.Client:
        if platform not in self.mp:
            self.mp[platform] = self.sim.marktplaats_client(platform)
        return self.mp[platform]

    def marktplaats_async(self, platform: str) -> marktplaats.AsyncClient:
        if platform not in self.mp_async:
            self.mp_async[platform] = self.loop.run_until_complete(self.sim.marktplaats_async_client(platform))
        return self.mp_async[platform]

    def sent(self) -> int:
        return sum(self.sim.request_counts().values())

    def close(self) -> None:
        self.loop.close()
        self.sim.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    w = World(tmp_path_factory.mktemp("bad-input"))
    yield w
    w.close()


def decode(w: World, v: Any) -> Any:
    """The case's JSON with its markers replaced by Python values."""
    if isinstance(v, list):
        return [decode(w, x) for x in v]
    if isinstance(v, dict):
        if len(v) == 1:
            (k, arg), = v.items()
            if k == "$nan":
                return math.nan
            if k == "$inf":
                return math.inf * arg
            if k == "$repeat":
                return arg[0] * arg[1]
            if k == "$lone_surrogate":
                return arg + "\ud800"
            if k == "$bigint":
                return int(arg)
            if k == "$bytes":
                return arg.encode()
            if k == "$sim":
                return sim_value(w.sim, arg)
            if k == "$tempfile":
                p = w.tmp / arg
                p.write_bytes(b"PK\x03\x04 bad-input fixture")
                return str(p)
            assert not k.startswith("$"), f"unknown marker {k}"
        return {k: decode(w, x) for k, x in v.items()}
    return v


def sim_value(sim: Simulator, name: str) -> str:
    if name.startswith("mp_url:"):
        return sim.marktplaats_url(name[len("mp_url:"):])
    return str({"eqp_url": sim.eqp_url, "eqp_app_id": sim.eqp_app_id, "eqp_app_secret": sim.eqp_app_secret,
                "mp_client_id": sim.mp_client_id, "mp_client_secret": sim.mp_client_secret}[name])


def method(root: Any, op: str) -> Callable[..., Any]:
    """The generated method of operation ``op`` (the catalogue's name: ``users.keys.create``)."""
    obj = root
    for part in op.split("."):
        obj = getattr(obj, part)
    return obj  # type: ignore[no-any-return]


def invoke(fn: Callable[..., Any], args: Dict[str, Any]) -> Any:
    """Call ``fn`` as a user would: its required parameters positionally, in order, the rest by
    name. A name the method does not take goes into its ``filters`` when it has one (the package
    list's other filters), else by name (and Python refuses it)."""
    params = inspect.signature(fn).parameters
    args = dict(args)
    if "filters" in params:
        extra = {k: args.pop(k) for k in list(args) if k not in params}
        if extra:
            args["filters"] = {**args.get("filters", {}), **extra}
    positional = []
    for name, p in params.items():
        if p.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD or name not in args:
            break
        positional.append(args.pop(name))
    return fn(*positional, **args)


def first(result: Any) -> Any:
    """Lists are lazy: fetch the first item, which is when a list may refuse its arguments."""
    if isinstance(result, Iterator):
        return next(result, None)
    return result


async def first_async(result: Any) -> Any:
    if inspect.isawaitable(result):
        return await result
    if hasattr(result, "__anext__"):
        try:
            return await result.__anext__()
        except StopAsyncIteration:
            return None
    return result


def call_sync(w: World, case: Dict[str, Any], args: Dict[str, Any]) -> Any:
    target, op, mode = case["target"], case.get("op"), case.get("mode", "call")
    if target == "eqp":
        if mode == "upload":
            return w.eqp.files.upload(args["files"])
        return first(invoke(method(w.eqp, op), args))
    if target == "marktplaats":
        return first(invoke(method(w.marktplaats(case.get("platform", "marktplaats")), op), args))
    if target == "mp_static":
        return invoke(MP_FUNCTIONS[op], args)
    if target == "patch":
        return {"validate": patch.validate, "apply": patch.apply}[op](**args)
    if target == "eqp_client":
        return sellkit.eqp.Client(**args)
    if target == "mp_client":
        return marktplaats.Client(**args)
    raise AssertionError(f"unknown target {target}")


def call_async(w: World, case: Dict[str, Any], args: Dict[str, Any]) -> Any:
    if case["target"] == "eqp":
        client: Any = w.eqp_async
    else:
        client = w.marktplaats_async(case.get("platform", "marktplaats"))
    op, mode = case.get("op"), case.get("mode", "call")
    call: Callable[[], Any]
    if mode == "upload":
        call = lambda: client.files.upload(args["files"])  # noqa: E731
    else:
        call = lambda: invoke(method(client, op), args)  # noqa: E731

    async def run() -> Any:
        return await first_async(call())

    return w.loop.run_until_complete(run())


def expected_fields(case: Dict[str, Any]) -> List[str]:
    field = case["expect"]["field"]
    if isinstance(field, dict):
        field = field.get("python", field["default"])
    return [field, *case["expect"].get("field_in", [])]


def detail_field(d: Any) -> Optional[str]:
    return d.get("field") if isinstance(d, dict) else getattr(d, "field", None)


def check(w: World, case: Dict[str, Any], run: Callable[[World, Dict[str, Any], Dict[str, Any]], Any]) -> None:
    args = decode(w, case["args"])
    if case["target"] == "marktplaats":
        w.marktplaats(case.get("platform", "marktplaats"))  # logging in sends requests: before counting
    before = w.sent()
    try:
        result = run(w, case, args)
    except SellkitError as e:
        error: SellkitError = e
    else:
        raise AssertionError(f"the call succeeded ({w.sent() - before} requests sent): {str(result)[:300]}")
    sent = w.sent() - before
    shown = repr(error)[:600]
    assert not isinstance(error, InternalError), f"internal error (a panic?): {shown}"
    expect = case["expect"]
    assert error.kind == expect["kind"], f"expected kind {expect['kind']}, got {shown}"
    if expect["kind"] == "invalid_input":
        assert isinstance(error, sellkit.InvalidInputError), shown
    if "code" in expect:
        assert error.code == expect["code"], shown
    fields = expected_fields(case)
    named = [detail_field(d) for d in error.details] + [error.field]
    assert any(f in fields for f in named), f"expected the field {fields}, got {shown}"
    assert sent == 0, f"{sent} requests were sent before the error: {shown}"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_sync(world: World, case: Dict[str, Any]) -> None:
    check(world, case, call_sync)


@pytest.mark.parametrize("case", ASYNC_CASES, ids=[c["id"] for c in ASYNC_CASES])
def test_async(world: World, case: Dict[str, Any]) -> None:
    if case["target"] == "marktplaats":
        world.marktplaats_async(case.get("platform", "marktplaats"))
    check(world, case, call_async)
