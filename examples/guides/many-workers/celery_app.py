"""Celery workers sharing one Marktplaats account and one EQP key through Redis.

Every worker process makes its own sellkit clients; they share their tokens and back-offs
through the token store named by ``SELLKIT_TOKEN_STORE``, so the account is refreshed once for
all of them, a rotated refresh token is never lost, and a ``Retry-After`` one of them receives
holds back the others.

Run (credentials from the environment, see docs/guides/many-workers.md)::

    export SELLKIT_TOKEN_STORE=redis://127.0.0.1:6379/1
    export SELLKIT_MP_CLIENT_ID=... SELLKIT_MP_CLIENT_SECRET=...
    export SELLKIT_EQP_APP_ID=... SELLKIT_EQP_APP_SECRET=...
    celery -A celery_app worker --concurrency 8

and enqueue from anywhere: ``reprice.delay("m1234567890", 2900)``.
"""

# Celery ships no type information: its decorators are untyped for mypy --strict.
# mypy: disallow-untyped-decorators=False

from __future__ import annotations

import os
from typing import Any, Dict, Optional, Tuple

from celery import Celery  # type: ignore[import-untyped]

from sellkit import eqp, marktplaats

BROKER = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
app = Celery("shop", broker=BROKER, backend=os.environ.get("CELERY_RESULT_BACKEND", BROKER))

# One pair of clients per worker process, made on first use in that process: a client must not
# be carried across fork() into Celery's pool processes.
_clients: Dict[str, Any] = {}


def clients() -> Tuple[marktplaats.Client, eqp.Client]:
    if _clients.get("pid") != os.getpid():
        # Settings come from SELLKIT_* variables, the token store included.
        _clients.update(pid=os.getpid(), mp=marktplaats.Client(), eqp=eqp.Client())
    return _clients["mp"], _clients["eqp"]


@app.task
def seller_id() -> Optional[int]:
    """The Marktplaats user the shared tokens belong to."""
    mp, _ = clients()
    return mp.users.me().get("userId")


@app.task
def reprice(item_id: str, cents: int) -> Optional[int]:
    """Set an ad's asking price (euro cents); returns the price the server now holds."""
    mp, _ = clients()
    ad = mp.ads.patch(item_id, [{"op": "replace", "path": "/priceModel/askingPrice", "value": cents}])
    return (ad.get("priceModel") or {}).get("askingPrice")


@app.task
def vendor_name() -> Optional[str]:
    """The EQP account's vendor name (one session for every worker)."""
    _, e = clients()
    return e.users.get().get("vendor_name")
