"""sellkit in a minute: the EQP API against the built-in simulator.

    pip install sellkit   # or, in this repository: maturin develop
    python examples/python/demo.py

The simulator serves the EQP API on a loopback port with the docs' demo key; point the same code
at the real API by dropping `base_url` and passing your own app id and secret.
"""

from __future__ import annotations

import asyncio
import sys

import sellkit
from sellkit.eqp import AsyncClient, Client
from sellkit.testing import Simulator


def sync_demo(sim: Simulator) -> None:
    with Client(sim.eqp_app_id, sim.eqp_app_secret, base_url=sim.eqp_url) as client:
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
            client.users.update(action="publish")
        except sellkit.InvalidInputError as err:
            print(f"refused     before sending: {err.message} (field {err.field!r})")


async def async_demo(sim: Simulator) -> None:
    async with AsyncClient(sim.eqp_app_id, sim.eqp_app_secret, base_url=sim.eqp_url) as client:
        profiles = await asyncio.gather(*(client.users.get(style="summary") for _ in range(5)))
        print(f"async       {len(profiles)} concurrent reads of {profiles[0]['mage_id']}, "
              f"{sim.request_count('POST /rest/v1/app/session/token')} token request(s) in total so far")


def main() -> int:
    with Simulator() as sim:
        print(f"simulator   {sim.eqp_url} (sellkit {sellkit.__version__})")
        sync_demo(sim)
        asyncio.run(async_demo(sim))
        print(f"requests    {sim.request_counts()}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except sellkit.SellkitError as err:
        print(f"demo failed: {err}", file=sys.stderr)
        sys.exit(1)
