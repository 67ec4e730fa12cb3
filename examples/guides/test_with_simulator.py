"""Test your own integration against sellkit's simulator: real HTTP on loopback, no mocks.

    pip install sellkit pytest
    pytest test_with_simulator.py

`reprice` and `publish_extension` stand for your code; the tests drive them against the
simulator and check what reached the server, including when the network misbehaves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

import sellkit
from sellkit import eqp, marktplaats
from sellkit.eqp.types import Package, PackageInput
from sellkit.marktplaats.types import Advertisement
from sellkit.testing import Simulator


# --- your code -------------------------------------------------------------------------------

def reprice(client: marktplaats.Client, item_id: str, cents: int) -> Advertisement:
    """Lower or raise an ad's price with one JSON Patch of what changed."""
    old = client.ads.get(item_id)
    new = {**old, "priceModel": {**old["priceModel"], "askingPrice": cents}}
    client.ads.update_from(item_id, old, new)
    return client.ads.get(item_id)


def publish_extension(client: eqp.Client, package: PackageInput, archive: Path, guide: Path, icon: Path) -> str:
    """Upload the extension's archive, user guide and icon, create its package and submit it;
    returns the submission id."""
    uploads = client.files.upload([archive, guide, icon])
    ids = [u["file_upload_id"] for u in uploads]
    client.files.wait_for_scan(ids, timeout=60)
    package = {
        **package,
        "artifact": {"file_upload_id": ids[0]},
        "documentation_artifacts": {"user": {"file_upload_id": ids[1]}},
        "media_artifacts": {"icon_image": {"file_upload_id": ids[2]}},
    }
    result = client.packages.create([package]).raise_for_failures()
    created = result.items[0]["data"]
    assert created is not None
    submission_id: str = created["submission_id"]
    client.packages.submit(submission_id)
    return submission_id


# --- the tests -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    # One simulator for the module: it starts in milliseconds on a free loopback port.
    with Simulator() as simulator:
        yield simulator


@pytest.fixture
def shop(sim: Simulator) -> Iterator[marktplaats.Client]:
    sim.clear_faults()
    sim.reset_counters()
    # A client that went through the OAuth code flow for the simulator's demo seller.
    with sim.marktplaats_client("2dehands") as client:
        yield client


def own_ad(sim: Simulator, cents: int) -> str:
    return sim.mp_seed_own_ad("2dehands", {
        "categoryId": 35, "title": "Espresso machine", "description": "Descaled last week.",
        "priceModel": {"modelType": "fixed", "askingPrice": cents}, "location": {"postcode": "2000"},
    })


def test_reprice_changes_only_the_price(sim: Simulator, shop: marktplaats.Client) -> None:
    item_id = own_ad(sim, 12000)
    updated = reprice(shop, item_id, 9900)
    assert updated["priceModel"]["askingPrice"] == 9900
    stored = sim.mp_ad("2dehands", item_id)
    assert stored is not None and stored["title"] == "Espresso machine"
    assert sim.request_count("PATCH /v1/advertisements/{itemId}") == 1


def test_reprice_survives_a_busy_server(sim: Simulator, shop: marktplaats.Client) -> None:
    item_id = own_ad(sim, 12000)
    # The next two reads answer 503: sellkit retries them (GET is safe to repeat).
    sim.fail_next("GET /v1/advertisements/{itemId}", count=2, status=503)
    assert reprice(shop, item_id, 9500)["priceModel"]["askingPrice"] == 9500
    assert sim.request_count("GET /v1/advertisements/{itemId}") == 4  # 2 failed, 2 served


def test_reprice_reports_a_server_that_stays_down(sim: Simulator, shop: marktplaats.Client) -> None:
    item_id = own_ad(sim, 12000)
    sim.fail_next("PATCH /v1/advertisements/{itemId}", count=10, status=503)
    with pytest.raises(sellkit.ServerError) as failure:
        reprice(shop, item_id, 9000)
    assert failure.value.status == 503
    stored = sim.mp_ad("2dehands", item_id)
    assert stored is not None and stored["priceModel"]["askingPrice"] == 12000


def test_expired_tokens_are_refreshed(sim: Simulator, shop: marktplaats.Client) -> None:
    item_id = own_ad(sim, 5000)
    sim.expire_all_tokens()
    assert reprice(shop, item_id, 4500)["priceModel"]["askingPrice"] == 4500


def test_publish_extension(sim: Simulator, tmp_path: Path) -> None:
    sim.set_eqp_scan_delay(0.1)
    sim.set_eqp_review_delay(None)  # reviews wait until the test completes them
    archive, guide, icon = tmp_path / "module-label.zip", tmp_path / "user-guide.pdf", tmp_path / "icon.png"
    archive.write_bytes(b"PK\x03\x04" + bytes(1000))
    guide.write_bytes(b"%PDF-1.4\n" + bytes(1000))
    icon.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(1000))
    package: PackageInput = {
        "item_id": "acme-1", "sku": "acme/module-label", "type": "extension", "platform": "M2",
        "name": "Label", "version": "1.0.0", "long_description": "Prints labels.",
        "release_notes": "First release.", "license_type": "mit", "launch_on_approval": True,
        "categories": ["//Extensions//Shipping & Fulfillment//Shipping Labels"],
        "version_compatibility": [{"edition": "CE", "versions": ["2.4"]}],
        "prices": [{"edition": "CE", "currency_code": "USD", "price": "0.00"}],
    }
    with sim.eqp_client() as client:
        submission_id = publish_extension(client, package, archive, guide, icon)
        assert sim.complete_eqp_review(submission_id, "technical", "pass")
        listed: List[Package] = list(client.packages.list(sku="acme/module-label"))
    assert [p["submission_id"] for p in listed] == [submission_id]
