"""Mistakes the shipped types catch; test_typing.py expects mypy and pyright to report each line marked
with an E comment, and pyright (whose default mode checks optional TypedDict keys) each marked P."""

from __future__ import annotations

from sellkit import marktplaats
from sellkit import patch
from sellkit.eqp import AsyncClient, Client


def misuse(client: Client, aclient: AsyncClient) -> None:
    client.users.get(style="short")  # E: style
    client.users.get()["vendor"]  # E: not a profile field
    client.users.update(fields=["bio"])  # E: fields is a mapping
    Client("id", "secret")  # E: settings are keyword-only
    Client(app_id="id", app_secret="secret", environment="staging")  # E: environment
    Client(app_id="id", app_secret="secret", timeout="5")  # E: timeout
    name: int = client.authenticate()  # E: returns str
    aclient.users.get()["mage_id"]  # E: a coroutine, not awaited
    client.packages.create({"name": "x"}, chunk_size="50")  # E: chunk_size is an int
    client.files.wait_for_scan(["a"]).passed  # E: a TypedDict, not an object
    marktplaats.Client(platform="ebay")  # E: platform
    marktplaats.verify_webhook(b"body", b"sig", "secret")  # E: the signature is text
    marktplaats.authorization_url(platform="2dehands", redirect_uri=42)  # E: redirect_uri is text
    client.test_results.summary("submission")  # E: which id is named
    client.packages.submit("s", True)  # E: the tracks are keyword-only
    patch.apply({}, [{"op": "ad", "path": "/a", "value": 1}])  # E: no such operation
    patch.apply({}, [{"op": "move", "path": "/a"}])  # E: move needs from
    patch.validate([], server_safe="yes")  # E: server_safe is a bool
    patch.diff({}, {})[0]["value"]  # E: not every operation has a value
    client.packages.get("s")["name"]  # P: a draft may have no name: .get("name")
    client.users.get()["personal_profile"]  # P: not in every profile
