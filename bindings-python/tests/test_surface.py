"""The Python surface against the catalogue in the Rust core (``_native.catalogue()``): every
operation is a method of the sync and the async class of its resource (or of the client, or a
function of the API's module), with the catalogue's parameters: the required ones positional, in
order, the optional ones keyword-only defaulting to ``None``; the constructors take exactly the
client's settings and ``with_options`` exactly the call options. A generated file edited by hand
(a parameter dropped, renamed or reordered, a method added) fails here."""

from __future__ import annotations

import importlib
import inspect
import json
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest

import sellkit
from sellkit import _native
from sellkit._base import AsyncListIterator, ListIterator

CATALOGUE: Dict[str, Any] = json.loads(_native.catalogue())
APIS = sorted(CATALOGUE)
SETTINGS = {"eqp": {"app_id": "id", "app_secret": "secret"}, "marktplaats": {"client_id": "id"}}

# The methods every client has besides its operations (from sellkit._base) and its properties.
CLIENT_METHODS = {"close", "with_options"}


def operations(api: str, *kinds: str) -> List[Dict[str, Any]]:
    return [op for op in CATALOGUE[api]["operations"] if not kinds or op["kind"] in kinds]


def ids(ops: List[Dict[str, Any]]) -> List[str]:
    return [op["name"] for op in ops]


CLIENT_OPS = [(api, op) for api in APIS for op in operations(api, "call", "list", "batch", "upload")]
FUNCTIONS = [(api, op) for api in APIS for op in operations(api, "function")]


def module(api: str) -> Any:
    return importlib.import_module(f"sellkit.{api}")


def clients(api: str) -> Iterator[Tuple[bool, Any]]:
    """A sync and an async client of ``api`` (made without sending anything)."""
    mod = module(api)
    yield False, mod.Client(**SETTINGS[api])
    yield True, mod.AsyncClient(**SETTINGS[api])


def resolve(client: Any, name: str) -> Tuple[Any, Callable[..., Any]]:
    """The resource object and the method of operation ``name`` (``users.keys.create``)."""
    *path, method = name.split(".")
    obj = client
    for part in path:
        obj = getattr(obj, part)
    assert hasattr(obj, method), f"{type(obj).__qualname__} has no method {method!r} for {name}"
    return obj, getattr(obj, method)


def check_params(where: str, fn: Callable[..., Any], params: List[Dict[str, Any]]) -> inspect.Signature:
    """Required parameters positional in order; optional ones keyword-only, in order, default None."""
    sig = inspect.signature(fn)
    got = list(sig.parameters.values())
    assert all(p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in got), f"{where}: *args/**kwargs in {sig}"
    positional = [p.name for p in got if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    keyword = [p for p in got if p.kind is p.KEYWORD_ONLY]
    assert positional == [p["name"] for p in params if p["required"]], f"{where}: positional parameters {sig}"
    assert [p.name for p in keyword] == [p["name"] for p in params if not p["required"]], f"{where}: keyword-only parameters {sig}"
    assert all(p.default is p.empty for p in got if p.name in positional), f"{where}: a required parameter has a default {sig}"
    assert all(p.default is None for p in keyword), f"{where}: an optional parameter does not default to None {sig}"
    return sig


def test_the_catalogue_lists_both_apis_and_every_kind() -> None:
    assert APIS == ["eqp", "marktplaats"]
    kinds = {op["kind"] for api in APIS for op in operations(api)}
    assert kinds == {"call", "list", "batch", "upload", "function"}
    assert len(CLIENT_OPS) > 90 and len(FUNCTIONS) >= 5


@pytest.mark.parametrize("api,op", CLIENT_OPS, ids=[f"{a}.{o['name']}" for a, o in CLIENT_OPS])
def test_every_operation_is_a_method_of_both_clients(api: str, op: Dict[str, Any]) -> None:
    for asynchronous, client in clients(api):
        where = f"{'async ' if asynchronous else ''}{api}.{op['name']}"
        resource, method = resolve(client, op["name"])
        if "." in op["name"]:
            expected = ("Async" if asynchronous else "") + "".join(w.title() for w in op["name"].split(".")[-2].split("_"))
            assert type(resource).__name__ == expected, where
        sig = check_params(where, method, op["params"])
        returns = str(sig.return_annotation)
        if op["kind"] == "list":
            assert not inspect.iscoroutinefunction(method), f"{where}: a list is iterated, not awaited"
            iterator = "AsyncListIterator" if asynchronous else "ListIterator"
            assert returns.startswith(f"{iterator}["), f"{where} returns {returns}"
        elif asynchronous:
            assert inspect.iscoroutinefunction(method), f"{where} is not a coroutine function"
        else:
            assert not inspect.iscoroutinefunction(method), where
        if op["kind"] == "batch":
            assert returns.startswith("BatchResult["), f"{where} returns {returns}"


# Arguments that let each list open (a search needs a query or a category).
LIST_ARGS: Dict[str, Dict[str, Any]] = {"search": {"query": "lamp"}, "packages.by_sku": {"sku": "acme/one"}}


def test_every_list_opens_lazily_as_an_iterator() -> None:
    for api in APIS:
        for asynchronous, client in clients(api):
            for op in operations(api, "list"):
                _, method = resolve(client, op["name"])
                opened = method(**LIST_ARGS.get(op["name"], {}))  # nothing is fetched before iterating
                assert isinstance(opened, AsyncListIterator if asynchronous else ListIterator), op["name"]


def resources(obj: Any, prefix: str = "") -> Iterator[Tuple[str, Any]]:
    """Every resource object under a client or resource, with its path (``users.keys.``)."""
    names = type(obj).__annotations__ if prefix == "" else [n for n in type(obj).__slots__ if n != "_client"]
    for name in names:
        child = getattr(obj, name)
        yield f"{prefix}{name}.", child
        yield from resources(child, f"{prefix}{name}.")


@pytest.mark.parametrize("api", APIS)
def test_the_classes_have_no_method_the_catalogue_lacks(api: str) -> None:
    names = {op["name"] for op in operations(api, "call", "list", "batch", "upload")}
    own = CLIENT_METHODS | set(CATALOGUE[api]["properties"]) | {"closed"}
    for _, client in clients(api):
        found = {a for a in dir(type(client)) if not a.startswith("_") and a not in own and callable(getattr(client, a))}
        for prefix, resource in resources(client):
            found |= {f"{prefix}{a}" for a in dir(type(resource)) if not a.startswith("_") and callable(getattr(resource, a))}
        assert found == names, f"methods beyond the catalogue: {found - names}; missing: {names - found}"


@pytest.mark.parametrize("api,op", FUNCTIONS, ids=[f"{a}.{o['name']}" for a, o in FUNCTIONS])
def test_every_function_is_a_function_of_the_module(api: str, op: Dict[str, Any]) -> None:
    fn = getattr(module(api), op["name"])
    assert inspect.isfunction(fn) and not inspect.iscoroutinefunction(fn), op["name"]
    assert op["name"] in module(api).__all__
    check_params(f"sellkit.{api}.{op['name']}", fn, op["params"])


@pytest.mark.parametrize("api", APIS)
def test_constructors_take_the_settings_and_with_options_the_call_options(api: str) -> None:
    settings = CATALOGUE[api]["client"]
    options = CATALOGUE[api]["call_options"]
    assert settings and options and not any(p["required"] for p in settings + options)
    for cls in (module(api).Client, module(api).AsyncClient):
        init = inspect.signature(cls.__init__)
        assert list(init.parameters)[0] == "self"
        got = [p for p in init.parameters.values() if p.name != "self"]
        assert all(p.kind is p.KEYWORD_ONLY and p.default is None for p in got), f"{cls.__qualname__}{init}"
        assert [p.name for p in got] == [p["name"] for p in settings], f"{cls.__qualname__}{init}"
        with_options = inspect.signature(cls.with_options)
        got = [p for p in with_options.parameters.values() if p.name != "self"]
        assert all(p.kind is p.KEYWORD_ONLY and p.default is None for p in got), f"{cls.__qualname__}.with_options{with_options}"
        assert [p.name for p in got] == [p["name"] for p in options], f"{cls.__qualname__}.with_options{with_options}"
        for prop in CATALOGUE[api]["properties"]:
            assert isinstance(getattr(cls, prop, None), property), f"{cls.__qualname__}.{prop}"
