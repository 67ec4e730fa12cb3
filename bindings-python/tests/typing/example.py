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
from sellkit.eqp import AsyncClient, Client
from sellkit.testing import Simulator
from sellkit.types import Address, FieldDetail, Profile, ProfileSummary


def primary_address(profile: Profile) -> Optional[Address]:
    for address in profile.get("personal_profile", {}).get("addresses", []):
        if address.get("is_primary"):
            return address
    return None


def sync_part(sim: Simulator) -> str:
    with Client(sim.eqp_app_id, sim.eqp_app_secret, base_url=sim.eqp_url, timeout=10, max_retries=1) as client:
        assert_type(client.authenticate(), str)
        assert_type(client.mage_id, Optional[str])
        profile = client.users.get()
        assert_type(profile, Profile)
        summary = client.users.get(style="summary")
        assert_type(summary, ProfileSummary)
        updated = client.users.update({"personal_profile": {"bio": "typed"}}, action="draft")
        assert_type(updated, Profile)
        raw = client.request("GET", "/rest/v1/users/" + sim.eqp_mage_id)
        assert_type(raw, Any)
        fast: Client = client.with_options(timeout=2.5, max_retries=0)
        _ = primary_address(profile)
        try:
            fast.users.update(action="publish")
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


def main() -> None:
    with Simulator(latency=0.0) as sim:
        counts: dict[str, int] = sim.request_counts()
        assert counts == {}
        print(sync_part(sim), asyncio.run(async_part(sim)), sellkit.__version__)


if __name__ == "__main__":
    main()
