"""The Marktplaats API through Python against the simulator: OAuth (code flow, on_token before
the new token is used, rotation), locale, ads CRUD/patch/update_from, images, users.ads paging,
search, bids/transactions/webhooks, typed errors with string API codes."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Tuple

import pytest

import sellkit
from sellkit import locale, marktplaats
from sellkit.testing import MP_REDIRECT, Simulator

ME = "GET /v1/me"
TOKEN = "POST /accounts/oauth/token"
USER_ADS = "GET /v1/users/{userId}/advertisements"
SEARCH = "GET /v1/search"
PATCH = "PATCH /v1/advertisements/{itemId}"

VECTOR_BODY = b'{"id":"id","eventType":"EventType","created":"2015-01-01T11:00:00.000Z","eventData":{"property":"value"}}'
VECTOR_SIG = "c21dfb6001c97e8f6a9a47aec57f3e94f6e274928ec5724d0662927f87993f97"


def cd_player(title: str) -> Dict[str, Any]:
    return {
        "categoryId": 35, "title": title, "description": "This is an awesome cd-player",
        "condition": "Nieuw", "brand": "Sony", "properties": "Draagbaar", "delivery": "Ophalen",
        "priceModel": {"modelType": "fixed", "askingPrice": 3241}, "location": {"postcode": "1097DN"},
    }


def test_code_flow_and_on_token_ordering_with_rotation(sim: Simulator) -> None:
    sim.set_mp_refresh_rotation(True)
    seen: List[Tuple[Dict[str, Any], int]] = []
    client = marktplaats.Client(platform="2dehands", base_url=sim.marktplaats_url("2dehands"),
                                client_id=sim.mp_client_id, client_secret=sim.mp_client_secret,
                                on_token=lambda t: seen.append((dict(t), sim.request_count(ME))))
    url, state = client.authorization_url(MP_REDIRECT)
    assert url.startswith(sim.marktplaats_url("2dehands") + "/accounts/oauth/authorize?")
    code, returned_state = sim.mp_approve(url)
    assert returned_state == state
    tokens = client.exchange_code(code, MP_REDIRECT)
    assert {"access_token", "refresh_token", "expires_in", "token_type"} <= set(tokens)
    assert client.users.me()["userId"] == sim.mp_user_id
    sim.expire_all_tokens()
    client.users.me()
    assert len(seen) == 2
    assert seen[0][0]["refresh_token"] != seen[1][0]["refresh_token"], "rotated"
    assert seen[1][1] == 2, "on_token ran after the refused call and before the replay"
    assert sim.request_count(ME) == 3
    fresh = marktplaats.Client(platform="2dehands", base_url=sim.marktplaats_url("2dehands"), client_id=sim.mp_client_id,
                               client_secret=sim.mp_client_secret, refresh_token=seen[1][0]["refresh_token"])
    assert fresh.users.me()["userId"] == sim.mp_user_id
    old = marktplaats.Client(platform="2dehands", base_url=sim.marktplaats_url("2dehands"), client_id=sim.mp_client_id,
                             client_secret=sim.mp_client_secret, refresh_token=seen[0][0]["refresh_token"])
    with pytest.raises(sellkit.AuthenticationError) as info:
        old.users.me()
    assert info.value.code == "invalid_grant"
    assert "refresh" not in repr(client) or seen[1][0]["refresh_token"] not in repr(client)

    # The module function builds the same kind of URL without a client.
    url2, state2 = marktplaats.authorization_url(platform="2ememain", client_id="cid", redirect_uri=MP_REDIRECT, state="xyz")
    assert state2 == "xyz" and "client_id=cid" in url2 and url2.startswith("https://")


def test_a_failing_on_token_fails_the_call(sim: Simulator) -> None:
    def boom(tokens: Any) -> None:
        raise RuntimeError("disk full")

    client = sim.marktplaats_client(login=False, on_token=boom)
    url, _ = client.authorization_url(MP_REDIRECT)
    with pytest.raises(sellkit.SellkitError) as info:
        client.exchange_code(sim.mp_approve(url)[0], MP_REDIRECT)
    assert "disk full" in str(info.value) and info.value.code == "on-token-failed"
    with pytest.raises(sellkit.InvalidInputError):
        marktplaats.Client(client_id="x", on_token=42)  # type: ignore[arg-type]


def test_locale_resolution_and_refusal(sim: Simulator) -> None:
    assert locale.resolve("marktplaats") == "nl-NL"
    assert locale.resolve("2dehands") == "nl-BE"
    assert locale.resolve("2ememain") == "fr-BE"
    assert locale.resolve("2dehands", user_locale="fr-BE") == "fr-BE"
    assert locale.resolve("2dehands", entity_locale="nl-BE", user_locale="fr-BE") == "nl-BE"
    with pytest.raises(sellkit.InvalidInputError) as info:
        locale.resolve("marktplaats", entity_locale="fr-BE")
    assert "nl-NL" in str(info.value) and info.value.code == "invalid-locale"
    with pytest.raises(sellkit.InvalidInputError):
        marktplaats.Client(platform="marktplaats", locale="fr-BE", client_id="x")
    client = sim.marktplaats_client("2ememain", login=False)
    assert client.resolve_locale() == "fr-BE"


def test_ads_crud_patch_and_update_from(sim: Simulator) -> None:
    client = sim.marktplaats_client()
    created = client.ads.create(cd_player("Test cd player"))
    item = created["itemId"]
    assert created["priceModel"]["askingPrice"] == 3241 and "self" in created["_links"]
    assert client.ads.get(item)["title"] == "Test cd player"
    replaced = client.ads.replace(item, {**created, "title": "Updated title"})
    assert replaced["title"] == "Updated title"
    patched = client.ads.patch(item, [{"op": "replace", "path": "/title", "value": "the new title"}])
    assert patched["title"] == "the new title"
    sim.reset_counters()
    with pytest.raises(sellkit.InvalidInputError) as info:
        client.ads.patch(item, [{"op": "move", "from": "/title", "path": "/description"}])
    assert info.value.code == "invalid-patch-operation" and sim.request_count(PATCH) == 0

    old = client.ads.get(item)
    new = json.loads(json.dumps(old))
    new["priceModel"] = {"modelType": "fixed", "askingPrice": 2999}
    new["description"] = "Barely used"
    client.ads.update_from(item, old, new)
    stored = sim.mp_ad("marktplaats", item)
    assert stored is not None and stored["priceModel"]["askingPrice"] == 2999 and stored["description"] == "Barely used"
    assert sim.request_count(PATCH) == 1

    for bad in (15.5, 1550.0):
        with pytest.raises(sellkit.InvalidInputError) as info:
            client.ads.create({**cd_player("float"), "priceModel": {"modelType": "fixed", "askingPrice": bad}})
        assert info.value.field == "priceModel.askingPrice"
    assert client.ads.statistics(item) is not None
    client.ads.delete(item)
    with pytest.raises(sellkit.NotFoundError) as nf:
        client.ads.get(item)
    assert nf.value.status == 404 and nf.value.api_code == "advertisement-not-found"
    assert isinstance(nf.value.api_code, str)

    with pytest.raises(sellkit.SellkitError) as v:
        client.request("POST", "/v1/advertisements", json={"title": "ab"})
    assert v.value.status == 400 and isinstance(v.value.api_code, str) and v.value.details


def test_images_wait_until_available(sim: Simulator) -> None:
    sim.set_mp_image_delay(0.3)
    client = sim.marktplaats_client()
    item = client.ads.create(cd_player("With images"))["itemId"]
    added = client.images.add(item, ["http://www.marktplaats.nl/i/a.png", "http://www.marktplaats.nl/i/b.jpg"], replace_all=True)
    images = added["_embedded"]["mp:advertisement-image"]
    assert len(images) == 2
    ready = client.images.wait_until_available(images[0]["mediaId"], timeout=5, interval=0.05)
    assert ready["mediaId"] == images[0]["mediaId"]
    assert client.images.get(images[0]["mediaId"])["mediaId"] == images[0]["mediaId"]
    assert client.images.list(item) is not None
    sim.set_mp_image_delay(30)
    slow = client.images.add(item, ["http://www.marktplaats.nl/i/slow.jpg"])["_embedded"]["mp:advertisement-image"][0]["mediaId"]
    with pytest.raises(sellkit.APITimeoutError) as info:
        client.images.wait_until_available(slow, timeout=0.2, interval=0.05)
    assert info.value.code == "image-not-available"
    with pytest.raises(sellkit.InvalidInputError) as bad:
        client.images.add(item, ["ftp://x/y.jpg"])
    assert bad.value.field == "urls[0]"


def test_users_ads_pages_and_search(sim: Simulator) -> None:
    client = sim.marktplaats_client()
    for i in range(7):
        client.ads.create(cd_player(f"Player number {i}"))
    sim.mp_seed_ads("marktplaats", 5, "Not mine")
    sim.reset_counters()
    ads = list(client.users.ads(user_id=sim.mp_user_id, page_size=3))
    assert [a["title"] for a in ads][::6] == ["Player number 0", "Player number 6"] and len(ads) == 7
    assert sim.request_count(USER_ADS) == 3
    sim.reset_counters()
    it = client.users.ads(limit=4, page_size=2)
    assert sim.request_count(USER_ADS) == 0
    assert len(list(it)) == 4 and sim.request_count(USER_ADS) == 2
    with pytest.raises(sellkit.InvalidInputError) as info:
        client.users.ads_page(sim.mp_user_id, offset=2, limit=3)
    assert info.value.field == "offset"

    sim.mp_seed_ads("marktplaats", 450, "Vintage lamp")
    sim.reset_counters()
    found = list(client.search(query="vintage", page_size=200, limit=250))
    assert len(found) == 250 and sim.request_count(SEARCH) == 2
    assert all(a["title"].startswith("Vintage lamp") for a in found)
    page = client.search_page(query="vintage", page_size=10)
    assert page is not None
    assert client.users.get(sim.mp_user_id)["userId"] == sim.mp_user_id


class Hook:
    def __init__(self) -> None:
        self.got: List[Tuple[bytes, str]] = []
        hook = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                hook.got.append((body, self.headers.get("X-Ecg-Signature", "")))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/mp"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_webhooks_bids_and_transactions(sim: Simulator) -> None:
    assert marktplaats.verify_webhook(VECTOR_BODY, VECTOR_SIG, "s3cr3t")
    assert not marktplaats.verify_webhook(VECTOR_BODY, VECTOR_SIG, "wrong")
    assert marktplaats.sign_webhook(VECTOR_BODY, "s3cr3t") == VECTOR_SIG
    assert marktplaats.parse_webhook(VECTOR_BODY, VECTOR_SIG, "s3cr3t")["eventData"] == {"property": "value"}
    assert marktplaats.parse_webhook(VECTOR_BODY.decode(), VECTOR_SIG, "s3cr3t")["id"] == "id"
    # Parsing verifies first: a missing, empty or wrong signature is an authentication error.
    for signature in (None, "", VECTOR_SIG.replace("c", "d")):
        with pytest.raises(sellkit.AuthenticationError) as refused:
            marktplaats.parse_webhook(VECTOR_BODY, signature, "s3cr3t")
        assert refused.value.code == "invalid-signature" and refused.value.status == 401
    # A body as text is its UTF-8 bytes; a missing or empty signature is never valid.
    assert marktplaats.verify_webhook(VECTOR_BODY.decode(), VECTOR_SIG, "s3cr3t")
    assert marktplaats.sign_webhook(VECTOR_BODY.decode(), "s3cr3t") == VECTOR_SIG
    assert marktplaats.verify_webhook(VECTOR_BODY, None, "s3cr3t") is False
    assert marktplaats.verify_webhook(VECTOR_BODY, "", "s3cr3t") is False
    with pytest.raises(sellkit.InvalidInputError) as bad_body:
        marktplaats.verify_webhook(42, VECTOR_SIG, "s3cr3t")  # type: ignore[arg-type]
    assert bad_body.value.field == "body"

    hook = Hook()
    sim.set_mp_webhook(hook.url, "s3cr3t")
    client = sim.marktplaats_client("2dehands")
    item = client.ads.create(cd_player("Bid on me"))["itemId"]
    bid_id = sim.mp_place_bid("2dehands", item, 1100, "Joe")
    for _ in range(500):
        if hook.got:
            break
        threading.Event().wait(0.02)
    body, signature = hook.got[0]
    assert marktplaats.verify_webhook(body, signature, "s3cr3t")
    event = marktplaats.parse_webhook(body, signature, "s3cr3t")
    assert event["eventType"] == "BidPlacedEvent" and event["eventData"]["bidId"] == bid_id
    assert sim.mp_webhook_deliveries()[0]["status"] == 200
    assert client.bids.get(item, bid_id)["amount"] == 1100
    assert client.bids.list(item) is not None
    client.bids.ask_bidder_question(item, bid_id, "Hi, you can purchase this item for the offered price", "0113293823")
    client.bids.delete(item, bid_id)
    t = client.transactions.create(item, {"buyerId": 6789, "amount": 1200, "shippingCosts": 100})
    assert client.transactions.get(item, t["transactionId"])["amount"] == 1200
    with pytest.raises(sellkit.InvalidInputError) as info:
        client.transactions.create(item, {"buyerId": 1, "amount": 12.5, "shippingCosts": 0})
    assert info.value.field == "amount"
    client.upcalls.confirm(item, {"callerPhoneNumber": "0615420879", "calleePhoneNumber": "0113293823",
                                  "startTime": "2014-12-02T09:34:21+00:00", "endTime": "2014-12-02T09:34:23+00:00"})
    hook.server.shutdown()
    hook.server.server_close()


def test_categories_features_orders_and_more(sim: Simulator) -> None:
    client = sim.marktplaats_client()
    assert client.categories.list() is not None
    item = client.ads.create(cd_player("Features"))["itemId"]
    assert client.features.list(item) is not None
    assert client.locations.by_postcode("1097DN") is not None
    me = sim.mp_user_id
    for call in (client.users.profile, client.users.reviews, client.users.features, client.users.statistics, client.users.legal_status):
        assert call(me) is not None
    assert client.root() is not None


def test_profile_images(sim: Simulator) -> None:
    client = sim.marktplaats_client()
    me = sim.mp_user_id
    set_ = client.users.set_profile_image(me, "logo", "https://www.marktplaats.nl/i/logo.png")
    got = client.users.profile_image(me, "logo")
    assert got["url"] == set_["url"] == "https://www.marktplaats.nl/i/logo.png"
    client.users.delete_profile_image(me, "logo")
    with pytest.raises(sellkit.NotFoundError):
        client.users.profile_image(me, "logo")
    sim.reset_counters()
    with pytest.raises(sellkit.InvalidInputError) as info:
        client.users.profile_image(me, "avatar")  # type: ignore[arg-type]
    assert info.value.field == "kind" and sim.request_counts() == {}


def test_async_main_paths(sim: Simulator) -> None:
    async def main() -> None:
        seen: List[Dict[str, Any]] = []
        client = await sim.marktplaats_async_client("2ememain", on_token=lambda t: seen.append(dict(t)))
        async with client:
            assert len(seen) == 1
            assert (await client.users.me())["userId"] == sim.mp_user_id
            ad = await client.ads.create(cd_player("Vélo"))
            assert ad["locale"] == "fr-BE"
            old = await client.ads.get(ad["itemId"])
            new = {**old, "priceModel": {"modelType": "fixed", "askingPrice": 1999}}
            await client.ads.update_from(ad["itemId"], old, new)
            stored = sim.mp_ad("2ememain", ad["itemId"])
            assert stored is not None and stored["priceModel"]["askingPrice"] == 1999
            titles = [a["title"] async for a in client.users.ads(page_size=1)]
            assert titles == ["Vélo"]
            assert [a async for a in client.search(query="Vélo", limit=1)] != []
            with pytest.raises(sellkit.NotFoundError):
                await client.ads.get("m0")

    asyncio.run(main())


def test_a_webhook_body_that_is_not_utf8_verifies_over_its_raw_bytes() -> None:
    body = b'{"\xff\xfe"}'
    expected = hmac.new(b"k3y", body, hashlib.sha256).hexdigest()
    assert marktplaats.sign_webhook(body, "k3y") == expected
    assert marktplaats.verify_webhook(body, expected, "k3y")
    assert not marktplaats.verify_webhook(body.decode("utf-8", "replace"), expected, "k3y")
