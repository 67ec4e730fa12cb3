"""Mistakes the shipped types catch; test_typing.py expects mypy to report each marked line."""

from __future__ import annotations

from sellkit import marktplaats
from sellkit import patch
from sellkit.eqp import AsyncClient, Client


def misuse(client: Client, aclient: AsyncClient) -> None:
    client.users.get(style="short")  # E: style
    summary = client.users.get(style="summary")
    summary["vendor_name"]  # E: not in a summary
    client.users.update(fields=["bio"])  # E: fields is a mapping
    Client("id", "secret", environment="staging")  # E: environment
    Client("id", "secret", timeout="5")  # E: timeout
    name: int = client.authenticate()  # E: returns str
    aclient.users.get()["mage_id"]  # E: a coroutine, not awaited
    client.packages.create({"name": "x"}, chunk_size="50")  # E: chunk_size is an int
    client.files.wait_for_scan(["a"]).passed  # E: a TypedDict, not an object
    marktplaats.Client(platform="ebay")  # E: platform
    marktplaats.verify_webhook("body", "sig", "secret")  # E: body is bytes
    patch.apply({}, [{"op": "ad", "path": "/a", "value": 1}])  # E: no such operation
    patch.apply({}, [{"op": "move", "path": "/a"}])  # E: move needs from
    patch.validate([], server_safe="yes")  # E: server_safe is a bool
    patch.diff({}, {})[0]["value"]  # E: not every operation has a value
