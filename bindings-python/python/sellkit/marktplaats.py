"""The Marktplaats / 2dehands / 2ememain seller API (Admarkt).

>>> from sellkit.marktplaats import Client, authorization_url
>>> url, state = authorization_url(platform="2ememain", client_id="...", redirect_uri="https://app/cb")
>>> with Client(platform="2ememain", client_id="...", client_secret="...", on_token=save) as client:
...     client.exchange_code(code, redirect_uri="https://app/cb")
...     ad = client.ads.create({...})

:class:`Client` blocks with the GIL released; :class:`AsyncClient` has the same methods as
coroutines. Results are the API's JSON as plain dicts (HAL ``_links``/``_embedded`` kept); amounts
are integer euro cents. Every rule (hosts, locale, OAuth, retries, JSON Patch) lives in the Rust
core; this module names the operations.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Callable, Dict, List, Literal, Mapping, Optional, Sequence, Tuple, Type, Union, cast

from sellkit._native import MarktplaatsClient as _NativeClient
from sellkit._native import mp_call_static as _call_static
from sellkit._native import mp_sign_webhook as _sign_webhook
from sellkit._native import mp_verify_webhook as _verify_webhook
from sellkit.eqp import AsyncListIterator, ListIterator
from sellkit.types import Ad, Category, Image, Order, TokenSet, User, WebhookEvent

__all__ = [
    "Client",
    "AsyncClient",
    "Platform",
    "Environment",
    "authorization_url",
    "verify_webhook",
    "sign_webhook",
    "parse_webhook",
    "Ads",
    "Images",
    "Categories",
    "Features",
    "Transactions",
    "Bids",
    "Upcalls",
    "Users",
    "Orders",
    "Locations",
    "AsyncAds",
    "AsyncImages",
    "AsyncCategories",
    "AsyncFeatures",
    "AsyncTransactions",
    "AsyncBids",
    "AsyncUpcalls",
    "AsyncUsers",
    "AsyncOrders",
    "AsyncLocations",
]

Platform = Union[Literal["marktplaats"], Literal["2dehands"], Literal["2ememain"]]
Environment = Union[Literal["production"], Literal["sandbox"]]
OnToken = Callable[[TokenSet], Any]


def authorization_url(
    *,
    platform: Optional[Platform] = None,
    client_id: str,
    redirect_uri: str,
    scopes: Optional[Sequence[str]] = None,
    environment: Optional[Environment] = None,
    auth_base_url: Optional[str] = None,
    authorize_url: Optional[str] = None,
    state: Optional[str] = None,
) -> Tuple[str, str]:
    """The URL to send the user to and the ``state`` to compare with the redirect's (a random one
    unless given). Scopes default to ``read write``."""
    r = _call_static(
        "authorization_url",
        {
            "platform": platform,
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scopes": scopes,
            "environment": environment,
            "auth_base_url": auth_base_url,
            "authorize_url": authorize_url,
            "state": state,
        },
    )
    return (cast(str, r["url"]), cast(str, r["state"]))


def verify_webhook(body: bytes, signature: str, secret: str) -> bool:
    """Check ``X-Ecg-Signature`` (hex HMAC-SHA256 of the raw body) in constant time."""
    return _verify_webhook(bytes(body), signature, secret)


def sign_webhook(body: bytes, secret: str) -> str:
    """The hex HMAC-SHA256 signature of ``body`` (to test your own receiver)."""
    return _sign_webhook(bytes(body), secret)


def parse_webhook(body: Union[bytes, str]) -> WebhookEvent:
    """Decode a webhook envelope (``id``, ``eventType``, ``created``, ``eventData``)."""
    text = body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else body
    return cast(WebhookEvent, _call_static("parse_webhook", {"body": text}))


class _ClientBase:
    _native: _NativeClient

    def __init__(
        self,
        *,
        platform: Platform = "marktplaats",
        environment: Environment = "production",
        base_url: Optional[str] = None,
        auth_base_url: Optional[str] = None,
        token_url: Optional[str] = None,
        authorize_url: Optional[str] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        access_token: Optional[str] = None,
        access_token_expires_in: Optional[int] = None,
        refresh_token: Optional[str] = None,
        on_token: Optional[OnToken] = None,
        locale: Optional[str] = None,
        accept_language: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        user_agent_suffix: Optional[str] = None,
        max_response_bytes: Optional[int] = None,
    ) -> None:
        """Check the settings and create the client; nothing is sent until the first call.

        Args:
            platform: ``"marktplaats"`` (api.marktplaats.nl), ``"2dehands"`` or ``"2ememain"``.
            environment: ``"production"`` or ``"sandbox"``.
            base_url: any API base URL instead (``https://`` only, except loopback).
            auth_base_url, token_url, authorize_url: OAuth endpoints other than the platform's.
            client_id, client_secret: the OAuth client.
            access_token, refresh_token: tokens persisted from an earlier run.
            on_token: called with the new token set (a dict) *before* a new access token is
                used, so a rotated refresh token can be saved; an exception fails the call.
            locale: the user's preferred locale (refused if the platform does not allow it).
            accept_language: ``Accept-Language`` sent with every call.
            timeout, connect_timeout: seconds; max_retries: 0–10.
            max_response_bytes: largest response body read into memory (64 MiB when ``None``);
                a bigger one raises ``DecodeError`` with code ``response-too-large``.
        """
        self._native = _NativeClient(
            platform=platform,
            environment=environment,
            base_url=base_url,
            auth_base_url=auth_base_url,
            token_url=token_url,
            authorize_url=authorize_url,
            client_id=client_id,
            client_secret=client_secret,
            access_token=access_token,
            access_token_expires_in=access_token_expires_in,
            refresh_token=refresh_token,
            on_token=on_token,
            locale=locale,
            accept_language=accept_language,
            timeout=timeout,
            connect_timeout=connect_timeout,
            max_retries=max_retries,
            user_agent_suffix=user_agent_suffix,
            max_response_bytes=max_response_bytes,
        )
        self._platform = self._native.platform
        self._base_url = self._native.base_url
        self._attach()

    def _attach(self) -> None:
        raise NotImplementedError

    @property
    def platform(self) -> str:
        return self._platform

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def environment(self) -> str:
        return self._native.environment

    @property
    def locale(self) -> Optional[str]:
        """The preferred locale given to the constructor, if any."""
        return self._native.locale

    @property
    def token_requests(self) -> int:
        """Tokens fetched by this client (refreshes and grants; not the code exchange)."""
        return self._native.token_requests

    @property
    def closed(self) -> bool:
        return self._native.closed

    def authorization_url(
        self, redirect_uri: str, scopes: Optional[Sequence[str]] = None, state: Optional[str] = None
    ) -> Tuple[str, str]:
        """The URL to send the user to, and the ``state`` to check on the redirect."""
        r = self._native.call(
            "authorization_url",
            {"redirect_uri": redirect_uri, "scopes": scopes, "state": state},
        )
        return (cast(str, r["url"]), cast(str, r["state"]))

    def __repr__(self) -> str:
        name = f"{type(self).__module__}.{type(self).__qualname__}"
        state = " closed" if self._native.closed else ""
        return f"<{name} platform={self._platform!r} base_url={self._base_url!r}{state}>"


def _search_args(kw: Dict[str, Any]) -> Dict[str, Any]:
    return kw


class Client(_ClientBase):
    """A blocking Marktplaats client. Thread-safe; a context manager."""

    ads: Ads
    images: Images
    categories: Categories
    features: Features
    transactions: Transactions
    bids: Bids
    upcalls: Upcalls
    users: Users
    orders: Orders
    locations: Locations

    def _attach(self) -> None:
        self.ads = Ads(self)
        self.images = Images(self)
        self.categories = Categories(self)
        self.features = Features(self)
        self.transactions = Transactions(self)
        self.bids = Bids(self)
        self.upcalls = Upcalls(self)
        self.users = Users(self)
        self.orders = Orders(self)
        self.locations = Locations(self)

    def _call(self, op: str, args: Optional[Dict[str, Any]] = None) -> Any:
        return self._native.call(op, args)

    def _list(self, op: str, args: Dict[str, Any]) -> ListIterator[Any]:
        return ListIterator(self._native.list(op, args))

    def exchange_code(self, code: str, redirect_uri: str) -> TokenSet:
        """Trade the redirect's ``code`` for tokens; the client uses them from now on."""
        return cast(TokenSet, self._call("exchange_code", {"code": code, "redirect_uri": redirect_uri}))

    def authenticate_client(self, scopes: Sequence[str]) -> TokenSet:
        """Use a client-credentials token (``create_account``, ``confirm_upcall``, ...)."""
        return cast(TokenSet, self._call("authenticate_client", {"scopes": scopes}))

    def authenticate(self) -> None:
        """Make sure a valid token is at hand (refreshing if needed)."""
        self._call("authenticate")

    def resolve_locale(self, locale: Optional[str] = None) -> str:
        """The locale a call would use: ``locale``, then the client's preference, then the host's."""
        return cast(str, self._call("resolve_locale", {"locale": locale}))

    def root(self) -> Any:
        return self._call("root")

    def search(self, *, limit: Optional[int] = None, page_size: Optional[int] = None, **query: Any) -> ListIterator[Ad]:
        """Search ads (``query=``, ``category_id=``, ``seller_id=``, ``post_code=``, ``distance=``,
        ``sort_by=``, ``sort_order=``, ``locale=``, ...), fetched lazily page by page."""
        return self._list("search", {**query, "limit": limit, "page_size": page_size})

    def search_page(self, *, offset: Optional[int] = None, page_size: Optional[int] = None, **query: Any) -> Any:
        """One page of a search."""
        return self._call("search.page", {**query, "offset": offset, "page_size": page_size})

    def request(self, method: str, path: str, json: Any = None) -> Any:
        """Call any endpoint (``/v1/...``) with the client's auth, retries and errors."""
        return self._call("request", {"method": method, "path": path, "json": json})

    def close(self) -> None:
        self._native.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.close()


class AsyncClient(_ClientBase):
    """An asyncio Marktplaats client: the methods of :class:`Client` as coroutines."""

    ads: AsyncAds
    images: AsyncImages
    categories: AsyncCategories
    features: AsyncFeatures
    transactions: AsyncTransactions
    bids: AsyncBids
    upcalls: AsyncUpcalls
    users: AsyncUsers
    orders: AsyncOrders
    locations: AsyncLocations

    def _attach(self) -> None:
        self.ads = AsyncAds(self)
        self.images = AsyncImages(self)
        self.categories = AsyncCategories(self)
        self.features = AsyncFeatures(self)
        self.transactions = AsyncTransactions(self)
        self.bids = AsyncBids(self)
        self.upcalls = AsyncUpcalls(self)
        self.users = AsyncUsers(self)
        self.orders = AsyncOrders(self)
        self.locations = AsyncLocations(self)

    async def _call(self, op: str, args: Optional[Dict[str, Any]] = None) -> Any:
        return await self._native.call_async(op, args)

    def _list(self, op: str, args: Dict[str, Any]) -> AsyncListIterator[Any]:
        return AsyncListIterator(self._native.list(op, args))

    async def exchange_code(self, code: str, redirect_uri: str) -> TokenSet:
        return cast(TokenSet, await self._call("exchange_code", {"code": code, "redirect_uri": redirect_uri}))

    async def authenticate_client(self, scopes: Sequence[str]) -> TokenSet:
        return cast(TokenSet, await self._call("authenticate_client", {"scopes": scopes}))

    async def authenticate(self) -> None:
        await self._call("authenticate")

    async def resolve_locale(self, locale: Optional[str] = None) -> str:
        return cast(str, await self._call("resolve_locale", {"locale": locale}))

    async def root(self) -> Any:
        return await self._call("root")

    def search(self, *, limit: Optional[int] = None, page_size: Optional[int] = None, **query: Any) -> AsyncListIterator[Ad]:
        return self._list("search", {**query, "limit": limit, "page_size": page_size})

    async def search_page(self, *, offset: Optional[int] = None, page_size: Optional[int] = None, **query: Any) -> Any:
        return await self._call("search.page", {**query, "offset": offset, "page_size": page_size})

    async def request(self, method: str, path: str, json: Any = None) -> Any:
        return await self._call("request", {"method": method, "path": path, "json": json})

    async def close(self) -> None:
        self._native.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        await self.close()


class Ads:
    """``client.ads``."""
    def __init__(self, client: Client) -> None:
        self._client = client

    def create(self, ad: Mapping[str, Any]) -> Ad:
        """Place an ad; returns it with its ``itemId``. Amounts are integer euro cents."""
        return cast(Ad, self._client._call("ads.create", {"ad": ad}))

    def get(self, item_id: str) -> Ad:
        return cast(Ad, self._client._call("ads.get", {"item_id": item_id}))

    def replace(self, item_id: str, ad: Mapping[str, Any]) -> Ad:
        """Replace the whole ad (PUT)."""
        return cast(Ad, self._client._call("ads.replace", {"item_id": item_id, "ad": ad}))

    def patch(self, item_id: str, ops: Sequence[Mapping[str, Any]]) -> Ad:
        """Apply JSON Patch operations (``add``/``remove``/``replace`` only)."""
        return cast(Ad, self._client._call("ads.patch", {"item_id": item_id, "ops": ops}))

    def update_from(self, item_id: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> Ad:
        """PATCH the ad with the difference between ``old`` and ``new``."""
        return cast(Ad, self._client._call("ads.update_from", {"item_id": item_id, "old": old, "new": new}))

    def delete(self, item_id: str) -> None:
        self._client._call("ads.delete", {"item_id": item_id})

    def renew(self, item_id: str, order_id: Optional[int] = None) -> Order:
        return cast(Order, self._client._call("ads.renew", {"item_id": item_id, "order_id": order_id}))

    def statistics(self, item_id: str) -> Any:
        return self._client._call("ads.statistics", {"item_id": item_id})

    def fitments(self, item_id: str, ktype: bool = False) -> Any:
        return self._client._call("ads.fitments", {"item_id": item_id, "ktype": ktype})

    def collection(self) -> Any:
        return self._client._call("ads.collection")


class Images:
    """``client.images``."""
    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self, item_id: str) -> Any:
        return self._client._call("images.list", {"item_id": item_id})

    def add(self, item_id: str, urls: Sequence[str], replace_all: bool = False) -> Any:
        """Add images by URL (202: placeholders until processed)."""
        return self._client._call("images.add", {"item_id": item_id, "urls": urls, "replace_all": replace_all})

    def get(self, media_id: str) -> Image:
        return cast(Image, self._client._call("images.get", {"media_id": media_id}))

    def wait_until_available(self, media_id: str, timeout: Optional[float] = None, interval: Optional[float] = None) -> Image:
        """Poll until the image is processed (``timeout`` 60 s)."""
        return cast(Image, self._client._call("images.wait_until_available", {"media_id": media_id, "timeout": timeout, "interval": interval}))

    def meta(self, media_id: str, size: str) -> Any:
        return self._client._call("images.meta", {"media_id": media_id, "size": size})


class Categories:
    """``client.categories``."""
    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self, category_id: Optional[int] = None) -> Any:
        return self._client._call("categories.list", {"category_id": category_id})

    def get(self, l1_category_id: int, l2_category_id: Optional[int] = None) -> Category:
        return cast(Category, self._client._call("categories.get", {"l1_category_id": l1_category_id, "l2_category_id": l2_category_id}))

    def attributes(self, l1_category_id: int, l2_category_id: int) -> Any:
        return self._client._call("categories.attributes", {"l1_category_id": l1_category_id, "l2_category_id": l2_category_id})

    def fees(self, l1_category_id: int, l2_category_id: int) -> Any:
        return self._client._call("categories.fees", {"l1_category_id": l1_category_id, "l2_category_id": l2_category_id})


class Features:
    """``client.features``."""
    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self, item_id: str) -> Any:
        return self._client._call("features.list", {"item_id": item_id})

    def get(self, item_id: str, name: str) -> Any:
        return self._client._call("features.get", {"item_id": item_id, "name": name})

    def buy(self, item_id: str, name: str, order_id: Optional[int] = None) -> Order:
        return cast(Order, self._client._call("features.buy", {"item_id": item_id, "name": name, "order_id": order_id}))

    def purchased(self, item_id: str) -> Any:
        return self._client._call("features.purchased", {"item_id": item_id})


class Transactions:
    """``client.transactions``."""
    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self, item_id: str) -> Any:
        return self._client._call("transactions.list", {"item_id": item_id})

    def get(self, item_id: str, transaction_id: int) -> Any:
        return self._client._call("transactions.get", {"item_id": item_id, "transaction_id": transaction_id})

    def create(self, item_id: str, transaction: Mapping[str, Any]) -> Any:
        return self._client._call("transactions.create", {"item_id": item_id, "transaction": transaction})


class Bids:
    """``client.bids``."""
    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self, item_id: str) -> Any:
        return self._client._call("bids.list", {"item_id": item_id})

    def get(self, item_id: str, bid_id: int) -> Any:
        return self._client._call("bids.get", {"item_id": item_id, "bid_id": bid_id})

    def delete(self, item_id: str, bid_id: int) -> Any:
        return self._client._call("bids.delete", {"item_id": item_id, "bid_id": bid_id})

    def ask_bidder_question(self, item_id: str, bid_id: int, message: str, phone_number: str) -> Any:
        return self._client._call("bids.ask_bidder_question", {"item_id": item_id, "bid_id": bid_id, "message": message, "phone_number": phone_number})


class Upcalls:
    """``client.upcalls``."""
    def __init__(self, client: Client) -> None:
        self._client = client

    def confirm(self, item_id: str, confirmation: Mapping[str, Any]) -> None:
        """Confirm an upcall (needs a client-credentials token with ``confirm_upcall``)."""
        self._client._call("upcalls.confirm", {"item_id": item_id, "confirmation": confirmation})


class Users:
    """``client.users``."""
    def __init__(self, client: Client) -> None:
        self._client = client

    def ads(self, user_id: Optional[int] = None, limit: Optional[int] = None, page_size: Optional[int] = None) -> ListIterator[Ad]:
        """The ads of ``user_id`` (default: the current user), fetched lazily page by page."""
        return self._client._list("users.ads", {"user_id": user_id, "limit": limit, "page_size": page_size})

    def me(self) -> User:
        return cast(User, self._client._call("users.me"))

    def get(self, user_id: int) -> User:
        return cast(User, self._client._call("users.get", {"user_id": user_id}))

    def collection(self) -> Any:
        return self._client._call("users.collection")

    def create(self, user: Mapping[str, Any]) -> User:
        """Create an account (client credentials with ``create_account``)."""
        return cast(User, self._client._call("users.create", {"user": user}))

    def change_email(self, user_id: int, new_email: str) -> Any:
        return self._client._call("users.change_email", {"user_id": user_id, "new_email": new_email})

    def ads_page(self, user_id: int, offset: Optional[int] = None, limit: Optional[int] = None) -> Any:
        return self._client._call("users.ads_page", {"user_id": user_id, "offset": offset, "limit": limit})

    def brands(self, user_id: int) -> Any:
        return self._client._call("users.brands", {"user_id": user_id})

    def profile(self, user_id: int) -> Any:
        return self._client._call("users.profile", {"user_id": user_id})

    def replace_profile(self, user_id: int, profile: Mapping[str, Any]) -> Any:
        return self._client._call("users.replace_profile", {"user_id": user_id, "profile": profile})

    def patch_profile(self, user_id: int, ops: Sequence[Mapping[str, Any]]) -> Any:
        return self._client._call("users.patch_profile", {"user_id": user_id, "ops": ops})

    def profile_image(self, user_id: int, kind: str) -> Image:
        return cast(Image, self._client._call("users.profile_image.get", {"user_id": user_id, "kind": kind}))

    def add_profile_image(self, user_id: int, kind: str, url: str) -> Image:
        return cast(Image, self._client._call("users.profile_image.add", {"user_id": user_id, "kind": kind, "url": url}))

    def delete_profile_image(self, user_id: int, kind: str) -> None:
        self._client._call("users.profile_image.delete", {"user_id": user_id, "kind": kind})

    def reviews(self, user_id: int) -> Any:
        return self._client._call("users.reviews", {"user_id": user_id})

    def review_settings(self, user_id: int) -> Any:
        return self._client._call("users.review_settings", {"user_id": user_id})

    def replace_review_settings(self, user_id: int, settings: Mapping[str, Any]) -> Any:
        return self._client._call("users.replace_review_settings", {"user_id": user_id, "settings": settings})

    def patch_review_settings(self, user_id: int, ops: Sequence[Mapping[str, Any]]) -> Any:
        return self._client._call("users.patch_review_settings", {"user_id": user_id, "ops": ops})

    def features(self, user_id: int) -> Any:
        return self._client._call("users.features", {"user_id": user_id})

    def buy_feature(self, user_id: int, name: str, order_id: Optional[int] = None) -> Order:
        return cast(Order, self._client._call("users.buy_feature", {"user_id": user_id, "name": name, "order_id": order_id}))

    def statistics(self, user_id: int) -> Any:
        return self._client._call("users.statistics", {"user_id": user_id})

    def legal_status(self, user_id: int) -> Any:
        return self._client._call("users.legal_status", {"user_id": user_id})


class Orders:
    """``client.orders``."""
    def __init__(self, client: Client) -> None:
        self._client = client

    def get(self, order_id: int) -> Order:
        return cast(Order, self._client._call("orders.get", {"order_id": order_id}))

    def products(self, order_id: int) -> Any:
        return self._client._call("orders.products", {"order_id": order_id})

    def product(self, order_id: int, product_id: int) -> Any:
        return self._client._call("orders.product", {"order_id": order_id, "product_id": product_id})


class Locations:
    """``client.locations``."""
    def __init__(self, client: Client) -> None:
        self._client = client

    def by_postcode(self, postcode: str) -> Any:
        return self._client._call("locations.by_postcode", {"postcode": postcode})


class AsyncAds:
    """``client.ads`` of an :class:`AsyncClient`."""
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def create(self, ad: Mapping[str, Any]) -> Ad:
        """Place an ad; returns it with its ``itemId``. Amounts are integer euro cents."""
        return cast(Ad, await self._client._call("ads.create", {"ad": ad}))

    async def get(self, item_id: str) -> Ad:
        return cast(Ad, await self._client._call("ads.get", {"item_id": item_id}))

    async def replace(self, item_id: str, ad: Mapping[str, Any]) -> Ad:
        """Replace the whole ad (PUT)."""
        return cast(Ad, await self._client._call("ads.replace", {"item_id": item_id, "ad": ad}))

    async def patch(self, item_id: str, ops: Sequence[Mapping[str, Any]]) -> Ad:
        """Apply JSON Patch operations (``add``/``remove``/``replace`` only)."""
        return cast(Ad, await self._client._call("ads.patch", {"item_id": item_id, "ops": ops}))

    async def update_from(self, item_id: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> Ad:
        """PATCH the ad with the difference between ``old`` and ``new``."""
        return cast(Ad, await self._client._call("ads.update_from", {"item_id": item_id, "old": old, "new": new}))

    async def delete(self, item_id: str) -> None:
        await self._client._call("ads.delete", {"item_id": item_id})

    async def renew(self, item_id: str, order_id: Optional[int] = None) -> Order:
        return cast(Order, await self._client._call("ads.renew", {"item_id": item_id, "order_id": order_id}))

    async def statistics(self, item_id: str) -> Any:
        return await self._client._call("ads.statistics", {"item_id": item_id})

    async def fitments(self, item_id: str, ktype: bool = False) -> Any:
        return await self._client._call("ads.fitments", {"item_id": item_id, "ktype": ktype})

    async def collection(self) -> Any:
        return await self._client._call("ads.collection")


class AsyncImages:
    """``client.images`` of an :class:`AsyncClient`."""
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def list(self, item_id: str) -> Any:
        return await self._client._call("images.list", {"item_id": item_id})

    async def add(self, item_id: str, urls: Sequence[str], replace_all: bool = False) -> Any:
        """Add images by URL (202: placeholders until processed)."""
        return await self._client._call("images.add", {"item_id": item_id, "urls": urls, "replace_all": replace_all})

    async def get(self, media_id: str) -> Image:
        return cast(Image, await self._client._call("images.get", {"media_id": media_id}))

    async def wait_until_available(self, media_id: str, timeout: Optional[float] = None, interval: Optional[float] = None) -> Image:
        """Poll until the image is processed (``timeout`` 60 s)."""
        return cast(Image, await self._client._call("images.wait_until_available", {"media_id": media_id, "timeout": timeout, "interval": interval}))

    async def meta(self, media_id: str, size: str) -> Any:
        return await self._client._call("images.meta", {"media_id": media_id, "size": size})


class AsyncCategories:
    """``client.categories`` of an :class:`AsyncClient`."""
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def list(self, category_id: Optional[int] = None) -> Any:
        return await self._client._call("categories.list", {"category_id": category_id})

    async def get(self, l1_category_id: int, l2_category_id: Optional[int] = None) -> Category:
        return cast(Category, await self._client._call("categories.get", {"l1_category_id": l1_category_id, "l2_category_id": l2_category_id}))

    async def attributes(self, l1_category_id: int, l2_category_id: int) -> Any:
        return await self._client._call("categories.attributes", {"l1_category_id": l1_category_id, "l2_category_id": l2_category_id})

    async def fees(self, l1_category_id: int, l2_category_id: int) -> Any:
        return await self._client._call("categories.fees", {"l1_category_id": l1_category_id, "l2_category_id": l2_category_id})


class AsyncFeatures:
    """``client.features`` of an :class:`AsyncClient`."""
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def list(self, item_id: str) -> Any:
        return await self._client._call("features.list", {"item_id": item_id})

    async def get(self, item_id: str, name: str) -> Any:
        return await self._client._call("features.get", {"item_id": item_id, "name": name})

    async def buy(self, item_id: str, name: str, order_id: Optional[int] = None) -> Order:
        return cast(Order, await self._client._call("features.buy", {"item_id": item_id, "name": name, "order_id": order_id}))

    async def purchased(self, item_id: str) -> Any:
        return await self._client._call("features.purchased", {"item_id": item_id})


class AsyncTransactions:
    """``client.transactions`` of an :class:`AsyncClient`."""
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def list(self, item_id: str) -> Any:
        return await self._client._call("transactions.list", {"item_id": item_id})

    async def get(self, item_id: str, transaction_id: int) -> Any:
        return await self._client._call("transactions.get", {"item_id": item_id, "transaction_id": transaction_id})

    async def create(self, item_id: str, transaction: Mapping[str, Any]) -> Any:
        return await self._client._call("transactions.create", {"item_id": item_id, "transaction": transaction})


class AsyncBids:
    """``client.bids`` of an :class:`AsyncClient`."""
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def list(self, item_id: str) -> Any:
        return await self._client._call("bids.list", {"item_id": item_id})

    async def get(self, item_id: str, bid_id: int) -> Any:
        return await self._client._call("bids.get", {"item_id": item_id, "bid_id": bid_id})

    async def delete(self, item_id: str, bid_id: int) -> Any:
        return await self._client._call("bids.delete", {"item_id": item_id, "bid_id": bid_id})

    async def ask_bidder_question(self, item_id: str, bid_id: int, message: str, phone_number: str) -> Any:
        return await self._client._call("bids.ask_bidder_question", {"item_id": item_id, "bid_id": bid_id, "message": message, "phone_number": phone_number})


class AsyncUpcalls:
    """``client.upcalls`` of an :class:`AsyncClient`."""
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def confirm(self, item_id: str, confirmation: Mapping[str, Any]) -> None:
        """Confirm an upcall (needs a client-credentials token with ``confirm_upcall``)."""
        await self._client._call("upcalls.confirm", {"item_id": item_id, "confirmation": confirmation})


class AsyncUsers:
    """``client.users`` of an :class:`AsyncClient`."""
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    def ads(self, user_id: Optional[int] = None, limit: Optional[int] = None, page_size: Optional[int] = None) -> AsyncListIterator[Ad]:
        """The ads of ``user_id`` (default: the current user), fetched lazily page by page."""
        return self._client._list("users.ads", {"user_id": user_id, "limit": limit, "page_size": page_size})

    async def me(self) -> User:
        return cast(User, await self._client._call("users.me"))

    async def get(self, user_id: int) -> User:
        return cast(User, await self._client._call("users.get", {"user_id": user_id}))

    async def collection(self) -> Any:
        return await self._client._call("users.collection")

    async def create(self, user: Mapping[str, Any]) -> User:
        """Create an account (client credentials with ``create_account``)."""
        return cast(User, await self._client._call("users.create", {"user": user}))

    async def change_email(self, user_id: int, new_email: str) -> Any:
        return await self._client._call("users.change_email", {"user_id": user_id, "new_email": new_email})

    async def ads_page(self, user_id: int, offset: Optional[int] = None, limit: Optional[int] = None) -> Any:
        return await self._client._call("users.ads_page", {"user_id": user_id, "offset": offset, "limit": limit})

    async def brands(self, user_id: int) -> Any:
        return await self._client._call("users.brands", {"user_id": user_id})

    async def profile(self, user_id: int) -> Any:
        return await self._client._call("users.profile", {"user_id": user_id})

    async def replace_profile(self, user_id: int, profile: Mapping[str, Any]) -> Any:
        return await self._client._call("users.replace_profile", {"user_id": user_id, "profile": profile})

    async def patch_profile(self, user_id: int, ops: Sequence[Mapping[str, Any]]) -> Any:
        return await self._client._call("users.patch_profile", {"user_id": user_id, "ops": ops})

    async def profile_image(self, user_id: int, kind: str) -> Image:
        return cast(Image, await self._client._call("users.profile_image.get", {"user_id": user_id, "kind": kind}))

    async def add_profile_image(self, user_id: int, kind: str, url: str) -> Image:
        return cast(Image, await self._client._call("users.profile_image.add", {"user_id": user_id, "kind": kind, "url": url}))

    async def delete_profile_image(self, user_id: int, kind: str) -> None:
        await self._client._call("users.profile_image.delete", {"user_id": user_id, "kind": kind})

    async def reviews(self, user_id: int) -> Any:
        return await self._client._call("users.reviews", {"user_id": user_id})

    async def review_settings(self, user_id: int) -> Any:
        return await self._client._call("users.review_settings", {"user_id": user_id})

    async def replace_review_settings(self, user_id: int, settings: Mapping[str, Any]) -> Any:
        return await self._client._call("users.replace_review_settings", {"user_id": user_id, "settings": settings})

    async def patch_review_settings(self, user_id: int, ops: Sequence[Mapping[str, Any]]) -> Any:
        return await self._client._call("users.patch_review_settings", {"user_id": user_id, "ops": ops})

    async def features(self, user_id: int) -> Any:
        return await self._client._call("users.features", {"user_id": user_id})

    async def buy_feature(self, user_id: int, name: str, order_id: Optional[int] = None) -> Order:
        return cast(Order, await self._client._call("users.buy_feature", {"user_id": user_id, "name": name, "order_id": order_id}))

    async def statistics(self, user_id: int) -> Any:
        return await self._client._call("users.statistics", {"user_id": user_id})

    async def legal_status(self, user_id: int) -> Any:
        return await self._client._call("users.legal_status", {"user_id": user_id})


class AsyncOrders:
    """``client.orders`` of an :class:`AsyncClient`."""
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def get(self, order_id: int) -> Order:
        return cast(Order, await self._client._call("orders.get", {"order_id": order_id}))

    async def products(self, order_id: int) -> Any:
        return await self._client._call("orders.products", {"order_id": order_id})

    async def product(self, order_id: int, product_id: int) -> Any:
        return await self._client._call("orders.product", {"order_id": order_id, "product_id": product_id})


class AsyncLocations:
    """``client.locations`` of an :class:`AsyncClient`."""
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def by_postcode(self, postcode: str) -> Any:
        return await self._client._call("locations.by_postcode", {"postcode": postcode})

