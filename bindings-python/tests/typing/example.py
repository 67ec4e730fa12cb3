"""Typed use of sellkit, checked by `mypy --strict` (test_typing.py) and run as a script."""

from __future__ import annotations

import asyncio
import sys
from typing import Any, List, Optional

if sys.version_info >= (3, 11):
    from typing import assert_type
else:
    from typing_extensions import assert_type

import sellkit
from sellkit import marktplaats, patch
from sellkit.eqp import AsyncClient, BatchResult, Client, ListIterator
from sellkit.patch import Operation, ReplaceOp
from sellkit.testing import Simulator
from sellkit._base import FieldDetail
from sellkit.eqp.types import Address, FileRecord, Package, PackageBatchItem, Profile, ScanReport
from sellkit.marktplaats.types import Advertisement, TokenSet, User


def primary_address(profile: Profile) -> Optional[Address]:
    for address in profile.get("personal_profile", {}).get("addresses", []):
        if address.get("is_primary"):
            return address
    return None


def common_fields(profile: Profile, package: Package, item: PackageBatchItem, ad: Advertisement, user: User) -> List[object]:
    # Keys the API always returns, read by subscript (pyright's default mode checks this); the
    # others with .get().
    return [
        profile["mage_id"], profile["email"], profile["has_accepted_tos"], profile.get("personal_profile", {}).get("bio"),
        package["submission_id"], package["eqp_status"]["overall"], package["created_at"], package.get("name"),
        item["index"], item["ok"], item["message"], item["data"]["submission_id"],
        ad["itemId"], ad["title"], ad["categoryId"], ad["priceModel"]["modelType"], ad["location"]["postcode"], ad.get("description"),
        user["userId"], user.get("name"),
    ]


def sync_part(sim: Simulator) -> str:
    with Client(app_id=sim.eqp_app_id, app_secret=sim.eqp_app_secret, base_url=sim.eqp_url, timeout=10, max_retries=1) as client:
        assert_type(client.authenticate(), str)
        assert_type(client.mage_id, Optional[str])
        profile = client.users.get()
        assert_type(profile, Profile)
        summary = client.users.get(style="summary")
        assert_type(summary, Profile)
        updated = client.users.update({"personal_profile": {"bio": "typed"}}, action="draft")
        assert_type(updated, Profile)
        raw = client.request("GET", "/rest/v1/users/" + sim.eqp_mage_id)
        assert_type(raw, Any)
        fast: Client = client.with_options(timeout=2.5, max_retries=0)
        _ = primary_address(profile)
        try:
            fast.users.update({"screen_name": "Typed"}, action="publish")
        except sellkit.InvalidInputError as err:
            field: Optional[str] = err.field
            details: List[FieldDetail] = err.details
            assert field == "action" and details
        screen_name: str = summary.get("screen_name", "")
        return screen_name


async def async_part(sim: Simulator) -> int:
    async with sim.eqp_async_client() as client:
        assert_type(client, AsyncClient)
        assert_type(await client.authenticate(), str)
        profile = await client.users.get(style="full")
        assert_type(profile, Profile)
        level: int = profile.get("partner_level", 0)
        retry_after: Optional[float] = None
        try:
            await client.with_options(max_retries=0).request("GET", "/nowhere")
        except sellkit.SellkitError as err:
            retry_after = err.retry_after
        assert retry_after is None
        return level


def release_part(sim: Simulator) -> int:
    with sim.eqp_client() as client:
        client_profile = client.users.get()
        records = client.files.upload([("ext.zip", b"PK"), ("notes.pdf", b"%PDF", "application/pdf")], progress=lambda s, t: None)
        first: FileRecord = records[0]
        report = client.files.wait_for_scan([r["file_upload_id"] for r in records], timeout=5, interval=0.05)
        assert_type(report, ScanReport)
        sellkit.eqp.raise_for_scan_failures(report)  # every file passed: nothing raised
        result = client.packages.create([{"name": "Typed", "item_id": "typed-1"}], chunk_size=10)
        assert_type(result, BatchResult[PackageBatchItem])
        submission_id: str = result.items[0]["data"]["submission_id"]
        package = client.packages.get(submission_id)
        packages = client.packages.list(name="Typed", sort="+name", limit=5)
        assert_type(packages, ListIterator[Package])
        names = [p.get("name", "") for p in packages]
        assert first.get("filename") == "ext.zip" and names == ["Typed"]
    tokens: List[TokenSet] = []
    with sim.marktplaats_client("2ememain", on_token=tokens.append) as mp:
        ad = mp.ads.create({"categoryId": 35, "title": "Typed ad", "description": "A typed advertisement",
                            "priceModel": {"modelType": "fixed", "askingPrice": 1000}, "location": {"postcode": "1097DN"}})
        assert_type(ad, Advertisement)
        read = common_fields(client_profile, package, result.items[0], ad, mp.users.me())
        assert read[0] == sim.eqp_mage_id and read[11] == submission_id and read[13] == "Typed ad", read
        ok: bool = marktplaats.verify_webhook(b"{}", marktplaats.sign_webhook(b"{}", "k"), "k")
        assert ok and tokens
        return len(list(mp.users.ads()))


def patch_part() -> int:
    old: dict[str, Any] = {"title": "Bike", "price": {"cents": 10000}, "tags": ["a", "b"]}
    new: dict[str, Any] = {"title": "Red bike", "price": {"cents": 9000}, "tags": ["a"]}
    ops = patch.diff(old, new)
    assert_type(ops, List[Operation])
    patch.validate(ops, server_safe=True)
    assert_type(patch.is_safe_to_repeat(ops), bool)
    assert_type(patch.apply(old, ops), Any)
    first: ReplaceOp = {"op": "replace", "path": "/title", "value": "Red bike"}
    written: List[Operation] = [first, {"op": "move", "from": "/tags/0", "path": "/first"}]
    for op in patch.parse(written):
        if op["op"] == "move":
            source: str = op["from"]
            assert source == "/tags/0"
    try:
        patch.validate(written, server_safe=True)
    except sellkit.InvalidInputError as err:
        assert err.code == "invalid-patch-operation" and err.field == "ops[1].op"
    try:
        patch.apply(old, [{"op": "remove", "path": "/missing"}])
    except sellkit.ConflictError as err:
        assert err.code == "conflicting-state"
    return len(ops)


def main() -> None:
    with Simulator(latency=0.0) as sim:
        counts: dict[str, int] = sim.request_counts()
        assert counts == {}
        print(sync_part(sim), asyncio.run(async_part(sim)), release_part(sim), sellkit.__version__, patch_part())


if __name__ == "__main__":
    main()
