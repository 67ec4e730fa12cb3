"""Mistakes the shipped types catch; test_typing.py expects mypy to report each marked line."""

from __future__ import annotations

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
