"""Errors, retries and outcome-unknown: what to do with each failure sellkit reports.

    pip install sellkit
    python errors_retries.py        # shows each case against the built-in simulator
"""

from __future__ import annotations

import sys
from typing import Any, Dict

import sellkit
from sellkit import marktplaats
from sellkit.marktplaats.types import Advertisement
from sellkit.testing import Simulator


def create_ad_once(client: marktplaats.Client, ad: Dict[str, Any]) -> Advertisement:
    """Create an ad exactly once, even when the answer to the create is lost.

    sellkit never repeats a POST that may have reached the server. When the request went out
    and no answer came back, the error says `outcome_unknown`: the ad may exist. Look before
    sending it again."""
    try:
        return client.ads.create(ad)
    except sellkit.SellkitError as err:
        if not err.outcome_unknown:
            raise  # the server changed nothing: fix the cause, then send again if it makes sense
        for mine in client.users.ads():
            if mine["title"] == ad["title"] and mine.get("description") == ad.get("description"):
                return mine  # it was created; the answer was lost on the way back
        return client.ads.create(ad)  # it was not created: sending it again cannot duplicate it


def describe(err: sellkit.SellkitError) -> str:
    """What a program would do with each kind of error."""
    if isinstance(err, sellkit.InvalidInputError):
        return f"refused before sending, fix the argument {err.field!r}: {err.message}"
    if isinstance(err, sellkit.ValidationError):
        fields = ", ".join(str(d["field"]) for d in err.details)
        return f"the server refused fields ({fields}): fix and send again"
    if isinstance(err, sellkit.AuthenticationError):
        return "credentials refused: ask the seller to connect again"
    if isinstance(err, sellkit.RateLimitError):
        return f"rate limited: try again in {err.retry_after} s (sellkit waits itself up to 60 s)"
    if isinstance(err, (sellkit.ServerError, sellkit.APIConnectionError)):
        unknown = " and the outcome is unknown" if err.outcome_unknown else ", nothing changed"
        return f"{err.code} after sellkit's own retries{unknown}: try again later"
    return f"{err.code}: {err.message}"


AD: Dict[str, Any] = {
    "categoryId": 35, "title": "Bicycle lights, front and back", "description": "USB rechargeable.",
    "priceModel": {"modelType": "fixed", "askingPrice": 1250}, "location": {"postcode": "1097DN"},
}


def main() -> int:
    with Simulator() as sim, sim.marktplaats_client("marktplaats", max_retries=2) as client:
        # 1. A 503 is retried (with backoff, honouring Retry-After): the call succeeds.
        sim.fail_next("GET /v1/me", count=2, status=503)
        client.users.me()
        print(f"retried     2 x 503, then ok ({sim.request_count('GET /v1/me')} requests)")

        # 2. More failures than retries: the error says what happened and what is known.
        sim.fail_next("GET /v1/me", count=3, status=503)
        try:
            client.users.me()
        except sellkit.SellkitError as err:
            print(f"gave up     {describe(err)}")

        # 3. A Retry-After longer than sellkit waits fails at once, carrying the wait.
        sim.fail_next("GET /v1/me", count=1, status=429, retry_after="120")
        try:
            client.users.me()
        except sellkit.RateLimitError as err:
            print(f"rate limit  {describe(err)}")

        # 4. Invalid input never leaves the process.
        try:
            client.ads.create({**AD, "priceModel": {"modelType": "fixed", "askingPrice": 12.5}})
        except sellkit.InvalidInputError as err:
            print(f"invalid     {describe(err)}")

        # 5. The create reaches the server, then the connection drops: outcome unknown.
        sim.inject_fault("POST /v1/advertisements", "drop-after")
        ad = create_ad_once(client, AD)
        mine = [a for a in client.users.ads() if a["title"] == AD["title"]]
        print(f"unknown     answer lost, ad {ad['itemId']} found by looking; {len(mine)} such ad on the server")

        # 6. Per-call settings: a client with other timeouts and retries sharing the connections.
        patient = client.with_options(timeout=120, max_retries=5)
        patient.users.me()
        print("options     with_options(timeout=120, max_retries=5) for the slow calls")
    return 0


if __name__ == "__main__":
    sys.exit(main())
