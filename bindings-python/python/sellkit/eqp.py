"""The Adobe Commerce Marketplace EQP API.

>>> from sellkit.eqp import Client
>>> with Client(app_id="AQ17NZ49WC", app_secret="...", environment="sandbox") as client:
...     profile = client.users.get()

:class:`Client` blocks (with the GIL released, so other threads run); :class:`AsyncClient` has the
same methods as coroutines. Results are plain dicts, typed in :mod:`sellkit.types`; failures raise
:class:`sellkit.SellkitError` subclasses. Every rule (hosts, retries, tokens, checks) lives in the
Rust core; this module gives the operations their Python names.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Dict, Literal, Mapping, Optional, Type, TypeVar, Union, cast, overload

from sellkit._native import EqpClient as _NativeClient
from sellkit.types import Profile, ProfileSummary

__all__ = ["Client", "AsyncClient", "Users", "AsyncUsers", "Environment", "ProfileStyle", "Profile", "ProfileSummary"]

# Spelt as unions of single literals (the same type as Literal["a", "b"]), which mypy.stubtest
# can compare with the runtime object.
Environment = Union[Literal["production"], Literal["sandbox"], Literal["legacy-production"], Literal["legacy-sandbox"]]
"""Named EQP hosts: the current adobe.com ones, and the magento.com ones from before 2023."""

ProfileStyle = Union[Literal["full"], Literal["summary"]]

_C = TypeVar("_C", bound="_ClientBase")


class _ClientBase:
    _native: _NativeClient
    _base_url: str
    _app_id: str
    _environment: str

    def __init__(
        self,
        app_id: str,
        app_secret: str,
        *,
        environment: Environment = "production",
        base_url: Optional[str] = None,
        timeout: float = 60.0,
        connect_timeout: float = 10.0,
        upload_timeout: float = 600.0,
        max_retries: int = 2,
        user_agent_suffix: Optional[str] = None,
        token_lifetime: Optional[int] = None,
    ) -> None:
        """Check the settings and create the client; nothing is sent until the first call.

        Args:
            app_id: application id of an EQP API access key.
            app_secret: its application secret (never printed, logged or put in an error).
            environment: ``"production"`` or ``"sandbox"`` (or the ``legacy-`` magento.com hosts).
            base_url: any base URL instead (``https://`` only, except loopback addresses).
            timeout: seconds for one attempt, from connecting until the whole response is read.
            connect_timeout: seconds to establish a connection.
            upload_timeout: seconds for one upload attempt.
            max_retries: retries after the first attempt (0–10).
            user_agent_suffix: appended to the ``User-Agent`` (``my-release-bot/1.2``).
            token_lifetime: session lifetime to ask for, in seconds (the server may grant less).

        Raises:
            InvalidInputError: a setting is invalid; ``field`` names it.
        """
        self._attach(
            _NativeClient(
                app_id,
                app_secret,
                environment=environment,
                base_url=base_url,
                timeout=timeout,
                connect_timeout=connect_timeout,
                upload_timeout=upload_timeout,
                max_retries=max_retries,
                user_agent_suffix=user_agent_suffix,
                token_lifetime=token_lifetime,
            )
        )

    def _attach(self, native: _NativeClient) -> None:
        self._native = native
        # Kept for repr() after close().
        self._base_url = native.base_url
        self._app_id = native.app_id
        self._environment = native.environment

    @classmethod
    def _from_native(cls: Type[_C], native: _NativeClient) -> _C:
        client = cls.__new__(cls)
        client._attach(native)
        return client

    @property
    def mage_id(self) -> Optional[str]:
        """The account id of the key, known after the first authenticated call."""
        return self._native.mage_id

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def environment(self) -> str:
        return self._environment

    @property
    def closed(self) -> bool:
        return self._native.closed

    def with_options(self: _C, *, timeout: Optional[float] = None, max_retries: Optional[int] = None) -> _C:
        """A client with other per-call settings that shares this one's connections and token.

        >>> client.with_options(timeout=5, max_retries=0).users.get()
        """
        return type(self)._from_native(self._native.with_options(timeout=timeout, max_retries=max_retries))

    def __repr__(self) -> str:
        name = f"{type(self).__module__}.{type(self).__qualname__}"
        if self._native.closed:
            return f"<{name} base_url={self._base_url!r} app_id={self._app_id!r} closed>"
        return f"<{name} base_url={self._base_url!r} app_id={self._app_id!r} mage_id={self._native.mage_id!r}>"


class Users:
    """``client.users``: the profile of the key's account."""

    def __init__(self, client: Client) -> None:
        self._client = client

    @overload
    def get(self, style: Literal["summary"]) -> ProfileSummary: ...
    @overload
    def get(self, style: Optional[Literal["full"]] = None) -> Profile: ...
    def get(self, style: Optional[ProfileStyle] = None) -> Any:
        """Read the profile: every field (``style="full"``, the default) or a summary."""
        return self._client._call("users.get", {"style": style})

    def update(self, fields: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> Profile:
        """Change the given fields only; returns the updated profile.

        Keyword arguments are merged into ``fields``:
        ``client.users.update({"personal_profile": {"bio": "..."}}, action="draft")``.
        ``action`` is ``"submit"`` (publish once complete) or ``"draft"`` (save only).
        """
        return cast(Profile, self._client._call("users.update", {"fields": _merge(fields, kwargs)}))


class AsyncUsers:
    """``client.users`` of an :class:`AsyncClient`."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    @overload
    async def get(self, style: Literal["summary"]) -> ProfileSummary: ...
    @overload
    async def get(self, style: Optional[Literal["full"]] = None) -> Profile: ...
    async def get(self, style: Optional[ProfileStyle] = None) -> Any:
        """Read the profile: every field (``style="full"``, the default) or a summary."""
        return await self._client._call("users.get", {"style": style})

    async def update(self, fields: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> Profile:
        """Change the given fields only; returns the updated profile (see :meth:`Users.update`)."""
        return cast(Profile, await self._client._call("users.update", {"fields": _merge(fields, kwargs)}))


def _merge(fields: Optional[Mapping[str, Any]], extra: Dict[str, Any]) -> Dict[str, Any]:
    merged = dict(fields) if fields is not None else {}
    merged.update(extra)
    return merged


class Client(_ClientBase):
    """A blocking EQP client. Thread-safe; use it as a context manager or call :meth:`close`."""

    users: Users

    def _attach(self, native: _NativeClient) -> None:
        super()._attach(native)
        self.users = Users(self)

    def _call(self, op: str, args: Optional[Dict[str, Any]] = None) -> Any:
        return self._native.call(op, args)

    def authenticate(self) -> str:
        """Get a session token now (if none is cached); returns the account's ``mage_id``."""
        return cast(str, self._call("authenticate")["mage_id"])

    def request(self, method: str, path: str, json: Any = None) -> Any:
        """Call any endpoint (``/rest/v1/...``) with the client's auth, retries and errors;
        returns the decoded JSON body (``None`` when empty)."""
        return self._call("request", {"method": method, "path": path, "json": json})

    def close(self) -> None:
        """Release the client. Calls already running finish; new calls raise."""
        self._native.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()


class AsyncClient(_ClientBase):
    """An asyncio EQP client: the methods of :class:`Client` as coroutines.

    >>> async with AsyncClient(app_id=..., app_secret=...) as client:
    ...     profile = await client.users.get()
    """

    users: AsyncUsers

    def _attach(self, native: _NativeClient) -> None:
        super()._attach(native)
        self.users = AsyncUsers(self)

    async def _call(self, op: str, args: Optional[Dict[str, Any]] = None) -> Any:
        return await self._native.call_async(op, args)

    async def authenticate(self) -> str:
        """Get a session token now (if none is cached); returns the account's ``mage_id``."""
        return cast(str, (await self._call("authenticate"))["mage_id"])

    async def request(self, method: str, path: str, json: Any = None) -> Any:
        """Call any endpoint (see :meth:`Client.request`)."""
        return await self._call("request", {"method": method, "path": path, "json": json})

    async def close(self) -> None:
        """Release the client. Calls already running finish; new calls raise."""
        self._native.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        await self.close()
