"""sellkit in a minute: the EQP and Marktplaats APIs against the built-in simulator.

    pip install sellkit   # or, in this repository: maturin develop
    python examples/python/demo.py

The simulator serves the EQP API on a loopback port with the docs' demo key; point the same code
at the real API by dropping `base_url` and passing your own app id and secret.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

import sellkit
from sellkit import locale, marktplaats
from sellkit.eqp import AsyncClient, Client
from sellkit.testing import Simulator


def sync_demo(sim: Simulator) -> None:
    with Client(app_id=sim.eqp_app_id, app_secret=sim.eqp_app_secret, base_url=sim.eqp_url) as client:
        print(f"client      {client!r}")
        mage_id = client.authenticate()
        print(f"signed in   as {mage_id}")

        profile = client.users.get()
        summary = client.users.get(style="summary")
        print(f"profile     {profile['first_name']} {profile['last_name']} ({profile['screen_name']}), "
              f"{len(profile)} fields; the summary has {len(summary)}")

        updated = client.users.update(
            {"personal_profile": {"bio": "Extensions that pass review the first time."}}, action="draft"
        )
        print(f"updated     bio (saved as draft): {updated['personal_profile']['bio']!r}")

        try:
            client.users.update({"screen_name": "Agent Smith"}, action="publish")
        except sellkit.InvalidInputError as err:
            print(f"refused     before sending: {err.message} (field {err.field!r})")


async def async_demo(sim: Simulator) -> None:
    async with AsyncClient(app_id=sim.eqp_app_id, app_secret=sim.eqp_app_secret, base_url=sim.eqp_url) as client:
        profiles = await asyncio.gather(*(client.users.get(style="summary") for _ in range(5)))
        print(f"async       {len(profiles)} concurrent reads of {profiles[0]['mage_id']}, "
              f"{sim.request_count('POST /rest/v1/app/session/token')} token request(s) in total so far")


class Bar:
    """A print-based progress bar: anything with update(n) works, a tqdm bar too."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.done, self.shown = label, total, 0, -1

    def update(self, n: int) -> None:
        self.done += n
        tenth = 10 * self.done // max(self.total, 1)
        finished = self.done >= self.total
        if tenth != self.shown and (finished or sys.stdout.isatty()):
            self.shown = tenth
            end = "\n" if finished else "\r"
            print(f"{self.label} [{'#' * tenth}{'.' * (10 - tenth)}] {self.done}/{self.total} bytes", end=end, flush=True)


def release_demo(sim: Simulator) -> None:
    sim.set_eqp_scan_delay(0.3)
    with sim.eqp_client() as client, tempfile.TemporaryDirectory() as tmp:
        zip_path, pdf_path = Path(tmp, "acme_one-click-checkout.zip"), Path(tmp, "user-guide.pdf")
        zip_path.write_bytes(b"PK\x03\x04" + b"\0" * 400_000)
        pdf_path.write_bytes(b"%PDF-1.4\n" + b"%" * 100_000)
        total = zip_path.stat().st_size + pdf_path.stat().st_size
        files = client.files.upload([zip_path, pdf_path], progress=Bar("upload     ", total))
        ids = [f["file_upload_id"] for f in files]
        # require_pass: a file the scan refused raises, naming it, before a package refers to it.
        report = client.files.wait_for_scan(ids, timeout=10, interval=0.1, require_pass=True)
        print(f"scanned     {len(report['passed'])} passed, {len(report['failed'])} failed")

        package = {
            "item_id": "acme-occ-1", "sku": "acme/one-click-checkout", "type": "extension", "platform": "M2",
            "name": "One Click Checkout", "version": "1.1.5", "long_description": "Checkout in one click.",
            "release_notes": "First release.", "license_type": "mit", "launch_on_approval": True,
            "version_compatibility": [{"edition": "CE", "versions": ["2.4"]}],
            "categories": ["//Extensions//Payments & Security//Checkout Enhancements"],
            "artifact": {"file_upload_id": ids[0]},
            "documentation_artifacts": {"user": {"file_upload_id": ids[1]}},
            "media_artifacts": {"icon_image": {"file_upload_id": ids[1]}},
            "prices": [{"edition": "CE", "currency_code": "USD", "price": "15.50"}],
        }
        result = client.packages.create([package]).raise_for_failures()
        sid = result.items[0]["data"]["submission_id"]
        submitted = client.packages.submit(sid)
        print(f"submitted   {sid}: {submitted and submitted['eqp_status']}")
        sim.complete_eqp_review(sid, "technical", "pass")
        listed = [(p["name"], p["prices"][0]["price"]) for p in client.packages.list(sku="acme/one-click-checkout")]
        print(f"listed      {listed} (prices are exact strings)")
        runs = client.test_results.summary(submission_id=sid)
        print("tests       " + ", ".join(f"{r.get('name')}={r.get('status')}" for r in runs))


def marktplaats_demo(sim: Simulator) -> None:
    saved: list = []  # token sets, newest last
    client = marktplaats.Client(platform="2ememain", base_url=sim.marktplaats_url("2ememain"),
                                client_id=sim.mp_client_id, client_secret=sim.mp_client_secret,
                                on_token=saved.append)  # persist the refresh token here
    redirect = "https://app.example.com/callback"
    url, state = client.authorization_url(redirect)
    code, returned_state = sim.mp_approve(url)  # the user approves in a browser; the simulator at once
    assert returned_state == state
    client.exchange_code(code, redirect)
    print(f"marktplaats signed in on 2ememain, {len(saved)} token set(s) handed to on_token; "
          f"locale {locale.resolve('2ememain')}")
    with client:
        ad = client.ads.create({
            "categoryId": 35, "title": "Lecteur CD Sony", "description": "Lecteur CD portable, comme neuf",
            "priceModel": {"modelType": "fixed", "askingPrice": 2500}, "location": {"postcode": "1000"},
        })
        item = ad["itemId"]
        print(f"ad          {item} {ad['title']!r} in {ad.get('locale')}, {ad['priceModel']['askingPrice']} cents")
        added = client.images.add(item, ["https://example.com/cd-1.jpg", "https://example.com/cd-2.jpg"])
        images = added["_embedded"]["mp:advertisement-image"]
        ready = client.images.wait_until_available(images[0]["mediaId"], timeout=10, interval=0.1)
        print(f"images      {len(images)} added, first one {ready.get('status', 'available')}")
        old = client.ads.get(item)
        new = {**old, "priceModel": {"modelType": "fixed", "askingPrice": 1999}}
        client.ads.update_from(item, old, new)
        print(f"price       now {client.ads.get(item)['priceModel']['askingPrice']} cents (one JSON Patch)")
        print(f"my ads      {[a['title'] for a in client.users.ads()]}")
    body = json.dumps({"id": "e1", "eventType": "BidPlacedEvent", "created": "2015-01-01T11:00:00.000Z",
                       "eventData": {"itemId": item}}).encode()
    signature = marktplaats.sign_webhook(body, "s3cr3t")  # what the platform sends as X-Ecg-Signature
    print(f"webhook     signature valid: {marktplaats.verify_webhook(body, signature, 's3cr3t')}, "
          f"tampered: {marktplaats.verify_webhook(body + b' ', signature, 's3cr3t')}")


def main() -> int:
    with Simulator() as sim:
        print(f"simulator   {sim.eqp_url} (sellkit {sellkit.__version__})")
        sync_demo(sim)
        asyncio.run(async_demo(sim))
        release_demo(sim)
        marktplaats_demo(sim)
        print(f"requests    {sum(sim.request_counts().values())} in total")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except sellkit.SellkitError as err:
        print(f"demo failed: {err}", file=sys.stderr)
        sys.exit(1)
