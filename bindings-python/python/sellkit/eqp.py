"""The Adobe Commerce Marketplace EQP API.

>>> from sellkit.eqp import Client
>>> with Client(app_id="AQ17NZ49WC", app_secret="...", environment="sandbox") as client:
...     profile = client.users.get()

:class:`Client` blocks (with the GIL released, so other threads run); :class:`AsyncClient` has the
same methods as coroutines. Results are plain dicts, typed in :mod:`sellkit.types`; failures raise
:class:`sellkit.SellkitError` subclasses. Every rule (hosts, retries, tokens, checks, batching,
paging) lives in the Rust core; this module gives the operations their Python names.

Resources: ``client.users`` (``.keys``, ``.reports``), ``client.callbacks``, ``client.files``,
``client.packages``, ``client.test_results``, ``client.reports``. Lists (``files.list``,
``packages.list``/``by_sku``/``skus``/``items``) are lazy iterators (async iterators on
:class:`AsyncClient`). Batches return a :class:`BatchResult`. Prices come back as strings with two
decimals (``"15.50"``): exact, never a float; ``decimal.Decimal(price)`` for arithmetic.
"""

from __future__ import annotations

import os
from collections import deque
from types import TracebackType
from typing import (
    IO,
    Any,
    AsyncIterator,
    Callable,
    Deque,
    Dict,
    Iterator,
    List,
    Literal,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    Union,
    cast,
    overload,
)

from sellkit._errors import BatchError
from sellkit._native import EqpClient as _NativeClient
from sellkit._native import Paginator as _Paginator
from sellkit._native import eqp_parse_callback as _parse_callback
from sellkit.types import (
    BatchItem,
    CallbackEvent,
    ComposerKey,
    ComposerKeys,
    FileRecord,
    Package,
    Profile,
    ProfileSummary,
    ScanReport,
    TestDetail,
    TestRunSummary,
    UploadResult,
)

__all__ = [
    "Client",
    "AsyncClient",
    "Users",
    "AsyncUsers",
    "Keys",
    "AsyncKeys",
    "Callbacks",
    "AsyncCallbacks",
    "Files",
    "AsyncFiles",
    "Packages",
    "AsyncPackages",
    "TestResults",
    "AsyncTestResults",
    "Reports",
    "AsyncReports",
    "BatchResult",
    "BatchError",
    "ListIterator",
    "AsyncListIterator",
    "parse_callback",
    "Environment",
    "ProfileStyle",
    "Profile",
    "ProfileSummary",
    "FileSource",
    "ProgressCallback",
]

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
        max_response_bytes: Optional[int] = None,
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
            max_response_bytes: largest response body read into memory (64 MiB when ``None``);
                a bigger one raises ``DecodeError`` with code ``response-too-large``.

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
                max_response_bytes=max_response_bytes,
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
    """``client.users``: the profile of the key's account, its Composer keys and reports."""

    keys: Keys

    def __init__(self, client: Client) -> None:
        self._client = client
        self.keys = Keys(client)

    def reports(self, kind: Literal["pageviews", "totals", "sales", "refunds"]) -> Any:
        """A report of the account (``pageviews``, ``totals``, ``sales``, ``refunds``), as sent."""
        return self._client._call("users.reports", {"kind": kind})

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

    keys: AsyncKeys

    def __init__(self, client: AsyncClient) -> None:
        self._client = client
        self.keys = AsyncKeys(client)

    async def reports(self, kind: Literal["pageviews", "totals", "sales", "refunds"]) -> Any:
        """A report of the account (see :meth:`Users.reports`)."""
        return await self._client._call("users.reports", {"kind": kind})

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


_T = TypeVar("_T")


class ListIterator(Iterator[_T]):
    """A lazily paged list: pages are fetched as you iterate (with the GIL released)."""

    def __init__(self, native: _Paginator) -> None:
        self._native = native

    def __iter__(self) -> ListIterator[_T]:
        return self

    def __next__(self) -> _T:
        return cast(_T, next(self._native))

    def next_page(self) -> Optional[List[_T]]:
        """The next page of items (never empty), or ``None`` at the end."""
        return cast(Optional[List[_T]], self._native.next_page())


class AsyncListIterator(AsyncIterator[_T]):
    """A lazily paged list for ``async for``: one page is awaited at a time and its items are
    handed out from here, so iterating costs one await of native work per page."""

    def __init__(self, native: _Paginator) -> None:
        self._native = native
        self._items: Deque[Any] = deque()

    def __aiter__(self) -> AsyncListIterator[_T]:
        return self

    async def __anext__(self) -> _T:
        if not self._items:
            page = await self._native.next_page_async()
            if page is None:
                raise StopAsyncIteration
            self._items.extend(page)
        return cast(_T, self._items.popleft())


class BatchResult:
    """The result of a batch (``packages.create``/``update``, ``users.keys.create``): one entry
    per input item, in input order. A failed item is data, not an exception; call
    :meth:`raise_for_failures` to turn failures into a :class:`BatchError`."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw: Dict[str, Any] = dict(raw)

    @property
    def items(self) -> List[BatchItem]:
        """Entries with ``index``, ``ok``, ``code``, ``message``, ``data``, ``recovered``."""
        return cast(List[BatchItem], self.raw.get("items", []))

    @property
    def all_ok(self) -> bool:
        return bool(self.raw.get("all_ok", False))

    @property
    def failed(self) -> List[int]:
        """Input indices of the failed items."""
        return [int(i) for i in self.raw.get("failed", [])]

    @property
    def data(self) -> List[Any]:
        """The ``data`` of every entry, in input order."""
        return [i.get("data") for i in self.items]

    def raise_for_failures(self) -> BatchResult:
        """Raise :class:`BatchError` (listing the failed indices) if any item failed."""
        if not self.all_ok:
            raise BatchError([i for i in self.items if not i.get("ok")])
        return self

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[BatchItem]:
        return iter(self.items)

    def __repr__(self) -> str:
        return f"<BatchResult items={len(self.items)} failed={self.failed}>"


FileSource = Union[
    str,
    "os.PathLike[str]",
    Tuple[str, bytes],
    Tuple[str, bytes, Optional[str]],
    IO[bytes],
]
"""A file to upload: a path, ``(filename, bytes)`` or ``(filename, bytes, content_type)``, or a
binary file object (streamed from its path when it has one on disk, otherwise read in chunks)."""

ProgressCallback = Union[Callable[[int, int], Any], Any]
"""A callable ``(sent, total)``, or an object with ``update(n)`` (a ``tqdm`` bar) fed deltas."""


def _source(i: int, f: Any) -> Tuple[Any, ...]:
    if isinstance(f, (str, os.PathLike)):
        return ("path", os.fspath(f))
    if isinstance(f, tuple):
        if len(f) in (2, 3) and isinstance(f[0], str) and isinstance(f[1], (bytes, bytearray, memoryview)):
            return ("bytes", f[0], bytes(f[1]), f[2] if len(f) == 3 else None)
        raise TypeError(f"files[{i}]: expected (filename, bytes) or (filename, bytes, content_type)")
    if isinstance(f, (bytes, bytearray, memoryview)):
        raise TypeError(f"files[{i}]: bytes need a filename: pass (filename, bytes)")
    if hasattr(f, "read"):
        name = getattr(f, "name", None)
        if isinstance(name, str) and os.path.isfile(name):
            return ("path", name)
        filename = os.path.basename(name) if isinstance(name, str) and name else "upload"
        length: Optional[int] = None
        try:
            if f.seekable():
                here = f.tell()
                length = f.seek(0, os.SEEK_END) - here
                f.seek(here)
        except (AttributeError, OSError, ValueError):
            length = None
        return ("stream", filename, None, length, f)
    raise TypeError(f"files[{i}]: expected a path, (filename, bytes) or a binary file object, got {type(f).__name__}")


def _progress(progress: Any) -> Optional[Callable[[int, int], None]]:
    if progress is None:
        return None
    update = getattr(progress, "update", None)
    if callable(update):
        last = [0]

        def feed(sent: int, total: int) -> None:
            if sent > last[0]:
                update(sent - last[0])
                last[0] = sent

        return feed
    if callable(progress):
        return cast(Callable[[int, int], None], progress)
    raise TypeError("progress must be a callable (sent, total) or an object with update(n)")


def _sources(files: Sequence[Any]) -> List[Tuple[Any, ...]]:
    if isinstance(files, (str, bytes, tuple, os.PathLike)) or hasattr(files, "read"):
        files = [files]
    return [_source(i, f) for i, f in enumerate(files)]


def parse_callback(body: bytes, headers: Mapping[str, str], *, username: str, password: str) -> CallbackEvent:
    """Check an EQP callback's Basic credentials (constant time) and decode its envelope.

    ``headers`` is any mapping; the ``Authorization`` header is looked up case-insensitively.

    Raises:
        AuthenticationError: the credentials are missing or wrong.
        DecodeError: the body is not a callback envelope.
    """
    authorization: Optional[str] = None
    for k, v in headers.items():
        if k.lower() == "authorization":
            authorization = v
            break
    if isinstance(body, str):
        body = body.encode()
    return cast(CallbackEvent, _parse_callback(bytes(body), authorization, username, password))


def _tracks(technical: Optional[bool], marketing: Optional[bool]) -> Dict[str, Any]:
    return {"technical": technical, "marketing": marketing}


def _merge(fields: Optional[Mapping[str, Any]], extra: Dict[str, Any]) -> Any:
    """``fields`` with the keyword arguments added; anything but a mapping is passed on for the
    core to refuse, naming ``fields``."""
    if fields is None:
        return extra
    if not extra or not isinstance(fields, Mapping):
        return fields
    return {**fields, **extra}


class Client(_ClientBase):
    """A blocking EQP client. Thread-safe; use it as a context manager or call :meth:`close`."""

    users: Users
    callbacks: Callbacks
    files: Files
    packages: Packages
    test_results: TestResults
    reports: Reports

    def _attach(self, native: _NativeClient) -> None:
        super()._attach(native)
        self.users = Users(self)
        self.callbacks = Callbacks(self)
        self.files = Files(self)
        self.packages = Packages(self)
        self.test_results = TestResults(self)
        self.reports = Reports(self)

    def _list(self, op: str, args: Dict[str, Any]) -> ListIterator[Any]:
        return ListIterator(self._native.list(op, args))

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
    callbacks: AsyncCallbacks
    files: AsyncFiles
    packages: AsyncPackages
    test_results: AsyncTestResults
    reports: AsyncReports

    def _attach(self, native: _NativeClient) -> None:
        super()._attach(native)
        self.users = AsyncUsers(self)
        self.callbacks = AsyncCallbacks(self)
        self.files = AsyncFiles(self)
        self.packages = AsyncPackages(self)
        self.test_results = AsyncTestResults(self)
        self.reports = AsyncReports(self)

    def _list(self, op: str, args: Dict[str, Any]) -> AsyncListIterator[Any]:
        return AsyncListIterator(self._native.list(op, args))

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


# --- Resources. Each method names one core operation (sellkit::eqp::dispatch) and converts
# its arguments; every check happens in core.


class Keys:
    """``client.users.keys``: Composer repository access keys."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self, type: Optional[str] = None, label: Optional[str] = None, uid: Optional[str] = None) -> ComposerKeys:
        """Keys per generation (``type``: ``"m1"``, ``"m2"`` or ``"all"``), optionally one label/uid."""
        return cast(ComposerKeys, self._client._call("users.keys.list", {"type": type, "label": label, "uid": uid}))

    def create(self, keys: Sequence[Mapping[str, Any]]) -> BatchResult:
        """Create keys (``[{"label": ..., "uid"?: ...}]``); one entry per key, in order."""
        return BatchResult(self._client._call("users.keys.create", {"keys": keys}))

    def enable(self, label: str, uid: Optional[str] = None) -> List[ComposerKey]:
        return cast(List[ComposerKey], self._client._call("users.keys.enable", {"label": label, "uid": uid})["m2"])

    def disable(self, label: str, uid: Optional[str] = None) -> List[ComposerKey]:
        return cast(List[ComposerKey], self._client._call("users.keys.disable", {"label": label, "uid": uid})["m2"])

    def delete(self, label: str, uid: Optional[str] = None) -> None:
        self._client._call("users.keys.delete", {"label": label, "uid": uid})


class AsyncKeys:
    """``client.users.keys`` of an :class:`AsyncClient`."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def list(self, type: Optional[str] = None, label: Optional[str] = None, uid: Optional[str] = None) -> ComposerKeys:
        return cast(ComposerKeys, await self._client._call("users.keys.list", {"type": type, "label": label, "uid": uid}))

    async def create(self, keys: Sequence[Mapping[str, Any]]) -> BatchResult:
        return BatchResult(await self._client._call("users.keys.create", {"keys": keys}))

    async def enable(self, label: str, uid: Optional[str] = None) -> List[ComposerKey]:
        return cast(List[ComposerKey], (await self._client._call("users.keys.enable", {"label": label, "uid": uid}))["m2"])

    async def disable(self, label: str, uid: Optional[str] = None) -> List[ComposerKey]:
        return cast(List[ComposerKey], (await self._client._call("users.keys.disable", {"label": label, "uid": uid}))["m2"])

    async def delete(self, label: str, uid: Optional[str] = None) -> None:
        await self._client._call("users.keys.delete", {"label": label, "uid": uid})


class Callbacks:
    """``client.callbacks``: where EQP posts status updates."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def register(self, callbacks: Sequence[Mapping[str, Any]]) -> Profile:
        """Register ``[{"name"?, "url", "username", "password"}]`` (https URLs); returns the profile."""
        return cast(Profile, self._client._call("callbacks.register", {"callbacks": callbacks}))


class AsyncCallbacks:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def register(self, callbacks: Sequence[Mapping[str, Any]]) -> Profile:
        return cast(Profile, await self._client._call("callbacks.register", {"callbacks": callbacks}))


class Files:
    """``client.files``: uploads and their malware scans."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def upload(self, files: Sequence[FileSource], progress: Optional[ProgressCallback] = None) -> List[UploadResult]:
        """Upload files in one multipart request (``file[]``); records come back in order.

        Paths (and file objects with a path on disk) are streamed from disk and re-opened on a
        retry; other file objects are read in chunks. ``progress`` gets ``(sent, total)``, or
        ``update(delta)`` on an object like a ``tqdm`` bar.
        """
        native = self._client._native
        return cast(List[UploadResult], native.upload(_sources(files), _progress(progress)))

    def get(self, file_upload_id: str) -> FileRecord:
        return cast(FileRecord, self._client._call("files.get", {"file_upload_id": file_upload_id}))

    def list(self, limit: Optional[int] = None, page_size: Optional[int] = None) -> ListIterator[FileRecord]:
        """Every uploaded file, fetched lazily page by page."""
        return self._client._list("files.list", {"limit": limit, "page_size": page_size})

    def wait_for_scan(self, ids: Sequence[str], timeout: Optional[float] = None, interval: Optional[float] = None) -> ScanReport:
        """Poll until every file's malware scan is done or ``timeout`` (300 s) passes."""
        return cast(ScanReport, self._client._call("files.wait_for_scan", {"ids": ids, "timeout": timeout, "interval": interval}))


class AsyncFiles:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def upload(self, files: Sequence[FileSource], progress: Optional[ProgressCallback] = None) -> List[UploadResult]:
        """Upload files (see :meth:`Files.upload`)."""
        native = self._client._native
        return cast(List[UploadResult], await native.upload_async(_sources(files), _progress(progress)))

    async def get(self, file_upload_id: str) -> FileRecord:
        return cast(FileRecord, await self._client._call("files.get", {"file_upload_id": file_upload_id}))

    def list(self, limit: Optional[int] = None, page_size: Optional[int] = None) -> AsyncListIterator[FileRecord]:
        return self._client._list("files.list", {"limit": limit, "page_size": page_size})

    async def wait_for_scan(self, ids: Sequence[str], timeout: Optional[float] = None, interval: Optional[float] = None) -> ScanReport:
        return cast(ScanReport, await self._client._call("files.wait_for_scan", {"ids": ids, "timeout": timeout, "interval": interval}))


def _batch_args(items: Sequence[Mapping[str, Any]], chunk_size: Optional[int], concurrency: Optional[int]) -> Dict[str, Any]:
    return {"items": items, "chunk_size": chunk_size, "concurrency": concurrency}


def _list_args(filters: Dict[str, Any], sort: Any, limit: Optional[int], page_size: Optional[int]) -> Dict[str, Any]:
    args = dict(filters)
    args.update({"sort": list(sort) if isinstance(sort, (list, tuple)) else sort, "limit": limit, "page_size": page_size})
    return args


class Packages:
    """``client.packages``: create, update, list, submit and recall packages.

    Prices come back as strings with two decimals (``"15.50"``); pass them to
    ``decimal.Decimal`` for arithmetic. In arguments, numbers and numeric strings are accepted.
    """

    def __init__(self, client: Client) -> None:
        self._client = client

    def create(self, items: Sequence[Mapping[str, Any]], chunk_size: Optional[int] = None, concurrency: Optional[int] = None) -> BatchResult:
        """Create packages: chunks of ``chunk_size`` (50), ``concurrency`` (4) requests at once."""
        return BatchResult(self._client._call("packages.create", _batch_args(items, chunk_size, concurrency)))

    def update(self, items: Sequence[Mapping[str, Any]], chunk_size: Optional[int] = None, concurrency: Optional[int] = None) -> BatchResult:
        """Update packages (each with its ``submission_id``)."""
        return BatchResult(self._client._call("packages.update", _batch_args(items, chunk_size, concurrency)))

    def update_one(self, submission_id: str, fields: Mapping[str, Any]) -> Optional[Package]:
        return cast(Optional[Package], self._client._call("packages.update_one", {"submission_id": submission_id, "fields": fields}))

    def get(self, submission_id: str) -> Package:
        return cast(Package, self._client._call("packages.get", {"submission_id": submission_id}))

    def by_item_id(self, item_id: str) -> Package:
        return cast(Package, self._client._call("packages.by_item_id", {"item_id": item_id}))

    def list(
        self, *, sort: Union[str, Sequence[str], None] = None, limit: Optional[int] = None, page_size: Optional[int] = None, **filters: Any
    ) -> ListIterator[Package]:
        """Packages matching ``filters`` (``type=``, ``platform=``, ``sku=``, ...), sorted by
        ``sort`` (``"-platform,+name"`` or a list), fetched lazily."""
        return self._client._list("packages.list", _list_args(filters, sort, limit, page_size))

    def by_sku(self, sku: str, version: Optional[str] = None, limit: Optional[int] = None, page_size: Optional[int] = None) -> ListIterator[Package]:
        return self._client._list("packages.by_sku", {"sku": sku, "version": version, "limit": limit, "page_size": page_size})

    def skus(self, limit: Optional[int] = None, page_size: Optional[int] = None) -> ListIterator[Package]:
        return self._client._list("packages.skus", {"limit": limit, "page_size": page_size})

    def items(self, limit: Optional[int] = None, page_size: Optional[int] = None) -> ListIterator[Package]:
        return self._client._list("packages.items", {"limit": limit, "page_size": page_size})

    def submit(self, submission_id: str, technical: Optional[bool] = None, marketing: Optional[bool] = None) -> Optional[Package]:
        """Submit for review (both tracks unless one is chosen)."""
        return cast(Optional[Package], self._client._call("packages.submit", {"submission_id": submission_id, **_tracks(technical, marketing)}))

    def recall(self, submission_id: str, technical: Optional[bool] = None, marketing: Optional[bool] = None) -> Optional[Package]:
        return cast(Optional[Package], self._client._call("packages.recall", {"submission_id": submission_id, **_tracks(technical, marketing)}))

    def remove(self, submission_id: str) -> Optional[Package]:
        return cast(Optional[Package], self._client._call("packages.remove", {"submission_id": submission_id}))

    def cancel(self, submission_id: str) -> Optional[Package]:
        return cast(Optional[Package], self._client._call("packages.cancel", {"submission_id": submission_id}))


class AsyncPackages:
    """``client.packages`` of an :class:`AsyncClient` (see :class:`Packages`)."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def create(self, items: Sequence[Mapping[str, Any]], chunk_size: Optional[int] = None, concurrency: Optional[int] = None) -> BatchResult:
        return BatchResult(await self._client._call("packages.create", _batch_args(items, chunk_size, concurrency)))

    async def update(self, items: Sequence[Mapping[str, Any]], chunk_size: Optional[int] = None, concurrency: Optional[int] = None) -> BatchResult:
        return BatchResult(await self._client._call("packages.update", _batch_args(items, chunk_size, concurrency)))

    async def update_one(self, submission_id: str, fields: Mapping[str, Any]) -> Optional[Package]:
        return cast(Optional[Package], await self._client._call("packages.update_one", {"submission_id": submission_id, "fields": fields}))

    async def get(self, submission_id: str) -> Package:
        return cast(Package, await self._client._call("packages.get", {"submission_id": submission_id}))

    async def by_item_id(self, item_id: str) -> Package:
        return cast(Package, await self._client._call("packages.by_item_id", {"item_id": item_id}))

    def list(
        self, *, sort: Union[str, Sequence[str], None] = None, limit: Optional[int] = None, page_size: Optional[int] = None, **filters: Any
    ) -> AsyncListIterator[Package]:
        return self._client._list("packages.list", _list_args(filters, sort, limit, page_size))

    def by_sku(self, sku: str, version: Optional[str] = None, limit: Optional[int] = None, page_size: Optional[int] = None) -> AsyncListIterator[Package]:
        return self._client._list("packages.by_sku", {"sku": sku, "version": version, "limit": limit, "page_size": page_size})

    def skus(self, limit: Optional[int] = None, page_size: Optional[int] = None) -> AsyncListIterator[Package]:
        return self._client._list("packages.skus", {"limit": limit, "page_size": page_size})

    def items(self, limit: Optional[int] = None, page_size: Optional[int] = None) -> AsyncListIterator[Package]:
        return self._client._list("packages.items", {"limit": limit, "page_size": page_size})

    async def submit(self, submission_id: str, technical: Optional[bool] = None, marketing: Optional[bool] = None) -> Optional[Package]:
        return cast(Optional[Package], await self._client._call("packages.submit", {"submission_id": submission_id, **_tracks(technical, marketing)}))

    async def recall(self, submission_id: str, technical: Optional[bool] = None, marketing: Optional[bool] = None) -> Optional[Package]:
        return cast(Optional[Package], await self._client._call("packages.recall", {"submission_id": submission_id, **_tracks(technical, marketing)}))

    async def remove(self, submission_id: str) -> Optional[Package]:
        return cast(Optional[Package], await self._client._call("packages.remove", {"submission_id": submission_id}))

    async def cancel(self, submission_id: str) -> Optional[Package]:
        return cast(Optional[Package], await self._client._call("packages.cancel", {"submission_id": submission_id}))


def _target(submission_id: Optional[str], sku: Optional[str], item_id: Optional[str]) -> Dict[str, Any]:
    return {"submission_id": submission_id, "sku": sku, "item_id": item_id}


class TestResults:
    """``client.test_results``: automated test runs of a package."""

    __test__ = False  # not a pytest class

    def __init__(self, client: Client) -> None:
        self._client = client

    def summary(self, submission_id: Optional[str] = None, *, sku: Optional[str] = None, item_id: Optional[str] = None) -> List[TestRunSummary]:
        """Runs of one package: give exactly one of ``submission_id``, ``sku``, ``item_id``."""
        return cast(List[TestRunSummary], self._client._call("test_results.summary", _target(submission_id, sku, item_id)))

    def detail(self, submission_id: str, tool: str, run_id: Union[str, int]) -> TestDetail:
        return cast(TestDetail, self._client._call("test_results.detail", {"submission_id": submission_id, "tool": tool, "run_id": run_id}))


class AsyncTestResults:
    __test__ = False

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def summary(self, submission_id: Optional[str] = None, *, sku: Optional[str] = None, item_id: Optional[str] = None) -> List[TestRunSummary]:
        return cast(List[TestRunSummary], await self._client._call("test_results.summary", _target(submission_id, sku, item_id)))

    async def detail(self, submission_id: str, tool: str, run_id: Union[str, int]) -> TestDetail:
        return cast(TestDetail, await self._client._call("test_results.detail", {"submission_id": submission_id, "tool": tool, "run_id": run_id}))


class Reports:
    """``client.reports``: marketplace metrics."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def metrics(self, name: Optional[str] = None) -> Any:
        """All metrics, or the one called ``name``, as sent."""
        return self._client._call("reports.metrics", {"name": name})


class AsyncReports:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def metrics(self, name: Optional[str] = None) -> Any:
        return await self._client._call("reports.metrics", {"name": name})
