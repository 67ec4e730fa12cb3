"""sellkit.patch: the community JSON Patch suite (tests/fixtures/json-patch-tests) with the
checks of core/tests/json_patch_suite.rs, and what the Python surface adds: conversion, errors,
atomicity, exact integers."""

from __future__ import annotations

import copy
import json
import math
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import sellkit
from sellkit import patch

SUITE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "json-patch-tests"


def same(a: Any, b: Any) -> bool:
    """JSON equality as the core's tests use it: exact types (``1`` is not ``1.0``, ``True`` is
    not ``1``), members in any order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def exact(a: Any, b: Any) -> bool:
    """Same value and same member order (what "left unchanged" means)."""
    return same(a, b) and json.dumps(a) == json.dumps(b)


def check_diff(old: Any, new: Any) -> None:
    ops = patch.diff(old, new)
    assert all(op["op"] in ("add", "remove", "replace") for op in ops), ops
    patch.validate(ops, server_safe=True)
    out = patch.apply(old, ops)
    assert same(out, new), f"diff round trip gave {out!r}, expected {new!r} ({ops})"
    if same(old, new):
        assert ops == [], f"diff of equal values is not empty: {ops}"


def run_case(case: Dict[str, Any]) -> None:
    doc = case["doc"]
    before = copy.deepcopy(doc)
    if "error" in case:
        # Refused while parsing, or while applying; either way the input is untouched.
        try:
            patch.parse(case["patch"])
        except sellkit.InvalidInputError:
            return
        with pytest.raises(sellkit.SellkitError):
            patch.apply(doc, case["patch"])
        assert exact(doc, before), "a failed apply changed the document"
        return
    ops = patch.parse(case["patch"])
    out = patch.apply(doc, case["patch"])
    assert exact(doc, before), "apply changed its input"
    assert same(patch.apply(doc, ops), out), "the parsed patch applies differently"
    # The normal form survives a round trip.
    assert patch.parse(ops) == ops
    if "expected" in case:
        assert same(out, case["expected"]), f"got {out!r}, expected {case['expected']!r}"
        check_diff(doc, case["expected"])


def run_file(name: str) -> Tuple[int, int, int, List[str]]:
    cases = json.loads((SUITE / name).read_text(encoding="utf-8"))
    enabled = [c for c in cases if c.get("disabled") is not True]
    failures = []
    for i, case in enumerate(enabled):
        try:
            run_case(case)
        except Exception as e:  # noqa: BLE001 - every failure is reported with its case
            failures.append(f"{name} enabled case {i} ({case.get('comment', '')}): {type(e).__name__}: {e}\n    {case}")
    passed = len(enabled) - len(failures)
    print(f"{name}: passed {passed} of {len(enabled)} enabled cases ({len(cases) - len(enabled)} disabled skipped)")
    return passed, len(enabled), len(cases) - len(enabled), failures


def test_the_community_suite_passes() -> None:
    p1, n1, _, f1 = run_file("tests.json")
    p2, n2, _, f2 = run_file("spec_tests.json")
    passed, total = p1 + p2, n1 + n2
    print(f"json-patch-tests: passed {passed} of {total} enabled cases")
    assert not f1 + f2, "\n".join(f1 + f2)
    assert passed == total
    assert passed >= 100, f"only {passed} cases ran"


# ---- server-safe subset ----


@pytest.mark.parametrize(
    "unsafe",
    [
        {"op": "move", "from": "/a", "path": "/b"},
        {"op": "copy", "from": "/a", "path": "/b"},
        {"op": "test", "path": "/a", "value": 1},
    ],
)
def test_server_unsafe_operations_are_refused(unsafe: Dict[str, Any]) -> None:
    ops: Any = [{"op": "replace", "path": "/a", "value": 1}, unsafe]
    patch.validate(ops)
    patch.validate(ops, server_safe=False)
    with pytest.raises(sellkit.InvalidInputError) as info:
        patch.validate(ops, server_safe=True)
    e = info.value
    assert e.code == "invalid-patch-operation"
    assert e.field == "ops[1].op"
    assert f"'{unsafe['op']}'" in e.message
    assert e.details[0]["field"] == "ops[1].op"
    assert patch.is_safe_to_repeat(ops) is (unsafe["op"] == "test")


def test_add_remove_replace_are_server_safe() -> None:
    patch.validate(
        [
            {"op": "add", "path": "/a", "value": 1},
            {"op": "remove", "path": "/b"},
            {"op": "replace", "path": "/c", "value": None},
        ],
        server_safe=True,
    )


def test_validate_refuses_a_move_into_its_own_child() -> None:
    with pytest.raises(sellkit.InvalidInputError) as info:
        patch.validate([{"op": "move", "from": "/a", "path": "/a/b"}])
    assert (info.value.code, info.value.field) == ("invalid-patch", "ops[0].path")


def test_is_safe_to_repeat() -> None:
    assert patch.is_safe_to_repeat([])
    assert patch.is_safe_to_repeat([{"op": "replace", "path": "/a", "value": 1}, {"op": "add", "path": "/title", "value": "x"}])
    assert not patch.is_safe_to_repeat([{"op": "add", "path": "/images/-", "value": 1}])
    assert not patch.is_safe_to_repeat([{"op": "remove", "path": "/a"}])


# ---- apply: a copy, atomically ----


def test_apply_returns_a_new_document() -> None:
    doc = {"a": {"b": [1, 2]}, "keep": {"x": 1}}
    out = patch.apply(doc, [{"op": "add", "path": "/a/b/-", "value": 3}])
    assert out == {"a": {"b": [1, 2, 3]}, "keep": {"x": 1}}
    assert doc == {"a": {"b": [1, 2]}, "keep": {"x": 1}}
    assert out is not doc and out["keep"] is not doc["keep"]
    out["keep"]["x"] = 2
    assert doc["keep"]["x"] == 1
    assert patch.apply(doc, []) == doc


@pytest.mark.parametrize(
    ("ops", "failing"),
    [
        ([{"op": "remove", "path": "/missing"}], 0),
        ([{"op": "replace", "path": "/a", "value": 9}, {"op": "remove", "path": "/tags/5"}], 1),
        (
            [
                {"op": "remove", "path": "/tags/0"},
                {"op": "move", "from": "/a", "path": "/moved"},
                {"op": "add", "path": "/n/x", "value": 1},
                {"op": "test", "path": "/moved", "value": 2},
            ],
            3,
        ),
        ([{"op": "add", "path": "/tags/9", "value": 1}], 0),
    ],
)
def test_a_failing_patch_changes_nothing(ops: Any, failing: int) -> None:
    doc = {"a": 1, "tags": ["x", "y"], "n": {}}
    before = copy.deepcopy(doc)
    with pytest.raises(sellkit.ConflictError) as info:
        patch.apply(doc, ops)
    e = info.value
    assert e.code == "conflicting-state"
    assert e.kind == "conflict"
    assert e.field == f"ops[{failing}]"
    assert f"ops[{failing}]" in str(e)
    assert exact(doc, before)


def test_malformed_patches_name_the_member() -> None:
    cases: List[Tuple[Any, str]] = [
        ({"op": "add"}, "ops"),
        ([1], "ops[0]"),
        ([{"op": "add", "path": "/a", "value": 1}, {"path": "/a"}], "ops[1].op"),
        ([{"op": "spam", "path": "/a"}], "ops[0].op"),
        ([{"op": "add", "path": "a", "value": 1}], "ops[0].path"),
        ([{"op": "add", "path": "/a"}], "ops[0].value"),
        ([{"op": "copy", "path": "/a", "from": "/~x"}], "ops[0].from"),
    ]
    for ops, field in cases:
        for call in (lambda: patch.parse(ops), lambda: patch.apply({}, ops), lambda: patch.validate(ops)):
            with pytest.raises(sellkit.InvalidInputError) as info:
                call()
            assert (info.value.code, info.value.field) == ("invalid-patch", field), ops


def test_parse_gives_the_normal_form() -> None:
    ops = patch.parse(({"path": "/~01", "op": "add", "value": None, "extra": 1}, {"from": "/a", "op": "move", "path": "/b"}))
    assert ops == [{"op": "add", "path": "/~01", "value": None}, {"op": "move", "from": "/a", "path": "/b"}]
    assert [list(op) for op in ops] == [["op", "path", "value"], ["op", "from", "path"]]


# ---- keys and values ----


def test_unicode_and_escaped_keys() -> None:
    old = {"a/b": 1, "~": 1, "": 1, "ü": {"€": [1]}, "日本": "x", "🚀": 1}
    new = {"a/b": 2, "~1": 1, "ü": {"€": [1, 2]}, "日本": "y", "🚀": 1}
    ops = patch.diff(old, new)
    paths = {op["path"] for op in ops}
    assert {"/a~1b", "/~0", "/", "/~01", "/ü/€/1", "/日本"} == paths
    assert same(patch.apply(old, ops), new)
    out = patch.apply({}, [{"op": "add", "path": "/x~1y~0z", "value": 1}, {"op": "copy", "from": "/x~1y~0z", "path": "/é"}])
    assert out == {"x/y~z": 1, "é": 1}
    assert list(out) == ["x/y~z", "é"]


@pytest.mark.parametrize("n", [2**53 + 1, -(2**53) - 1, 2**63 - 1, -(2**63), 2**64 - 1, 12345678901234567890])
def test_large_integers_round_trip_exactly(n: int) -> None:
    out = patch.apply({"n": 0}, [{"op": "replace", "path": "/n", "value": n}, {"op": "test", "path": "/n", "value": n}])
    assert out["n"] == n and type(out["n"]) is int
    ops = patch.diff({"n": n - 1 if n > 0 else n + 1}, {"n": n})
    assert ops == [{"op": "replace", "path": "/n", "value": n}]
    assert patch.diff({"n": n}, {"n": n}) == []


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: patch.apply({"n": 2**64}, []), "doc.n"),
        (lambda: patch.apply({}, [{"op": "add", "path": "/n", "value": -(2**63) - 1}]), "ops[0].value"),
    ],
)
def test_integers_beyond_64_bits_are_refused(call: Any, field: str) -> None:
    with pytest.raises(sellkit.InvalidInputError) as info:
        call()
    assert info.value.field == field
    assert "64 bits" in str(info.value)


def test_ints_and_floats_stay_apart() -> None:
    assert patch.diff({"n": 1}, {"n": 1.0}) == [{"op": "replace", "path": "/n", "value": 1.0}]
    out = patch.apply({}, [{"op": "add", "path": "/f", "value": 1.0}, {"op": "add", "path": "/b", "value": True}])
    assert type(out["f"]) is float and out["b"] is True


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: patch.apply({"a": [1, {"b": math.nan}]}, []), "doc.a[1].b"),
        (lambda: patch.apply({}, [{"op": "add", "path": "/x", "value": math.inf}]), "ops[0].value"),
        (lambda: patch.apply({}, [{"op": "add", "path": "/x", "value": {"deep": [-math.inf]}}]), "ops[0].value.deep[0]"),
        (lambda: patch.diff({}, {"x": math.nan}), "new.x"),
        (lambda: patch.diff([math.inf], []), "old[0]"),
        (lambda: patch.validate([{"op": "test", "path": "/x", "value": math.nan}]), "ops[0].value"),
        (lambda: patch.diff(math.nan, 1), "old"),
    ],
)
def test_nan_and_infinity_are_refused_with_their_path(call: Any, field: str) -> None:
    with pytest.raises(sellkit.InvalidInputError) as info:
        call()
    assert info.value.code == "invalid-input"
    assert info.value.field == field
    assert "NaN and infinity" in str(info.value)


def test_other_values_that_are_not_json() -> None:
    with pytest.raises(sellkit.InvalidInputError) as info:
        patch.apply({1: "int key"}, [])
    assert info.value.field == "doc"
    with pytest.raises(sellkit.InvalidInputError) as info:
        patch.diff({"s": {1, 2}}, {})
    assert info.value.field == "old.s"
    cycle: List[Any] = []
    cycle.append(cycle)
    with pytest.raises(sellkit.InvalidInputError, match="nested deeper"):
        patch.apply(cycle, [])


def test_large_documents_are_worked_on_without_the_gil() -> None:
    """Above 64 KiB (as JSON) the Rust part runs with the GIL released, below it not. With a
    long switch interval, the ticking thread only runs when the main thread lets go of the GIL."""
    old = {"ads": [{"id": i, "title": f"ad {i} " + "x" * 50, "price": {"cents": i * 100}} for i in range(5000)]}
    new = copy.deepcopy(old)
    new["ads"][10]["price"]["cents"] = 1
    del new["ads"][4000]["title"]
    new["ads"].append({"id": -1})
    ticks = 0
    stop = threading.Event()

    def tick() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0)  # lets go of the GIL, so the main thread gets it back at once

    interval = sys.getswitchinterval()
    sys.setswitchinterval(30.0)
    thread = threading.Thread(target=tick)
    thread.start()
    try:
        before = ticks
        ops = patch.diff(old, new)
        during_large = ticks - before
        before = ticks
        small = patch.diff({"a": 1}, {"a": 2})
        during_small = ticks - before
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(interval)
    assert ops == [
        {"op": "replace", "path": "/ads/10/price/cents", "value": 1},
        {"op": "remove", "path": "/ads/4000/title"},
        {"op": "add", "path": "/ads/5000", "value": {"id": -1}},
    ]
    assert same(patch.apply(old, ops), new)
    assert small == [{"op": "replace", "path": "/a", "value": 2}]
    assert during_large > 0, "the GIL was not released while diffing a large document"
    assert during_small == 0, "the GIL was released for a small document"


def test_the_module_is_exported() -> None:
    assert sellkit.patch is patch
    assert "patch" in sellkit.__all__
    assert set(patch.__all__) >= {"apply", "diff", "validate", "is_safe_to_repeat", "parse", "Operation"}
