"""The whole EQP API through Python, against the simulator: keys, reports, callbacks, uploads
(paths, bytes, file objects, progress), lists (lazy, filtered, sorted), batches, the review
workflow and test results. Sync throughout; the main paths again with AsyncClient."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import sellkit
from sellkit.eqp import BatchResult, Client, parse_callback
from sellkit.testing import Simulator

POST = "POST /rest/v1/products/packages"
LIST = "GET /rest/v1/products/packages"
UPLOAD = "POST /rest/v1/files/uploads"


def complete(name: str, item_id: str) -> Dict[str, Any]:
    return {
        "item_id": item_id,
        "type": "extension",
        "platform": "M2",
        "version_compatibility": [{"edition": "CE", "versions": ["2.4"]}],
        "name": name,
        "long_description": "Long",
        "release_notes": "Notes",
        "version": "1.0.0",
        "artifact": {"file_upload_id": "zip.1"},
        "documentation_artifacts": {"user": {"file_upload_id": "pdf.1"}},
        "media_artifacts": {"icon_image": {"file_upload_id": "png.1"}},
        "categories": ["//Extensions//Payments & Security//Checkout Enhancements"],
        "license_type": "mit",
        "launch_on_approval": True,
        "prices": [{"edition": "CE", "currency_code": "USD", "price": "15.50"}],
    }


def seed(client: Client) -> None:
    names = ["Gamma Checkout", "alpha theme", "Beta Checkout", "delta", "Epsilon", "zeta", "Eta Checkout"]
    items = [
        {"name": n, "type": "theme" if i == 1 else "extension", "platform": "M2", "item_id": f"l-{i}",
         "version": f"1.0.{i}", "sku": f"acme/p{i % 3}", "prices": [{"edition": "CE", "currency_code": "USD", "price": 10.1}]}
        for i, n in enumerate(names)
    ]
    assert client.packages.create(items).all_ok


# --- users, keys, reports, callbacks


def test_keys_and_reports(client: Client) -> None:
    keys = client.users.keys.list()
    assert {k["label"] for k in keys["m2"]} >= {"main_key", "key_for_bob"}
    assert [k["label"] for k in client.users.keys.list(label="main_key")["m2"]] == ["main_key"]
    created = client.users.keys.create([{"label": "ci"}, {"label": "deploy"}])
    assert isinstance(created, BatchResult) and created.all_ok and len(created) == 2
    assert [i["index"] for i in created.items] == [0, 1]
    enabled = client.users.keys.disable("ci")
    assert any(k["label"] == "ci" and not k["is_enabled"] for k in enabled)
    assert any(k["label"] == "ci" and k["is_enabled"] for k in client.users.keys.enable("ci"))
    assert client.users.keys.delete("ci") is None
    assert "ci" not in {k["label"] for k in client.users.keys.list()["m2"]}
    for kind in ("pageviews", "totals", "sales", "refunds"):
        assert client.users.reports(kind) is not None  # type: ignore[arg-type]
    assert client.reports.metrics() is not None
    with pytest.raises(sellkit.InvalidInputError) as info:
        client.users.reports("weekly")  # type: ignore[arg-type]
    assert info.value.field == "kind"


def test_callbacks_register_and_parse(sim: Simulator, client: Client) -> None:
    profile = client.callbacks.register([{"name": "n", "url": "https://hooks.example.com/eqp", "username": "u", "password": "p"}])
    assert profile["api_callbacks"][0]["url"] == "https://hooks.example.com/eqp"  # type: ignore[typeddict-item]
    assert "password" not in profile["api_callbacks"][0]
    with pytest.raises(sellkit.InvalidInputError) as info:
        client.callbacks.register([{"url": "ftp://x", "username": "u", "password": "p"}])
    assert info.value.field == "callbacks[0].url"

    body = json.dumps({"callback_event": "malware_scan_complete",
                       "update_info": {"file_upload_id": "f.1", "tool_result": "pass", "modified_at": "2024-01-02 3:04:05"}}).encode()
    good = "Basic " + base64.b64encode(b"key:s3cret-value").decode()
    event = parse_callback(body, {"authorization": good}, username="key", password="s3cret-value")
    assert event["callback_event"] == "malware_scan_complete"
    assert event["update_info"]["file_upload_id"] == "f.1"
    assert parse_callback(body, {"AUTHORIZATION": good}, username="key", password="s3cret-value") == event
    for headers, user, pw in [({"Authorization": good}, "key", "wrong"), ({"Authorization": good}, "other", "s3cret-value"), ({}, "key", "s3cret-value")]:
        with pytest.raises(sellkit.AuthenticationError) as err:
            parse_callback(body, headers, username=user, password=pw)
        assert err.value.code == "invalid-callback-credentials"
        assert "s3cret-value" not in str(err.value)


# --- uploads


def test_uploads_path_bytes_and_file_objects(sim: Simulator, client: Client, tmp_path: Path) -> None:
    zip_path = tmp_path / "ext.zip"
    zip_path.write_bytes(b"PK\x03\x04" + b"z" * 300_000)
    on_disk = open(zip_path, "rb")
    in_memory = io.BytesIO(b"%PDF-1.4 " + b"p" * 200_000)
    sim.reset_counters()
    seen: List[Tuple[int, int]] = []
    with on_disk:
        records = client.files.upload(
            [str(zip_path), ("notes.txt", b"hello", "text/plain"), ("raw.bin", b"\x00\x01"), on_disk, in_memory, zip_path],
            progress=lambda sent, total: seen.append((sent, total)),
        )
    assert sim.request_count(UPLOAD) == 1, "one multipart request (file[])"
    assert [r["filename"] for r in records] == ["ext.zip", "notes.txt", "raw.bin", "ext.zip", "upload", "ext.zip"]
    assert [r["size"] for r in records] == [300_004, 5, 2, 300_004, 200_009, 300_004]
    assert records[1]["content_type"] == "text/plain"
    total = seen[-1][1]
    assert total > 1_100_000 and seen[-1][0] == total, seen[-3:]
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:])), "monotonic"

    class Bar:
        def __init__(self) -> None:
            self.n = 0
            self.calls = 0

        def update(self, n: int) -> None:
            self.n += n
            self.calls += 1

    bar = Bar()
    data = b"x" * 500_000
    client.files.upload([("big.zip", data)], progress=bar)
    assert bar.calls >= 1 and bar.n == 500_000, bar.n  # deltas sum to the total

    got = client.files.get(records[0]["file_upload_id"])
    assert got["filename"] == "ext.zip"
    with pytest.raises(sellkit.InvalidInputError) as no_name:
        client.files.upload([b"no filename"])  # type: ignore[list-item]
    assert no_name.value.field == "files[0]" and "filename" in str(no_name.value)
    with pytest.raises(sellkit.SellkitError):
        client.files.upload([str(tmp_path / "missing.zip")])


def test_wait_for_scan(sim: Simulator, client: Client) -> None:
    sim.set_eqp_scan_delay(0.2)
    ok = client.files.upload([("a.zip", b"PK")])[0]["file_upload_id"]
    report = client.files.wait_for_scan([ok], timeout=5, interval=0.05)
    assert [r["file_upload_id"] for r in report["passed"]] == [ok] and report["all_passed"]
    sim.set_eqp_scan_verdict("fail")
    bad = client.files.upload([("b.zip", b"PK")])[0]["file_upload_id"]
    report = client.files.wait_for_scan([bad], timeout=5, interval=0.05)
    assert [r["file_upload_id"] for r in report["failed"]] == [bad]
    assert report["timed_out"] == [] and report["all_passed"] is False
    sim.set_eqp_scan_delay(30)
    slow = client.files.upload([("c.zip", b"PK")])[0]["file_upload_id"]
    assert client.files.wait_for_scan([slow], timeout=0.2, interval=0.05)["timed_out"] == [slow]


# --- lists


def test_lists_are_lazy_filtered_and_sorted(sim: Simulator, client: Client) -> None:
    seed(client)
    sim.reset_counters()
    it = client.packages.list(page_size=3)
    assert sim.request_count(LIST) == 0, "nothing fetched before iterating"
    first = next(it)
    assert first["submission_id"]
    # The next page is read ahead while the caller works through this one: one page, no more.
    time.sleep(0.3)
    assert sim.request_count(LIST) == 2, "one page read ahead"
    assert len(list(it)) == 6 and sim.request_count(LIST) == 3

    sim.reset_counters()
    few = list(client.packages.list(limit=3))
    assert len(few) == 3 and sim.request_count(LIST) == 1, "limit=3 fetches one page"

    names = [p["name"] for p in client.packages.list(name="checkout", sort="+name")]
    assert names == ["Beta Checkout", "Eta Checkout", "Gamma Checkout"]
    names = [p["name"] for p in client.packages.list(name="Checkout", sort=["-name"])]
    assert names == ["Gamma Checkout", "Eta Checkout", "Beta Checkout"]
    raw = sim.requests(LIST)
    assert any("sort=%2Bname" in q for q in raw), raw
    assert [p["type"] for p in client.packages.list(type="theme")] == ["theme"]
    assert all(p["prices"][0]["price"] == "10.10" for p in client.packages.list())
    with pytest.raises(TypeError):
        client.packages.list(colour="red")  # type: ignore[call-arg]
    with pytest.raises(sellkit.InvalidInputError) as info:
        client.packages.list(filters={"colour": "red"})
    assert info.value.field == "colour"
    assert [p["name"] for p in client.packages.list(filters={"eqp_status.overall": "draft"}, sort="+name")][:1] == ["Beta Checkout"]

    assert {p["sku"] for p in client.packages.by_sku("acme/p1")} == {"acme/p1"}
    assert len(list(client.packages.skus())) >= 1
    assert len(list(client.packages.items())) >= 1
    assert client.packages.by_item_id("l-3")["name"] == "delta"
    assert list(client.files.list()) == []
    page = client.packages.list(page_size=2).next_page()
    assert page is not None and len(page) == 2


# --- batches and the workflow


def test_batches_keep_order_and_failures_as_data(sim: Simulator, client: Client) -> None:
    result = client.packages.create([
        {"name": "No tech info", "action": {"technical": "submit"}},
        {"name": "Bad sku", "sku": "Not A Sku"},
        {"name": "Fine draft", "item_id": "fine-1", "prices": [{"edition": "CE", "price": 15.5}]},
    ])
    assert [i["code"] for i in result.items] == [1208, 1210, 200]
    assert [i["index"] for i in result.items] == [0, 1, 2]
    assert [f["index"] for f in result.failed] == [0, 1] and not result.all_ok
    assert result.failed == result.items[:2]
    assert "Insufficient information for Technical Submission" in result.items[0]["message"]
    assert result.items[2]["ok"] and result.items[2]["data"]["item_id"] == "fine-1"
    stored = client.packages.get(result.items[2]["data"]["submission_id"])
    assert Decimal(stored["prices"][0]["price"]) == Decimal("15.50") and stored["prices"][0]["price"] == "15.50"
    with pytest.raises(sellkit.BatchError) as info:
        result.raise_for_failures()
    assert info.value.failed == result.failed and info.value.indices == [0, 1]
    assert info.value.kind == "batch" and info.value.code == "batch-items-failed"
    assert [d["field"] for d in info.value.details] == ["items[0]", "items[1]"]
    assert isinstance(info.value, sellkit.SellkitError)
    assert sim.eqp_package_count() == 1

    with pytest.raises(sellkit.InvalidInputError) as bad:
        client.packages.create([{"prices": [{"price": "1.234"}]}])
    assert bad.value.field == "items[0].prices[0].price"


def test_large_batches_are_chunked_in_order(sim: Simulator, client: Client) -> None:
    client.authenticate()
    sim.reset_counters()
    items = [{"name": f"p{i}", "item_id": f"item-{i}"} for i in range(120)]
    result = client.packages.create(items, chunk_size=50, concurrency=2)
    assert result.raise_for_failures() is result
    assert sim.request_count(POST) == 3
    assert [i["data"]["item_id"] for i in result.items] == [f"item-{i}" for i in range(120)]
    updated = client.packages.update([{"submission_id": i["data"]["submission_id"], "name": f"q{n}"} for n, i in enumerate(result.items[:3])])
    assert updated.all_ok and [i["index"] for i in updated.items] == [0, 1, 2]
    assert client.packages.get(result.items[1]["data"]["submission_id"])["name"] == "q1"
    mixed = client.packages.update([{"submission_id": "nope", "name": "x"}])
    assert [f["index"] for f in mixed.failed] == [0] and mixed.items[0]["code"] == 1216


def test_workflow_and_test_results(sim: Simulator, client: Client) -> None:
    p = complete("One Click", "wf-1")
    p["sku"] = "acme/tested"
    created = client.packages.create([p]).raise_for_failures()
    sid = created.items[0]["data"]["submission_id"]
    assert client.packages.get(sid)["eqp_status"]["overall"] == "draft"
    draft = client.packages.update_one(sid, {"name": "One Click Checkout"})
    assert draft is not None and draft["name"] == "One Click Checkout"
    submitted = client.packages.submit(sid)
    assert submitted is not None and submitted["eqp_status"]["technical"] == "in_automation"
    with pytest.raises(sellkit.ValidationError) as info:
        client.packages.update_one(sid, {"name": "changed"})
    assert info.value.api_code == 1221
    assert sim.complete_eqp_review(sid, "technical", "pass")
    assert sim.complete_eqp_review(sid, "marketing", "pass")
    assert client.packages.get(sid)["eqp_status"]["overall"] == "released_to_store"

    for target in ({"sku": "acme/tested"}, {"item_id": "wf-1"}):
        assert [r["name"] for r in client.test_results.summary(**target)] == ["phpcs", "varnish", "marketing"]
    runs = client.test_results.summary(submission_id=sid)
    run = next(r for r in runs if r["name"] == "phpcs")
    detail = client.test_results.detail(sid, "phpcs", run["tool_run_id"])
    assert detail["status"] == "PASS"
    assert client.test_results.detail(sid, "phpcs", int(run["tool_run_id"]))["status"] == "PASS"
    with pytest.raises(sellkit.InvalidInputError):
        client.test_results.summary(submission_id=sid, sku="acme/tested")

    removed = client.packages.remove(sid)
    assert removed is not None and removed["eqp_status"]["overall"] == "developer_removed_from_store"
    other = client.packages.create([complete("Recall me", "wf-2")]).items[0]["data"]["submission_id"]
    client.packages.submit(other, technical=True)
    recalled = client.packages.recall(other, technical=True)
    assert recalled is not None and recalled["eqp_status"]["technical"] == "recalled"
    draft = client.packages.create([{"name": "draft only"}]).items[0]["data"]["submission_id"]
    canceled = client.packages.cancel(draft)
    assert canceled is not None and canceled["eqp_status"]["overall"] == "canceled_by_developer"
    with pytest.raises(sellkit.NotFoundError):
        client.packages.get("missing")


# --- async


def test_async_main_paths(sim: Simulator) -> None:
    async def main() -> None:
        async with sim.eqp_async_client() as client:
            assert "m2" in await client.users.keys.list()
            records = await client.files.upload([("a.zip", b"PK\x03\x04"), io.BytesIO(b"stream")], progress=lambda s, t: None)
            assert [r["size"] for r in records] == [4, 6]
            report = await client.files.wait_for_scan([r["file_upload_id"] for r in records], timeout=5, interval=0.05)
            assert report["all_passed"]
            result = await client.packages.create([complete("Async", "as-1"), {"name": "b", "sku": "Not A Sku"}])
            assert [f["index"] for f in result.failed] == [1]
            sid = result.items[0]["data"]["submission_id"]
            sim.reset_counters()
            names = [p["name"] async for p in client.packages.list(limit=1)]
            assert names == ["Async"] and sim.request_count(LIST) == 1
            assert [p["name"] async for p in client.packages.by_sku("acme/none")] == []
            submitted = await client.packages.submit(sid)
            assert submitted is not None
            sim.complete_eqp_review(sid, "technical", "pass")
            runs = await client.test_results.summary(submission_id=sid)
            assert runs and (await client.packages.get(sid))["name"] == "Async"
            assert (await client.reports.metrics()) is not None
            assert [f async for f in client.files.list()] != []

    asyncio.run(main())


def test_async_lists_fetch_one_page_per_request(sim: Simulator) -> None:
    async def main() -> None:
        async with sim.eqp_async_client() as client:
            result = await client.packages.create([complete(f"Pkg {i}", f"page-{i}") for i in range(5)])
            assert result.all_ok
            sim.reset_counters()
            names = [p["name"] async for p in client.packages.list(page_size=2)]
            assert sorted(names) == [f"Pkg {i}" for i in range(5)]
            assert sim.request_count(LIST) == 3, sim.request_counts()

    asyncio.run(main())


def test_file_objects_are_rewound_on_a_replay(sim: Simulator, client: Client) -> None:
    client.authenticate()
    sim.fail_next(UPLOAD, 1, 401)  # the upload is refused once, the token refreshed, the upload replayed
    sim.reset_counters()
    stream = io.BytesIO(b"0123456789" * 50_000)
    stream.seek(10)
    seen: List[int] = []
    records = client.files.upload([stream], progress=lambda sent, total: seen.append(sent))
    assert sim.request_count(UPLOAD) == 2
    assert records[0]["size"] == 499_990, "read again from where it stood, never sent empty"
    assert seen[-1] == 499_990 and all(a < b for a, b in zip(seen, seen[1:])), seen

    class OneWay(io.RawIOBase):
        def __init__(self) -> None:
            self.left = 3

        def readable(self) -> bool:
            return True

        def read(self, n: int = -1) -> bytes:
            if self.left == 0:
                return b""
            self.left -= 1
            return b"abc"

    assert client.files.upload([OneWay()])[0]["size"] == 9
    sim.fail_next(UPLOAD, 1, 401)
    with pytest.raises(sellkit.SellkitError) as info:
        client.files.upload([OneWay()])
    assert "cannot be sent again" in str(info.value), "never an empty upload"
