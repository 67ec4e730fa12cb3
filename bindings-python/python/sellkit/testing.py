"""Test your integration against the sellkit simulator: the EQP API served from memory on a
loopback port, with fault injection and per-route request counters.

>>> from sellkit.testing import Simulator
>>> with Simulator() as sim, sim.eqp_client() as client:
...     sim.fail_next("GET /rest/v1/users/{mage_id}", status=503, retry_after="1")
...     client.users.get()                      # retried once, then succeeds
...     sim.request_count("GET /rest/v1/users/{mage_id}")
2

Routes are named ``"METHOD /path/{param}"`` as the simulator declares them
(``"POST /rest/v1/app/session/token"``); ``"*"`` in :meth:`Simulator.fail_next` means any route.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Dict, Optional, Type

from sellkit import _native
from sellkit.eqp import AsyncClient, Client

__all__ = ["Simulator"]


class Simulator:
    """A running simulator; it starts on construction and stops on :meth:`close` (or at the
    end of a ``with`` block)."""

    def __init__(self, *, latency: float = 0.0, eqp_max_token_lifetime: int = 7200) -> None:
        """Start serving on a free loopback port.

        Args:
            latency: seconds added to every response.
            eqp_max_token_lifetime: longest EQP session granted, in seconds.
        """
        self._native = _native.Simulator(latency=latency, eqp_max_token_lifetime=eqp_max_token_lifetime)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``, the root of everything served."""
        return self._native.url

    @property
    def eqp_url(self) -> str:
        """Base URL of the EQP API (pass it as ``base_url``)."""
        return self._native.eqp_url

    @property
    def eqp_app_id(self) -> str:
        """The demo application id the EQP side accepts."""
        return self._native.eqp_app_id

    @property
    def eqp_app_secret(self) -> str:
        """The demo application secret the EQP side accepts."""
        return self._native.eqp_app_secret

    @property
    def eqp_mage_id(self) -> str:
        """The account the demo key belongs to."""
        return self._native.eqp_mage_id

    def eqp_client(self, **kwargs: Any) -> Client:
        """A :class:`sellkit.eqp.Client` with the demo credentials, on this simulator.

        Keyword arguments are passed on (``max_retries=0``, ``timeout=1``, ...)."""
        kwargs.setdefault("base_url", self.eqp_url)
        return Client(self.eqp_app_id, self.eqp_app_secret, **kwargs)

    def eqp_async_client(self, **kwargs: Any) -> AsyncClient:
        """A :class:`sellkit.eqp.AsyncClient` with the demo credentials, on this simulator."""
        kwargs.setdefault("base_url", self.eqp_url)
        return AsyncClient(self.eqp_app_id, self.eqp_app_secret, **kwargs)

    def fail_next(self, route: str, count: int = 1, status: int = 503, retry_after: Optional[str] = None) -> None:
        """The next ``count`` requests to ``route`` (``"*"``: any route) get ``status`` with the
        API's error body, and a ``Retry-After`` header (seconds or an HTTP date) when given."""
        self._native.fail_next(route, count, status, retry_after)

    def clear_faults(self) -> None:
        """Remove every queued fault and the added latency."""
        self._native.clear_faults()

    def set_latency(self, seconds: float) -> None:
        """Seconds added to every response from now on."""
        self._native.set_latency(seconds)

    def expire_all_tokens(self) -> None:
        """Every session token issued so far stops working now."""
        self._native.expire_all_tokens()

    def set_eqp_max_token_lifetime(self, seconds: int) -> None:
        """Longest EQP session granted from now on, in seconds."""
        self._native.set_eqp_max_token_lifetime(seconds)

    def request_count(self, route: str) -> int:
        """Requests received on ``route`` since start (or the last :meth:`reset_counters`)."""
        return self._native.request_count(route)

    def request_counts(self) -> Dict[str, int]:
        """Requests received per route since start (or the last :meth:`reset_counters`)."""
        return self._native.request_counts()

    def reset_counters(self) -> None:
        self._native.reset_counters()

    def close(self) -> None:
        """Stop serving (idempotent); the counters stay readable."""
        self._native.stop()

    stop = close

    def __enter__(self) -> Simulator:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<sellkit.testing.Simulator url={self.url!r}>"
