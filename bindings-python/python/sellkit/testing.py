"""Test your integration against the sellkit simulator: the EQP API and the Marktplaats API
(each platform at its own base URL) served from memory on a loopback port, with fault injection,
workflow controls and per-route request counters.

>>> from sellkit.testing import Simulator
>>> with Simulator() as sim, sim.eqp_client() as client:
...     sim.fail_next("GET /rest/v1/users/{mage_id}", status=503, retry_after="1")
...     client.users.get()                      # retried once, then succeeds
...     sim.request_count("GET /rest/v1/users/{mage_id}")
2

>>> with Simulator() as sim, sim.marktplaats_client("2ememain") as mp:   # code flow done
...     mp.ads.create({...})

Routes are named ``"METHOD /path/{param}"`` as the simulator declares them
(``"POST /rest/v1/app/session/token"``); ``"*"`` in :meth:`Simulator.fail_next` means any route.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Dict, List, Literal, Mapping, Optional, Tuple, Type, Union, cast

from sellkit import _native
from sellkit import marktplaats as _mp
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
        kwargs.setdefault("app_id", self.eqp_app_id)
        kwargs.setdefault("app_secret", self.eqp_app_secret)
        return Client(**kwargs)

    def eqp_async_client(self, **kwargs: Any) -> AsyncClient:
        """A :class:`sellkit.eqp.AsyncClient` with the demo credentials, on this simulator."""
        kwargs.setdefault("base_url", self.eqp_url)
        kwargs.setdefault("app_id", self.eqp_app_id)
        kwargs.setdefault("app_secret", self.eqp_app_secret)
        return AsyncClient(**kwargs)

    def routes(self) -> List[str]:
        """Every route served, as ``"METHOD /path/{param}"``: the names that
        :meth:`request_count`, :meth:`fail_next` and :meth:`inject_fault` take."""
        return self._native.routes()

    def fail_next(self, route: str, count: int = 1, status: int = 503, retry_after: Optional[str] = None) -> None:
        """The next ``count`` requests to ``route`` (``"*"``: any route) get ``status`` with the
        API's error body, and a ``Retry-After`` header (seconds or an HTTP date) when given.

        Raises:
            InvalidInputError: ``route`` is not one of :meth:`routes` (the fault could never
                fire); the message lists the closest routes."""
        self._native.fail_next(route, count, status, retry_after)

    def inject_fault(self, route: str, fault: ConnectionFault, count: int = 1, stall: float = 5.0) -> None:
        """The next ``count`` requests to ``route`` meet a connection-level fault:
        ``"drop-before"`` (closed unanswered, nothing processed), ``"drop-after"`` (processed,
        then closed unanswered), ``"stall"`` (processed, answered after ``stall`` seconds) or
        ``"truncate"`` (processed, half the body sent, then closed).

        Raises:
            InvalidInputError: ``route`` is not one of :meth:`routes`, or ``fault`` is no fault."""
        self._native.inject_fault(route, fault, count, stall)

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

    # --- EQP workflow controls

    def issued_eqp_tokens(self) -> List[str]:
        """Session tokens issued so far (for assertions)."""
        return self._native.issued_eqp_tokens()

    def max_in_flight(self, route: str) -> int:
        """The most requests in flight at once on ``route`` (since start or the last reset)."""
        return self._native.max_in_flight(route)

    def requests(self, route: str) -> List[str]:
        """The raw ``path?query`` of recent requests on ``route``, percent-encoding intact."""
        return self._native.requests(route)

    def set_eqp_scan_delay(self, seconds: float) -> None:
        """How long malware scans take from now on."""
        self._native.set_eqp_scan_delay(seconds)

    def set_eqp_scan_verdict(self, verdict: Verdict) -> None:
        """``"pass"`` or ``"fail"`` for the scans of files uploaded from now on."""
        self._native.set_eqp_scan_verdict(verdict)

    def set_eqp_review_delay(self, seconds: Optional[float]) -> None:
        """Seconds until a submitted package's review finishes (``None``: only by hand, with
        :meth:`complete_eqp_review`)."""
        self._native.set_eqp_review_delay(seconds)

    def set_eqp_review_verdict(self, verdict: Verdict) -> None:
        self._native.set_eqp_review_verdict(verdict)

    def complete_eqp_review(self, submission_id: str, track: str, verdict: Verdict = "pass") -> bool:
        """Finish the ``technical`` or ``marketing`` review of a package now."""
        return self._native.complete_eqp_review(submission_id, track, verdict)

    def callback_deliveries(self) -> List[Dict[str, Any]]:
        """Callback POSTs made so far: ``url``, ``body``, ``status``, ``error``."""
        return cast(List[Dict[str, Any]], self._native.callback_deliveries())

    def eqp_package_count(self) -> int:
        return self._native.eqp_package_count()

    # --- Marktplaats

    def marktplaats_url(self, platform: str = "marktplaats") -> str:
        """Base URL of a platform (``marktplaats``, ``2dehands``, ``2ememain``).

        Raises:
            InvalidInputError: an unknown platform."""
        return self._native.marktplaats_url(platform)

    @property
    def mp_client_id(self) -> str:
        return self._native.mp_client_id

    @property
    def mp_client_secret(self) -> str:
        return self._native.mp_client_secret

    @property
    def mp_user_id(self) -> int:
        """The demo user that the authorize endpoint approves."""
        return self._native.mp_user_id

    def set_mp_token_lifetime(self, seconds: int) -> None:
        self._native.set_mp_token_lifetime(seconds)

    def set_mp_refresh_rotation(self, on: bool) -> None:
        """Whether a refresh returns a new refresh token (and retires the old one)."""
        self._native.set_mp_refresh_rotation(on)

    def mp_refresh_stats(self) -> Dict[str, int]:
        """``refreshes`` served, ``rotations``, ``reuse_detections`` (a spent refresh token presented
        again) and ``unused_refresh_tokens`` (issued, never spent: 1 when one grant is shared well)."""
        return self._native.mp_refresh_stats()

    def requests_during_backoff(self) -> int:
        """Requests that arrived at a host while a ``Retry-After`` it sent was in force (after a
        100 ms grace for requests already on their way)."""
        return self._native.requests_during_backoff()

    def set_mp_image_delay(self, seconds: float) -> None:
        """How long added images stay in processing."""
        self._native.set_mp_image_delay(seconds)

    def set_mp_webhook(self, url: Optional[str], secret: str) -> None:
        self._native.set_mp_webhook(url, secret)

    def mp_webhook_deliveries(self) -> List[Dict[str, Any]]:
        return cast(List[Dict[str, Any]], self._native.mp_webhook_deliveries())

    def mp_place_bid(self, platform: str, item_id: str, amount: int, nick_name: str = "bidder") -> int:
        """Place a bid (``amount`` in cents) as another user; returns the bid id."""
        return self._native.mp_place_bid(platform, item_id, amount, nick_name)

    def mp_send_webhook(self, event_type: str, event_data: Any) -> None:
        self._native.mp_send_webhook(event_type, event_data)

    def mp_ad(self, platform: str, item_id: str) -> Optional[Dict[str, Any]]:
        """The ad as the simulator stores it (``None`` if absent)."""
        return cast(Optional[Dict[str, Any]], self._native.mp_ad(platform, item_id))

    def mp_seed_ads(self, platform: str, count: int, title_prefix: str = "Seeded ad") -> List[str]:
        """Place ``count`` ads of another seller (titles ``"<title_prefix> <n>"``, category 35,
        fixed prices), for search tests; returns their item ids. They are not the demo user's:
        see :meth:`mp_seed_own_ads`."""
        return self._native.mp_seed_ads(platform, count, title_prefix)

    def mp_seed_own_ads(self, platform: str, count: int, title_prefix: str = "Seeded ad") -> List[str]:
        """Place ``count`` ads of the demo user, shaped as :meth:`mp_seed_ads` shapes them: they
        show under ``client.users.ads()`` and can be read, changed and deleted with the demo
        user's token. Returns their item ids."""
        return self._native.mp_seed_own_ads(platform, count, title_prefix)

    def mp_seed_own_ad(self, platform: str, ad: Mapping[str, Any]) -> str:
        """Place one ad of the demo user from its JSON, as a client would post it (server-set
        members such as ``itemId`` are ignored); returns its item id.

        Raises:
            InvalidInputError: an ad the API would refuse; ``details`` holds the field errors
                it would answer with."""
        return self._native.mp_seed_own_ad(platform, ad)

    def mp_set_ad_expiry(self, platform: str, item_id: str, days: int) -> bool:
        return self._native.mp_set_ad_expiry(platform, item_id, days)

    def issued_mp_tokens(self) -> List[str]:
        return self._native.issued_mp_tokens()

    def mp_approve(self, url: str) -> Tuple[str, Optional[str]]:
        """Approve an authorization URL as the demo user would in a browser; returns what the
        redirect URI receives: the ``code``, and the ``state`` when the URL had one."""
        return self._native.mp_approve(url)

    def marktplaats_client(self, platform: Platform = "marktplaats", *, login: bool = True, **kwargs: Any) -> _mp.Client:
        """A :class:`sellkit.marktplaats.Client` on this simulator with the demo client
        credentials; with ``login`` (the default) the code flow has been done for the demo user."""
        kwargs.setdefault("base_url", self.marktplaats_url(platform))
        kwargs.setdefault("client_id", self.mp_client_id)
        kwargs.setdefault("client_secret", self.mp_client_secret)
        client = _mp.Client(platform=platform, **kwargs)
        if login:
            url, _state = client.authorization_url(MP_REDIRECT)
            client.exchange_code(self.mp_approve(url)[0], MP_REDIRECT)
        return client

    async def marktplaats_async_client(self, platform: Platform = "marktplaats", *, login: bool = True, **kwargs: Any) -> _mp.AsyncClient:
        """:meth:`marktplaats_client` for asyncio (a coroutine: the login is awaited)."""
        kwargs.setdefault("base_url", self.marktplaats_url(platform))
        kwargs.setdefault("client_id", self.mp_client_id)
        kwargs.setdefault("client_secret", self.mp_client_secret)
        client = _mp.AsyncClient(platform=platform, **kwargs)
        if login:
            url, _state = await client.authorization_url(MP_REDIRECT)
            await client.exchange_code(self.mp_approve(url)[0], MP_REDIRECT)
        return client


Verdict = Union[Literal["pass"], Literal["fail"]]
Platform = Union[Literal["marktplaats"], Literal["2dehands"], Literal["2ememain"]]
"""The platform names a Marktplaats client takes."""
ConnectionFault = Union[Literal["drop-before"], Literal["drop-after"], Literal["stall"], Literal["truncate"]]

MP_REDIRECT = "https://app.example.com/callback"
"""The redirect URI the convenience constructors use."""

